/*
 * herald.js - browser client for the Herald Server-Sent Events hub.
 *
 * Dependency-free ES module. Wraps EventSource (or fetch + ReadableStream, or
 * long polling) behind one API: channel/type routing via the envelope=true
 * stream form, exponential backoff with jitter, heartbeat watchdog, resume by
 * last event id across its own reconnects, reset/unavailable handling, token
 * refresh, and automatic fallback to long polling.
 *
 * See README.md beside this file for the full API.
 */

export const VERSION = '0.1.0';

/** Event types the Herald server uses for its own purposes on a stream. */
export const SYSTEM_EVENTS = Object.freeze(['connected', 'heartbeat', 'reset', 'unavailable']);

const SYSTEM_SET = new Set(SYSTEM_EVENTS);
const ENVELOPE_KEYS = new Set(['channel', 'data', 'event', 'type', 'id']);
const PRESENCE_EVENTS = new Set(['join', 'leave']);
const STATES = new Set(['connecting', 'open', 'closed', 'polling']);
/** Response statuses after which retrying the same request is pointless. */
const FATAL_STATUSES = new Set([204, 400, 403, 405, 406]);

/* ------------------------------------------------------------------------ */
/* WHATWG event-stream parser                                                */
/* ------------------------------------------------------------------------ */

/**
 * Incremental parser for text/event-stream, following the WHATWG HTML
 * "Parsing an event stream" / "Interpreting an event stream" rules:
 *  - one leading U+FEFF BOM at the very start of the stream is ignored;
 *  - lines end with CRLF, LF or CR (a CRLF split across chunks counts once);
 *  - a line starting with ':' is a comment (reported to onComment, no event);
 *  - "field:value", one space after the colon stripped once; a line without a
 *    colon is a field name with an empty value;
 *  - data lines are joined with '\n'; event sets the type; id containing NUL
 *    is ignored; retry is honoured only when it is ASCII digits only;
 *    unknown fields are ignored;
 *  - a blank line dispatches; the last event id is updated on every dispatch
 *    (it persists), but an event with an empty data buffer is not dispatched;
 *  - at end of stream an incomplete event is discarded.
 *
 * feed() accepts strings or Uint8Array chunks (decoded as streaming UTF-8).
 */
export class EventStreamParser {
  /**
   * @param {{onEvent?: Function, onRetry?: Function, onComment?: Function, lastEventId?: string}} [handlers]
   */
  constructor(handlers = {}) {
    this.onEvent = handlers.onEvent || null;
    this.onRetry = handlers.onRetry || null;
    this.onComment = handlers.onComment || null;
    /** The "last event ID string": persists across events (and across reset()). */
    this.lastEventId = handlers.lastEventId != null ? String(handlers.lastEventId) : '';
    /** Last valid retry value seen (ms), or null. */
    this.retry = null;
    this.reset();
  }

  /** Prepare for a new stream; keeps lastEventId (like EventSource across reconnects). */
  reset() {
    this._line = '';
    this._data = '';
    this._event = '';
    this._idBuffer = this.lastEventId;
    this._eventHasId = false;
    this._atStart = true;
    this._skipLF = false;
    this._decoder = null;
  }

  /** @param {string|Uint8Array|ArrayBuffer} chunk */
  feed(chunk) {
    let text;
    if (typeof chunk === 'string') {
      text = chunk;
    } else {
      if (!this._decoder) this._decoder = new TextDecoder('utf-8', { ignoreBOM: true });
      text = this._decoder.decode(chunk, { stream: true });
    }
    this._feedText(text);
  }

  /** End of stream: flush the decoder and discard any incomplete event. */
  end() {
    if (this._decoder) {
      const rest = this._decoder.decode();
      if (rest) this._feedText(rest);
    }
    this._line = '';
    this._data = '';
    this._event = '';
    this._eventHasId = false;
    this._skipLF = false;
  }

  _feedText(text) {
    if (!text) return;
    if (this._atStart) {
      this._atStart = false;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
      if (!text) return;
    }
    let i = 0;
    if (this._skipLF) {
      this._skipLF = false;
      if (text.charCodeAt(0) === 10) i = 1;
    }
    let start = i;
    const n = text.length;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      const line = this._line + text.slice(start, i);
      this._line = '';
      if (c === 13) {
        if (i + 1 < n) {
          if (text.charCodeAt(i + 1) === 10) i++;
        } else {
          this._skipLF = true;
        }
      }
      start = i + 1;
      this._processLine(line);
    }
    if (start < n) this._line += text.slice(start);
  }

  _processLine(line) {
    if (line === '') {
      this._dispatch();
      return;
    }
    if (line.charCodeAt(0) === 58 /* : */) {
      if (this.onComment) this.onComment(line.slice(1));
      return;
    }
    const colon = line.indexOf(':');
    let field;
    let value;
    if (colon === -1) {
      field = line;
      value = '';
    } else {
      field = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value.charCodeAt(0) === 32 /* space */) value = value.slice(1);
    }
    switch (field) {
      case 'event':
        this._event = value;
        break;
      case 'data':
        this._data += value + '\n';
        break;
      case 'id':
        if (value.indexOf('\u0000') === -1) {
          this._idBuffer = value;
          this._eventHasId = true;
        }
        break;
      case 'retry':
        if (/^[0-9]+$/.test(value)) {
          this.retry = parseInt(value, 10);
          if (this.onRetry) this.onRetry(this.retry);
        }
        break;
      default:
        break; // ignored
    }
  }

  _dispatch() {
    this.lastEventId = this._idBuffer;
    const hadId = this._eventHasId;
    this._eventHasId = false;
    if (this._data === '') {
      this._event = '';
      return;
    }
    let data = this._data;
    if (data.charCodeAt(data.length - 1) === 10) data = data.slice(0, -1);
    const ev = {
      type: this._event || 'message',
      data,
      lastEventId: this.lastEventId,
      id: hadId ? this.lastEventId : null,
    };
    this._data = '';
    this._event = '';
    if (this.onEvent) this.onEvent(ev);
  }
}

/** Parse a whole event-stream text at once; returns the dispatched events. */
export function parseEventStream(text) {
  const events = [];
  const p = new EventStreamParser({ onEvent: (e) => events.push(e) });
  p.feed(text);
  p.end();
  return events;
}

/* ------------------------------------------------------------------------ */
/* Helpers                                                                   */
/* ------------------------------------------------------------------------ */

/**
 * Backoff delay for a 0-based retry attempt:
 *   raw = min(maxMs, initialMs * factor^attempt)
 *   delay = raw * (1 - jitter * random())   -> in [raw*(1-jitter), raw]
 * jitter 0 = deterministic, 1 = "full jitter".
 */
export function computeBackoff(attempt, opts = {}, random = Math.random) {
  const initialMs = opts.initialMs != null ? Number(opts.initialMs) : 1000;
  const maxMs = opts.maxMs != null ? Number(opts.maxMs) : 30000;
  const factor = opts.factor != null ? Number(opts.factor) : 2;
  const jitter = Math.min(1, Math.max(0, opts.jitter != null ? Number(opts.jitter) : 0.5));
  const a = Math.max(0, Math.floor(Number(attempt) || 0));
  const raw = Math.max(0, Math.min(maxMs, initialMs * Math.pow(factor, a)));
  return Math.round(raw * (1 - jitter * random()));
}

/**
 * Channel pattern match, same rules as the server: segments split on '.',
 * '*' matches exactly one segment, a trailing '**' matches one or more.
 */
export function channelMatches(pattern, channel) {
  if (pattern == null) return true;
  if (channel == null) return false;
  if (pattern === channel) return true;
  const p = String(pattern).split('.');
  const c = String(channel).split('.');
  for (let i = 0; i < p.length; i++) {
    const seg = p[i];
    if (seg === '**' && i === p.length - 1) return c.length > i;
    if (i >= c.length) return false;
    if (seg !== '*' && seg !== c[i]) return false;
  }
  return p.length === c.length;
}

/** JSON.parse when possible, otherwise the raw string. */
export function parseData(text) {
  if (typeof text !== 'string') return text;
  if (text === '') return '';
  try {
    return JSON.parse(text);
  } catch (_) {
    return text;
  }
}

/** True when v looks like the envelope=true wrapper {"channel":..,"data":..}. */
export function isEnvelope(v) {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  if (typeof v.channel !== 'string' || !('data' in v)) return false;
  for (const k of Object.keys(v)) if (!ENVELOPE_KEYS.has(k)) return false;
  return true;
}

/** exp claim of a JWT (ms since epoch), or null. */
export function jwtExpiry(token) {
  if (typeof token !== 'string') return null;
  const parts = token.split('.');
  if (parts.length !== 3) return null;
  try {
    let b64 = parts[1].replace(/-/g, '+').replace(/_/g, '/');
    while (b64.length % 4) b64 += '=';
    let json;
    if (typeof atob === 'function') {
      const bin = atob(b64);
      const bytes = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
      json = new TextDecoder().decode(bytes);
    } else {
      return null;
    }
    const claims = JSON.parse(json);
    return typeof claims.exp === 'number' ? claims.exp * 1000 : null;
  } catch (_) {
    return null;
  }
}

function baseHref() {
  return typeof location !== 'undefined' && location && location.href ? location.href : undefined;
}

function derivePollUrl(url) {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).replace(/\/+$/, '');
  return path + '/poll' + (q === -1 ? '' : url.slice(q));
}

function deriveApiBase(url) {
  const q = url.indexOf('?');
  const path = (q === -1 ? url : url.slice(0, q)).replace(/\/+$/, '');
  return path.replace(/\/events$/, '');
}

function toArray(v) {
  if (v == null) return [];
  if (Array.isArray(v)) return v.filter((x) => x != null && x !== '').map(String);
  return String(v).split(',').map((s) => s.trim()).filter(Boolean);
}

function hasStreamingFetch(fetchImpl) {
  return typeof fetchImpl === 'function' && typeof ReadableStream !== 'undefined' && typeof TextDecoder !== 'undefined';
}

/* ------------------------------------------------------------------------ */
/* Herald client                                                             */
/* ------------------------------------------------------------------------ */

const DEFAULT_BACKOFF = { initialMs: 1000, maxMs: 30000, maxRetries: Infinity, jitter: 0.5, factor: 2 };

export const DEFAULTS = Object.freeze({
  url: '/api/events',
  pollUrl: null,
  apiBase: null,
  channels: [],
  events: [],
  params: null,
  envelope: true,
  mode: 'auto',
  getToken: null,
  tokenParam: 'access_token',
  tokenExpirySkewMs: 5000,
  withCredentials: false,
  backoff: DEFAULT_BACKOFF,
  useServerRetry: true,
  heartbeatTimeoutFactor: 2.5,
  heartbeatTimeoutMs: null,
  openTimeoutMs: 10000,
  fallbackAfterFailures: 3,
  streamRetryMs: 300000,
  pollWaitSeconds: 25,
  pollMinIntervalMs: 1000,
  probeOnError: true,
  probeTimeoutMs: 5000,
  pinPosition: true,
  lastEventId: null,
  autoConnect: true,
  closeOnPageHide: true,
  debug: false,
  fetch: null,
  EventSource: null,
});

export class Herald {
  /** @param {object} [options] see README.md */
  constructor(options = {}) {
    const o = { ...DEFAULTS, ...options };
    o.backoff = { ...DEFAULT_BACKOFF, ...(options.backoff || {}) };
    o.channels = toArray(o.channels);
    o.events = toArray(o.events);
    if (!o.pollUrl) o.pollUrl = derivePollUrl(o.url);
    if (o.apiBase == null) o.apiBase = deriveApiBase(o.url);
    if (!['auto', 'eventsource', 'fetch', 'poll'].includes(o.mode)) {
      throw new Error('Herald: unknown mode ' + o.mode);
    }
    this.options = o;
    this._fetch = o.fetch || (typeof fetch === 'function' ? fetch.bind(globalThis) : null);
    this._ES = o.EventSource || (typeof EventSource !== 'undefined' ? EventSource : null);

    this._handlers = []; // {channel, type, handler}
    this._stateListeners = new Set();
    this._resetListeners = new Set();
    this._connectedListeners = new Set();
    this._errorListeners = new Set();

    this._gen = 0;
    this._active = false;
    this._state = 'closed';
    this._stateInfo = { reason: 'not-started' };
    this._transport = null;
    this._attempt = 0;
    this._failures = 0;
    this._trial = false;
    this._timers = {};
    this._es = null;
    this._esTypes = null;
    this._abort = null;
    this._token = null;
    this._tokenExp = null;
    this._tokenStale = false;
    this._serverRetry = null;
    this._hbInterval = null;
    this._sawConnected = false;
    this._sawActivity = false;
    this._sawHeartbeatEvent = false;
    this._transportOpen = false;
    this._lastEventId = o.lastEventId != null ? String(o.lastEventId) : null;
    this._stats = {
      eventsReceived: 0,
      heartbeats: 0,
      reconnects: 0,
      resets: 0,
      fallbacks: 0,
      pollRequests: 0,
      lastEventAt: null,
      connectedAt: null,
    };
    this._clientId = null;

    this._onPageHide = this._onPageHide.bind(this);
    this._onPageShow = this._onPageShow.bind(this);
    this._onOnline = this._onOnline.bind(this);
    this._globalsBound = false;

    if (o.autoConnect) this.connect();
  }

  /* ---------------- public API ---------------- */

  get state() { return this._state; }
  get transport() { return this._transport; }
  get lastEventId() { return this._lastEventId; }
  get clientId() { return this._clientId; }
  get channels() { return this.options.channels.slice(); }

  /** Snapshot of counters. */
  get stats() {
    return {
      ...this._stats,
      lastEventId: this._lastEventId,
      clientId: this._clientId,
      state: this._state,
      transport: this._transport,
      attempt: this._attempt,
    };
  }

  /**
   * on(type, handler) or on(channel, type, handler).
   * channel may be a pattern ('stocks.*', 'jobs.**'); type may be '*'.
   * handler(data, meta) with meta = {id, channel, type, raw, transport}.
   */
  on(a, b, c) {
    let channel = null;
    let type;
    let handler;
    if (typeof b === 'function') {
      type = a;
      handler = b;
    } else {
      channel = a == null ? null : String(a);
      type = b;
      handler = c;
    }
    if (typeof handler !== 'function') throw new TypeError('Herald.on: handler must be a function');
    type = type == null ? '*' : String(type);
    this._handlers.push({ channel, type, handler });
    this._listenOnEs(type);
    return this;
  }

  /**
   * off() removes everything; off(type), off(type, handler),
   * off(channel, type), off(channel, type, handler) remove matching registrations.
   */
  off(...args) {
    let handler = null;
    if (typeof args[args.length - 1] === 'function') handler = args.pop();
    let channel;
    let type;
    if (args.length >= 2) {
      channel = args[0] == null ? null : String(args[0]);
      type = String(args[1]);
    } else if (args.length === 1) {
      type = String(args[0]);
    }
    this._handlers = this._handlers.filter((h) => {
      if (handler && h.handler !== handler) return true;
      if (type !== undefined && h.type !== type) return true;
      if (channel !== undefined && h.channel !== channel) return true;
      return false;
    });
    return this;
  }

  /** cb(state, info) on each state change; returns an unsubscribe function. Called at once with the current state. */
  onState(cb) {
    this._stateListeners.add(cb);
    try { cb(this._state, { ...this._stateInfo, state: this._state }); } catch (e) { this._report(e); }
    return () => this._stateListeners.delete(cb);
  }

  /** cb({reason, resumeFrom, id}) when the server says the app must reload its state. */
  onReset(cb) {
    this._resetListeners.add(cb);
    return () => this._resetListeners.delete(cb);
  }

  /** cb(info) with the `connected` data ({clientId, channels, retryMs, heartbeatIntervalMs}). */
  onConnected(cb) {
    this._connectedListeners.add(cb);
    return () => this._connectedListeners.delete(cb);
  }

  /** cb(error) for handler exceptions and transport errors (informational). */
  onError(cb) {
    this._errorListeners.add(cb);
    return () => this._errorListeners.delete(cb);
  }

  /** Start (or restart after close()). */
  connect() {
    if (this._active) return this;
    this._active = true;
    this._attempt = 0;
    this._failures = 0;
    this._trial = false;
    this._transport = this._initialTransport();
    this._bindGlobals();
    this._start();
    return this;
  }

  /** Stop everything; no more reconnects. */
  close(reason = 'closed') {
    this._shutdown(reason);
    this._unbindGlobals();
    return this;
  }

  /**
   * Change the subscribed channels (and optionally events) and reconnect.
   * resume=false (default) forgets the last event id, so no backlog is replayed.
   */
  setChannels(channels, { events, resume = false } = {}) {
    this.options.channels = toArray(channels);
    if (events !== undefined) this.options.events = toArray(events);
    if (!resume) this._lastEventId = null;
    if (this._active) {
      this._attempt = 0;
      this._failures = 0;
      this._start();
    }
    return this;
  }

  /** Force a reconnect now (keeps the last event id). */
  reconnect() {
    if (!this._active) return this.connect();
    this._attempt = 0;
    this._start();
    return this;
  }

  /**
   * POST /api/channels/{channel}/events with {event, data[, retry]}.
   * Resolves with the server's JSON answer; rejects with an Error carrying status and body.
   */
  async publish(channel, event, data, extra = {}) {
    const body = { data };
    if (event != null) body.event = event;
    if (extra.retry != null) body.retry = extra.retry;
    const url = this.options.apiBase + '/channels/' + encodeURIComponent(channel) + '/events';
    return this._postJson(url, body, extra.keepalive);
  }

  /**
   * fetch() with this client's token (from getToken) as `Authorization: Bearer`, for the application's own
   * calls to the same server (presence, stats, its endpoints). A 401 marks the token for renewal.
   */
  async fetch(url, init = {}) {
    if (!this._fetch) throw new Error('Herald: fetch is not available');
    try { await this._ensureToken(); } catch (_) { /* call without a token */ }
    const headers = this._authHeaders({ ...(init.headers || {}) });
    const res = await this._fetch(new URL(url, baseHref()).toString(), {
      credentials: this.options.withCredentials ? 'include' : 'same-origin',
      ...init,
      headers,
    });
    if (res.status === 401) this._tokenStale = true;
    return res;
  }

  /** POST /api/clients/{clientId}/events. */
  async sendToClient(clientId, event, data) {
    const url = this.options.apiBase + '/clients/' + encodeURIComponent(clientId) + '/events';
    const body = { data };
    if (event != null) body.event = event;
    return this._postJson(url, body);
  }

  /* ---------------- lifecycle ---------------- */

  _initialTransport() {
    const m = this.options.mode;
    if (m === 'poll') return 'poll';
    if (m === 'fetch') return hasStreamingFetch(this._fetch) ? 'fetch' : 'poll';
    // eventsource or auto
    if (this._ES) return 'eventsource';
    return 'poll';
  }

  _teardown() {
    this._gen++;
    for (const k of Object.keys(this._timers)) {
      if (k === 'streamRetry') continue;
      clearTimeout(this._timers[k]);
      delete this._timers[k];
    }
    if (this._es) {
      try { this._es.close(); } catch (_) { /* ignore */ }
      this._es = null;
      this._esTypes = null;
    }
    if (this._abort) {
      try { this._abort.abort(); } catch (_) { /* ignore */ }
      this._abort = null;
    }
    this._sawConnected = false;
    this._sawActivity = false;
    this._sawHeartbeatEvent = false;
    this._transportOpen = false;
    return this._gen;
  }

  _shutdown(reason) {
    const wasActive = this._active;
    this._active = false;
    this._teardown();
    clearTimeout(this._timers.streamRetry);
    delete this._timers.streamRetry;
    if (wasActive || this._state !== 'closed') this._setState('closed', { reason });
  }

  _start(reason) {
    const gen = this._teardown();
    if (!this._active) return;
    if (this._transport === 'poll') {
      this._pollLoop(gen);
      return;
    }
    this._setState('connecting', {
      reason: reason || (this._attempt === 0 && this._stats.reconnects === 0 ? 'initial' : 'reconnect'),
      attempt: this._attempt,
    });
    this._ensureToken().then(() => this._pinPosition(gen)).then(
      () => {
        if (gen !== this._gen) return;
        this._armOpenTimeout(gen);
        if (this._transport === 'eventsource') this._openEventSource(gen);
        else this._openFetch(gen);
      },
      (err) => {
        if (gen !== this._gen) return;
        this._transportFailed(gen, { reason: 'token-error', error: err });
      }
    );
  }

  _setState(state, info = {}) {
    if (!STATES.has(state)) return;
    const prev = this._state;
    const prevInfo = this._stateInfo;
    const next = { mode: this._transport, ...info };
    this._state = state;
    this._stateInfo = next;
    if (prev === state && prevInfo.reason === next.reason && prevInfo.attempt === next.attempt && prevInfo.mode === next.mode) return;
    this._log('state', state, next);
    for (const cb of Array.from(this._stateListeners)) {
      try { cb(state, { ...next, state }); } catch (e) { this._report(e); }
    }
  }

  _scheduleReconnect(reason, minDelayMs = 0, extra = {}) {
    if (!this._active) return;
    const b = this.options.backoff;
    const maxRetries = b.maxRetries == null ? Infinity : b.maxRetries;
    if (this._attempt >= maxRetries) {
      this._shutdown('max-retries');
      return;
    }
    const initialMs = this.options.useServerRetry && this._serverRetry != null ? this._serverRetry : b.initialMs;
    const delay = Math.max(minDelayMs || 0, computeBackoff(this._attempt, { ...b, initialMs }));
    this._attempt++;
    const gen = this._teardown();
    const state = this._transport === 'poll' ? 'polling' : 'connecting';
    this._setState(state, { reason, attempt: this._attempt, delayMs: delay, retryAt: Date.now() + delay, ...extra });
    this._timers.retry = setTimeout(() => {
      if (gen !== this._gen || !this._active) return;
      this._stats.reconnects++;
      this._start();
    }, delay);
  }

  /** A stream attempt failed or ended; decide what to do next. */
  _transportFailed(gen, info) {
    if (gen !== this._gen || !this._active) return;
    const wasConnected = this._sawConnected;
    const headersSeen = this._transportOpen;
    const g = this._teardown();
    this._emitError(Object.assign(new Error('Herald stream: ' + info.reason), info));

    const o = this.options;
    const canFallback = o.mode === 'auto' && this._transport !== 'poll' && typeof this._fetch === 'function';
    const probe = this._transport === 'eventsource' && o.probeOnError && !info.noProbe && this._fetch &&
      (o.getToken || !wasConnected);
    // Only failures of a server that answers count towards the fallback: polling cannot help while it is down
    // (a restart, say). EventSource does not say which it was, so the probe's answer decides that.
    const unreachable = info.reason === 'network-error' || (info.reason === 'connect-error' && probe);
    if (wasConnected) this._failures = 1;
    else if (!unreachable) this._failures++;
    if (canFallback && this._shouldFallback(info, headersSeen)) return;
    if (canFallback && info.reason === 'open-timeout') {
      // Not even the headers came. A proxy that compresses or caches holds those back too: when the server
      // answers a plain poll at once, the stream is being held on the way, and polling gets through.
      this._setState('connecting', { reason: 'probing', attempt: this._attempt });
      this._pollAnswers().then((answers) => {
        if (g !== this._gen || !this._active) return;
        if (answers) this._fallbackToPoll('buffering-suspected');
        else this._scheduleReconnect(info.reason);
      });
      return;
    }

    if (info.status === 401) this._tokenStale = true;
    if (info.status && FATAL_STATUSES.has(info.status)) {
      this._shutdown('http-' + info.status);
      return;
    }

    if (!probe) {
      this._scheduleReconnect(info.reason);
      return;
    }
    this._setState('connecting', { reason: 'probing', attempt: this._attempt });
    this._probe(g).then((status) => {
      if (g !== this._gen || !this._active) return;
      if (status === 401) {
        this._tokenStale = true;
        this._scheduleReconnect('unauthorized', 0, { status });
      } else if (status && FATAL_STATUSES.has(status)) {
        this._shutdown('http-' + status);
      } else {
        if (status != null && unreachable) {
          this._failures++; // it answers, yet the stream failed
          if (canFallback && this._shouldFallback(info, false)) return;
        }
        this._scheduleReconnect(info.reason, 0, status ? { status } : {});
      }
    });
  }

  /** Falls back to polling when the stream looks broken in a way polling avoids; true when it did. */
  _shouldFallback(info, headersSeen) {
    const buffering = info.reason === 'open-timeout' && headersSeen;
    if (!buffering && !this._trial && this._failures < this.options.fallbackAfterFailures) return false;
    this._fallbackToPoll(buffering ? 'buffering-suspected' : this._trial ? 'stream-trial-failed' : 'stream-failing');
    return true;
  }

  _fallbackToPoll(reason) {
    this._stats.fallbacks++;
    this._transport = 'poll';
    this._trial = false;
    this._attempt = 0;
    this._failures = 0;
    this._log('fallback to poll:', reason);
    this._fallbackReason = reason;
    const ms = this.options.streamRetryMs;
    clearTimeout(this._timers.streamRetry);
    if (ms > 0 && this.options.mode === 'auto') {
      this._timers.streamRetry = setTimeout(() => {
        delete this._timers.streamRetry;
        if (!this._active || this._transport !== 'poll') return;
        this._transport = this._ES ? 'eventsource' : 'fetch';
        this._trial = true;
        this._attempt = 0;
        this._start();
      }, ms);
    }
    this._start();
  }

  /* ---------------- token ---------------- */

  async _ensureToken() {
    const get = this.options.getToken;
    if (!get) return;
    const expired = this._tokenExp != null && Date.now() >= this._tokenExp - this.options.tokenExpirySkewMs;
    if (this._token != null && !this._tokenStale && !expired) return;
    const reason = this._token == null ? 'initial' : this._tokenStale ? 'unauthorized' : 'expired';
    const r = await get({ reason });
    this._tokenStale = false;
    if (r && typeof r === 'object') {
      this._token = r.token != null ? String(r.token) : r.accessToken != null ? String(r.accessToken) : null;
      this._tokenExp = r.expiresAt != null ? Number(new Date(r.expiresAt)) : jwtExpiry(this._token);
    } else {
      this._token = r == null || r === '' ? null : String(r);
      this._tokenExp = jwtExpiry(this._token);
    }
  }

  /** Whether an immediate poll (wait=0) answers 200 within probeTimeoutMs. */
  async _pollAnswers() {
    const o = this.options;
    const ctrl = typeof AbortController !== 'undefined' ? new AbortController() : null;
    const timer = setTimeout(() => ctrl && ctrl.abort(), o.probeTimeoutMs);
    try {
      const res = await this._fetch(this._url(o.pollUrl, { stream: false, extra: { wait: 0 } }), {
        headers: this._authHeaders({ Accept: 'application/json' }),
        credentials: o.withCredentials ? 'include' : 'same-origin',
        cache: 'no-store',
        signal: ctrl ? ctrl.signal : undefined,
      });
      if (res.body && res.body.cancel) res.body.cancel().catch(() => {});
      return res.ok;
    } catch (_) {
      return false;
    } finally {
      clearTimeout(timer);
    }
  }

  /**
   * Before a stream opens with no position, learns the hub's current position with one immediate poll, and opens
   * the stream from there. Should the stream then turn out not to deliver (a buffering proxy), polling resumes
   * from that position and nothing published meanwhile is lost. Auto mode only: other modes never fall back.
   */
  async _pinPosition(gen) {
    const o = this.options;
    if (!o.pinPosition || o.mode !== 'auto' || !this._fetch || (this._lastEventId != null && this._lastEventId !== '')) return;
    try {
      const res = await this._fetch(this._url(o.pollUrl, { stream: false, extra: { wait: 0 } }), {
        headers: this._authHeaders({ Accept: 'application/json' }),
        credentials: o.withCredentials ? 'include' : 'same-origin',
        cache: 'no-store',
      });
      if (!res.ok) return; // the stream attempt reports whatever is wrong
      const body = await res.json();
      if (gen === this._gen && body && body.lastEventId != null && body.lastEventId !== '' &&
          (this._lastEventId == null || this._lastEventId === '')) {
        this._lastEventId = String(body.lastEventId);
      }
    } catch (_) {
      // unreachable: the stream attempt fails the same way and backs off
    }
  }

  /* ---------------- URLs ---------------- */

  _url(base, { stream, extra } = {}) {
    const o = this.options;
    const u = new URL(base, baseHref());
    for (const c of o.channels) u.searchParams.append('channel', c);
    for (const e of o.events) u.searchParams.append('event', e);
    if (stream && o.envelope) u.searchParams.set('envelope', 'true');
    if (o.params) {
      for (const [k, v] of Object.entries(o.params)) {
        if (Array.isArray(v)) v.forEach((x) => u.searchParams.append(k, String(x)));
        else if (v != null) u.searchParams.set(k, String(v));
      }
    }
    if (extra) for (const [k, v] of Object.entries(extra)) if (v != null) u.searchParams.set(k, String(v));
    return u.toString();
  }

  _streamUrl(withTokenParam) {
    const extra = {};
    if (this._lastEventId != null && this._lastEventId !== '') extra.lastEventId = this._lastEventId;
    if (withTokenParam && this._token) extra[this.options.tokenParam] = this._token;
    return this._url(this.options.url, { stream: true, extra });
  }

  _authHeaders(h = {}) {
    if (this._token) h.Authorization = 'Bearer ' + this._token;
    return h;
  }

  /* ---------------- EventSource transport ---------------- */

  _openEventSource(gen) {
    let es;
    try {
      es = new this._ES(this._streamUrl(true), { withCredentials: !!this.options.withCredentials });
    } catch (e) {
      this._transportFailed(gen, { reason: 'eventsource-failed', error: e, noProbe: true });
      return;
    }
    this._es = es;
    this._esTypes = new Set();
    const listener = (e) => {
      if (gen !== this._gen) return;
      this._onRawEvent(gen, { type: e.type, data: e.data, lastEventId: e.lastEventId, id: e.lastEventId || null });
    };
    this._esListener = listener;
    es.onopen = () => {
      if (gen !== this._gen) return;
      this._transportOpen = true;
    };
    es.onmessage = listener;
    es.onerror = (e) => {
      if (gen !== this._gen) return;
      if (e && typeof e.data === 'string') {
        // a server event named "error", not a connection error
        if (this._handlers.some((h) => h.type === 'error' || h.type === '*')) listener(e);
        return;
      }
      this._transportFailed(gen, { reason: this._transportOpen ? 'stream-error' : 'connect-error' });
    };
    for (const t of SYSTEM_EVENTS) this._addEsType(t);
    for (const t of this.options.events) this._addEsType(t);
    for (const h of this._handlers) this._addEsType(h.type);
  }

  _addEsType(type) {
    if (!this._es || !this._esTypes || type === '*' || type === 'message' || type === 'error') return;
    if (this._esTypes.has(type)) return;
    this._esTypes.add(type);
    this._es.addEventListener(type, this._esListener);
  }

  _listenOnEs(type) {
    if (this._es) this._addEsType(type);
  }

  async _probe(gen) {
    const ctrl = typeof AbortController !== 'undefined' ? new AbortController() : null;
    const timer = setTimeout(() => ctrl && ctrl.abort(), this.options.probeTimeoutMs);
    try {
      const res = await this._fetch(this._streamUrl(true), {
        headers: { Accept: 'text/event-stream' },
        credentials: this.options.withCredentials ? 'include' : 'same-origin',
        cache: 'no-store',
        signal: ctrl ? ctrl.signal : undefined,
      });
      const status = res.status;
      if (ctrl) ctrl.abort();
      else if (res.body && res.body.cancel) res.body.cancel().catch(() => {});
      return status;
    } catch (_) {
      return null;
    } finally {
      clearTimeout(timer);
    }
  }

  /* ---------------- fetch transport ---------------- */

  async _openFetch(gen) {
    const ctrl = new AbortController();
    this._abort = ctrl;
    let res;
    try {
      res = await this._fetch(this._streamUrl(false), {
        headers: this._authHeaders({ Accept: 'text/event-stream' }),
        credentials: this.options.withCredentials ? 'include' : 'same-origin',
        cache: 'no-store',
        signal: ctrl.signal,
      });
    } catch (e) {
      if (gen === this._gen) this._transportFailed(gen, { reason: 'network-error', error: e });
      return;
    }
    if (gen !== this._gen) {
      try { ctrl.abort(); } catch (_) { /* ignore */ }
      return;
    }
    const ct = (res.headers.get('content-type') || '').toLowerCase();
    if (!res.ok || res.status === 204 || !ct.startsWith('text/event-stream') || !res.body) {
      try { ctrl.abort(); } catch (_) { /* ignore */ }
      const status = res.status;
      const reason = status === 401 ? 'unauthorized' : !res.ok || status === 204 ? 'http-' + status : 'bad-content-type';
      this._transportFailed(gen, { reason, status: res.ok && status !== 204 ? undefined : status });
      return;
    }
    this._transportOpen = true;
    const parser = new EventStreamParser({
      lastEventId: this._lastEventId || '',
      onEvent: (ev) => this._onRawEvent(gen, ev),
      onRetry: (ms) => { if (gen === this._gen) this._serverRetry = ms; },
      onComment: () => { if (gen === this._gen) this._activity(gen); },
    });
    const reader = res.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (gen !== this._gen) {
          reader.cancel().catch(() => {});
          return;
        }
        if (done) break;
        parser.feed(value);
      }
    } catch (e) {
      if (gen === this._gen) this._transportFailed(gen, { reason: 'stream-error', error: e });
      return;
    }
    parser.end();
    if (gen === this._gen) this._transportFailed(gen, { reason: 'stream-ended', noProbe: true });
  }

  /* ---------------- stream events ---------------- */

  _armOpenTimeout(gen) {
    const ms = this.options.openTimeoutMs;
    if (!ms || ms <= 0) return;
    clearTimeout(this._timers.open);
    this._timers.open = setTimeout(() => {
      if (gen !== this._gen || this._sawActivity) return;
      this._transportFailed(gen, { reason: 'open-timeout', noProbe: true });
    }, ms);
  }

  _activity(gen) {
    if (gen !== this._gen) return;
    this._sawActivity = true;
    if (this._timers.open) {
      clearTimeout(this._timers.open);
      delete this._timers.open;
    }
    this._armHeartbeat(gen);
  }

  _heartbeatTimeout() {
    if (this.options.heartbeatTimeoutMs) return this.options.heartbeatTimeoutMs;
    if (!this._hbInterval || !this.options.heartbeatTimeoutFactor) return 0;
    return Math.round(this._hbInterval * this.options.heartbeatTimeoutFactor);
  }

  _armHeartbeat(gen) {
    clearTimeout(this._timers.hb);
    delete this._timers.hb;
    if (!this._sawConnected) return;
    // With EventSource, comment heartbeats are invisible: only watch once a heartbeat *event* was seen.
    if (this._transport === 'eventsource' && !this._sawHeartbeatEvent && !this.options.heartbeatTimeoutMs) return;
    const ms = this._heartbeatTimeout();
    if (!ms) return;
    this._timers.hb = setTimeout(() => {
      if (gen !== this._gen) return;
      this._transportFailed(gen, { reason: 'heartbeat-timeout', noProbe: true });
    }, ms);
  }

  _onRawEvent(gen, ev) {
    if (gen !== this._gen) return;
    const type = ev.type || 'message';
    const id = ev.id != null && ev.id !== '' ? String(ev.id) : null;
    let data = parseData(ev.data);
    let channel = null;
    if (isEnvelope(data)) {
      channel = data.channel;
      data = data.data;
    }

    if (SYSTEM_SET.has(type) && (type === 'reset' || type === 'unavailable' || !id || this._transport === 'eventsource')) {
      if (type === 'heartbeat') {
        this._stats.heartbeats++;
        this._sawHeartbeatEvent = true;
        this._activity(gen);
        return;
      }
      if (type === 'connected') {
        this._onConnected(gen, data);
        return;
      }
      if (type === 'reset') {
        this._activity(gen);
        this._onReset(data, id);
        return;
      }
      if (type === 'unavailable') {
        const d = data && typeof data === 'object' ? data : {};
        if (d.reason === 'token_expired' && this.options.getToken) {
          // The server closed the stream at the token's expiry: a fresh token, then resume by id at once.
          this._tokenStale = true;
          this._teardown();
          if (this._attempt === 0) {
            this._stats.reconnects++;
            this._start('token-expired');
          } else {
            this._scheduleReconnect('token-expired');
          }
          return;
        }
        const retryMs = Number(d.retryMs) || this._serverRetry || this.options.backoff.initialMs;
        this._teardown();
        this._scheduleReconnect('unavailable', retryMs, { serverReason: d.reason });
        return;
      }
    }

    this._activity(gen);
    if (!this._sawConnected && this._state !== 'open') {
      // a server without a `connected` event: first event means open
      this._setState('open', { reason: 'first-event' });
    }
    this._deliver({ type, id, channel, data, raw: ev.data });
  }

  _onConnected(gen, data) {
    const d = data && typeof data === 'object' ? data : {};
    this._sawConnected = true;
    this._clientId = d.clientId != null ? String(d.clientId) : null;
    if (d.retryMs != null && !isNaN(Number(d.retryMs))) this._serverRetry = Number(d.retryMs);
    if (d.heartbeatIntervalMs != null && !isNaN(Number(d.heartbeatIntervalMs))) this._hbInterval = Number(d.heartbeatIntervalMs);
    const wasTrial = this._trial;
    this._attempt = 0;
    this._failures = 0;
    this._trial = false;
    this._stats.connectedAt = Date.now();
    this._activity(gen);
    if (wasTrial) {
      clearTimeout(this._timers.streamRetry);
      delete this._timers.streamRetry;
    }
    this._setState('open', { reason: wasTrial ? 'stream-restored' : 'connected', clientId: this._clientId });
    for (const cb of Array.from(this._connectedListeners)) {
      try { cb({ ...d }); } catch (e) { this._report(e); }
    }
  }

  _onReset(data, id) {
    const d = data && typeof data === 'object' ? data : {};
    const resumeFrom = id || (d.resumeFrom != null ? String(d.resumeFrom) : null);
    if (resumeFrom != null) this._lastEventId = resumeFrom;
    this._stats.resets++;
    const info = { reason: d.reason != null ? d.reason : 'reset', resumeFrom, id };
    this._log('reset', info);
    for (const cb of Array.from(this._resetListeners)) {
      try { cb(info); } catch (e) { this._report(e); }
    }
  }

  _deliver({ type, id, channel, data, raw }) {
    if (id != null) this._lastEventId = id;
    this._stats.eventsReceived++;
    this._stats.lastEventAt = Date.now();
    if (channel == null) {
      if (PRESENCE_EVENTS.has(type) && data && typeof data === 'object' && typeof data.channel === 'string') {
        channel = data.channel;
      } else if (this.options.channels.length === 1 && !/\*/.test(this.options.channels[0])) {
        channel = this.options.channels[0];
      }
    }
    const meta = { id, channel, type, raw, transport: this._transport };
    for (const h of this._handlers.slice()) {
      if (h.type !== '*' && h.type !== type) continue;
      if (h.channel != null && !channelMatches(h.channel, channel)) continue;
      try { h.handler(data, meta); } catch (e) { this._report(e); }
    }
  }

  /* ---------------- long polling ---------------- */

  async _pollLoop(gen) {
    const o = this.options;
    this._setState('polling', {
      reason: this._fallbackReason || (o.mode === 'poll' ? 'mode-poll' : 'no-eventsource'),
      attempt: this._attempt,
    });
    let first = true;
    while (gen === this._gen && this._active) {
      try {
        await this._ensureToken();
      } catch (e) {
        if (gen === this._gen) this._pollFailed(gen, { reason: 'token-error', error: e });
        return;
      }
      if (gen !== this._gen) return;
      const extra = { wait: o.pollWaitSeconds };
      if (this._lastEventId != null && this._lastEventId !== '') extra.after = this._lastEventId;
      else if (first) extra.wait = 0; // no position yet: learn the current one at once
      first = false;
      const url = this._url(o.pollUrl, { stream: false, extra });
      const ctrl = typeof AbortController !== 'undefined' ? new AbortController() : null;
      this._abort = ctrl;
      const timeout = setTimeout(() => ctrl && ctrl.abort(), (o.pollWaitSeconds + 15) * 1000);
      const started = Date.now();
      let res;
      let body;
      try {
        this._stats.pollRequests++;
        res = await this._fetch(url, {
          headers: this._authHeaders({ Accept: 'application/json' }),
          credentials: o.withCredentials ? 'include' : 'same-origin',
          cache: 'no-store',
          signal: ctrl ? ctrl.signal : undefined,
        });
        if (res.ok) body = await res.json();
      } catch (e) {
        clearTimeout(timeout);
        if (gen === this._gen) this._pollFailed(gen, { reason: 'network-error', error: e });
        return;
      }
      clearTimeout(timeout);
      if (gen !== this._gen) return;
      if (!res.ok) {
        this._pollFailed(gen, { reason: res.status === 401 ? 'unauthorized' : 'http-' + res.status, status: res.status });
        return;
      }
      this._attempt = 0;
      this._setState('polling', { reason: 'ok', attempt: 0 });
      this._handlePollAnswer(body || {});
      if (gen !== this._gen) return;
      const events = body && Array.isArray(body.events) ? body.events : [];
      const elapsed = Date.now() - started;
      if (events.length === 0 && elapsed < o.pollMinIntervalMs) {
        await new Promise((r) => { this._timers.poll = setTimeout(r, o.pollMinIntervalMs - elapsed); });
      }
    }
  }

  _handlePollAnswer(body) {
    if (body.reset) {
      this._onReset({ reason: body.reason || 'reset', resumeFrom: body.lastEventId }, body.lastEventId != null ? String(body.lastEventId) : null);
    }
    const events = Array.isArray(body.events) ? body.events : [];
    for (const e of events) {
      if (!e || typeof e !== 'object') continue;
      let data = e.data;
      let channel = e.channel != null ? String(e.channel) : null;
      if (channel == null && isEnvelope(data)) {
        channel = data.channel;
        data = data.data;
      }
      this._deliver({
        type: e.event || e.type || 'message',
        id: e.id != null ? String(e.id) : null,
        channel,
        data,
        raw: typeof e.data === 'string' ? e.data : JSON.stringify(e.data),
      });
    }
    if (body.lastEventId != null && body.lastEventId !== '') this._lastEventId = String(body.lastEventId);
    this._stats.lastPollAt = Date.now();
  }

  _pollFailed(gen, info) {
    if (gen !== this._gen || !this._active) return;
    this._emitError(Object.assign(new Error('Herald poll: ' + info.reason), info));
    if (info.status === 401) this._tokenStale = true;
    if (info.status && FATAL_STATUSES.has(info.status)) {
      this._shutdown('http-' + info.status);
      return;
    }
    this._scheduleReconnect(info.reason, 0, info.status ? { status: info.status } : {});
  }

  /* ---------------- page lifecycle ---------------- */

  _bindGlobals() {
    if (this._globalsBound || typeof window === 'undefined' || !window.addEventListener) return;
    this._globalsBound = true;
    window.addEventListener('pagehide', this._onPageHide);
    window.addEventListener('pageshow', this._onPageShow);
    window.addEventListener('online', this._onOnline);
  }

  _unbindGlobals() {
    if (!this._globalsBound) return;
    this._globalsBound = false;
    window.removeEventListener('pagehide', this._onPageHide);
    window.removeEventListener('pageshow', this._onPageShow);
    window.removeEventListener('online', this._onOnline);
  }

  _onPageHide() {
    if (!this.options.closeOnPageHide || !this._active) return;
    this._resumeOnShow = true;
    this._shutdown('pagehide');
  }

  _onPageShow(e) {
    if (this._resumeOnShow && e && e.persisted) {
      this._resumeOnShow = false;
      this.connect();
    }
  }

  _onOnline() {
    // network came back while waiting out a backoff: try now
    if (this._active && this._timers.retry) {
      this._stats.reconnects++;
      this._start();
    }
  }

  /* ---------------- misc ---------------- */

  async _postJson(url, body, keepalive) {
    if (!this._fetch) throw new Error('Herald: fetch is not available');
    try { await this._ensureToken(); } catch (_) { /* publish without token */ }
    const res = await this._fetch(new URL(url, baseHref()).toString(), {
      method: 'POST',
      headers: this._authHeaders({ 'Content-Type': 'application/json', Accept: 'application/json' }),
      credentials: this.options.withCredentials ? 'include' : 'same-origin',
      body: JSON.stringify(body),
      keepalive: !!keepalive,
    });
    let answer = null;
    const text = await res.text();
    try { answer = text ? JSON.parse(text) : null; } catch (_) { answer = text; }
    if (!res.ok) {
      if (res.status === 401) this._tokenStale = true;
      const err = new Error((answer && answer.message) || 'HTTP ' + res.status);
      err.status = res.status;
      err.body = answer;
      throw err;
    }
    return answer;
  }

  _emitError(err) {
    this._log('error', err.message);
    for (const cb of Array.from(this._errorListeners)) {
      try { cb(err); } catch (_) { /* ignore */ }
    }
  }

  _report(e) {
    if (this._errorListeners.size) this._emitError(e);
    else if (typeof console !== 'undefined') console.error('[herald] handler error', e);
  }

  _log(...args) {
    if (this.options.debug && typeof console !== 'undefined') console.debug('[herald]', ...args);
  }
}

export default Herald;
