// Self-check for webapp/js/herald.js. Node 20+, no dependencies:
//   node --test webapp/js/test/
// Unit tests: WHATWG event-stream parser, backoff math, channel patterns.
// Integration tests: the Herald client against a tiny in-process mock of the
// Herald HTTP contract (fetch mode, poll mode, and EventSource mode through a
// minimal fake EventSource built on the same parser).
import test from 'node:test';
import assert from 'node:assert/strict';
import http from 'node:http';
import {
  EventStreamParser, parseEventStream, computeBackoff, channelMatches,
  isEnvelope, parseData, jwtExpiry, Herald,
} from '../herald.js';

/* ======================================================================== */
/* Parser                                                                    */
/* ======================================================================== */

function feedAll(chunks, init) {
  const events = [];
  const comments = [];
  const retries = [];
  const p = new EventStreamParser({
    ...init,
    onEvent: (e) => events.push(e),
    onComment: (c) => comments.push(c),
    onRetry: (r) => retries.push(r),
  });
  for (const c of chunks) p.feed(c);
  return { events, comments, retries, parser: p };
}

test('parser: basic event with id, event and data', () => {
  const ev = parseEventStream('id: 1\nevent: price\ndata: {"a":1}\n\n');
  assert.equal(ev.length, 1);
  assert.deepEqual(ev[0], { type: 'price', data: '{"a":1}', lastEventId: '1', id: '1' });
});

test('parser: default type is message, field order irrelevant', () => {
  const ev = parseEventStream('data: x\nid: 7\n\n');
  assert.equal(ev[0].type, 'message');
  assert.equal(ev[0].lastEventId, '7');
});

test('parser: one leading BOM is stripped, a second one is not', () => {
  let ev = parseEventStream('\uFEFFdata: a\n\n');
  assert.deepEqual(ev.map((e) => e.data), ['a']);
  // second BOM makes the field name "\uFEFFdata" -> unknown field, ignored
  ev = parseEventStream('\uFEFF\uFEFFdata: a\n\ndata: b\n\n');
  assert.deepEqual(ev.map((e) => e.data), ['b']);
  // BOM only counts at the very start of the stream
  ev = parseEventStream('data: a\n\n\uFEFFdata: b\n\n');
  assert.deepEqual(ev.map((e) => e.data), ['a']);
});

test('parser: BOM as bytes (EF BB BF) in its own chunk', () => {
  const { events } = feedAll([new Uint8Array([0xef, 0xbb]), new Uint8Array([0xbf]), new TextEncoder().encode('data: z\n\n')]);
  assert.deepEqual(events.map((e) => e.data), ['z']);
});

test('parser: LF, CR and CRLF line endings', () => {
  for (const nl of ['\n', '\r', '\r\n']) {
    const ev = parseEventStream(`event: t${nl}data: a${nl}data: b${nl}${nl}data: c${nl}${nl}`);
    assert.deepEqual(ev.map((e) => [e.type, e.data]), [['t', 'a\nb'], ['message', 'c']], JSON.stringify(nl));
  }
  // mixed
  const ev = parseEventStream('data: a\r\ndata: b\rdata: c\n\r\n');
  assert.deepEqual(ev.map((e) => e.data), ['a\nb\nc']);
});

test('parser: CRLF split across chunks is one line break', () => {
  const { events } = feedAll(['data: a\r', '\n', 'data: b\r', '\n\r', '\n']);
  assert.deepEqual(events.map((e) => e.data), ['a\nb']);
  // a CR at the end of a chunk followed by a non-LF starts a new line
  const r2 = feedAll(['data: a\r', 'data: b\r', '\r']);
  assert.deepEqual(r2.events.map((e) => e.data), ['a\nb']);
});

test('parser: feeding one character at a time gives the same result', () => {
  const text = '\uFEFF: hi\r\nid: 1\r\nevent: x\r\ndata: a\r\ndata\r\n\r\nretry: 250\ndata: é€😀\r\r';
  const whole = parseEventStream(text);
  const { events, retries } = feedAll([...text]);
  assert.deepEqual(events, whole);
  assert.deepEqual(retries, [250]);
  assert.equal(whole.length, 2);
  assert.equal(whole[0].data, 'a\n');
  assert.equal(whole[1].data, 'é€😀');
});

test('parser: multi-byte UTF-8 split across byte chunks', () => {
  const bytes = new TextEncoder().encode('data: 价格 😀\n\n');
  const chunks = [];
  for (let i = 0; i < bytes.length; i++) chunks.push(bytes.slice(i, i + 1));
  const { events } = feedAll(chunks);
  assert.deepEqual(events.map((e) => e.data), ['价格 😀']);
});

test('parser: field without colon is a field with empty value', () => {
  let ev = parseEventStream('data\n\n');
  assert.equal(ev.length, 1);
  assert.equal(ev[0].data, '');
  ev = parseEventStream('data\ndata\n\n');
  assert.equal(ev[0].data, '\n');
  ev = parseEventStream('event: x\nevent\ndata: y\n\n');
  assert.equal(ev[0].type, 'message'); // empty event type -> message
  ev = parseEventStream('id: 5\ndata: a\n\nid\ndata: b\n\n');
  assert.equal(ev[1].lastEventId, ''); // "id" with no value resets the id
});

test('parser: exactly one space after the colon is stripped', () => {
  const ev = parseEventStream('data:x\n\ndata: x\n\ndata:  x\n\ndata:\tx\n\ndata: \n\n');
  assert.deepEqual(ev.map((e) => e.data), ['x', 'x', ' x', '\tx', '']);
  const ev2 = parseEventStream('event:  spaced\ndata: 1\n\n');
  assert.equal(ev2[0].type, ' spaced');
});

test('parser: value may contain colons', () => {
  const ev = parseEventStream('data: a: b:c\n\n');
  assert.equal(ev[0].data, 'a: b:c');
});

test('parser: data lines concatenated with \\n, one trailing LF removed', () => {
  const ev = parseEventStream('data: a\ndata:\ndata: b\ndata:\n\n');
  assert.equal(ev[0].data, 'a\n\nb\n');
});

test('parser: id containing NUL is ignored; id persists', () => {
  const ev = parseEventStream('id: 1\ndata: a\n\nid: 2\u00003\ndata: b\n\ndata: c\n\nid: x\u0000\n\n');
  assert.deepEqual(ev.map((e) => e.lastEventId), ['1', '1', '1']);
  assert.deepEqual(ev.map((e) => e.id), ['1', null, null]);
});

test('parser: last event id updates even when no event is dispatched', () => {
  const { events, parser } = feedAll(['id: 9\n\n', 'data: x\n\n']);
  assert.equal(parser.lastEventId, '9');
  assert.equal(events[0].lastEventId, '9');
});

test('parser: retry accepts ASCII digits only', () => {
  const { retries, parser } = feedAll(['retry: 1000\n', 'retry: 10a0\n', 'retry: -1\n', 'retry: 1.5\n',
    'retry:  200\n', 'retry:\n', 'retry: ١٢\n', 'retry: 0\n', 'retry\n', 'retry: 42\n\n']);
  assert.deepEqual(retries, [1000, 0, 42]);
  assert.equal(parser.retry, 42);
});

test('parser: comments are ignored (but reported)', () => {
  const { events, comments } = feedAll([': heartbeat\n\n', ':\n', 'data: a\n: mid-event comment\ndata: b\n\n']);
  assert.deepEqual(events.map((e) => e.data), ['a\nb']);
  assert.deepEqual(comments, [' heartbeat', '', ' mid-event comment']);
});

test('parser: event without data is not dispatched and its type does not leak', () => {
  const ev = parseEventStream('event: ghost\n\ndata: real\n\n');
  assert.deepEqual(ev.map((e) => [e.type, e.data]), [['message', 'real']]);
});

test('parser: unknown and wrongly-cased fields are ignored', () => {
  const ev = parseEventStream('Data: no\nfoo: bar\nDATA: no\ndata: yes\n\n');
  assert.deepEqual(ev.map((e) => e.data), ['yes']);
});

test('parser: dispatch only on blank line; incomplete event at end discarded', () => {
  const { events, parser } = feedAll(['data: a\n\ndata: b\n', 'data: c']);
  assert.deepEqual(events.map((e) => e.data), ['a']);
  parser.end();
  assert.equal(events.length, 1);
  assert.deepEqual(parseEventStream('data: z'), []);
  assert.deepEqual(parseEventStream('data: z\n'), []);
});

test('parser: reset() keeps last event id, drops partial state', () => {
  const { events, parser } = feedAll(['id: 3\ndata: a\n\ndata: partial\n']);
  parser.reset();
  parser.feed('data: b\n\n');
  assert.deepEqual(events.map((e) => [e.data, e.lastEventId]), [['a', '3'], ['b', '3']]);
});

test('parser: initial lastEventId option', () => {
  const { events } = feedAll(['data: a\n\n'], { lastEventId: '77' });
  assert.equal(events[0].lastEventId, '77');
  assert.equal(events[0].id, null);
});

test('parser: Herald contract sample stream', () => {
  const stream = 'retry: 3000\n\nevent: connected\ndata: {"clientId":"c1","channels":["a"],"retryMs":3000,"heartbeatIntervalMs":15000}\n\n' +
    'event: heartbeat\ndata: {"time":1}\n\n: heartbeat\n\nid: 10\nevent: price\ndata: {"channel":"stocks.AAPL","data":{"p":1}}\n\n' +
    'id: 11\ndata: line1\ndata: line2\n\n';
  const ev = parseEventStream(stream);
  assert.deepEqual(ev.map((e) => e.type), ['connected', 'heartbeat', 'price', 'message']);
  assert.equal(ev[3].data, 'line1\nline2');
  assert.equal(ev[3].id, '11');
  assert.equal(ev[1].id, null);
});

/* ======================================================================== */
/* Backoff and helpers                                                       */
/* ======================================================================== */

test('backoff: exponential, capped, no jitter', () => {
  const o = { initialMs: 1000, maxMs: 30000, jitter: 0 };
  assert.deepEqual([0, 1, 2, 3, 4, 5, 6].map((a) => computeBackoff(a, o)), [1000, 2000, 4000, 8000, 16000, 30000, 30000]);
  assert.equal(computeBackoff(10000, o), 30000); // no overflow / NaN
  assert.equal(computeBackoff(-3, o), 1000);
  assert.equal(computeBackoff(2, { initialMs: 500, maxMs: 100000, factor: 3, jitter: 0 }), 4500);
  assert.equal(computeBackoff(0, { initialMs: 5000, maxMs: 2000, jitter: 0 }), 2000);
});

test('backoff: jitter bounds delay in [raw*(1-j), raw]', () => {
  const o = { initialMs: 1000, maxMs: 30000, jitter: 0.5 };
  assert.equal(computeBackoff(2, o, () => 0), 4000);
  assert.equal(computeBackoff(2, o, () => 1), 2000);
  assert.equal(computeBackoff(2, o, () => 0.5), 3000);
  assert.equal(computeBackoff(2, { ...o, jitter: 1 }, () => 1), 0);
  assert.equal(computeBackoff(2, { ...o, jitter: 7 }, () => 1), 0); // clamped to 1
  for (let i = 0; i < 1000; i++) {
    const d = computeBackoff(3, o);
    assert.ok(d >= 4000 && d <= 8000, String(d));
  }
});

test('backoff: defaults', () => {
  assert.equal(computeBackoff(0, {}, () => 0), 1000);
  assert.equal(computeBackoff(20, {}, () => 0), 30000);
});

test('channelMatches: server pattern rules', () => {
  assert.ok(channelMatches('a.b', 'a.b'));
  assert.ok(!channelMatches('a.b', 'a.c'));
  assert.ok(channelMatches('stocks.*', 'stocks.AAPL'));
  assert.ok(!channelMatches('stocks.*', 'stocks'));
  assert.ok(!channelMatches('stocks.*', 'stocks.AAPL.x'));
  assert.ok(channelMatches('*.notifications', 'u1.notifications'));
  assert.ok(channelMatches('jobs.**', 'jobs.1'));
  assert.ok(channelMatches('jobs.**', 'jobs.1.log'));
  assert.ok(!channelMatches('jobs.**', 'jobs'));
  assert.ok(channelMatches(null, 'x'));
  assert.ok(!channelMatches('x', null));
});

test('isEnvelope / parseData / jwtExpiry', () => {
  assert.ok(isEnvelope({ channel: 'a', data: 1 }));
  assert.ok(isEnvelope({ channel: 'a', data: null }));
  assert.ok(!isEnvelope({ channel: 'a' }));
  assert.ok(!isEnvelope({ channel: 'a', data: 1, other: 2 }));
  assert.ok(!isEnvelope([1]));
  assert.deepEqual(parseData('{"a":1}'), { a: 1 });
  assert.equal(parseData('hello world'), 'hello world');
  assert.equal(parseData('42'), 42);
  const payload = Buffer.from(JSON.stringify({ exp: 2000000000 })).toString('base64url');
  assert.equal(jwtExpiry(`x.${payload}.y`), 2000000000 * 1000);
  assert.equal(jwtExpiry('opaque'), null);
});

/* ======================================================================== */
/* Integration: mock Herald server                                           */
/* ======================================================================== */

function startServer(handler) {
  return new Promise((resolve) => {
    const sockets = new Set();
    const server = http.createServer((req, res) => {
      const u = new URL(req.url, 'http://x');
      handler(req, res, u);
    });
    server.on('connection', (s) => { sockets.add(s); s.on('close', () => sockets.delete(s)); });
    server.listen(0, '127.0.0.1', () => {
      const base = `http://127.0.0.1:${server.address().port}`;
      resolve({
        base,
        close: () => new Promise((r) => { for (const s of sockets) s.destroy(); server.close(() => r()); }),
      });
    });
  });
}

function sseHead(res) {
  res.writeHead(200, { 'Content-Type': 'text/event-stream;charset=UTF-8', 'Cache-Control': 'no-cache, no-store' });
}
function connected(res, hb = 15000, retry = 50) {
  res.write(`retry: ${retry}\n\nevent: connected\ndata: ${JSON.stringify({ clientId: 'c' + Math.random().toString(36).slice(2, 6), channels: [], retryMs: retry, heartbeatIntervalMs: hb })}\n\n`);
}
function send(res, id, event, channel, data) {
  res.write(`id: ${id}\n${event ? `event: ${event}\n` : ''}data: ${JSON.stringify({ channel, data })}\n\n`);
}

function waitFor(pred, ms = 3000, what = 'condition') {
  return new Promise((resolve, reject) => {
    const t0 = Date.now();
    const tick = () => {
      let v;
      try { v = pred(); } catch (_) { v = false; }
      if (v) return resolve(v);
      if (Date.now() - t0 > ms) return reject(new Error('timeout waiting for ' + what));
      setTimeout(tick, 10);
    };
    tick();
  });
}

const fast = { initialMs: 20, maxMs: 200, jitter: 0 };

test('herald fetch mode: envelope routing, meta, counters, resume by lastEventId', async () => {
  const requests = [];
  const srv = await startServer((req, res, u) => {
    requests.push(u);
    sseHead(res);
    connected(res);
    if (requests.length === 1) {
      res.write('event: heartbeat\ndata: {"time":1}\n\n');
      send(res, '5', 'price', 'stocks.AAPL', { symbol: 'AAPL', price: 1 });
      send(res, '6', 'price', 'stocks.MSFT', { symbol: 'MSFT', price: 2 });
      send(res, '7', 'alert', 'stocks.AAPL', { message: 'hi' });
      res.end(); // server drops the stream -> client reconnects with lastEventId=7
    }
  });
  const got = [];
  const h = new Herald({ url: srv.base + '/api/events', channels: ['stocks.AAPL', 'stocks.MSFT'], mode: 'fetch', backoff: fast, useServerRetry: false });
  h.on('stocks.AAPL', 'price', (d, m) => got.push(['aapl', d.price, m.id, m.channel, m.type]));
  h.on('stocks.*', 'price', (d) => got.push(['any', d.symbol]));
  h.on('alert', (d, m) => got.push(['alert', d.message, m.channel]));
  await waitFor(() => requests.length >= 2 && h.state === 'open', 3000, 'reconnect');
  h.close();
  await srv.close();
  assert.deepEqual(got, [['aapl', 1, '5', 'stocks.AAPL', 'price'], ['any', 'AAPL'], ['any', 'MSFT'], ['alert', 'hi', 'stocks.AAPL']]);
  assert.deepEqual(requests[0].searchParams.getAll('channel'), ['stocks.AAPL', 'stocks.MSFT']);
  assert.equal(requests[0].searchParams.get('envelope'), 'true');
  assert.equal(requests[0].searchParams.get('lastEventId'), null);
  assert.equal(requests[1].searchParams.get('lastEventId'), '7');
  const s = h.stats;
  assert.equal(s.eventsReceived, 3);
  assert.equal(s.heartbeats, 1);
  assert.equal(s.reconnects, 1);
  assert.equal(s.lastEventId, '7');
  assert.equal(h.state, 'closed');
});

test('herald fetch mode: reset event calls onReset and continues from the reset id', async () => {
  let n = 0;
  const srv = await startServer((req, res, u) => {
    n++;
    sseHead(res);
    connected(res);
    if (n === 1) { send(res, '3', 'm', 'a', 1); res.end(); return; }
    res.write('id: 100\nevent: reset\ndata: {"reason":"too-old","resumeFrom":"100"}\n\n');
    send(res, '101', 'm', 'a', 2);
  });
  const resets = [];
  const data = [];
  const h = new Herald({ url: srv.base + '/api/events', channels: ['a'], mode: 'fetch', backoff: fast, useServerRetry: false });
  h.onReset((r) => resets.push(r));
  h.on('m', (d) => data.push(d));
  await waitFor(() => data.length === 2);
  h.close();
  await srv.close();
  assert.deepEqual(resets, [{ reason: 'too-old', resumeFrom: '100', id: '100' }]);
  assert.equal(h.stats.resets, 1);
  assert.equal(h.lastEventId, '101');
  assert.equal(h.stats.eventsReceived, 2); // reset is not counted as an app event
});

test('herald fetch mode: unavailable waits retryMs before reconnecting', async () => {
  const times = [];
  const srv = await startServer((req, res) => {
    times.push(Date.now());
    sseHead(res);
    if (times.length === 1) {
      res.end('retry: 300\n\nevent: unavailable\ndata: {"reason":"max-connections","retryMs":300}\n\n');
      return;
    }
    connected(res);
  });
  const states = [];
  const h = new Herald({ url: srv.base + '/api/events', channels: ['a'], mode: 'fetch', backoff: fast, useServerRetry: false });
  h.onState((s, i) => states.push(s + ':' + i.reason));
  await waitFor(() => h.state === 'open');
  h.close();
  await srv.close();
  assert.ok(times[1] - times[0] >= 280, `waited ${times[1] - times[0]}ms`);
  assert.ok(states.includes('connecting:unavailable'), states.join(','));
});

test('herald fetch mode: 401 calls getToken again, Bearer header used', async () => {
  const auths = [];
  const srv = await startServer((req, res) => {
    auths.push(req.headers.authorization);
    if (req.headers.authorization !== 'Bearer t2') {
      res.writeHead(401, { 'Content-Type': 'application/json' });
      res.end('{"error":"unauthorized"}');
      return;
    }
    sseHead(res);
    connected(res);
  });
  const reasons = [];
  let k = 0;
  const h = new Herald({
    url: srv.base + '/api/events', channels: ['a'], mode: 'fetch', backoff: fast, useServerRetry: false,
    getToken: async (info) => { reasons.push(info.reason); k++; return 't' + k; },
  });
  await waitFor(() => h.state === 'open');
  h.close();
  await srv.close();
  assert.deepEqual(auths, ['Bearer t1', 'Bearer t2']);
  assert.deepEqual(reasons, ['initial', 'unauthorized']);
});

test('herald fetch mode: unavailable token_expired gets a fresh token and resumes by id at once', async () => {
  const reqs = [];
  const srv = await startServer((req, res, u) => {
    reqs.push({ at: Date.now(), auth: req.headers.authorization, last: u.searchParams.get('lastEventId') });
    sseHead(res);
    connected(res);
    if (reqs.length === 1) {
      send(res, 'e-1', 'x', 'a', 1);
      res.end('event: unavailable\ndata: {"reason":"token_expired","retryMs":0}\n\n');
    }
  });
  const reasons = [];
  let k = 0;
  const h = new Herald({
    url: srv.base + '/api/events', channels: ['a'], mode: 'fetch', backoff: { ...fast, initialMs: 5000 },
    getToken: (info) => { reasons.push(info.reason); k++; return 'tok' + k; },
  });
  await waitFor(() => reqs.length === 2 && h.state === 'open');
  h.close();
  await srv.close();
  assert.deepEqual(reqs.map((r) => r.auth), ['Bearer tok1', 'Bearer tok2']);
  assert.equal(reqs[1].last, 'e-1', 'resumes after the last event it saw');
  assert.ok(reqs[1].at - reqs[0].at < 1000, 'no backoff wait: ' + (reqs[1].at - reqs[0].at) + 'ms');
  assert.deepEqual(reasons, ['initial', 'unauthorized']);
});

test('herald fetch mode: expired token (expiresAt) is refreshed before reconnecting', async () => {
  const auths = [];
  const srv = await startServer((req, res) => {
    auths.push(req.headers.authorization);
    sseHead(res);
    connected(res);
    res.end();
  });
  let k = 0;
  const h = new Herald({
    url: srv.base + '/api/events', channels: ['a'], mode: 'fetch', backoff: { ...fast, initialMs: 100 }, useServerRetry: false, tokenExpirySkewMs: 0,
    getToken: () => { k++; return { token: 'k' + k, expiresAt: Date.now() + 30 }; },
  });
  await waitFor(() => auths.length >= 2);
  h.close();
  await srv.close();
  assert.equal(auths[0], 'Bearer k1');
  assert.notEqual(auths[1], 'Bearer k1');
});

test('herald fetch mode: heartbeat timeout forces a reconnect; comments keep it alive', async () => {
  let n = 0;
  const srv = await startServer((req, res) => {
    n++;
    sseHead(res);
    connected(res, 60);
    if (n === 1) return; // silence -> watchdog (2 x 60ms) fires
    // comment heartbeats every 30ms keep the second connection alive
    const t = setInterval(() => res.write(': heartbeat\n\n'), 30);
    res.on('close', () => clearInterval(t));
  });
  const h = new Herald({ url: srv.base + '/api/events', channels: ['a'], mode: 'fetch', backoff: fast, useServerRetry: false, heartbeatTimeoutFactor: 2 });
  await waitFor(() => n === 2 && h.state === 'open');
  await new Promise((r) => setTimeout(r, 400));
  h.close();
  await srv.close();
  assert.equal(n, 2, 'no further reconnects while comment heartbeats flow');
  assert.equal(h.stats.reconnects, 1);
});

test('herald: maxRetries gives up with state closed/max-retries', async () => {
  let n = 0;
  const srv = await startServer((req, res) => { n++; res.writeHead(503); res.end(); });
  const h = new Herald({ url: srv.base + '/api/events', channels: ['a'], mode: 'fetch', backoff: { ...fast, maxRetries: 2 } });
  const last = [];
  h.onState((s, i) => last.push([s, i.reason]));
  await waitFor(() => h.state === 'closed' && last.length > 1);
  await srv.close();
  assert.equal(n, 3); // first try + 2 retries
  assert.deepEqual(last[last.length - 1], ['closed', 'max-retries']);
});

test('herald: 400 is fatal (no retry loop)', async () => {
  let n = 0;
  const srv = await startServer((req, res) => { n++; res.writeHead(400, { 'Content-Type': 'application/json' }); res.end('{"error":"bad_channel"}'); });
  const h = new Herald({ url: srv.base + '/api/events', channels: ['bad channel'], mode: 'fetch', backoff: fast });
  await waitFor(() => h.state === 'closed' && h.stats.state === 'closed' && n === 1);
  await new Promise((r) => setTimeout(r, 100));
  await srv.close();
  assert.equal(n, 1);
});

test('herald poll mode: after/wait params, routing by channel, reset', async () => {
  const reqs = [];
  const srv = await startServer((req, res, u) => {
    reqs.push(u);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const after = u.searchParams.get('after');
    if (after === null) return res.end(JSON.stringify({ events: [], lastEventId: '10', reset: false }));
    if (after === '10') return res.end(JSON.stringify({ events: [{ id: '11', channel: 'chat.x', event: 'message', data: { text: 'hi' } }], lastEventId: '11', reset: false }));
    if (after === '11') return res.end(JSON.stringify({ events: [{ id: '51', channel: 'chat.x', event: 'message', data: { text: 'again' } }], lastEventId: '51', reset: true }));
    setTimeout(() => res.end(JSON.stringify({ events: [], lastEventId: after, reset: false })), 50);
  });
  const got = [];
  const resets = [];
  const h = new Herald({ url: srv.base + '/api/events', channels: ['chat.x'], events: ['message'], mode: 'poll', pollWaitSeconds: 2, pollMinIntervalMs: 10 });
  h.on('chat.x', 'message', (d, m) => got.push([d.text, m.id, m.channel]));
  h.onReset((r) => resets.push(r));
  await waitFor(() => got.length === 2 && reqs.length >= 4);
  h.close();
  await srv.close();
  assert.equal(reqs[0].pathname, '/api/events/poll');
  assert.deepEqual(reqs[0].searchParams.getAll('channel'), ['chat.x']);
  assert.deepEqual(reqs[0].searchParams.getAll('event'), ['message']);
  assert.equal(reqs[0].searchParams.get('wait'), '0'); // no position yet: ask for it without waiting
  assert.equal(reqs[1].searchParams.get('wait'), '2');
  assert.deepEqual(reqs.slice(0, 4).map((u) => u.searchParams.get('after')), [null, '10', '11', '51']);
  assert.deepEqual(got, [['hi', '11', 'chat.x'], ['again', '51', 'chat.x']]);
  assert.equal(resets.length, 1);
  assert.equal(resets[0].resumeFrom, '51');
  assert.equal(h.stats.resets, 1);
});

/* ---------------- EventSource mode via a minimal fake EventSource ---------------- */

class FakeEventSource {
  static instances = [];
  constructor(url, init) {
    this.url = url;
    this.withCredentials = !!(init && init.withCredentials);
    this.readyState = 0;
    this.listeners = {};
    this.ctrl = new AbortController();
    FakeEventSource.instances.push(this);
    this._run();
  }
  addEventListener(t, fn) { (this.listeners[t] ||= []).push(fn); }
  _emit(t, ev) {
    if (this.readyState === 2 && t !== 'error') return;
    if (t === 'message' && this.onmessage) this.onmessage(ev);
    if (t === 'open' && this.onopen) this.onopen(ev);
    if (t === 'error' && this.onerror) this.onerror(ev);
    for (const fn of this.listeners[t] || []) fn(ev);
  }
  async _run() {
    try {
      const res = await fetch(this.url, { headers: { Accept: 'text/event-stream' }, signal: this.ctrl.signal });
      if (res.status !== 200 || !(res.headers.get('content-type') || '').startsWith('text/event-stream')) {
        this.readyState = 2;
        this._emit('error', { type: 'error' });
        return;
      }
      this.readyState = 1;
      this._emit('open', { type: 'open' });
      const p = new EventStreamParser({ onEvent: (e) => this._emit(e.type, { type: e.type, data: e.data, lastEventId: e.lastEventId }) });
      for await (const chunk of res.body) p.feed(chunk);
      this.readyState = 0;
      this._emit('error', { type: 'error' });
    } catch (_) {
      if (this.readyState !== 2) { this.readyState = 0; this._emit('error', { type: 'error' }); }
    }
  }
  close() { this.readyState = 2; this.ctrl.abort(); }
}

test('herald eventsource mode: access_token query, lastEventId query, probe 401 refreshes token', async () => {
  FakeEventSource.instances = [];
  const urls = [];
  let probeOrStream = 0;
  const srv = await startServer((req, res, u) => {
    urls.push(u);
    probeOrStream++;
    const tok = u.searchParams.get('access_token');
    if (tok !== 'good') { res.writeHead(401); res.end(); return; }
    sseHead(res);
    connected(res);
    send(res, '42', 'note', 'user.bob.notifications', { n: 1 });
  });
  const toks = ['bad', 'good'];
  const got = [];
  const h = new Herald({
    url: srv.base + '/api/events', channels: ['user.bob.notifications'], mode: 'eventsource', EventSource: FakeEventSource,
    backoff: fast, useServerRetry: false, getToken: () => toks.shift() || 'good', lastEventId: '40',
  });
  h.on('note', (d, m) => got.push([d.n, m.id, m.channel]));
  await waitFor(() => got.length === 1);
  h.close();
  await srv.close();
  // stream (401) -> probe (401) -> new EventSource with refreshed token
  assert.deepEqual(urls.map((u) => u.searchParams.get('access_token')), ['bad', 'bad', 'good']);
  assert.ok(urls.every((u) => u.searchParams.get('lastEventId') === '40'));
  assert.deepEqual(got, [[1, '42', 'user.bob.notifications']]);
  assert.equal(FakeEventSource.instances.length, 2);
  assert.equal(FakeEventSource.instances[1].readyState, 2);
});

test('herald auto mode: stream opens but no bytes arrive (buffering proxy) -> long polling', async () => {
  FakeEventSource.instances = [];
  const streamReqs = [];
  const pollReqs = [];
  const srv = await startServer((req, res, u) => {
    if (u.pathname === '/api/events') {
      streamReqs.push(u);
      sseHead(res);
      res.flushHeaders(); // headers, but the "proxy" holds every event
      return;
    }
    pollReqs.push(u);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const after = u.searchParams.get('after');
    // like Herald: no `after` answers the current position and no backlog
    if (after === null) return res.end(JSON.stringify({ events: [], lastEventId: '1', reset: false }));
    if (after === '1') return res.end(JSON.stringify({ events: [{ id: '2', channel: 'monitor', event: 'metrics', data: { cpu: 5 } }], lastEventId: '2', reset: false }));
    setTimeout(() => res.end(JSON.stringify({ events: [], lastEventId: after, reset: false })), 30);
  });
  const got = [];
  const states = [];
  const h = new Herald({
    url: srv.base + '/api/events', channels: ['monitor'], mode: 'auto', EventSource: FakeEventSource,
    openTimeoutMs: 150, backoff: fast, pollMinIntervalMs: 10,
  });
  h.onState((s, i) => states.push(s + ':' + i.reason));
  h.on('monitor', 'metrics', (d, m) => got.push([d.cpu, m.transport]));
  await waitFor(() => got.length === 1 && pollReqs.length >= 3);
  h.close();
  await srv.close();
  assert.equal(streamReqs.length, 1);
  assert.equal(streamReqs[0].searchParams.get('lastEventId'), '1', 'the stream opened from the pinned position');
  assert.equal(pollReqs[0].searchParams.get('wait'), '0');
  assert.deepEqual(got, [[5, 'poll']]);
  assert.equal(h.stats.fallbacks, 1);
  assert.ok(states.includes('polling:buffering-suspected'), states.join(','));
});

test('herald auto mode: not even headers arrive but a poll answers at once -> long polling, nothing lost', async () => {
  FakeEventSource.instances = [];
  const pollReqs = [];
  const srv = await startServer((req, res, u) => {
    if (u.pathname === '/api/events') return; // a compressing proxy: holds the headers too
    pollReqs.push(u);
    res.writeHead(200, { 'Content-Type': 'application/json' });
    const after = u.searchParams.get('after');
    if (after === null) return res.end(JSON.stringify({ events: [], lastEventId: '7', reset: false }));
    if (after === '7') return res.end(JSON.stringify({ events: [{ id: '8', channel: 'a', event: 'x', data: 1 }], lastEventId: '8', reset: false }));
    setTimeout(() => res.end(JSON.stringify({ events: [], lastEventId: after, reset: false })), 30);
  });
  const got = [];
  const states = [];
  const h = new Herald({
    url: srv.base + '/api/events', channels: ['a'], mode: 'auto', EventSource: FakeEventSource,
    openTimeoutMs: 150, backoff: fast, pollMinIntervalMs: 10,
  });
  h.onState((st, i) => states.push(st + ':' + i.reason));
  h.on('a', 'x', (d) => got.push(d));
  await waitFor(() => got.length === 1);
  h.close();
  await srv.close();
  assert.deepEqual(got, [1], 'the event published while the stream was held comes by polling');
  assert.ok(states.includes('polling:buffering-suspected'), states.join(','));
});

test('herald auto mode: a server that is down is retried, not polled', async () => {
  const srv = await startServer(() => {});
  const url = srv.base + '/api/events';
  await srv.close(); // connection refused from now on
  const h = new Herald({
    url, channels: ['a'], mode: 'auto', EventSource: FakeEventSource, backoff: fast, fallbackAfterFailures: 2,
  });
  await waitFor(() => h.stats.reconnects >= 4, 5000, 'several reconnects');
  assert.equal(h.transport, 'eventsource');
  assert.equal(h.stats.fallbacks, 0);
  h.close();
});

test('herald auto mode: no EventSource at all -> polling from the start', async () => {
  const srv = await startServer((req, res, u) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    setTimeout(() => res.end(JSON.stringify({ events: [], lastEventId: '1', reset: false })), 20);
  });
  const h = new Herald({ url: srv.base + '/api/events', channels: ['x'], mode: 'auto', EventSource: null, pollMinIntervalMs: 10 });
  await waitFor(() => h.stats.pollRequests >= 2);
  assert.equal(h.transport, 'poll');
  assert.equal(h.state, 'polling');
  h.close();
  await srv.close();
});

test('herald auto mode: repeated stream failures -> fallback after N failures', async () => {
  FakeEventSource.instances = [];
  let streams = 0;
  const srv = await startServer((req, res, u) => {
    if (u.pathname === '/api/events') { streams++; res.writeHead(502); res.end(); return; }
    res.writeHead(200, { 'Content-Type': 'application/json' });
    setTimeout(() => res.end(JSON.stringify({ events: [], lastEventId: '1', reset: false })), 20);
  });
  const h = new Herald({
    url: srv.base + '/api/events', channels: ['x'], mode: 'auto', EventSource: FakeEventSource,
    backoff: fast, fallbackAfterFailures: 3, probeOnError: false,
  });
  await waitFor(() => h.state === 'polling' && h.stats.pollRequests >= 1);
  h.close();
  await srv.close();
  assert.equal(streams, 3);
});

test('herald: publish posts {event,data} to /api/channels/{c}/events', async () => {
  let seen;
  const srv = await startServer((req, res, u) => {
    let body = '';
    req.on('data', (c) => { body += c; });
    req.on('end', () => {
      seen = { method: req.method, path: u.pathname, body: JSON.parse(body), ct: req.headers['content-type'] };
      res.writeHead(201, { 'Content-Type': 'application/json' });
      res.end('{"id":"9","channel":"chat.lobby","subscribers":2}');
    });
  });
  const h = new Herald({ url: srv.base + '/api/events', autoConnect: false });
  const r = await h.publish('chat.lobby', 'message', { text: 'yo' });
  await srv.close();
  assert.deepEqual(r, { id: '9', channel: 'chat.lobby', subscribers: 2 });
  assert.deepEqual(seen, { method: 'POST', path: '/api/channels/chat.lobby/events', body: { event: 'message', data: { text: 'yo' } }, ct: 'application/json' });
});

test('herald: on/off bookkeeping', () => {
  const h = new Herald({ url: 'http://127.0.0.1:1/api/events', autoConnect: false });
  const f = () => {};
  const g = () => {};
  h.on('a', 't', f).on('t', g).on('b', 'u', f);
  assert.equal(h._handlers.length, 3);
  h.off('t', g);
  assert.equal(h._handlers.length, 2);
  h.off('a', 't');
  assert.equal(h._handlers.length, 1);
  h.off();
  assert.equal(h._handlers.length, 0);
});
