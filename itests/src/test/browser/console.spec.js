// The web console in headless Chromium (Debian's /usr/bin/chromium, driven by playwright-core; no browser is
// downloaded). Run by ConsoleBrowserIT against a packaged runtime in run mode; every value it needs comes from the
// environment:
//   BASE        http://127.0.0.1:PORT
//   TOKEN       the console token (etc/console.token)
//   RUN         a run that is running, and LAST its last cycle number
//   WORKFLOW    a workflow whose instance (started by a trigger) has tasks that wait for files: TASK ends when
//               GATES/TASK exists; TASKS their order
//   FINDING     the file:line of a finding whose code excerpt holds EXCERPT
//   SHOTS       where screenshots go
// Prints one line per step; exits 1 with the reason at the first failure.
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const env = name => { const v = process.env[name]; if (!v) { throw new Error('environment variable ' + name + ' is not set'); } return v; };
const BASE = env('BASE');
const SHOTS = env('SHOTS');
const step = text => console.log(new Date().toISOString() + ' ' + text);

function check(condition, message) { if (!condition) { throw new Error(message); } }

async function open(page, url, status) {
  const response = await page.goto(BASE + url);
  check(response.status() === (status || 200), `${url}: HTTP ${response.status()}, expected ${status || 200}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  // set once per document: still there at the end proves the page was updated in place, never reloaded
  await page.evaluate(() => { window.harmonixLoadedAt = window.harmonixLoadedAt || Date.now(); });
  return page.evaluate(() => window.harmonixLoadedAt);
}
async function shot(page, name, whole = true) {
  await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: whole });
  step('screenshot ' + name + '.png');
}
async function sameDocument(page, loadedAt, what) {
  check(await page.evaluate(() => window.harmonixLoadedAt) === loadedAt, what + ': the page was reloaded');
}

async function followRun(page) {
  const run = env('RUN');
  const last = Number(env('LAST'));
  const loadedAt = await open(page, '/console/runs/' + encodeURIComponent(run));
  const state = await page.textContent('#run-state');
  const shownAtLoad = await page.$$eval('#cycles tbody tr', rows => rows.map(r => Number(r.dataset.cycle)));
  check(state === 'RUNNING', `run ${run} is ${state} when its page opens: nothing left to follow live`);
  check(!shownAtLoad.includes(last), `run ${run} already shows its last cycle ${last} at load`);
  step(`run ${run}: ${shownAtLoad.length} cycles at load (newest ${shownAtLoad[0] || 'none'}), following to ${last}`);
  await page.waitForSelector('#cycle-' + last, { timeout: 180000 });
  await page.waitForFunction(() => document.getElementById('run-state').textContent === 'COMPLETED', null, { timeout: 30000 });
  await sameDocument(page, loadedAt, 'run page');
  const shown = await page.$$eval('#cycles tbody tr', rows => rows.map(r => Number(r.dataset.cycle)));
  const newest = Math.max(...shownAtLoad, 0);
  for (let c = newest + 1; c <= last; c++) {
    check(shown.includes(c), `cycle ${c} never appeared on the run page (shown: ${shown.slice(0, 10).join(',')}...)`);
  }
  check(new Set(shown).size === shown.length, 'a cycle is shown twice');
  step(`run ${run}: cycles ${newest + 1}..${last} appeared live, run COMPLETED, no reload`);
  await shot(page, 'run', false); // its first screen: the page holds up to 200 cycles
}

/** The id of the (first) instance of a workflow, once its trigger has started it; read from the JSON API. */
async function instanceOf(page, workflow) {
  const end = Date.now() + 60000;
  while (Date.now() < end) {
    const list = await (await page.request.get(BASE + '/console/api/instances?limit=1000')).json();
    const found = list.items.find(i => i.workflow === workflow);
    if (found) { return found.id; }
    await new Promise(r => setTimeout(r, 250));
  }
  throw new Error('no instance of workflow ' + workflow + ' within a minute');
}

async function watchGraph(page) {
  const instance = await instanceOf(page, env('WORKFLOW'));
  const gates = env('GATES');
  const tasks = env('TASKS').split(',');
  const loadedAt = await open(page, '/console/instances/' + encodeURIComponent(instance));
  const stateOf = task => page.getAttribute('#task-' + task, 'data-state');
  const fillOf = task => page.getAttribute(`#task-${task} rect`, 'fill');
  await shot(page, 'workflow-before');
  for (const task of tasks) {
    const before = await stateOf(task);
    check(before === 'pending' || before === 'running', `task ${task} is ${before} before its gate opens`);
    const fillBefore = await fillOf(task);
    fs.writeFileSync(path.join(gates, task), 'go');
    await page.waitForSelector(`#task-${task}[data-state="succeeded"]`, { timeout: 60000 });
    const fillAfter = await fillOf(task);
    check(fillAfter !== fillBefore && fillAfter === '#a7e3a1', `task ${task}: colour ${fillBefore} -> ${fillAfter}`);
    step(`task ${task}: ${before} (${fillBefore}) -> succeeded (${fillAfter}) without a reload`);
    if (task === tasks[1]) {
      await shot(page, 'workflow-during');
    }
  }
  await page.waitForFunction(() => document.getElementById('instance-state').textContent === 'succeeded', null, { timeout: 30000 });
  await sameDocument(page, loadedAt, 'graph page');
  await shot(page, 'workflow');
}

async function openFinding(page) {
  const where = env('FINDING');
  const excerpt = env('EXCERPT');
  await open(page, '/console/findings');
  await shot(page, 'findings');
  const link = page.locator('a.finding', { hasText: where });
  check(await link.count() === 1, `one finding at ${where} expected in the list, found ${await link.count()}`);
  await Promise.all([page.waitForURL(/\/console\/findings\/.+/), link.click()]);
  await page.waitForSelector('body[data-ready="true"]');
  const code = await page.textContent('#excerpt');
  check(code.includes(excerpt), `the finding's code excerpt has no '${excerpt}': ${code}`);
  step(`finding ${where}: code excerpt shown (${code.split('\n').length} lines)`);
  await shot(page, 'finding');
  const sarif = await page.request.get(BASE + '/console/api/findings.sarif');
  check(sarif.status() === 200, 'SARIF download: HTTP ' + sarif.status());
  const log = await sarif.json();
  check(log.version === '2.1.0' && log.runs.some(r => r.results.some(x =>
    x.locations[0].physicalLocation.region.snippet.text.includes(excerpt))), 'the SARIF log has no result with the excerpt');
  step('SARIF download: version 2.1.0 with the finding');
}

async function toggle(page) {
  await open(page, '/console/autonomy');
  const before = await page.textContent('#toggle-automergeEnabled');
  const tryWith = async (token, expect) => {
    await page.fill('#token', token);
    await page.click('#toggle-automerge-btn');
    await page.waitForSelector(expect === 200 ? '#control-ok' : `#control-error[data-status="${expect}"]`, { timeout: 30000 });
  };
  await tryWith('', 401);
  check(await page.textContent('#toggle-automergeEnabled') === before, 'the toggle changed without the token');
  step('toggle without the token: refused 401 — ' + await page.textContent('#control-error'));
  await shot(page, 'autonomy-refused');
  await tryWith('not-the-token-at-all', 403);
  check(await page.textContent('#toggle-automergeEnabled') === before, 'the toggle changed with a wrong token');
  step('toggle with a wrong token: refused 403');
  await tryWith(env('TOKEN'), 200);
  const after = await page.textContent('#toggle-automergeEnabled');
  check(after === String(before !== 'true'), `automergeEnabled ${before} -> ${after} after an accepted switch`);
  step(`toggle with the token: accepted, automergeEnabled ${before} -> ${after}`);
  const decisions = await (await page.request.get(BASE + '/console/api/autonomy/decisions?limit=5')).json();
  const recorded = decisions.items.find(d => d.decision === 'toggle');
  check(recorded, 'no toggle decision recorded: ' + JSON.stringify(decisions.items.map(d => d.decision)));
  step(`recorded as decision ${recorded.id}: ${recorded.decision} ${recorded.outcome}`);
  await shot(page, 'autonomy');
}

async function missing(page) {
  await open(page, '/console/runs/no-such-run', 404);
  const error = await page.textContent('#error');
  check(error.includes("no run 'no-such-run'"), 'the page of a missing run says: ' + error);
  step('a run that does not exist: 404, ' + error);
  await shot(page, 'missing-run');
}

(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', e => step('page error: ' + e.message));
    await followRun(page);
    await open(page, '/console/runs');
    check(await page.locator(`tr[data-run="${env('RUN')}"]`).count() === 1, 'the runs page does not list the run');
    await shot(page, 'runs');
    await watchGraph(page);
    await openFinding(page);
    await toggle(page);
    await missing(page);
    step('all console checks passed');
  } finally {
    await browser.close();
  }
})().catch(e => { console.error('FAILED: ' + e.message); process.exit(1); });
