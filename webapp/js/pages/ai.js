import { Herald } from '../herald.js';
import { mountStatus, modeParam, randomId, whenLive, $, demoToken } from '../badge.js';

let current = null; // {herald, id}
let unmountPrev = () => {};

function finish(reason) {
  if (!current) return;
  current.herald.close(reason);
  $('#answer').classList.remove('streaming');
  $('#go').disabled = false;
  $('#stop').disabled = true;
  current = null;
}

$('#ask').addEventListener('submit', async (e) => {
  e.preventDefault();
  const prompt = $('#prompt').value.trim();
  if (!prompt) return;
  if (current) finish('replaced');
  const id = randomId(12);
  const channel = 'ai.' + id;
  const answer = $('#answer');
  answer.textContent = '';
  answer.classList.add('streaming');
  $('#go').disabled = true;
  $('#stop').disabled = false;

  const herald = new Herald({ url: 'api/events', channels: [channel], events: ['token', 'done', 'failed'], mode: modeParam(), getToken: demoToken });
  unmountPrev();
  unmountPrev = mountStatus(herald);
  current = { herald, id };
  window.herald = herald; // for the console and the browser tests
  const started = performance.now();
  let first = null;
  let tokens = 0;
  const meter = () => {
    const secs = (performance.now() - started) / 1000;
    $('#meter').textContent = `${tokens} tokens` + (first != null ? ` · first after ${(first / 1000).toFixed(2)}s` : '') + ` · ${secs.toFixed(1)}s`;
  };

  herald.on('ai.*', 'token', (d) => {
    if (first == null) first = performance.now() - started;
    tokens++;
    answer.append(typeof d === 'string' ? d : String(d.text ?? d.token ?? ''));
    meter();
  });
  herald.on('ai.*', 'done', (d) => {
    meter();
    if (d && d.reason && d.reason !== 'stop') $('#meter').textContent += ' · ' + d.reason;
    finish('done');
  });
  herald.on('ai.*', 'failed', (d) => {
    answer.append(`\n\n[error: ${(d && (d.message || d.error)) || 'generation failed'}]`);
    finish('failed');
  });
  herald.onReset(() => answer.append(' […stream reset, some tokens were lost…] '));

  try {
    await whenLive(herald); // subscribe before the generator starts publishing
  } catch (_) { /* try anyway */ }
  if (!current || current.id !== id) return;
  try {
    const res = await fetch('api/demo/ai', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ id, prompt }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.message || 'HTTP ' + res.status);
    if (body.id && String(body.id) !== id && current && current.id === id) {
      // the server chose its own id: follow that channel (resume keeps what was already published)
      current.id = String(body.id);
      herald.setChannels(['ai.' + body.id], { resume: true });
    }
  } catch (err) {
    answer.textContent = 'Could not start: ' + err.message;
    finish('failed');
  }
});

$('#stop').addEventListener('click', () => {
  if (!current) return;
  const id = current.id;
  finish('stopped');
  fetch('api/demo/ai/' + encodeURIComponent(id), { method: 'DELETE' }).catch(() => {});
});
