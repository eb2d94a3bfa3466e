import { Herald } from '../herald.js';
import { mountStatus, modeParam, randomId, whenLive, $, h, toast, hhmmss, demoToken } from '../badge.js';

const jobs = new Map(); // jobId -> {el, bar, status, log, done}
const herald = new Herald({ url: 'api/events', channels: [], events: ['progress', 'log', 'done'], mode: modeParam(), getToken: demoToken, autoConnect: false });
mountStatus(herald);
window.herald = herald; // for the console and the browser tests

const activeChannels = () => [...jobs.entries()].filter(([, j]) => !j.done).map(([id]) => 'jobs.' + id);

/** Subscribe to the channels of all running jobs (resume=true: nothing published meanwhile is lost). */
function resubscribe() {
  const chans = activeChannels();
  if (chans.length === 0) { herald.close('idle'); return; }
  if (herald.state === 'closed') { herald.setChannels(chans, { resume: true }); herald.connect(); }
  else herald.setChannels(chans, { resume: true });
}

function jobIdOf(meta, d) {
  return (d && d.jobId) || (meta.channel || '').replace(/^jobs\./, '');
}

function view(id) {
  let j = jobs.get(id);
  if (j) return j;
  const bar = h('progress', { max: 100, value: 0 });
  const status = h('span', { class: 'status' }, 'starting…');
  const log = h('pre', { class: 'log' });
  const cancel = h('button', { class: 'secondary', type: 'button', onclick: () => cancelJob(id) }, 'Cancel');
  const el = h('div', { class: 'card job' },
    h('div', { class: 'row', style: 'justify-content:space-between' }, h('strong', {}, 'Job ' + id), cancel),
    bar, h('div', { class: 'muted' }, status), log);
  $('#jobs').prepend(el);
  j = { el, bar, status, log, cancel, done: false, lines: 0 };
  jobs.set(id, j);
  return j;
}

function appendLog(j, level, text, t) {
  const line = h('span', { class: 'lvl-' + (level || 'info') }, `${hhmmss(t || Date.now())} ${level ? level.toUpperCase() + ' ' : ''}${text}\n`);
  const stick = j.log.scrollTop + j.log.clientHeight >= j.log.scrollHeight - 4;
  j.log.append(line);
  if (++j.lines > 300) { j.log.firstChild.remove(); j.lines--; }
  if (stick) j.log.scrollTop = j.log.scrollHeight;
}

herald.on('jobs.*', 'progress', (d, meta) => {
  const j = jobs.get(jobIdOf(meta, d));
  if (!j || j.done) return;
  const percent = d.percent != null ? Number(d.percent) : d.total ? (100 * Number(d.step)) / Number(d.total) : 0;
  j.bar.value = Math.max(0, Math.min(100, percent));
  j.status.textContent = `${percent.toFixed(0)}%` + (d.step != null && d.total != null ? ` · step ${d.step}/${d.total}` : '') + (d.message ? ' · ' + d.message : '');
});

herald.on('jobs.*', 'log', (d, meta) => {
  const j = jobs.get(jobIdOf(meta, d));
  if (!j) return;
  appendLog(j, d.level, d.message ?? (typeof d === 'string' ? d : JSON.stringify(d)), d.time);
});

herald.on('jobs.*', 'done', (d, meta) => {
  const j = jobs.get(jobIdOf(meta, d));
  if (!j || j.done) return;
  j.done = true;
  const status = d.status || 'succeeded';
  j.el.classList.add('done-' + status);
  if (status === 'succeeded') j.bar.value = 100;
  j.status.textContent = status + (d.durationMs != null ? ` in ${(d.durationMs / 1000).toFixed(1)}s` : '') + (d.result != null ? ' · result: ' + JSON.stringify(d.result) : '') + (d.error ? ' · ' + d.error : '');
  j.cancel.remove();
  resubscribe();
});

herald.onReset(() => {
  for (const j of jobs.values()) if (!j.done) appendLog(j, 'warn', '(stream reset: some progress/log events were missed)');
});

async function cancelJob(id) {
  try {
    const res = await fetch('api/demo/jobs/' + encodeURIComponent(id), { method: 'DELETE' });
    if (!res.ok && res.status !== 404) throw new Error('HTTP ' + res.status);
  } catch (e) {
    toast('Cancel failed: ' + e.message, 'error');
  }
}

$('#start').addEventListener('submit', async (e) => {
  e.preventDefault();
  const id = randomId(10);
  const j = view(id);
  resubscribe();
  try {
    await whenLive(herald); // subscribed before the job can publish
  } catch (_) {
    appendLog(j, 'warn', 'stream not live yet, starting anyway');
  }
  try {
    const res = await fetch('api/demo/jobs', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ jobId: id, steps: Number($('#steps').value) || 20, stepMs: Number($('#stepms').value) || 300, fail: $('#fail').checked }),
    });
    const body = await res.json().catch(() => ({}));
    if (!res.ok) throw new Error(body.message || 'HTTP ' + res.status);
    if (body.jobId && body.jobId !== id) {
      // the server chose its own id: follow that channel instead (resume keeps anything already published)
      jobs.delete(id);
      jobs.set(String(body.jobId), j);
      j.el.querySelector('strong').textContent = 'Job ' + body.jobId;
      resubscribe();
    }
    appendLog(j, 'info', 'job accepted on channel ' + (body.channel || 'jobs.' + (body.jobId || id)));
  } catch (err) {
    j.done = true;
    j.status.textContent = 'could not start: ' + err.message;
    j.el.classList.add('done-failed');
    j.cancel.remove();
    resubscribe();
  }
});
