import { Herald } from '../herald.js';
import { mountStatus, modeParam, $, h, toast, demoToken } from '../badge.js';

const DEFAULT = ['AAPL', 'MSFT', 'GOOG', 'AMZN', 'TSLA', 'NVDA'];
const KEY = 'herald.stocks';
let known = JSON.parse(localStorage.getItem(KEY + '.known') || 'null') || DEFAULT.slice();
let selected = new Set(JSON.parse(localStorage.getItem(KEY + '.selected') || 'null') || DEFAULT.slice(0, 4));
const last = new Map(); // symbol -> last price
const cards = new Map(); // symbol -> element

const channelsFor = () => [...[...selected].map((s) => 'stocks.' + s), 'stocks.market'];

const herald = new Herald({ url: 'api/events', channels: channelsFor(), events: ['price', 'alert'], mode: modeParam(), getToken: demoToken });
mountStatus(herald);
window.herald = herald; // for the console and the browser tests

function save() {
  localStorage.setItem(KEY + '.known', JSON.stringify(known));
  localStorage.setItem(KEY + '.selected', JSON.stringify([...selected]));
}

function renderSymbols() {
  const box = $('#symbols');
  box.replaceChildren(...known.map((s) => h('label', {},
    h('input', { type: 'checkbox', checked: selected.has(s), onchange: (e) => toggle(s, e.target.checked) }), s)));
}

function toggle(sym, on) {
  if (on) selected.add(sym); else selected.delete(sym);
  save();
  if (!on && cards.has(sym)) { cards.get(sym).remove(); cards.delete(sym); }
  herald.setChannels(channelsFor()); // resubscribe, no backlog
}

$('#add').addEventListener('submit', (e) => {
  e.preventDefault();
  const s = $('#newsym').value.trim().toUpperCase().replace(/[^A-Z0-9_-]/g, '');
  $('#newsym').value = '';
  if (!s) return;
  if (!known.includes(s)) known.push(s);
  selected.add(s);
  save();
  renderSymbols();
  herald.setChannels(channelsFor());
});

function card(sym) {
  let c = cards.get(sym);
  if (!c) {
    c = h('div', { class: 'card quote' },
      h('span', { class: 'sym' }, sym),
      h('span', { class: 'price' }, '–'),
      h('span', { class: 'chg' }, ''),
      h('span', { class: 'muted time' }, ''));
    cards.set(sym, c);
    const all = [...cards.keys()].sort();
    const next = all[all.indexOf(sym) + 1];
    $('#quotes').insertBefore(c, next ? cards.get(next) : null);
  }
  return c;
}

const fmt = (n, d = 2) => (typeof n === 'number' && isFinite(n) ? n.toFixed(d) : '–');

herald.on('stocks.*', 'price', (d, meta) => {
  const sym = String(d.symbol || (meta.channel || '').split('.')[1] || '?').toUpperCase();
  if (!selected.has(sym)) return;
  $('#empty').hidden = true;
  const price = Number(d.price);
  const prev = last.get(sym);
  last.set(sym, price);
  const c = card(sym);
  c.querySelector('.price').textContent = fmt(price, d.decimals ?? 2);
  const change = d.change != null ? Number(d.change) : prev != null ? price - prev : 0;
  const pct = d.changePercent != null ? Number(d.changePercent) : null;
  c.querySelector('.chg').textContent = (change >= 0 ? '▲ +' : '▼ ') + fmt(change) + (pct != null ? ` (${pct >= 0 ? '+' : ''}${fmt(pct)}%)` : '');
  c.querySelector('.time').textContent = new Date(d.time || Date.now()).toLocaleTimeString();
  c.classList.toggle('up', change >= 0);
  c.classList.toggle('down', change < 0);
  if (prev != null && price !== prev) {
    const cls = price > prev ? 'flash-up' : 'flash-down';
    c.classList.remove('flash-up', 'flash-down');
    void c.offsetWidth; // restart the transition
    c.classList.add(cls);
    setTimeout(() => c.classList.remove(cls), 250);
  }
});

herald.on('alert', (d, meta) => {
  const level = d.level || 'warning';
  const text = (d.symbol ? d.symbol + ': ' : '') + (d.message || JSON.stringify(d));
  const b = h('div', { class: 'banner ' + level, role: 'alert' },
    h('button', { class: 'close', 'aria-label': 'dismiss', onclick: () => b.remove() }, '×'),
    text, ' ', h('span', { class: 'muted' }, new Date(d.time || Date.now()).toLocaleTimeString()));
  $('#alerts').prepend(b);
  while ($('#alerts').children.length > 5) $('#alerts').lastElementChild.remove();
  if (level !== 'critical') setTimeout(() => b.remove(), 15000);
});

herald.onReset(() => toast('Stream was reset: prices resume from now.'));
renderSymbols();
