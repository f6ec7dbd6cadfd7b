// The console's pages over the other bundles' services in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core). Run by ConsolePagesBrowserIT against the packaged runtime in run mode on the demo's data; every
// value it needs comes from the environment:
//   BASE        http://127.0.0.1:PORT
//   RUN         a completed run of the sample agent 'files' (3 cycles)
//   CYCLE       a cycle id of RUN, and ROOT, LEAF, LEAF_INDEX, AUDIT_PATH (comma-separated) its proof as index:prove gives it
//   SHOTS       where screenshots go
// Prints one line per step; exits 1 with the reason at the first failure.
'use strict';
const { chromium } = require('playwright-core');
const fs = require('fs');
const path = require('path');

const env = name => { const v = process.env[name]; if (v === undefined) { throw new Error('environment variable ' + name + ' is not set'); } return v; };
const BASE = env('BASE');
const SHOTS = env('SHOTS');
const step = text => console.log(new Date().toISOString() + ' ' + text);
function check(condition, message) { if (!condition) { throw new Error(message); } }

async function open(page, url, status) {
  const response = await page.goto(BASE + url);
  check(response.status() === (status || 200), `${url}: HTTP ${response.status()}, expected ${status || 200}`);
  await ready(page);
}
async function ready(page) {
  await page.waitForSelector('body[data-ready="true"]', { timeout: 30000 });
  const error = await page.$('#error');
  check(!error || (await page.evaluate(() => location.pathname)).includes('no-such'), 'the page shows an error: ' + (error && await error.textContent()));
}
async function follow(page, selector) {
  await Promise.all([page.waitForNavigation(), page.click(selector)]);
  await ready(page);
}
async function shot(page, name) {
  await page.screenshot({ path: path.join(SHOTS, name + '.png'), fullPage: true });
  step('screenshot ' + name + '.png');
}
const texts = (page, selector) => page.$$eval(selector, cells => cells.map(c => c.textContent.trim()));

async function states(page) {
  const run = env('RUN');
  await open(page, '/console/runs/' + encodeURIComponent(run));
  await follow(page, '#states-link');
  check((await texts(page, '#agents a')).includes('files'), 'the agents of the run: ' + await texts(page, '#agents a'));
  await page.waitForSelector('#states');
  const cycles = await page.$$eval('#states tr[data-cycle]', rows => rows.map(r => Number(r.dataset.cycle)));
  check(JSON.stringify(cycles) === '[3,2,1]', 'the states of agent files, newest first: ' + cycles);
  const state = JSON.parse(await page.textContent('#state-3 pre'));
  check(state.cycles === 3 && typeof state.files === 'number', 'the state after cycle 3: ' + JSON.stringify(state));
  step(`agent files in ${run}: states of cycles ${cycles}, the last counting ${state.files} files over ${state.cycles} cycles`);
  await shot(page, 'states');
}

async function index(page) {
  await open(page, '/console/index');
  const namespaces = await page.$$eval('#namespaces tr[data-namespace]', rows => rows.map(r => r.dataset.namespace));
  check(namespaces.includes('local') && namespaces.includes('autonomy-decisions'), 'namespaces: ' + namespaces);
  step('index: namespaces ' + namespaces.join(', '));
  await shot(page, 'index');
  await follow(page, '#namespaces tr[data-namespace="local"] a');
  await page.click('#verify');
  await page.waitForSelector('#verified');
  check(await page.getAttribute('#verified', 'data-ok') === 'true', 'verify: ' + await page.textContent('#verified'));
  step('namespace local: ' + await page.textContent('#verified'));
  const cycle = env('CYCLE');
  const button = page.locator(`button.prove[data-cycle="${cycle}"]`);
  check(await button.count() === 1, `no proof button for ${cycle} on the first page of records`);
  await button.click();
  await page.waitForSelector('#inclusion');
  const shown = {
    root: await page.textContent('#inclusion-root'), leaf: await page.textContent('#inclusion-leaf-hash'),
    index: await page.textContent('#inclusion-leaf-index'), path: await texts(page, '#audit-path li'),
  };
  check(shown.root === env('ROOT'), `root shown ${shown.root}, index:prove ${env('ROOT')}`);
  check(shown.leaf === env('LEAF'), `leaf hash shown ${shown.leaf}, index:prove ${env('LEAF')}`);
  check(shown.index === env('LEAF_INDEX'), `leaf index shown ${shown.index}, index:prove ${env('LEAF_INDEX')}`);
  check(shown.path.join(',') === env('AUDIT_PATH'), `audit path shown ${shown.path}, index:prove ${env('AUDIT_PATH')}`);
  step(`proof of ${cycle}: leaf ${shown.index}, ${shown.path.length} hashes, root ${shown.root}: the one index:prove gives`);
  await shot(page, 'namespace-proof');
}

async function waves(page) {
  await open(page, '/console/waves');
  const rows = await page.$$eval('#waves tr[data-wave]', r => r.map(x => [x.dataset.wave, x.querySelector('.status').textContent]));
  check(rows.length === 1 && rows[0][1] === 'COMPLETED', 'waves: ' + JSON.stringify(rows));
  await shot(page, 'waves');
  await follow(page, `#waves tr[data-wave="${rows[0][0]}"] a`);
  const owns = (await texts(page, '#instances td.owns')).sort();
  check(JSON.stringify(owns) === '["a","b","c"]', 'each instance owns one component: ' + owns);
  const leases = await texts(page, '#instances td.lease');
  check(leases.every(l => l === 'released'), 'a completed wave holds no lease: ' + leases);
  const validated = await texts(page, '#enhancements td.enhancement-status');
  check(validated.length === 3 && validated.every(v => v === 'validated'), 'its three proposals validated: ' + validated);
  step(`wave ${rows[0][0]}: instances owning ${owns.join(', ')}, leases ${leases.join(', ')}; enhancements ${validated}`);
  await shot(page, 'wave');
}

async function fleet(page) {
  await open(page, '/console/fleet');
  const repos = await page.$$eval('#repositories tr[data-repository]', r => r.map(x => x.dataset.repository));
  check(repos.join(',') === 'shop,three,vault,web', 'repositories: ' + repos);
  // a fleet build of all four ran before (repo:build): each has a build and a test in its health
  const builds = await texts(page, '#repositories td.builds');
  const tests = await texts(page, '#repositories td.tests');
  check(builds.every(t => /^[1-9]\d*\/[1-9]\d*$/.test(t)) && tests.every(t => /^\d+\/[1-9]\d*$/.test(t)),
    `build health from the fleet build: builds ${builds}, tests ${tests}`);
  check((await texts(page, '#levels li')).length >= 1, 'build levels shown');
  step('fleet: ' + repos.map((r, i) => `${r} builds ${builds[i]} tests ${tests[i]}`).join(', '));
  await shot(page, 'fleet');
  await follow(page, '#repositories tr[data-repository="shop"] a');
  const checks = await texts(page, '#checks td.passed');
  const kinds = await texts(page, '#checks td:nth-child(2)');
  check(kinds.includes('build') && kinds.includes('test') && kinds.includes('verify:test'),
    'the shop\'s checks: the fleet build\'s and the controller\'s verification: ' + kinds);
  step('repository shop: checks ' + kinds.map((k, i) => k + ' ' + (checks[i] === 'true' ? 'passed' : 'failed')).join(', '));
  await shot(page, 'repository');
}

async function ledger(page) {
  await open(page, '/console/ledger');
  const items = await page.$$eval('#items tr[data-item]', r => r.length);
  check(items === 7, 'the demo ledger has 7 items, shown ' + items);
  check((await page.$$('#decisions tr[data-decision]')).length > 0, 'no decision shown');
  await page.selectOption('#status', 'done');
  await page.waitForFunction(() => document.querySelectorAll('#items tr[data-item]').length === 1);
  check(await page.textContent('#items tr[data-item] td:nth-child(2)') === 'shop', 'the done item is the shop\'s');
  step(`ledger: ${items} items, 1 done (shop)`);
  await shot(page, 'ledger');
  await follow(page, '#items tr[data-item] a');
  const outcome = await page.textContent('#item-decision td.outcome');
  check(outcome === 'allowed', 'the done item\'s decision: ' + outcome);
  step('ledger item: its decision ' + await page.textContent('#item-decision tr[data-decision] td:nth-child(2)') + ' ' + outcome);
  await shot(page, 'ledger-item');
}

async function changes(page) {
  await open(page, '/console/changes');
  const rows = await page.$$eval('#changes tr[data-change]', r => r.map(x => [x.dataset.change, x.children[1].textContent, x.querySelector('.state').textContent]));
  const shipped = rows.find(r => r[1] === 'shop');
  check(shipped && shipped[2] === 'SHIPPED', 'the shop change shipped: ' + JSON.stringify(rows));
  check(rows.some(r => r[1] === 'web' && r[2] === 'FAILED'), 'the web change failed: ' + JSON.stringify(rows));
  await shot(page, 'changes');
  await follow(page, `#changes tr[data-change="${shipped[0]}"] a`);
  const decisions = await page.$$eval('#change-decisions tr[data-decision]', r => r.map(x => x.children[1].textContent + ' ' + x.querySelector('.outcome').textContent));
  check(decisions.includes('ship allowed'), 'the shop change\'s decisions: ' + decisions);
  check((await page.textContent('#diff')).includes('@@'), 'the change\'s diff is shown');
  check((await page.$$('#change-checks a.check, #change-checks-checks a.check, a.check')).length > 0, 'its checks are linked');
  step(`change #${shipped[0]}: decisions ${decisions.join(', ')}; diff and checks shown`);
  await shot(page, 'change');
}

async function missing(page) {
  await open(page, '/console/waves/w-no-such', 404);
  const error = await page.textContent('#error');
  check(error.includes("no wave 'w-no-such'"), 'the page of a missing wave says: ' + error);
  step('a wave that does not exist: 404, ' + error);
  await shot(page, 'missing-wave');
}

// the log out button of every page: the session cookie cleared (on loopback reading stays free, so the page says so)
async function logout(page) {
  await open(page, '/console/runs');
  const [response] = await Promise.all([page.waitForResponse(r => r.url().endsWith('/console/logout')),
    page.click('#logout')]);
  check(response.status() === 200, 'POST /console/logout: HTTP ' + response.status());
  const cleared = await response.headerValue('set-cookie'); // headers() leaves Set-Cookie out
  check((cleared || '').startsWith('harmonix-console=; Path=/console; Max-Age=0'), 'the cookie cleared: ' + cleared);
  await page.waitForSelector('#logged-out');
  step('log out: ' + await page.textContent('#logged-out'));
}

(async () => {
  fs.mkdirSync(SHOTS, { recursive: true });
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    const errors = [];
    page.on('pageerror', e => { errors.push(e.message); step('page error: ' + e.message); });
    await states(page);
    await index(page);
    await waves(page);
    await fleet(page);
    await ledger(page);
    await changes(page);
    await missing(page);
    await logout(page);
    check(errors.length === 0, 'script errors on the pages: ' + errors.join('; '));
    step('all page checks passed');
  } finally {
    await browser.close();
  }
})().catch(e => { console.error('FAILED: ' + e.message); process.exit(1); });
