// Runs storage.js in Chromium at 4× CPU slowdown: start-up read and per-action append for the four
// ways of keeping the journal, with EVENTS events stored (default 10 000), then what each does
// when storage is full. Usage: node bench/storage.mjs (from end2end/). Prints a table.
import * as http from 'node:http';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { launch, percentile, ms } from './chromium.mjs';

const EVENTS = Number(process.env.EVENTS ?? 10_000);
const ACTIONS = Number(process.env.ACTIONS ?? 40);
const RATE = Number(process.env.CPU_RATE ?? 4);
const KINDS = ['whole', 'chunked', 'relaxed', 'strict'];

/** This folder over HTTP on a free loopback port: storage needs a real origin. */
function serve() {
  const types = { '.html': 'text/html', '.js': 'text/javascript' };
  const server = http.createServer((req, res) => {
    const file = path.join(import.meta.dirname, path.basename(new URL(req.url, 'http://x').pathname));
    if (!fs.existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[path.extname(file)] ?? 'text/plain' }).end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

/** A fresh browser profile on the page; `f(page, cdp, ready)`, then the profile is gone. */
async function inBrowser(origin, f) {
  const { page, close } = await launch();
  page.setDefaultTimeout(120_000);
  const cdp = await page.context().newCDPSession(page);
  const ready = async () => {
    await page.goto(`${origin}/storage.html`);
    await page.waitForFunction(() => window.bench);
  };
  try {
    await ready();
    return await f(page, cdp, ready);
  } finally {
    await close();
  }
}

async function main() {
  const server = await serve();
  const origin = `http://127.0.0.1:${server.address().port}`;
  const throttle = (cdp, rate) => cdp.send('Emulation.setCPUThrottlingRate', { rate });
  try {
    console.log(`storage micro-bench: ${EVENTS} events stored, ${ACTIONS} actions, CPU ${RATE}× slower, a fresh profile for each`);
    console.log('way      · event JSON · start-up read · read all events · append p50 · append p95 · append max · ack');
    for (const kind of KINDS) {
      await inBrowser(origin, async (page, cdp, ready) => {
        const chars = await page.evaluate(([k, n]) => window.bench.setup(k, n), [kind, EVENTS]);
        await ready(); // the app reads storage right after a page load
        await throttle(cdp, RATE);
        const r = await page.evaluate(([k, n]) => window.bench.measure(k, n), [kind, ACTIONS]);
        console.log(`${kind.padEnd(8)} · ${(chars / EVENTS).toFixed(0)} B/event · ${ms(r.start)}${r.opened != null ? ` (open ${ms(r.opened)})` : ''} · ` +
          `${ms(r.all)} · ${ms(percentile(r.appends, 50))} · ${ms(percentile(r.appends, 95))} · ${ms(Math.max(...r.appends))} · ${ms(r.ack)}`);
      });
    }
    console.log('\nstorage full (unthrottled; localStorage has its own fixed quota, IndexedDB gets usage + 1 MB by CDP Storage.overrideQuotaForOrigin):');
    for (const kind of ['whole', 'chunked']) {
      await inBrowser(origin, async (page) => {
        const r = await page.evaluate(([k, n]) => window.bench.fillLocal(k, n, 120), [kind, EVENTS]);
        console.log(`${kind.padEnd(8)} · error ${r.error} · written before it ${r.written} · stored after reload ${r.stored} · ${(r.usedChars / 1e6).toFixed(2)} M chars in localStorage`);
      });
    }
    for (const durability of ['relaxed', 'strict']) {
      await inBrowser(origin, async (page, cdp) => {
        await page.evaluate(([k, n]) => window.bench.setup(k, n), [durability, EVENTS]);
        const usage = await page.evaluate(() => window.bench.usage());
        await cdp.send('Storage.overrideQuotaForOrigin', { origin, quotaSize: usage + 1_000_000 });
        const r = await page.evaluate((d) => window.bench.fillIdb(d, 120), durability);
        console.log(`${durability.padEnd(8)} · quota set to ${((usage + 1_000_000) / 1e6).toFixed(2)} MB · error ${r.error} after ${r.added} more · written ${r.written} · stored ${r.stored} · outbox ${r.outbox} · estimate() then says usage ${(r.usage / 1e6).toFixed(2)} MB`);
      });
    }
  } finally {
    server.close();
  }
}

await main();
