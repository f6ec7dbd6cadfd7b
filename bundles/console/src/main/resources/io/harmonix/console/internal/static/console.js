// The console's pages, drawn from the JSON API under /console/api (the same any script can read). No library and
// nothing from the network: the graph is SVG drawn here from the layered layout the server computes.
'use strict';
const main = document.getElementById('main');
const path = location.pathname.replace(/^\/console\/?/, '').split('/').filter(Boolean).map(decodeURIComponent);
const COLOURS = { pending: '#eeeeee', running: '#9ecbff', succeeded: '#a7e3a1', failed: '#f4a3a3',
  skipped: '#fff2a8', cancelled: '#cccccc' };

function esc(v) {
  return String(v == null ? '' : v).replace(/[&<>"']/g, c => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;',
    '"': '&quot;', "'": '&#39;' })[c]);
}
function token() { return sessionStorage.getItem('harmonix-console-token') || ''; }
function headers() { return token() ? { Authorization: 'Bearer ' + token() } : {}; }

async function api(url, options) {
  const r = await fetch('/console/api/' + url, Object.assign({ headers: headers() }, options || {}));
  const body = await r.json().catch(() => ({ error: 'not JSON (' + r.status + ')' }));
  if (!r.ok) { const e = new Error(body.error || r.statusText); e.status = r.status; throw e; }
  return body;
}
function fail(e) {
  main.insertAdjacentHTML('afterbegin', '<div class="error" id="error">' + esc(e.status || '') + ' '
    + esc(e.message) + '</div>');
}
function pager(page, go) {
  const div = document.createElement('div');
  div.className = 'pager';
  // a page without a total (findings: counting them would read everything) says whether there are more
  const known = page.total !== undefined;
  const last = page.offset + page.items.length;
  div.innerHTML = `<button ${page.offset === 0 ? 'disabled' : ''}>previous</button>`
    + `<button ${(known ? page.offset + page.limit >= page.total : !page.more) ? 'disabled' : ''}>next</button>`
    + `<span>${page.items.length === 0 ? 0 : page.offset + 1}–${last}${known ? ' of ' + page.total : page.more ? ' and more' : ''}</span>`;
  const [prev, next] = div.querySelectorAll('button');
  prev.onclick = () => go(Math.max(0, page.offset - page.limit));
  next.onclick = () => go(page.offset + page.limit);
  return div;
}

// The live badge of a page: on while its stream runs; a stream the server dropped (this page fell too far behind)
// is not reopened by the browser: the page says so, and a reload shows what it missed.
function live(events) {
  events.addEventListener('hello', () => { document.getElementById('live').textContent = '● live'; });
  events.addEventListener('dropped', ev => {
    events.close();
    document.getElementById('live').textContent = '○ ' + JSON.parse(ev.data).reason;
  });
}

// --- runs ---------------------------------------------------------------------------------------------------
async function runsPage(offset) {
  const page = await api('runs?limit=50&offset=' + offset);
  main.innerHTML = '<h1>Runs <span class="live" id="live"></span></h1><table id="runs"><tr><th>run</th><th>state</th>'
    + '<th>cycles</th><th>failed entries</th><th>started</th><th>ended</th></tr>'
    + page.items.map(r => `<tr data-run="${esc(r.runId)}"><td><a href="/console/runs/${encodeURIComponent(r.runId)}">${esc(r.runId)}</a></td>`
      + `<td class="state">${esc(r.state)}</td><td class="completed">${r.completedCycles}</td><td>${r.failedEntries}</td>`
      + `<td>${esc(r.startedAt)}</td><td>${esc(r.endedAt || '')}</td></tr>`).join('') + '</table>';
  main.appendChild(pager(page, runsPage));
}
function followRuns() {
  const events = new EventSource('/console/api/runs/events');
  let pending = null;
  live(events);
  events.addEventListener('cycle-event', ev => {
    const e = JSON.parse(ev.data);
    const row = document.querySelector(`tr[data-run="${CSS.escape(e.runId)}"]`);
    if (row && e.type === 'CYCLE_COMPLETED') { row.querySelector('.completed').textContent = e.cycle; }
    if (!row || e.type.startsWith('RUN_')) {
      clearTimeout(pending);
      pending = setTimeout(() => runsPage(0).then(() => { document.getElementById('live').textContent = '● live'; }), 300);
    }
  });
}

function cycleRow(c) {
  return `<tr id="cycle-${c.cycle}" data-cycle="${c.cycle}"><td>${c.cycle}</td><td class="status-${esc(c.status)}">${esc(c.status)}</td>`
    + `<td>${esc(c.startedAt)}</td><td>${esc(c.endedAt)}</td><td>${c.agents.map(a => esc(a.agentId) + ': '
      + esc(a.status) + ' ' + a.durationMillis + ' ms' + (a.error ? ' (' + esc(a.error) + ')' : '')).join('<br>')}</td></tr>`;
}
async function runPage(runId) {
  const [run, cycles] = await Promise.all([api('runs/' + encodeURIComponent(runId)),
    api('runs/' + encodeURIComponent(runId) + '/cycles?limit=50')]);
  main.innerHTML = `<h1>Run ${esc(run.runId)} <span class="live" id="live"></span></h1><table id="run-info"></table>`
    + `<h2>Cycles</h2><table id="cycles"><thead><tr><th>cycle</th><th>status</th><th>started</th><th>ended</th><th>agents</th></tr></thead>`
    + `<tbody>${cycles.items.map(cycleRow).join('')}</tbody></table><p>${cycles.total} retained cycles; the newest 50 shown, `
    + `new ones added as they end (<a href="/console/api/runs/${encodeURIComponent(runId)}/cycles?limit=50&offset=50">older, JSON</a>; `
    + `<a id="states-link" href="/console/states/${encodeURIComponent(runId)}">the agents' states</a>).</p>`;
  showRun(run);
  const last = cycles.items.length ? cycles.items[0].cycle : 0;
  const events = new EventSource(`/console/api/runs/${encodeURIComponent(runId)}/events?after=${last}`);
  live(events);
  events.addEventListener('cycle-event', ev => {
    const e = JSON.parse(ev.data);
    if (e.type === 'CYCLE_COMPLETED' && e.snapshot && !document.getElementById('cycle-' + e.cycle)) {
      const body = document.querySelector('#cycles tbody');
      body.insertAdjacentHTML('afterbegin', cycleRow(e.snapshot));
      while (body.rows.length > 200) { body.deleteRow(body.rows.length - 1); }
    }
    if (e.type !== 'CYCLE_STARTED') { api('runs/' + encodeURIComponent(runId)).then(showRun); }
  });
}
function showRun(run) {
  const rows = [['state', run.state], ['agents', run.agentIds.join(', ') || 'all'], ['cycles', run.cycles < 0 ? 'until stopped' : run.cycles],
    ['completed', run.completedCycles], ['failed entries', run.failedEntries], ['interval', run.interval],
    ['started', run.startedAt], ['ended', run.endedAt || ''], ['message', run.message || '']];
  document.getElementById('run-info').innerHTML = rows.map(([k, v]) => `<tr><th>${k}</th><td id="run-${k.replace(' ', '-')}">${esc(v)}</td></tr>`).join('');
}

// --- workflow instances -------------------------------------------------------------------------------------
async function instancesPage(offset) {
  const page = await api('instances?limit=50&offset=' + offset);
  main.innerHTML = '<h1>Workflow instances</h1><table id="instances"><tr><th>instance</th><th>workflow</th><th>state</th>'
    + '<th>tasks</th><th>started</th><th>ended</th></tr>' + page.items.map(i => `<tr><td><a href="/console/instances/${encodeURIComponent(i.id)}">${esc(i.id)}</a></td>`
      + `<td>${esc(i.workflow)} ${esc(i.version)}</td><td>${esc(i.state)}</td><td>${i.tasks}</td><td>${esc(i.startedAt)}</td><td>${esc(i.endedAt || '')}</td></tr>`).join('')
    + '</table>';
  main.appendChild(pager(page, instancesPage));
}
const W = 150, H = 36, GX = 20, GY = 40;
async function instancePage(id) {
  const g = await api('instances/' + encodeURIComponent(id) + '/graph');
  const at = {};
  g.nodes.forEach(n => { at[n.id] = { x: 10 + n.column * (W + GX), y: 10 + n.layer * (H + GY) }; });
  const width = 20 + Math.max(1, g.columns) * (W + GX), height = 20 + Math.max(1, g.layers) * (H + GY);
  const edges = g.edges.filter(([a, b]) => at[a] && at[b]).map(([a, b]) =>
    `<line x1="${at[a].x + W / 2}" y1="${at[a].y + H}" x2="${at[b].x + W / 2}" y2="${at[b].y - 2}"></line>`).join('');
  const nodes = g.nodes.map(n => `<g class="task" id="task-${esc(n.id)}" data-task="${esc(n.id)}" data-state="${esc(n.state)}">`
    + `<rect x="${at[n.id].x}" y="${at[n.id].y}" width="${W}" height="${H}" fill="${COLOURS[n.state]}"><title>${esc(n.id)}: ${esc(n.state)}${n.reason ? ' — ' + esc(n.reason) : ''}</title></rect>`
    + `<text x="${at[n.id].x + 6}" y="${at[n.id].y + 15}">${esc(n.id.length > 22 ? n.id.slice(0, 21) + '…' : n.id)}</text>`
    + `<text class="state" x="${at[n.id].x + 6}" y="${at[n.id].y + 29}">${esc(n.state)}</text></g>`).join('');
  main.innerHTML = `<h1>Instance ${esc(g.instance)} <span class="live" id="live"></span></h1>`
    + `<p>${esc(g.workflow)} ${esc(g.version)} — <span id="instance-state">${esc(g.state)}</span>; ${g.nodes.length} tasks. `
    + Object.entries(COLOURS).map(([s, c]) => `<span style="background:${c};padding:0 6px">${s}</span>`).join(' ') + '</p>'
    + `<div class="graph"><svg id="graph" width="${width}" height="${height}" xmlns="http://www.w3.org/2000/svg">`
    + '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="6" markerHeight="6" orient="auto">'
    + '<path d="M0,0L10,5L0,10z" fill="#999"/></marker></defs>' + edges + nodes + '</svg></div>';
  const events = new EventSource(`/console/api/instances/${encodeURIComponent(id)}/events`);
  live(events);
  events.addEventListener('instance', ev => {
    const e = JSON.parse(ev.data);
    document.getElementById('instance-state').textContent = e.state;
    for (const [task, state] of Object.entries(e.tasks)) {
      const node = document.getElementById('task-' + task);
      if (node && node.dataset.state !== state) {
        node.dataset.state = state;
        node.querySelector('rect').setAttribute('fill', COLOURS[state]);
        node.querySelector('text.state').textContent = state;
      }
    }
  });
}

// --- findings -----------------------------------------------------------------------------------------------
async function findingsPage(offset) {
  const page = await api('findings?limit=50&offset=' + offset);
  main.innerHTML = '<h1>Findings</h1><p><a id="sarif" href="/console/api/findings.sarif" download>Download SARIF 2.1.0</a></p>'
    + '<table id="findings"><tr><th>severity</th><th>rule</th><th>where</th><th>message</th><th>agent</th><th>status</th></tr>'
    + page.items.map(r => `<tr><td>${esc(r.finding.severity)}</td><td>${esc(r.finding.ruleId)}</td>`
      + `<td><a class="finding" href="/console/findings/${encodeURIComponent(r.fingerprint)}?run=${encodeURIComponent(r.runId)}">${esc(r.finding.location.file)}:${r.finding.location.line}</a></td>`
      + `<td>${esc(r.finding.message)}</td><td>${esc(r.agentId)}</td><td>${esc(r.status)}</td></tr>`).join('') + '</table>';
  main.appendChild(pager(page, findingsPage));
}
async function findingPage(fp) {
  const run = new URLSearchParams(location.search).get('run');
  const r = await api('findings/' + encodeURIComponent(fp) + (run ? '?run=' + encodeURIComponent(run) : ''));
  const f = r.finding;
  main.innerHTML = `<h1>${esc(f.ruleId)} <small>${esc(f.severity)}</small></h1><p id="message">${esc(f.message)}</p>`
    + `<table><tr><th>file</th><td id="location">${esc(f.location.file)}:${f.location.line}${f.location.endLine > f.location.line ? '-' + f.location.endLine : ''}</td></tr>`
    + `<tr><th>agent</th><td>${esc(r.agentId)} (${esc(f.agentType)}), run <a href="/console/runs/${encodeURIComponent(r.runId)}">${esc(r.runId)}</a> cycle ${r.cycle}</td></tr>`
    + `<tr><th>commit</th><td>${esc(r.commit || '')}</td></tr><tr><th>status</th><td>${esc(r.status)}</td></tr>`
    + `<tr><th>risk</th><td>${esc(f.risk)}</td></tr><tr><th>fingerprint</th><td>${esc(r.fingerprint)}</td></tr></table>`
    + `<h2>Code</h2><pre class="excerpt" id="excerpt">${esc(f.evidence)}</pre>`;
}

// --- autonomy -----------------------------------------------------------------------------------------------
async function autonomyPage() {
  const a = await api('autonomy');
  const t = a.toggles;
  main.innerHTML = '<h1>Autonomy</h1><table id="toggles">'
    + [['enabled', t.enabled], ['automergeEnabled', t.automergeEnabled], ['maxChangesPerDay', t.maxChangesPerDay],
      ['quarantineMode', t.quarantineMode], ['quarantineReason', t.quarantineReason || ''], ['shippedToday', a.status.shippedToday]]
      .map(([k, v]) => `<tr><th>${k}</th><td id="toggle-${k}">${esc(v)}</td></tr>`).join('') + '</table>'
    + '<h2>Change</h2><p>Changing needs the console token (<code>etc/console.token</code>); each change is recorded as a decision.</p>'
    + `<p><label>Token <input id="token" type="password" size="40" value="${esc(token())}"></label></p>`
    + '<p><button id="toggle-enabled-btn">switch enabled</button> <button id="toggle-automerge-btn">switch automerge</button></p>'
    + '<p><label>Reason <input id="reason" size="40"></label> <button id="quarantine-on">quarantine on</button> <button id="quarantine-off">quarantine off</button></p>'
    + '<div id="control-result"></div><h2>Latest decisions</h2><table id="decisions"></table>';
  api('autonomy/decisions?limit=10').then(d => {
    document.getElementById('decisions').innerHTML = '<tr><th>at</th><th>decision</th><th>outcome</th><th>reasons</th><th>id</th></tr>'
      + d.items.map(x => `<tr><td>${esc(x.at)}</td><td>${esc(x.decision)}</td><td>${esc(x.outcome)}</td>`
        + `<td>${x.reasons.map(esc).join('<br>')}</td><td>${esc(x.id)}</td></tr>`).join('');
  }).catch(e => { document.getElementById('decisions').innerHTML = `<tr><td class="error">${esc(e.message)}</td></tr>`; });
  const send = async (url, body) => {
    sessionStorage.setItem('harmonix-console-token', document.getElementById('token').value.trim());
    const out = document.getElementById('control-result');
    try {
      await api(url, { method: 'POST', headers: Object.assign({ 'Content-Type': 'application/json' }, headers()), body: JSON.stringify(body) });
      await autonomyPage();
      document.getElementById('control-result').innerHTML = '<div class="ok" id="control-ok">done, recorded as a decision</div>';
    } catch (e) {
      out.innerHTML = `<div class="error" id="control-error" data-status="${e.status}">${e.status} ${esc(e.message)}</div>`;
    }
  };
  document.getElementById('toggle-enabled-btn').onclick = () => send('autonomy/toggles/enabled', { value: String(!t.enabled) });
  document.getElementById('toggle-automerge-btn').onclick = () => send('autonomy/toggles/automergeEnabled', { value: String(!t.automergeEnabled) });
  const reason = () => document.getElementById('reason').value;
  document.getElementById('quarantine-on').onclick = () => send('autonomy/quarantine', { on: true, reason: reason() });
  document.getElementById('quarantine-off').onclick = () => send('autonomy/quarantine', { on: false, reason: reason() });
}

// --- login: beyond loopback a browser shows the token once, for a session cookie (HttpOnly, SameSite=Strict) ----
function loginPage(why) {
  main.innerHTML = '<h1>Log in</h1>' + (why ? `<div class="error" id="error">${esc(why)}</div>` : '')
    + '<p>The console token is in <code>etc/console.token</code> of the runtime. A session lasts 8 hours.</p>'
    + '<form id="login"><label>Token <input id="login-token" type="password" size="44" autocomplete="off"></label> '
    + '<button type="submit">log in</button></form>';
  document.getElementById('login').onsubmit = async ev => {
    ev.preventDefault();
    const r = await fetch('/console/login', { method: 'POST', headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: document.getElementById('login-token').value.trim() }) });
    if (r.ok) {
      location.href = path[0] === 'login' ? '/console/runs' : location.href;
    } else {
      const body = await r.json().catch(() => ({}));
      loginPage(r.status + ' ' + (body.error || r.statusText));
    }
  };
  return Promise.resolve();
}

// --- logout: the session ends on the server (its cookie cleared) and the token this tab was given is forgotten ----
document.getElementById('logout').onclick = async () => {
  sessionStorage.removeItem('harmonix-console-token');
  const r = await fetch('/console/logout', { method: 'POST' });
  main.innerHTML = r.ok ? '<div class="ok" id="logged-out">logged out</div>'
    : `<div class="error" id="error">${esc(r.status)} ${esc(r.statusText)}</div>`;
};

const pages = {
  login: () => loginPage(''),
  runs: () => path[1] ? runPage(path[1]) : runsPage(0).then(followRuns),
  instances: () => path[1] ? instancePage(path[1]) : instancesPage(0),
  findings: () => path[1] ? findingPage(path[1]) : findingsPage(0),
  autonomy: autonomyPage,
};
for (const [name, draw] of Object.entries(window.harmonixPages || {})) { pages[name] = () => draw(path); } // pages.js
(pages[path[0]] || pages.runs)().then(() => { document.body.dataset.ready = 'true'; })
  .catch(e => { main.innerHTML = ''; if (e.status === 401) { loginPage(e.message); } else { fail(e); }
    document.body.dataset.ready = 'true'; });
