// Tiny shared helpers for the demo pages: a live connection-state badge,
// plus a few DOM conveniences. No dependencies.

const LABELS = { connecting: 'connecting', open: 'live', polling: 'polling', closed: 'closed' };

/**
 * Keep `el` showing the state of a Herald client.
 * Adds classes badge badge--<state>; text like "live · eventsource".
 * Returns a function that detaches the badge.
 */
export function bindBadge(el, herald, { details = true } = {}) {
  if (!el) return () => {};
  el.classList.add('badge');
  el.setAttribute('role', 'status');
  el.setAttribute('aria-live', 'polite');
  let countdown = null;
  const render = (state, info) => {
    clearInterval(countdown);
    countdown = null;
    el.className = el.className.replace(/\bbadge--\w+\b/g, '').trim() + ' badge--' + state;
    const parts = [LABELS[state] || state];
    if (details && info) {
      if (info.mode && state !== 'closed') parts.push(info.mode);
      if (info.reason && !['connected', 'ok', 'initial'].includes(info.reason)) parts.push(info.reason);
    }
    const base = parts.join(' · ');
    el.textContent = base;
    if (info && info.retryAt && info.retryAt > Date.now()) {
      const tick = () => {
        const s = Math.max(0, (info.retryAt - Date.now()) / 1000);
        el.textContent = base + ' · retry in ' + s.toFixed(s < 10 ? 1 : 0) + 's';
        if (s <= 0) { clearInterval(countdown); countdown = null; }
      };
      tick();
      countdown = setInterval(tick, 200);
    }
    el.title = JSON.stringify({ state, ...info, stats: herald.stats }, null, 1);
  };
  const off = herald.onState(render);
  return () => { off(); clearInterval(countdown); };
}

/**
 * Keep `el` showing Herald's counters (events, reconnects, resets, last id).
 */
export function bindStats(el, herald, everyMs = 1000) {
  if (!el) return () => {};
  const render = () => {
    const s = herald.stats;
    el.textContent = `events ${s.eventsReceived} · reconnects ${s.reconnects} · resets ${s.resets}` +
      (s.fallbacks ? ` · fallbacks ${s.fallbacks}` : '') + ` · last id ${s.lastEventId ?? '–'}`;
  };
  render();
  const t = setInterval(render, everyMs);
  return () => clearInterval(t);
}

/** document.querySelector shorthand. */
export const $ = (sel, root = document) => root.querySelector(sel);

/** Create an element: h('div', {class: 'x', onclick: fn}, 'text', child). Text is never parsed as HTML. */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs || {})) {
    if (v == null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'class') el.className = v;
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  for (const c of children.flat()) {
    if (c == null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

/** Query-string parameter with a default. */
export function param(name, fallback = '') {
  const v = new URLSearchParams(location.search).get(name);
  return v == null || v === '' ? fallback : v;
}

/** Random id usable as a channel segment ([A-Za-z0-9_-]). */
export function randomId(len = 10) {
  const a = 'abcdefghijklmnopqrstuvwxyz0123456789';
  const bytes = crypto.getRandomValues(new Uint8Array(len));
  let s = '';
  for (const b of bytes) s += a[b % a.length];
  return s;
}

/** Make a string safe as one channel segment. */
export function segment(s, fallback = 'x') {
  const v = String(s || '').trim().replace(/[^A-Za-z0-9_:-]+/g, '-').replace(/^-+|-+$/g, '').slice(0, 40);
  return v || fallback;
}

/** Short transient message at the top of the page. */
export function toast(text, kind = 'info', ms = 4000) {
  let box = document.getElementById('toasts');
  if (!box) {
    box = h('div', { id: 'toasts', class: 'toasts', 'aria-live': 'polite' });
    document.body.append(box);
  }
  const t = h('div', { class: 'toast toast--' + kind }, text);
  box.append(t);
  setTimeout(() => t.remove(), ms);
  return t;
}

/** Time formatting for log lines. */
export function hhmmss(t = Date.now()) {
  const d = new Date(t);
  return d.toLocaleTimeString([], { hour12: false });
}

/** Bind #state (badge) and #stats (counters) of the current page to a Herald client. */
export function mountStatus(herald, root = document) {
  const offs = [bindBadge(root.querySelector('#state'), herald), bindStats(root.querySelector('#stats'), herald)];
  return () => offs.forEach((f) => f());
}

/** Transport mode chosen by ?mode=auto|eventsource|fetch|poll (default auto). */
export function modeParam() {
  const m = param('mode', 'auto');
  return ['auto', 'eventsource', 'fetch', 'poll'].includes(m) ? m : 'auto';
}

/** Resolves once the client has received `connected` (or is polling); rejects after ms. */
export function whenLive(herald, ms = 8000) {
  return new Promise((resolve, reject) => {
    if (herald.state === 'open') { resolve(herald.state); return; }
    let off = () => {};
    const t = setTimeout(() => { off(); reject(new Error('not connected after ' + ms + 'ms')); }, ms);
    off = herald.onState((s, info) => {
      if (s === 'open' || (s === 'polling' && info.reason === 'ok')) { clearTimeout(t); queueMicrotask(() => off()); resolve(s); }
    });
  });
}

/* ---------------- demo profile login ---------------- */

let demoSession = null; // {token, expiresAt} from the last demo login

/**
 * getToken for the demo pages: a short-lived token from the embedded server's demo login
 * (POST api/demo/login, demo profile only). Resolves null when the server has no demo login,
 * so the pages then run anonymously on whatever channels are public.
 */
export async function demoToken({ reason } = {}) {
  const fresh = demoSession && Date.parse(demoSession.expiresAt) - Date.now() > 10000;
  if (fresh && reason !== 'unauthorized') return demoSession;
  const name = localStorage.getItem('herald.chat.name') || undefined;
  const res = await fetch('api/demo/login', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    body: JSON.stringify(name ? { name } : {}),
  });
  if (!res.ok) { demoSession = null; return null; }
  const body = await res.json();
  demoSession = { token: body.token, expiresAt: body.expiresAt };
  return demoSession;
}

/** fetch with the demo token (when there is one), for the admin and presence views. */
export async function demoFetch(url, init = {}) {
  const session = await demoToken().catch(() => null);
  const headers = Object.assign({}, init.headers, session ? { Authorization: 'Bearer ' + session.token } : {});
  return fetch(url, Object.assign({}, init, { headers }));
}
