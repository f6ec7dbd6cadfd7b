// Time to first byte and to full render of console pages in headless Chromium, the median of N loads each (the
// first load is a warm-up and not counted). Not a test: figures for docs/performance.md.
//   BASE=http://127.0.0.1:PORT PAGES=/console/runs,/console/instances/ID N=10 node console.perf.js
// "First byte": the navigation's responseStart - requestStart. "Full render": from the start of the navigation
// until the page's script has drawn it from the JSON API (body[data-ready]), the graph's SVG included.
'use strict';
const { chromium } = require('playwright-core');

const median = xs => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };

(async () => {
  const base = process.env.BASE;
  const n = Number(process.env.N || 10);
  const browser = await chromium.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium' });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    for (const url of process.env.PAGES.split(',')) {
      const ttfb = [], render = [];
      for (let i = 0; i <= n; i++) {
        const started = Date.now();
        await page.goto(base + url);
        await page.waitForSelector('body[data-ready="true"]', { timeout: 60000 });
        const done = Date.now() - started;
        const nav = await page.evaluate(() => { const t = performance.getEntriesByType('navigation')[0]; return t.responseStart - t.requestStart; });
        if (i > 0) { ttfb.push(nav); render.push(done); }
      }
      const nodes = await page.$$eval('g.task', g => g.length);
      console.log(`${url}: first byte median ${median(ttfb).toFixed(1)} ms (min ${Math.min(...ttfb).toFixed(1)}, max ${Math.max(...ttfb).toFixed(1)}); `
        + `full render median ${median(render)} ms (min ${Math.min(...render)}, max ${Math.max(...render)}); ${n} loads` + (nodes ? `; ${nodes} task nodes` : ''));
    }
  } finally {
    await browser.close();
  }
})().catch(e => { console.error('FAILED: ' + e.message); process.exit(1); });
