// The console's pages over the other bundles' services (agent state history, the index, waves, the fleet, the backlog
// ledger, change requests), each drawn from its JSON API under /console/api. Loaded before console.js, which holds the
// helpers they call (api, esc, pager) and dispatches to window.harmonixPages by the path's first segment.
'use strict';

/** A pager for a list whose length is not known: previous, next while the API says there is more. */
function morePager(w, go) {
  const div = document.createElement('div');
  div.className = 'pager';
  div.innerHTML = `<button ${w.offset === 0 ? 'disabled' : ''}>previous</button><button ${w.more ? '' : 'disabled'}>next</button>`
    + `<span>${w.items.length ? (w.offset + 1) + '–' + (w.offset + w.items.length) : 'none'}</span>`;
  const [prev, next] = div.querySelectorAll('button');
  prev.onclick = () => go(Math.max(0, w.offset - w.limit));
  next.onclick = () => go(w.offset + w.limit);
  return div;
}
function table(id, head, rows) {
  return `<table id="${id}"><tr>${head.map(h => '<th>' + esc(h) + '</th>').join('')}</tr>${rows.join('')}</table>`;
}
function facts(id, pairs) {
  return `<table id="${id}">` + pairs.map(([k, v]) => `<tr><th>${esc(k)}</th><td id="${id}-${k.replace(/ /g, '-')}">${v}</td></tr>`).join('') + '</table>';
}
const link = (href, text, cls) => `<a ${cls ? 'class="' + cls + '" ' : ''}href="${href}">${esc(text)}</a>`;
const enc = encodeURIComponent;
const short = sha => sha ? esc(String(sha).slice(0, 12)) : '';
const query = name => new URLSearchParams(location.search).get(name);

// --- agent state history ------------------------------------------------------------------------------------
async function statesPage(runId) {
  const latest = await api('runs/' + enc(runId) + '/cycles?limit=1');
  const agents = latest.items.length ? latest.items[0].agents.map(a => a.agentId) : [];
  const agent = query('agent') || agents[0];
  main.innerHTML = `<h1>Agent states of run ${link('/console/runs/' + enc(runId), runId)}</h1>`
    + `<p id="agents">${agents.map(a => link(`/console/states/${enc(runId)}?agent=${enc(a)}`, a, a === agent ? 'agent current' : 'agent')).join(' ')}</p>`
    + '<div id="history"></div>';
  if (!agent) { main.insertAdjacentHTML('beforeend', '<p id="no-agents">The run has no committed cycle yet.</p>'); return; }
  const draw = async offset => {
    const w = await api(`states/${enc(runId)}/${enc(agent)}?limit=20&offset=${offset}`);
    const div = document.getElementById('history');
    div.innerHTML = `<h2>${esc(agent)}: its state after each cycle, newest first</h2>`
      + table('states', ['cycle', 'version', 'saved', 'state'], w.items.map(s => `<tr id="state-${s.cycle}" data-cycle="${s.cycle}">`
        + `<td>${s.cycle}</td><td>${s.stateVersion}</td><td>${esc(s.savedAt)}</td><td><pre class="state">${esc(JSON.stringify(s.state, null, 1))}</pre></td></tr>`));
    div.appendChild(morePager(w, draw));
  };
  await draw(0);
}

// --- the index ----------------------------------------------------------------------------------------------
async function indexPage() {
  const x = await api('index');
  main.innerHTML = '<h1>Cycle index</h1><p>The local namespace is <strong id="local">' + esc(x.local) + '</strong>.</p>'
    + table('namespaces', ['namespace', 'tree size', 'held', 'segments', 'bytes', 'pruned', 'root (tree head)'],
      x.namespaces.map(n => `<tr data-namespace="${esc(n.namespace)}"><td>${link('/console/index/' + enc(n.namespace), n.namespace)}</td>`
        + `<td>${n.treeSize}</td><td>${n.records}</td><td>${n.segments}</td><td>${n.bytes}</td><td>${n.prunedRecords}</td><td><code>${esc(n.root)}</code></td></tr>`));
}
async function namespacePage(ns) {
  const x = await api('index/' + enc(ns));
  const s = x.stats;
  main.innerHTML = `<h1>Namespace ${esc(ns)}</h1>` + facts('head', [['tree size', s.treeSize], ['held', s.records],
    ['root', `<code>${esc(s.root)}</code>`], ['segments', s.segments], ['bytes', s.bytes]])
    + '<p><button id="verify">verify</button> (reads every record: CRCs, the Merkle root, the manifest)</p><div id="verify-result"></div>'
    + '<h2>Runs</h2>' + table('index-runs', ['run', 'first cycle', 'last cycle', 'held'], x.runs.items.map(r =>
      `<tr><td>${esc(r.runId)}</td><td>${r.firstCycle}</td><td>${r.lastCycle}</td><td>${r.records}</td></tr>`))
    + '<h2>Records, newest first</h2><div id="records"></div><div id="proof"></div>';
  document.getElementById('verify').onclick = async () => {
    const out = document.getElementById('verify-result');
    out.innerHTML = 'verifying…';
    try {
      const v = await api('index/' + enc(ns) + '/verify', { method: 'POST',
        headers: Object.assign({ 'Content-Type': 'application/json' }, headers()), body: '{}' });
      out.innerHTML = `<div class="${v.ok ? 'ok' : 'error'}" id="verified" data-ok="${v.ok}">${v.ok ? 'intact' : 'damaged: ' + esc(v.problem)}`
        + ` — ${v.records} records, ${v.bytes} bytes read</div>`;
    } catch (e) { out.innerHTML = `<div class="error" id="verified" data-ok="false">${esc(e.status)} ${esc(e.message)}</div>`; }
  };
  const draw = async offset => {
    const page = await api(`index/${enc(ns)}/records?limit=50&offset=${offset}`);
    const div = document.getElementById('records');
    div.innerHTML = table('index-records', ['sequence', 'cycle', 'status', 'agents', 'recorded', ''], page.items.map(r =>
      `<tr data-sequence="${r.sequence}"><td>${r.sequence}</td><td>${esc(r.cycleId)}</td><td>${esc(r.status)}</td><td>${r.agents}</td>`
      + `<td>${esc(r.recordedAt)}</td><td><button class="prove" data-cycle="${esc(r.cycleId)}">proof</button></td></tr>`));
    div.appendChild(pager(page, draw));
    div.querySelectorAll('button.prove').forEach(b => { b.onclick = () => showProof(b.dataset.cycle); });
  };
  await draw(0);
}
async function showProof(cycleId) {
  const out = document.getElementById('proof');
  try {
    const p = await api('proofs/' + enc(cycleId));
    out.innerHTML = `<h2>Inclusion proof of ${esc(p.cycleId)}</h2>` + facts('inclusion', [['cycle', esc(p.cycleId)],
      ['leaf index', p.leafIndex], ['tree size', p.treeSize], ['leaf hash', `<code>${esc(p.leafHash)}</code>`],
      ['root', `<code>${esc(p.root)}</code>`], ['path', `<ol id="audit-path">${p.path.map(h => '<li><code>' + esc(h) + '</code></li>').join('')}</ol>`]])
      + '<p>RFC 9162: hash the leaf up the audit path; the result is the root above. The same proof as <code>index:prove ' + esc(p.cycleId) + '</code>.</p>';
  } catch (e) { out.innerHTML = `<div class="error" id="proof-error">${esc(e.status)} ${esc(e.message)}</div>`; }
}

// --- waves --------------------------------------------------------------------------------------------------
async function wavesPage(offset) {
  const page = await api('waves?limit=50&offset=' + offset);
  main.innerHTML = '<h1>Waves</h1>' + table('waves', ['wave', 'status', 'size', 'focus', 'target', 'components', 'instances', 'run', 'started', 'ended'],
    page.items.map(w => `<tr data-wave="${esc(w.id)}"><td>${link('/console/waves/' + enc(w.id), w.id)}</td><td class="status">${esc(w.status)}</td>`
      + `<td>${esc(w.size)}</td><td>${esc(w.focus || 'all')}</td><td>${esc(w.target)}</td><td>${w.components}</td><td>${w.instances}</td>`
      + `<td>${w.runId ? link('/console/runs/' + enc(w.runId), w.runId) : ''}</td><td>${esc(w.startedAt)}</td><td>${esc(w.endedAt || '')}</td></tr>`));
  main.appendChild(pager(page, wavesPage));
}
async function wavePage(id) {
  const x = await api('waves/' + enc(id));
  const w = x.wave;
  main.innerHTML = `<h1>Wave ${esc(w.id)}</h1>` + facts('wave', [['status', esc(w.status)], ['size', esc(w.size)],
    ['focus', esc(w.focus || 'all')], ['target', esc(w.target)], ['run', w.runId ? link('/console/runs/' + enc(w.runId), w.runId) : ''],
    ['cycles', w.cycles], ['findings', x.findings], ['message', esc(w.message || '')]])
    + '<h2>Instances and what each owns</h2>' + table('instances', ['agent', 'type', 'components owned', 'lease until', 'doing'],
      w.instances.map(i => `<tr data-agent="${esc(i.agentId)}"><td>${esc(i.agentId)}</td><td>${esc(i.type)}</td>`
        + `<td class="owns">${i.components.map(esc).join(', ')}</td><td class="lease">${esc(i.leaseExpiry || 'released')}</td><td>${esc(i.doing)}</td></tr>`))
    + '<h2>Proposals: validation and rollback</h2>' + table('proposals', ['cycle', 'finding', 'agent', 'title', 'enhancement', 'status'],
      x.proposals.map(p => `<tr><td>${p.cycle}</td><td>${short(p.fingerprint)}</td><td>${esc(p.agentId)}</td><td>${esc(p.title)}</td>`
        + `<td>${esc(p.enhancementId || '')}</td><td class="proposal-status">${esc(p.status)}</td></tr>`))
    + '<h2>Conflicts</h2>' + table('conflicts', ['cycle', 'kind', 'agent', 'resolution'], x.conflicts.map(c =>
      `<tr><td>${c.cycle}</td><td>${esc(c.kind)}</td><td>${esc(c.agentId)}</td><td>${esc(c.resolution)}</td></tr>`))
    + '<h2>Its enhancements now: validation and rollback</h2><div id="wave-enhancements"></div>';
  const out = document.getElementById('wave-enhancements');
  try { // where each submitted proposal stands now, from the enhancement ledger (the wave keeps its status at submission)
    const e = await api('enhancements?limit=1000&wave=' + enc(w.id));
    out.innerHTML = table('enhancements', ['enhancement', 'agent', 'title', 'status', 'why', 'validation steps', 'rolled back by'], e.items.map(n =>
      `<tr data-enhancement="${n.id}"><td>${n.id}</td><td>${esc(n.agentId)}</td><td>${esc(n.title)}</td><td class="enhancement-status">${esc(n.status)}</td>`
      + `<td>${esc(n.reason)}</td><td>${n.validation.map(v => (v.passed ? '✓ ' : '✗ ') + esc(v.name)).join('<br>')}</td><td>${esc(n.revertedBy || '')}</td></tr>`));
  } catch (e) { out.innerHTML = `<p class="error">${esc(e.status)} ${esc(e.message)}</p>`; }
}

// --- the fleet ----------------------------------------------------------------------------------------------
const rate = (passed, all) => all ? `${passed}/${all}` : '–';
async function fleetPage(offset) {
  const [page, g] = await Promise.all([api('fleet?limit=50&offset=' + offset), api('fleet/graph')]);
  main.innerHTML = '<h1>Fleet</h1>' + table('repositories', ['repository', 'language', 'depends on', 'builds passed', 'tests passed',
    'last success', 'failing in a row', 'flaky', 'problem'], page.items.map(r => {
    const h = r.health;
    return `<tr data-repository="${esc(r.name)}"><td>${link('/console/fleet/' + enc(r.name), r.name)}</td><td>${esc(r.language)}</td>`
      + `<td>${r.dependencies.map(esc).join(', ')}</td><td class="builds">${h ? rate(h.buildsPassed, h.builds) : 'unknown'}</td>`
      + `<td class="tests">${h ? rate(h.testsPassed, h.tests) : 'unknown'}</td><td>${esc(h && h.lastSuccess || '')}</td>`
      + `<td class="failing">${h ? h.consecutiveFailures : ''}</td><td>${h ? h.flaky : ''}</td><td>${esc(r.problem || '')}</td></tr>`;
  })) + '<h2>Dependency graph</h2><ol id="levels" start="0">' + g.levels.map(l => `<li>${l.map(esc).join(', ')}</li>`).join('') + '</ol>'
    + `<p id="edges">${g.edges.length ? g.edges.map(([a, b]) => esc(a) + ' → ' + esc(b)).join('; ') : 'no dependencies between repositories'}</p>`
    + (g.cycles.length ? `<div class="error" id="cycles">dependency cycles: ${g.cycles.map(c => c.map(esc).join(' → ')).join('; ')}</div>` : '');
  main.appendChild(pager(page, fleetPage));
}
async function repositoryPage(name) {
  const x = await api('fleet/repositories/' + enc(name));
  const r = x.repository, h = x.health;
  const dependencies = [...new Set([...r.declaredDependencies, ...r.inferredDependencies])];
  main.innerHTML = `<h1>Repository ${esc(r.name)}</h1>` + facts('repository', [['path', esc(r.path)], ['language', esc(r.language)],
    ['build', `<code>${esc(r.buildCommand || 'none')}</code>`], ['test', `<code>${esc(r.testCommand || 'none')}</code>`],
    ['depends on', dependencies.map(esc).join(', ')], ['builds passed', h ? rate(h.buildsPassed, h.builds) : 'unknown'],
    ['tests passed', h ? rate(h.testsPassed, h.tests) : 'unknown'], ['failing in a row', h ? h.consecutiveFailures : ''], ['problem', esc(r.problem || '')]])
    + '<h2>Newest checks</h2>' + (x.checks ? table('checks', ['check', 'kind', 'commit', 'started', 'took', 'exit', 'passed'], x.checks.map(c =>
      `<tr data-check="${c.id}"><td>${link('/console/api/fleet/checks/' + c.id, '#' + c.id)}</td><td>${esc(c.kind)}</td><td>${short(c.commit)}</td>`
      + `<td>${esc(c.startedAt)}</td><td>${esc(c.duration)}</td><td>${c.timedOut ? 'timed out' : esc(c.exitCode)}</td><td class="passed">${c.passed}</td></tr>`))
      : '<p>the check history is not installed</p>');
}

// --- the backlog ledger and decisions -----------------------------------------------------------------------
const STATUSES = ['', 'open', 'in_progress', 'done', 'blocked', 'cancelled'];
async function ledgerPage(offset) {
  const status = query('status') || '';
  const x = await api(`ledger?limit=50&offset=${offset}${status ? '&status=' + enc(status) : ''}`);
  main.innerHTML = `<h1>Backlog ledger</h1><p><code>${esc(x.path)}</code> — status <select id="status">`
    + STATUSES.map(s => `<option value="${s}" ${s === status ? 'selected' : ''}>${s || 'any'}</option>`).join('') + '</select></p>'
    + (x.problems.length ? `<div class="error" id="ledger-problems">the ledger does not validate: ${x.problems.map(p => esc(JSON.stringify(p))).join('<br>')}</div>` : '')
    + table('items', ['item', 'repository', 'type', 'priority', 'risk', 'status', 'evidence', 'decision', 'updated'], x.items.items.map(i =>
      `<tr data-item="${esc(i.id)}"><td>${link('/console/ledger/' + enc(i.id), i.id)}</td><td>${esc(i.repo)}</td><td>${esc(i.type)}</td>`
      + `<td>${i.priority}</td><td>${esc(i.risk)}</td><td class="status">${esc(i.status)}</td><td>${i.evidenceLinks.map(esc).join('<br>')}</td>`
      + `<td>${esc(i.policyDecisionRef || '')}</td><td>${esc(i.updatedAt)}</td></tr>`))
    + '<h2>Decisions, newest first</h2><div id="decision-log"></div>';
  main.insertBefore(pager(x.items, ledgerPage), document.getElementById('decision-log').previousSibling);
  document.getElementById('status').onchange = e => {
    history.replaceState(null, '', '/console/ledger' + (e.target.value ? '?status=' + enc(e.target.value) : ''));
    ledgerPage(0);
  };
  const decisions = async off => {
    const w = await api('autonomy/decisions?limit=20&offset=' + off);
    const div = document.getElementById('decision-log');
    div.innerHTML = decisionTable('decisions', w.items);
    div.appendChild(morePager(w, decisions));
  };
  await decisions(0).catch(e => { document.getElementById('decision-log').innerHTML = `<p class="error">${esc(e.message)}</p>`; });
}
function decisionTable(id, list) {
  return table(id, ['at', 'decision', 'outcome', 'policies', 'reasons', 'id'], list.map(d => d.missing || !d.decision
    ? `<tr><td colspan="5">not in the decision log</td><td>${esc(d.id)}</td></tr>`
    : `<tr data-decision="${esc(d.id)}"><td>${esc(d.at)}</td><td>${esc(d.decision)}</td><td class="outcome">${esc(d.outcome)}</td>`
      + `<td>${d.policies.map(esc).join(', ')}</td><td>${d.reasons.map(esc).join('<br>')}</td><td>${esc(d.id)}</td></tr>`));
}
async function itemPage(id) {
  const x = await api('ledger/' + enc(id));
  const i = x.item;
  main.innerHTML = `<h1>Backlog item ${esc(i.id)}</h1>` + facts('item', [['repository', esc(i.repo)], ['type', esc(i.type)],
    ['priority', i.priority], ['risk', esc(i.risk)], ['status', esc(i.status)], ['evidence', i.evidenceLinks.map(esc).join('<br>')],
    ['run', esc(i.runId || '')], ['commit', short(i.commitSha)], ['created', esc(i.createdAt)], ['updated', esc(i.updatedAt)]])
    + '<h2>Its decision</h2>' + (x.decision ? decisionTable('item-decision', [x.decision]) : '<p>none yet</p>');
}

// --- change requests ----------------------------------------------------------------------------------------
const STATES = ['', 'draft', 'open', 'verified', 'failed', 'awaiting_approval', 'shipped', 'refused', 'closed'];
async function changesPage(offset) {
  const state = query('state') || '';
  const page = await api(`changes?limit=50&offset=${offset}${state ? '&state=' + enc(state) : ''}`);
  main.innerHTML = '<h1>Change requests</h1><p>state <select id="state">' + STATES.map(s => `<option value="${s}" ${s === state ? 'selected' : ''}>${s || 'any'}</option>`).join('')
    + '</select></p>' + table('changes', ['change', 'repository', 'kind', 'title', 'risk', 'state', 'branch', 'verified on', 'updated'], page.items.map(c =>
      `<tr data-change="${c.id}"><td>${link('/console/changes/' + c.id, '#' + c.id)}</td><td>${esc(c.repo)}</td><td>${esc(c.kind)}</td><td>${esc(c.title)}</td>`
      + `<td>${esc(c.risk)}</td><td class="state">${esc(c.state)}</td><td>${esc(c.branch)}</td><td>${short(c.verifiedCommit)}</td><td>${esc(c.updatedAt)}</td></tr>`));
  main.appendChild(pager(page, changesPage));
  document.getElementById('state').onchange = e => {
    history.replaceState(null, '', '/console/changes' + (e.target.value ? '?state=' + enc(e.target.value) : ''));
    changesPage(0);
  };
}
async function changePage(id) {
  const x = await api('changes/' + enc(id));
  const c = x.change;
  main.innerHTML = `<h1>Change request #${c.id}: ${esc(c.title)}</h1>` + facts('change', [['repository', esc(c.repo)], ['state', esc(c.state)],
    ['kind', esc(c.kind)], ['risk', esc(c.risk)], ['branch', esc(c.branch)], ['base', short(c.baseCommit)], ['head', short(c.headCommit)],
    ['verified on', short(c.verifiedCommit)], ['items', c.itemIds.map(i => link('/console/ledger/' + enc(i), i)).join(', ')],
    ['checks', c.checkIds.map(n => link('/console/api/fleet/checks/' + n, '#' + n, 'check')).join(', ')],
    ['approved by', esc(c.approvedBy || '')], ['run', esc(c.runId || '')]])
    + '<h2>Decision records</h2>' + decisionTable('change-decisions', x.decisions)
    + `<h2>Diff</h2><pre class="excerpt" id="diff">${esc(x.diff)}</pre>`;
}

window.harmonixPages = {
  states: path => path[1] ? statesPage(path[1]) : Promise.reject(Object.assign(new Error('which run? /console/states/RUN'), { status: 404 })),
  index: path => path[1] ? namespacePage(path[1]) : indexPage(),
  waves: path => path[1] ? wavePage(path[1]) : wavesPage(0),
  fleet: path => path[1] ? repositoryPage(path[1]) : fleetPage(0),
  ledger: path => path[1] ? itemPage(path[1]) : ledgerPage(0),
  changes: path => path[1] ? changePage(path[1]) : changesPage(0),
};
