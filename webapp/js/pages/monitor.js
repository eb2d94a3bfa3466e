import { Herald } from '../herald.js';
import { mountStatus, modeParam, param, $, h, hhmmss, demoToken, demoFetch } from '../badge.js';
import { LineChart } from './chart.js';

const STATS_EVERY_MS = Number(param('statsEvery', 2000));
const cpuChart = new LineChart($('#cpu'), { min: 0, max: 100, unit: '%', color: '#d0342c' });
const memChart = new LineChart($('#mem'), { min: 0, max: 100, unit: '%', color: '#2f6fed' });
const chartA = new LineChart($('#chartA'), { color: '#0a8f4a', decimals: 0 });
const chartB = new LineChart($('#chartB'), { color: '#b86e00', decimals: 1 });

/* ---------------- pushed host metrics ---------------- */
const herald = new Herald({ url: 'api/events', channels: ['monitor'], events: ['metrics', 'alert'], mode: modeParam(), getToken: demoToken });
mountStatus(herald);
window.herald = herald; // for the console and the browser tests

const pct = (v) => (Number.isFinite(v) ? v.toFixed(1) + '%' : '–');
const bytes = (n) => {
  if (!Number.isFinite(n)) return '?';
  const u = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let i = 0;
  while (n >= 1024 && i < u.length - 1) { n /= 1024; i++; }
  return n.toFixed(i ? 1 : 0) + ' ' + u[i];
};

herald.on('monitor', 'metrics', (d) => {
  $('#hostnote').hidden = true;
  const cpu = Number(d.cpu ?? d.cpuPercent);
  let mem = Number(d.memoryPercent ?? d.memPercent);
  const m = d.memory && typeof d.memory === 'object' ? d.memory : null;
  if (!Number.isFinite(mem) && m && m.totalBytes) mem = (100 * Number(m.usedBytes)) / Number(m.totalBytes);
  if (!Number.isFinite(mem) && typeof d.memory === 'number') mem = d.memory;
  cpuChart.push(cpu);
  memChart.push(mem);
  $('#cpuv').textContent = pct(cpu);
  $('#memv').textContent = pct(mem);
  $('#memdetail').textContent = m ? `${bytes(Number(m.usedBytes))} of ${bytes(Number(m.totalBytes))}` +
    (d.load1 != null ? ` · load ${Number(d.load1).toFixed(2)}` : '') : '';
});

herald.on('monitor', 'alert', (d) => {
  const level = d.level || 'warning';
  const text = `${(d.level || 'warning').toUpperCase()}: ${d.message || ''}` + (d.metric ? ` (${d.metric}${d.value != null ? ' = ' + d.value : ''})` : '');
  const b = h('div', { class: 'banner ' + level, role: 'alert' },
    h('button', { class: 'close', 'aria-label': 'dismiss', onclick: () => b.remove() }, '×'),
    text, ' ', h('span', { class: 'muted' }, hhmmss(d.time || Date.now())));
  $('#alerts').prepend(b);
  while ($('#alerts').children.length > 6) $('#alerts').lastElementChild.remove();
  if (level === 'critical') {
    document.title = '⚠ CRITICAL – Herald monitor';
    if (navigator.vibrate) navigator.vibrate(200);
  } else {
    setTimeout(() => b.remove(), 20000);
  }
});
document.addEventListener('visibilitychange', () => { if (!document.hidden) document.title = 'Herald – monitor'; });

/* ---------------- polled Herald stats ---------------- */
function flatten(obj, prefix = '', out = new Map()) {
  if (obj && typeof obj === 'object' && !Array.isArray(obj)) {
    for (const [k, v] of Object.entries(obj)) flatten(v, prefix ? prefix + '.' + k : k, out);
  } else if (typeof obj === 'number') {
    out.set(prefix, obj);
  }
  return out;
}

const PREFER_A = [/^(active)?connections?(\.(active|current|open))?$/i, /connect|clients?$/i, /subscri/i];
const PREFER_B = [/publish/i, /deliver|sent|events/i];
let prev = null; // {t, values}
let keys = [];

function pick(list, preferences, fallbackIndex) {
  for (const re of preferences) {
    const k = list.find((x) => re.test(x));
    if (k) return k;
  }
  return list[fallbackIndex] || list[0] || '';
}

function fillSelect(sel, list, wanted) {
  const cur = sel.value || wanted;
  sel.replaceChildren(...list.map((k) => h('option', { value: k, selected: k === cur }, k)));
  if (list.includes(cur)) sel.value = cur;
}

function valueFor(key, rate, values, t) {
  const v = values.get(key);
  if (!rate) return v;
  if (!prev || !prev.values.has(key)) return null;
  const dt = (t - prev.t) / 1000;
  return dt > 0 ? Math.max(0, (v - prev.values.get(key)) / dt) : null;
}

async function pollStats() {
  try {
    const res = await demoFetch('api/stats', { headers: { Accept: 'application/json' }, cache: 'no-store' });
    if (!res.ok) throw new Error('HTTP ' + res.status);
    const values = flatten(await res.json());
    const t = Date.now();
    const list = [...values.keys()];
    if (list.join() !== keys.join()) {
      keys = list;
      fillSelect($('#selA'), keys, pick(keys, PREFER_A, 0));
      fillSelect($('#selB'), keys, pick(keys, PREFER_B, 1));
    }
    chartA.push(valueFor($('#selA').value, $('#rateA').checked, values, t));
    chartB.push(valueFor($('#selB').value, $('#rateB').checked, values, t));
    $('#kv').replaceChildren(...list.map((k) => h('tr', {}, h('td', {}, k), h('td', {}, String(values.get(k))))));
    $('#statsage').textContent = 'updated ' + hhmmss(t);
    prev = { t, values };
  } catch (e) {
    $('#statsage').textContent = 'stats unavailable (' + e.message + ')';
  }
}
for (const id of ['#selA', '#rateA']) $(id).addEventListener('change', () => chartA.clear());
for (const id of ['#selB', '#rateB']) $(id).addEventListener('change', () => chartB.clear());
pollStats();
setInterval(() => { if (!document.hidden) pollStats(); }, STATS_EVERY_MS);
