import { Herald } from '../herald.js';
import { mountStatus, modeParam, param, segment, randomId, whenLive, $, h, hhmmss, demoToken } from '../badge.js';

const docId = segment(param('doc', 'demo'), 'demo');
const channel = 'doc.' + docId;
const me = randomId(8); // one id per window (stable across reconnects, unlike clientId)
const COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#008080', '#9a6324', '#800000'];
const colorOf = (id) => COLORS[[...String(id)].reduce((a, c) => (a * 31 + c.charCodeAt(0)) >>> 0, 7) % COLORS.length];
let myName = localStorage.getItem('herald.editor.name') || 'user-' + me.slice(0, 3);
$('#name').value = myName;
$('#docname').textContent = '“' + docId + '”';

const ta = $('#doc');
const mirror = $('#mirror');
const STORE = 'herald.editor.doc.' + docId;
const saved = JSON.parse(localStorage.getItem(STORE) || 'null');
let version = saved ? saved.version : 0; // Lamport-style clock of the text
let lastAuthor = saved ? saved.author : '';
ta.value = saved ? saved.text : '';

const peers = new Map(); // author -> {name, color, clientId, start, end, seen}
let sawContentAt = 0; // when the last remote content arrived (sync-request answers)

function log(text) {
  const el = $('#log');
  el.textContent = `${hhmmss()} ${text}\n` + el.textContent.slice(0, 5000);
}

const herald = new Herald({ url: 'api/events', channels: [channel], mode: modeParam(), getToken: demoToken });
mountStatus(herald);
window.herald = herald; // for the console and the browser tests

/* ---------------- publishing ---------------- */
const pub = (event, data, extra) => herald.publish(channel, event, { author: me, name: myName, color: colorOf(me), clientId: herald.clientId, ...data }, extra).catch((e) => log('publish failed: ' + e.message));

let editTimer = null;
ta.addEventListener('input', () => {
  clearTimeout(editTimer);
  editTimer = setTimeout(() => {
    version += 1;
    lastAuthor = me;
    localStorage.setItem(STORE, JSON.stringify({ text: ta.value, version, author: me }));
    pub('content', { text: ta.value, version });
    sendCursor(true);
  }, 120);
});

let cursorTimer = null;
let lastCursor = '';
function sendCursor(force) {
  clearTimeout(cursorTimer);
  cursorTimer = setTimeout(() => {
    const key = ta.selectionStart + ':' + ta.selectionEnd;
    if (!force && key === lastCursor) return;
    lastCursor = key;
    pub('cursor', { start: ta.selectionStart, end: ta.selectionEnd, version });
  }, 80);
}
for (const ev of ['keyup', 'click', 'select', 'focus']) ta.addEventListener(ev, () => sendCursor(false));
document.addEventListener('selectionchange', () => { if (document.activeElement === ta) sendCursor(false); });

/* ---------------- applying remote state ---------------- */
function applyRemoteText(text) {
  const old = ta.value;
  if (old === text) return;
  let p = 0;
  while (p < old.length && p < text.length && old[p] === text[p]) p++;
  let s = 0;
  while (s < old.length - p && s < text.length - p && old[old.length - 1 - s] === text[text.length - 1 - s]) s++;
  const map = (pos) => (pos <= p ? pos : pos >= old.length - s ? pos + (text.length - old.length) : p + (text.length - p - s));
  const focused = document.activeElement === ta;
  const a = map(ta.selectionStart);
  const b = map(ta.selectionEnd);
  const scroll = ta.scrollTop;
  ta.value = text;
  if (focused) ta.setSelectionRange(a, b);
  ta.scrollTop = scroll;
  // shift remote cursors too, until they report again
  for (const peer of peers.values()) { peer.start = map(peer.start); peer.end = map(peer.end); }
}

function touchPeer(d) {
  if (!d || !d.author || d.author === me) return null;
  let p = peers.get(d.author);
  if (!p) {
    p = { start: 0, end: 0 };
    peers.set(d.author, p);
    log((d.name || d.author) + ' joined');
  }
  p.name = d.name || p.name || d.author;
  p.color = d.color || colorOf(d.author);
  if (d.clientId) p.clientId = d.clientId;
  p.seen = Date.now();
  return p;
}

herald.on(channel, 'content', (d) => {
  if (!d || d.author === me) return;
  touchPeer(d);
  const v = Number(d.version) || 0;
  if (v > version || (v === version && String(d.author) > String(lastAuthor))) {
    clearTimeout(editTimer); // a newer remote version wins over an unsent local edit
    version = v;
    lastAuthor = d.author;
    applyRemoteText(String(d.text ?? ''));
    localStorage.setItem(STORE, JSON.stringify({ text: ta.value, version, author: lastAuthor }));
  }
  sawContentAt = Date.now();
  render();
});

herald.on(channel, 'cursor', (d) => {
  const p = touchPeer(d);
  if (!p) return;
  p.start = Math.max(0, Number(d.start) || 0);
  p.end = Math.max(p.start, Number(d.end) || p.start);
  render();
});

herald.on(channel, 'hello', (d) => {
  const p = touchPeer(d);
  if (!p || d.reply) return render();
  // a newcomer: introduce ourselves (reply, so it does not loop)
  pub('hello', { reply: true });
  render();
});

herald.on(channel, 'sync-request', (d) => {
  if (!d || d.author === me) return;
  touchPeer(d);
  const asked = Date.now();
  // answer after a small random delay unless another peer already answered
  setTimeout(() => { if (sawContentAt < asked && (version > 0 || ta.value)) pub('content', { text: ta.value, version, reply: true }); }, 50 + Math.random() * 250);
  render();
});

function dropPeer(match, why) {
  for (const [author, p] of peers) {
    if (match(author, p)) { peers.delete(author); log(p.name + ' ' + why); }
  }
  render();
}
herald.on(channel, 'bye', (d) => d && dropPeer((a) => a === d.author, 'left'));
// server presence (if the doc.* channels are presence channels)
herald.on(channel, 'leave', (d) => d && dropPeer((a, p) => p.clientId && p.clientId === d.clientId, 'left'));
herald.on(channel, 'join', (d) => { if (d && d.clientId !== herald.clientId) log('a client connected (' + String(d.subject || d.clientId).slice(0, 12) + ')'); });

herald.onConnected(() => {
  pub('hello', {});
  pub('sync-request', { version });
});
herald.onReset(() => { log('stream reset: asking peers for the current text'); pub('sync-request', { version }); });
whenLive(herald).then(() => { ta.disabled = false; }).catch(() => { ta.disabled = false; });

/* ---------------- rendering peers and remote cursors ---------------- */
const MIRROR_PROPS = ['fontFamily', 'fontSize', 'fontWeight', 'lineHeight', 'letterSpacing', 'tabSize', 'paddingTop', 'paddingRight',
  'paddingBottom', 'paddingLeft', 'borderTopWidth', 'borderRightWidth', 'borderBottomWidth', 'borderLeftWidth', 'borderStyle', 'boxSizing', 'textIndent'];

function render() {
  $('#peers').replaceChildren(
    h('span', { class: 'peer', style: `background:${colorOf(me)}` }, myName + ' (you)'),
    ...[...peers.values()].map((p) => h('span', { class: 'peer', style: `background:${p.color}` }, p.name)));

  const cs = getComputedStyle(ta);
  for (const k of MIRROR_PROPS) mirror.style[k] = cs[k];
  mirror.style.borderColor = 'transparent';
  mirror.style.width = ta.clientWidth + parseFloat(cs.borderLeftWidth) + parseFloat(cs.borderRightWidth) + 'px';
  const text = ta.value;
  const marks = [...peers.values()].map((p) => ({ ...p, start: Math.min(p.start, text.length), end: Math.min(p.end, text.length) }))
    .sort((a, b) => a.start - b.start);
  const parts = [];
  let pos = 0;
  for (const m of marks) {
    if (m.start < pos) continue; // overlapping selections: draw the first only
    parts.push(text.slice(pos, m.start));
    parts.push(h('span', { class: 'rc', style: `--c:${m.color}`, 'data-name': m.name }, '\u200b'));
    if (m.end > m.start) parts.push(h('span', { class: 'rs', style: `--c:${m.color}` }, text.slice(m.start, m.end)));
    pos = Math.max(m.start, m.end);
  }
  parts.push(text.slice(pos) + '\n');
  mirror.replaceChildren(...parts);
  mirror.scrollTop = ta.scrollTop;
}
ta.addEventListener('scroll', () => { mirror.scrollTop = ta.scrollTop; });
ta.addEventListener('input', render);
addEventListener('resize', render);

$('#name').addEventListener('change', () => {
  myName = $('#name').value.trim().slice(0, 24) || myName;
  localStorage.setItem('herald.editor.name', myName);
  pub('hello', { reply: true });
  render();
});
$('#second').addEventListener('click', () => window.open(location.href, '_blank', 'width=760,height=720'));
addEventListener('pagehide', () => pub('bye', {}, { keepalive: true }));
render();
