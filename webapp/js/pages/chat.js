import { Herald } from '../herald.js';
import { mountStatus, modeParam, param, segment, whenLive, $, h, toast, hhmmss, demoToken, demoFetch } from '../badge.js';

const me = { name: localStorage.getItem('herald.chat.name') || 'guest-' + Math.floor(Math.random() * 1000) };
$('#name').value = me.name;
$('#room').value = param('room', 'lobby');

let herald = null;
let unmount = () => {};
let channel = null;
const members = new Map(); // clientId -> {clientId, subject, name}
const names = new Map(); // clientId -> display name (learned from hello/here/message)

function line(text) {
  const box = $('#messages');
  box.append(h('div', { class: 'sys' }, text));
  box.scrollTop = box.scrollHeight;
}

function showMessage(d, meta) {
  const box = $('#messages');
  const mine = herald && d.clientId && d.clientId === herald.clientId;
  box.append(h('div', { class: 'msg' + (mine ? ' mine' : '') },
    h('div', { class: 'who' }, (d.user || 'anonymous') + ' · ' + hhmmss(d.time || Date.now())),
    String(d.text ?? '')));
  while (box.children.length > 500) box.firstElementChild.remove();
  box.scrollTop = box.scrollHeight;
}

function displayName(m) {
  return names.get(m.clientId) || m.subject || 'client ' + String(m.clientId || '?').slice(0, 6);
}

function renderMembers() {
  const list = [...members.values()].sort((a, b) => displayName(a).localeCompare(displayName(b)));
  $('#members').replaceChildren(...list.map((m) => h('li', {}, displayName(m) + (herald && m.clientId === herald.clientId ? ' (you)' : ''))));
  $('#count').textContent = String(list.length);
}

/** Presence list: accepts an array or {members|clients|subscribers|presence: [...]}. */
async function loadPresence() {
  try {
    const res = await demoFetch('api/channels/' + encodeURIComponent(channel) + '/presence', { headers: { Accept: 'application/json' } });
    if (!res.ok) return;
    const body = await res.json();
    const arr = Array.isArray(body) ? body : body.members || body.clients || body.subscribers || body.presence || [];
    members.clear();
    for (const m of arr) {
      const entry = typeof m === 'string' ? { clientId: m } : m;
      if (entry && entry.clientId) members.set(entry.clientId, entry);
    }
    if (herald && herald.clientId && !members.has(herald.clientId)) members.set(herald.clientId, { clientId: herald.clientId, subject: me.name });
    renderMembers();
  } catch (_) { /* presence is optional */ }
}

function join(name, room) {
  if (herald) { herald.close(); unmount(); }
  me.name = name;
  localStorage.setItem('herald.chat.name', name);
  channel = 'chat.' + segment(room, 'lobby');
  history.replaceState(null, '', '?room=' + encodeURIComponent(segment(room, 'lobby')) + (param('mode') ? '&mode=' + param('mode') : ''));
  $('#roomname').textContent = '#' + channel.slice(5);
  $('#messages').replaceChildren();
  members.clear();
  renderMembers();

  herald = new Herald({ url: 'api/events', channels: [channel], mode: modeParam(), getToken: demoToken });
  unmount = mountStatus(herald);
  window.herald = herald; // for the console and the browser tests

  herald.on(channel, 'message', showMessage);
  herald.on(channel, 'join', (d) => {
    if (!d || !d.clientId) return;
    members.set(d.clientId, d);
    renderMembers();
    if (d.clientId !== herald.clientId) line(displayName(d) + ' joined');
  });
  herald.on(channel, 'leave', (d) => {
    if (!d || !d.clientId) return;
    const m = members.get(d.clientId) || d;
    members.delete(d.clientId);
    renderMembers();
    line(displayName(m) + ' left');
  });
  // Name announcements: presence only knows client ids, so peers tell each other their names.
  herald.on(channel, 'hello', (d) => {
    if (!d || !d.clientId) return;
    names.set(d.clientId, d.user);
    if (!members.has(d.clientId)) members.set(d.clientId, { clientId: d.clientId });
    renderMembers();
    if (d.clientId !== herald.clientId) {
      line(d.user + ' is here');
      // answer directly, so the newcomer learns our name too
      herald.sendToClient(d.clientId, 'here', { clientId: herald.clientId, user: me.name, channel }).catch(() => {});
    }
  });
  herald.on('here', (d) => {
    if (!d || !d.clientId) return;
    names.set(d.clientId, d.user);
    if (!members.has(d.clientId)) members.set(d.clientId, { clientId: d.clientId });
    renderMembers();
  });
  herald.on(channel, 'bye', (d) => {
    if (!d || !d.clientId || !members.has(d.clientId)) return;
    line((names.get(d.clientId) || d.user) + ' left');
    members.delete(d.clientId);
    renderMembers();
  });
  herald.onConnected(async (info) => {
    names.set(info.clientId, me.name);
    await loadPresence();
    herald.publish(channel, 'hello', { clientId: info.clientId, user: me.name }).catch(() => {});
  });
  herald.onReset(() => { line('(the server was reset: member list reloaded, older messages may be missing)'); loadPresence(); });

  whenLive(herald).then(() => {
    $('#text').disabled = false;
    $('#sendbtn').disabled = false;
    $('#text').focus();
    line('joined ' + channel + ' as ' + me.name);
  }).catch(() => {});
}

$('#join').addEventListener('submit', (e) => {
  e.preventDefault();
  join($('#name').value.trim() || me.name, $('#room').value.trim() || 'lobby');
});

$('#send').addEventListener('submit', async (e) => {
  e.preventDefault();
  const text = $('#text').value.trim();
  if (!text || !herald) return;
  $('#text').value = '';
  try {
    await herald.publish(channel, 'message', { user: me.name, clientId: herald.clientId, text, time: Date.now() });
  } catch (err) {
    toast('Send failed: ' + err.message, 'error');
    $('#text').value = text;
  }
});

addEventListener('pagehide', () => {
  if (herald && herald.clientId) {
    herald.publish(channel, 'bye', { clientId: herald.clientId, user: me.name }, { keepalive: true }).catch(() => {});
  }
});

join(me.name, $('#room').value);
