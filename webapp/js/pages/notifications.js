import { Herald } from '../herald.js';
import { mountStatus, modeParam, param, segment, randomId, $, h, toast, hhmmss, demoToken } from '../badge.js';

let user = segment(param('user', localStorage.getItem('herald.notify.user') || 'alice'), 'alice');
let channel = `user.${user}.notifications`;
const items = new Map(); // id -> {data, el, unread}
$('#name').value = user;

const herald = new Herald({ url: 'api/events', channels: [channel], events: ['notification', 'read'], mode: modeParam(), getToken: demoToken });
mountStatus(herald);
window.herald = herald; // for the console and the browser tests

function unreadCount() {
  let n = 0;
  for (const it of items.values()) if (it.unread) n++;
  return n;
}

function renderCount() {
  const n = unreadCount();
  const c = $('#count');
  c.textContent = n > 99 ? '99+' : String(n);
  c.hidden = n === 0;
  document.title = (n ? `(${n}) ` : '') + 'Herald – notifications';
  $('#none').hidden = items.size > 0;
}

function markRead(ids) {
  for (const id of ids) {
    const it = items.get(String(id));
    if (it && it.unread) { it.unread = false; it.el.classList.remove('unread'); }
  }
  renderCount();
}

function showPermission() {
  if (!('Notification' in window)) { $('#permstate').textContent = 'browser notifications not supported'; $('#perm').hidden = true; return; }
  $('#permstate').textContent = 'permission: ' + Notification.permission;
  $('#perm').hidden = Notification.permission !== 'default';
}

herald.on(channel, 'notification', (d, meta) => {
  const id = String(d.id ?? meta.id ?? randomId());
  if (items.has(id)) return;
  const el = h('li', { class: 'unread', dataset: { id } },
    h('div', {}, (d.level && d.level !== 'info' ? `[${d.level}] ` : '') + (d.title || 'Notification')),
    h('div', { class: 'muted' }, String(d.body ?? d.message ?? ''), ' · ', hhmmss(d.time || Date.now())));
  el.addEventListener('click', () => publishRead({ ids: [id] }));
  items.set(id, { data: d, el, unread: true });
  $('#notes').prepend(el);
  while (items.size > 100) {
    const [oldest] = items.keys();
    items.get(oldest).el.remove();
    items.delete(oldest);
  }
  renderCount();
  if ('Notification' in window && Notification.permission === 'granted') {
    try {
      const n = new Notification(d.title || 'Notification', { body: String(d.body ?? d.message ?? ''), tag: 'herald-' + id, icon: d.icon });
      n.onclick = () => { window.focus(); publishRead({ ids: [id] }); n.close(); };
    } catch (_) { /* some mobile browsers only allow notifications from a service worker */ }
  }
});

herald.on(channel, 'read', (d) => {
  if (d && d.all) markRead([...items.keys()]);
  else if (d && Array.isArray(d.ids)) markRead(d.ids);
});

herald.onReset(() => toast('Reconnected after a long gap: some notifications may be missing.'));

async function publishRead(data) {
  try {
    await herald.publish(channel, 'read', { ...data, time: Date.now() });
  } catch (e) {
    toast('Could not mark as read: ' + e.message, 'error');
  }
}

$('#readall').addEventListener('click', () => publishRead({ all: true }));
$('#bell').addEventListener('click', () => $('#notes').scrollIntoView({ behavior: 'smooth' }));
$('#perm').addEventListener('click', async () => {
  try { await Notification.requestPermission(); } catch (_) { /* ignore */ }
  showPermission();
});

$('#user').addEventListener('submit', (e) => {
  e.preventDefault();
  const next = segment($('#name').value, 'alice');
  if (next === user) return;
  herald.off(channel, 'notification');
  herald.off(channel, 'read');
  user = next;
  localStorage.setItem('herald.notify.user', user);
  location.search = '?user=' + encodeURIComponent(user) + (param('mode') ? '&mode=' + param('mode') : '');
});

$('#test').addEventListener('submit', async (e) => {
  e.preventDefault();
  const data = {
    id: randomId(12),
    title: $('#ttitle').value.trim() || 'Notification',
    body: $('#tbody').value.trim(),
    level: $('#tlevel').value,
    time: Date.now(),
  };
  try {
    await herald.publish(channel, 'notification', data);
  } catch (err) {
    toast('Send failed: ' + err.message, 'error');
  }
});

$('#channel').textContent = channel;
localStorage.setItem('herald.notify.user', user);
showPermission();
renderCount();
