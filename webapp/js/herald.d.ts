// Type declarations for herald.js (Herald SSE hub browser client).

export declare const VERSION: string;
/** Event types reserved by the Herald server on a stream. */
export declare const SYSTEM_EVENTS: readonly ['connected', 'heartbeat', 'reset', 'unavailable'];

export type HeraldMode = 'auto' | 'eventsource' | 'fetch' | 'poll';
export type HeraldTransport = 'eventsource' | 'fetch' | 'poll';
export type HeraldState = 'connecting' | 'open' | 'closed' | 'polling';

export interface BackoffOptions {
  /** First retry delay in ms (replaced by the server's retryMs when useServerRetry). Default 1000. */
  initialMs?: number;
  /** Cap for one delay. Default 30000. */
  maxMs?: number;
  /** Consecutive failed retries before giving up (state closed, reason 'max-retries'). Default Infinity. */
  maxRetries?: number;
  /** 0..1; delay = raw * (1 - jitter * random()). Default 0.5. */
  jitter?: number;
  /** Growth factor. Default 2. */
  factor?: number;
}

export interface TokenInfo {
  token?: string;
  accessToken?: string;
  /** Expiry as epoch ms, Date or ISO string. */
  expiresAt?: number | string | Date;
}

export interface GetTokenContext {
  reason: 'initial' | 'expired' | 'unauthorized';
}

export interface HeraldOptions {
  /** Stream URL, resolved against the page. Default '/api/events'. */
  url?: string;
  /** Long-poll URL. Default: url + '/poll'. */
  pollUrl?: string;
  /** Base for publish(): default url without its trailing '/events' ('/api'). */
  apiBase?: string;
  /** Channel names or patterns ('stocks.*', 'jobs.**'); array or comma-separated string. */
  channels?: string[] | string;
  /** Server-side event type filter (event=x&event=y). */
  events?: string[] | string;
  /** Extra query parameters. */
  params?: Record<string, string | number | boolean | Array<string | number> | null | undefined>;
  /** Ask for envelope=true (channel-aware routing). Default true. */
  envelope?: boolean;
  /** Default 'auto'. */
  mode?: HeraldMode;
  /** Supplies the access token; may be async. Query param in eventsource mode, Bearer header otherwise. */
  getToken?: ((ctx: GetTokenContext) => string | TokenInfo | null | undefined | Promise<string | TokenInfo | null | undefined>) | null;
  /** Query parameter for the token in eventsource mode. Default 'access_token'. */
  tokenParam?: string;
  /** Refresh the token this long before it expires. Default 5000. */
  tokenExpirySkewMs?: number;
  withCredentials?: boolean;
  backoff?: BackoffOptions;
  /** Use the server's retry (from `connected`/`retry:`) as backoff.initialMs. Default true. */
  useServerRetry?: boolean;
  /** Reconnect when nothing arrives within factor x heartbeatIntervalMs. Default 2.5. 0 disables. */
  heartbeatTimeoutFactor?: number;
  /** Fixed heartbeat timeout (ms), overrides the factor. */
  heartbeatTimeoutMs?: number | null;
  /** No byte/event at all within this after starting an attempt => failure (auto mode: buffering proxy => poll). Default 10000. */
  openTimeoutMs?: number;
  /** auto mode: consecutive stream failures before switching to polling. Default 3. */
  fallbackAfterFailures?: number;
  /** auto mode: after polling this long, try the stream again (0 = never). Default 300000. */
  streamRetryMs?: number;
  /** wait= for long polls, seconds. Default 25. */
  pollWaitSeconds?: number;
  /** Minimum spacing between empty poll answers. Default 1000. */
  pollMinIntervalMs?: number;
  /** On an EventSource error, fetch the URL once to learn the status (401 => new token). Default true. */
  probeOnError?: boolean;
  probeTimeoutMs?: number;
  /** auto mode: before a stream opens with no position, learn it with one immediate poll, so a fallback to polling loses nothing. Default true. */
  pinPosition?: boolean;
  /** Resume from this id on the first connect. */
  lastEventId?: string | null;
  /** Connect in the constructor. Default true. */
  autoConnect?: boolean;
  /** Close on pagehide, reopen on pageshow from the bfcache. Default true. */
  closeOnPageHide?: boolean;
  debug?: boolean;
  /** Injection points (tests, polyfills). */
  fetch?: typeof fetch | null;
  EventSource?: { new (url: string, init?: { withCredentials?: boolean }): EventSource } | null;
}

export interface EventMeta {
  /** Event id (resume position), null when the event had none. */
  id: string | null;
  /** Channel from the envelope (or the only subscribed channel, or presence data.channel). */
  channel: string | null;
  /** Event type; 'message' when the server sent no event: line. */
  type: string;
  /** Raw data text as received. */
  raw: string;
  transport: HeraldTransport | null;
}

export type EventHandler<T = any> = (data: T, meta: EventMeta) => void;

export interface StateInfo {
  state: HeraldState;
  reason: string;
  mode: HeraldTransport | null;
  attempt?: number;
  delayMs?: number;
  retryAt?: number;
  status?: number;
  clientId?: string | null;
  serverReason?: string;
}

export interface ResetInfo {
  reason: string;
  resumeFrom: string | null;
  id: string | null;
}

export interface ConnectedInfo {
  clientId?: string;
  channels?: string[];
  retryMs?: number;
  heartbeatIntervalMs?: number;
  [k: string]: unknown;
}

export interface HeraldStats {
  eventsReceived: number;
  heartbeats: number;
  reconnects: number;
  resets: number;
  fallbacks: number;
  pollRequests: number;
  lastEventAt: number | null;
  connectedAt: number | null;
  lastEventId: string | null;
  clientId: string | null;
  state: HeraldState;
  transport: HeraldTransport | null;
  attempt: number;
}

export interface HeraldError extends Error {
  reason?: string;
  status?: number;
  error?: unknown;
}

export declare class Herald {
  constructor(options?: HeraldOptions);
  readonly options: Required<HeraldOptions>;
  readonly state: HeraldState;
  readonly transport: HeraldTransport | null;
  readonly lastEventId: string | null;
  readonly clientId: string | null;
  readonly channels: string[];
  readonly stats: HeraldStats;

  on<T = any>(type: string, handler: EventHandler<T>): this;
  on<T = any>(channel: string | null, type: string, handler: EventHandler<T>): this;
  off(): this;
  off(type: string, handler?: EventHandler): this;
  off(channel: string | null, type: string, handler?: EventHandler): this;

  onState(cb: (state: HeraldState, info: StateInfo) => void): () => void;
  onReset(cb: (info: ResetInfo) => void): () => void;
  onConnected(cb: (info: ConnectedInfo) => void): () => void;
  onError(cb: (err: HeraldError) => void): () => void;

  connect(): this;
  close(reason?: string): this;
  reconnect(): this;
  setChannels(channels: string[] | string, opts?: { events?: string[] | string; resume?: boolean }): this;

  publish<R = any>(channel: string, event: string | null, data: unknown, extra?: { retry?: number; keepalive?: boolean }): Promise<R>;
  sendToClient<R = any>(clientId: string, event: string | null, data: unknown): Promise<R>;
  /** fetch() with this client's token as `Authorization: Bearer`, for the application's own calls. */
  fetch(url: string, init?: RequestInit): Promise<Response>;
}
export default Herald;

export interface ParsedEvent {
  type: string;
  data: string;
  /** The persistent last event ID string after this event. */
  lastEventId: string;
  /** The id field of this event block, or null if it had none. */
  id: string | null;
}

export declare class EventStreamParser {
  constructor(handlers?: {
    onEvent?: (ev: ParsedEvent) => void;
    onRetry?: (ms: number) => void;
    onComment?: (text: string) => void;
    lastEventId?: string;
  });
  lastEventId: string;
  retry: number | null;
  feed(chunk: string | Uint8Array): void;
  end(): void;
  reset(): void;
}

export declare function parseEventStream(text: string): ParsedEvent[];
export declare function computeBackoff(attempt: number, opts?: BackoffOptions, random?: () => number): number;
export declare function channelMatches(pattern: string | null, channel: string | null): boolean;
export declare function parseData(text: string): unknown;
export declare function isEnvelope(v: unknown): v is { channel: string; data: unknown };
export declare function jwtExpiry(token: string): number | null;
export declare const DEFAULTS: Readonly<HeraldOptions>;
