// The learner's app on a slow phone (issue 16, goal 5), run by scripts/bench-phone.sh against a
// release server: for a learner with EVENTS events (default 10 000) and for one with none, in
// Chromium at 360 px with a persistent profile (the service worker installs), a first visit
// unthrottled that pulls the events, then at 4× CPU slowdown and 1.6 Mbps / 150 ms:
//   start-up  a second visit, navigation start → `officina:usable`, the frame after home's list
//             (marked from the DOM here; the app marks its start and storage reads: src/marks.rs);
//   tap       "Segna come fatta" on 10 lessons, the click's time stamp → the frame after the
//             button gives way to the "done" banner;
//   screens   a click on an app link → the new screen's heading is there, and one more frame.
// Usage: BENCH_ORIGIN=http://127.0.0.1:PORT BENCH_DB=… node bench/phone.mjs. Prints tables.
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import { launch, percentile, ms } from './chromium.mjs';

const origin = process.env.BENCH_ORIGIN;
const root = path.resolve(import.meta.dirname, '../..');
const EVENTS = Number(process.env.EVENTS ?? 10_000);
const RELOADS = 5;
const TAPS = 10;
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const TIMEOUT = 60_000;
/** The profile's heading shows before its chunk arrives (app::lazy_screen): this is its content. */
const PROFILE_READY = 'main fieldset.language';
const MARKS = ['officina:start', 'officina:content', 'officina:journal', 'officina:home', 'officina:usable'];

// ---- the learner and their events, through the API (untimed) -------------------------------------

async function api(method, url, body, token) {
  const headers = { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) };
  const response = await fetch(`${origin}${url}`, { method, headers, body: body && JSON.stringify(body) });
  if (!response.ok) throw new Error(`${method} ${url}: ${response.status} ${await response.text()}`);
  return response.status === 204 ? null : response.json();
}

function cohort() {
  const args = ['cohort', 'create', '--name', `Bench ${Date.now()}`, '--path', 'space-camp', '--db', process.env.BENCH_DB, '--content', `${root}/content`];
  return execFileSync(process.env.BENCH_SERVER ?? `${root}/target/server/officina-server`, args, { encoding: 'utf8' }).trim().split('\n').pop().trim();
}

async function learner(nickname) {
  const data = { code: cohort(), nickname, secret: 'bench-luna-piena-7', role: 'learner', age_band: '14_plus' };
  return api('POST', '/api/join', data);
}

const activities = (bundle, audience = 'learners') =>
  bundle.paths.filter((p) => p.audience === audience).flatMap((p) => p.modules.flatMap((m) => m.activities.map((a) => ({ ...a, path: p.id }))));

/** A passed attempt, answers from the bundle's key (the server recomputes the score). */
function passed(quiz) {
  const answers = quiz.questions.map((q) => (q.type === 'number' ? q.answer : q.options.flatMap((o, i) => (o.correct ? [i] : []))));
  return { answers, score: 100, passed: true };
}

/** `count` events the rules accept, on the lessons and quizzes but `spared`, a minute apart
 *  going back from an hour ago; pushed 500 at a time. */
async function pushHistory(session, bundle, spared, count) {
  const doable = activities(bundle).filter((a) => (a.kind === 'lesson' || a.kind === 'quiz') && !spared.includes(a.id));
  const now = Date.now() - 3_600_000;
  const events = Array.from({ length: count }, (_, n) => {
    const a = doable[n % doable.length];
    const quiz = a.kind === 'quiz';
    return {
      id: crypto.randomUUID(),
      kind: quiz ? 'quiz_submitted' : 'activity_completed',
      activity_id: a.id,
      at: new Date(now - (count - n) * 60_000).toISOString(),
      data: quiz ? passed(a) : {},
    };
  });
  const device_id = crypto.randomUUID();
  for (let i = 0; i < events.length; i += 500) {
    const answer = await api('POST', '/api/sync/push', { device_id, events: events.slice(i, i + 500) }, session.token);
    const refused = answer.results.filter((r) => r.status !== 'accepted');
    if (refused.length) throw new Error(`events refused: ${JSON.stringify(refused.slice(0, 3))}`);
  }
}

// ---- in the page ---------------------------------------------------------------------------------

/** Before the page's own scripts: marks `officina:home` when home's heading is in the DOM and
 *  `officina:usable` at the frame after its list of paths is (the app marks its own start,
 *  content and journal reads: src/marks.rs). A MutationObserver runs right after the change. */
function markHome() {
  const observer = new MutationObserver(() => {
    const h1 = document.querySelector('main h1');
    if (h1?.textContent === 'I tuoi percorsi' && !performance.getEntriesByName('officina:home').length) {
      performance.mark('officina:home');
    }
    if (document.querySelector('main ul.cards')) {
      observer.disconnect();
      requestAnimationFrame(() => performance.mark('officina:usable'));
    }
  });
  observer.observe(document, { childList: true, subtree: true });
}

/** The events on the device: the journal's head and its sealed keys (src/stored_journal.rs). */
const storedCount = (page) =>
  page.evaluate(() => {
    const ids = new Set();
    const sealed = Number(localStorage.getItem('officina.journal.sealed') ?? 0);
    const keys = [...Array(sealed).keys()].map((n) => `officina.journal.${n}`).concat('officina.journal', 'officina.journal.recent');
    for (const key of keys) Object.keys(JSON.parse(localStorage.getItem(key) ?? '{"log":{}}').log).forEach((id) => ids.add(id));
    return ids.size;
  });

/** A first visit unthrottled: signed in, every event pulled, the service worker in control. */
async function firstVisit(page, session, count) {
  await page.addInitScript((s) => {
    if (!localStorage.getItem('officina.session')) localStorage.setItem('officina.session', JSON.stringify(s));
  }, session);
  await page.addInitScript(markHome);
  await page.goto(origin);
  const deadline = Date.now() + 180_000;
  while ((await storedCount(page)) < count) {
    if (Date.now() > deadline) throw new Error(`only ${await storedCount(page)} of ${count} events pulled`);
    await page.waitForTimeout(1000);
  }
  await page.evaluate(() => navigator.serviceWorker.ready);
  await page.reload();
  await page.waitForFunction(() => navigator.serviceWorker.controller, null, { timeout: TIMEOUT });
  await settle(page);
}

/** Waits until the app's start-up work (sync, programme check, chunk preload) is over. */
async function settle(page) {
  await page.waitForFunction(() => performance.getEntriesByName('officina:usable').length, null, { timeout: TIMEOUT });
  await page.waitForLoadState('networkidle', { timeout: TIMEOUT }).catch(() => {});
  await page.waitForTimeout(1500);
}

async function slowPhone(page) {
  const cdp = await page.context().newCDPSession(page);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 4 });
  await cdp.send('Network.enable');
  await cdp.send('Network.emulateNetworkConditions', {
    offline: false,
    latency: 150,
    downloadThroughput: (1.6e6 / 8) * 0.9,
    uploadThroughput: (750e3 / 8) * 0.9,
  });
}

/** Reloads; the marks' times from navigation start, and the wasm's download end. */
async function secondVisit(page) {
  await page.goto(origin);
  await page.waitForFunction(() => performance.getEntriesByName('officina:usable').length, null, { timeout: TIMEOUT });
  const times = await page.evaluate((names) => {
    const at = Object.fromEntries(names.map((n) => [n, performance.getEntriesByName(n)[0]?.startTime]));
    const wasm = performance.getEntriesByType('resource').find((r) => r.name.endsWith('.wasm'));
    return { ...at, wasm: wasm?.responseEnd };
  }, MARKS);
  await settle(page);
  return times;
}

/** Installs what times the next click to the frame after the screen shows `until`: the done
 *  banner (`{ banner: true }`) or a new `main h1` (`{ heading: text }`, any text when null) and,
 *  for a lazy screen whose heading comes first, its content (`ready`, a selector). */
function timeNextClick(page, until) {
  return page.evaluate(({ banner, heading, ready }) => {
    window.benchResult = undefined;
    const onClick = (e) => {
      const clicked = e.timeStamp;
      const before = document.querySelector('main h1');
      const shown = () => {
        if (banner) return document.querySelector('main .done-banner');
        const h1 = document.querySelector('main h1');
        const headed = h1 && h1 !== before && (heading == null ? h1.textContent : h1.textContent === heading);
        return headed && (ready == null || document.querySelector(ready));
      };
      const check = () => {
        if (!shown()) return;
        observer.disconnect();
        requestAnimationFrame(() => (window.benchResult = performance.now() - clicked));
      };
      const observer = new MutationObserver(check);
      observer.observe(document.body, { childList: true, subtree: true, characterData: true });
      check();
    };
    document.addEventListener('click', onClick, { capture: true, once: true });
  }, until);
}

async function result(page) {
  await page.waitForFunction(() => window.benchResult !== undefined, null, { timeout: TIMEOUT });
  return page.evaluate(() => window.benchResult);
}

/** In-app navigation without a click (between measurements): the router follows popstate. */
async function goInApp(page, url, heading) {
  await page.evaluate((u) => {
    history.pushState(null, '', u);
    dispatchEvent(new PopStateEvent('popstate'));
  }, url);
  await page.locator('main h1').filter({ hasText: heading ?? /./ }).first().waitFor({ timeout: TIMEOUT });
}

async function taps(page, lessons) {
  const times = [];
  for (const lesson of lessons) {
    await goInApp(page, `/attivita/${lesson.id}`, lesson.title.it);
    const button = page.getByRole('button', { name: 'Segna come fatta' });
    await button.waitFor({ timeout: TIMEOUT });
    await page.waitForTimeout(300);
    await timeNextClick(page, { banner: true });
    await button.click();
    times.push(await result(page));
    await page.waitForTimeout(500); // the push after the action
  }
  return times;
}

/** A click on an app link to `url`, from home: until a new `main h1` and one more frame. */
async function openScreen(page, url, ready) {
  await goInApp(page, '/', 'I tuoi percorsi');
  await page.waitForTimeout(300);
  await page.evaluate((u) => {
    const link = document.createElement('a');
    link.href = u;
    link.id = 'bench-link';
    link.textContent = 'bench';
    document.querySelector('main').prepend(link);
  }, url);
  await timeNextClick(page, { heading: null, ready });
  await page.locator('#bench-link').click();
  const took = await result(page);
  await page.evaluate(() => document.getElementById('bench-link')?.remove());
  return took;
}

async function screens(page, bundle) {
  const all = activities(bundle);
  const first = (kind) => all.find((a) => a.kind === kind);
  const family = activities(bundle, 'family').find((a) => a.kind === 'family_task');
  const targets = [
    ['home', '/'],
    ['path', `/percorsi/${first('lesson').path}`],
    ['activity (lesson)', `/attivita/${first('lesson').id}`],
    ['activity (quiz)', `/attivita/${first('quiz').id}`],
    ['activity (challenge)', `/attivita/${first('challenge').id}`],
    ['badges', '/badge'],
    ['profile (lazy, preloaded)', '/profilo', PROFILE_READY],
    ['privacy (lazy, preloaded)', '/privacy', 'main section h2'],
    ...(family ? [['family task (lazy part, preloaded)', `/attivita/${family.id}`]] : []),
  ];
  const times = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, url, ready] of targets) {
      // Home from home would not change the heading: open it from the badges screen.
      if (name === 'home') {
        await goInApp(page, '/badge', 'I tuoi badge');
        await timeNextClick(page, { heading: 'I tuoi percorsi' });
        await page.locator('nav a[href="/"]').first().click();
        (times[name] ??= []).push(await result(page));
        continue;
      }
      (times[name] ??= []).push(await openScreen(page, url, ready));
    }
  }
  return times;
}

/** The profile right after start-up, before the chunks are preloaded: the chunk comes cold. */
async function coldProfile(page) {
  await page.goto(origin);
  await page.waitForFunction(() => performance.getEntriesByName('officina:usable').length, null, { timeout: TIMEOUT });
  await timeNextClick(page, { heading: 'Profilo', ready: PROFILE_READY });
  await page.locator('nav a[href="/profilo"]').first().click();
  const took = await result(page);
  await settle(page);
  return took;
}

// ---- one learner, all measurements -------------------------------------------------------------

async function run(bundle, count) {
  const lessons = activities(bundle).filter((a) => a.kind === 'lesson').slice(-TAPS);
  const session = await learner(`Bench${count}`);
  await pushHistory(session, bundle, lessons.map((l) => l.id), count);
  const { page, close } = await launch();
  page.setDefaultTimeout(TIMEOUT);
  try {
    await firstVisit(page, session, count);
    const stored = await storedCount(page);
    await slowPhone(page);
    const visits = [];
    for (let n = 0; n < RELOADS; n++) visits.push(await secondVisit(page));
    const cold = [];
    for (let n = 0; n < 3; n++) cold.push(await coldProfile(page));
    const tapped = await taps(page, lessons);
    const opened = await screens(page, bundle);
    return { visits, tapped, opened, cold, stored };
  } finally {
    await close();
  }
}

function table(title, r) {
  const row = (metric, values, goal) =>
    console.log(`${metric.padEnd(40)} · ${ms(percentile(values, 50)).padStart(9)} · ${ms(Math.max(...values)).padStart(9)} · ${goal}`);
  console.log(`\n${title} (${r.stored} events stored on the device)`);
  console.log(`${'metric'.padEnd(40)} · ${'p50'.padStart(9)} · ${'max'.padStart(9)} · goal`);
  const at = (name) => r.visits.map((v) => v[name]);
  row('second visit: usable', at('officina:usable'), '< 500 ms');
  row('  wasm fetched (its responseEnd)', at('wasm'), '');
  row('  wasm started (officina:start)', at('officina:start'), '');
  const step = (a, b) => r.visits.map((v) => v[b] - v[a]);
  row('  start → content read', step('officina:start', 'officina:content'), '');
  row('  content → journal read', step('officina:content', 'officina:journal'), '');
  row('  journal → home rendering', step('officina:journal', 'officina:home'), '');
  row('  home → usable (list, next frame)', step('officina:home', 'officina:usable'), '');
  row('tap "Segna come fatta"', r.tapped, '< 30 ms');
  for (const [name, values] of Object.entries(r.opened)) row(`open ${name}`, values, '< 100 ms');
  row('open profile (lazy, cold after start)', r.cold, '< 100 ms');
}

async function main() {
  const bundle = await api('GET', '/api/content');
  console.log(`bench-phone: Chromium 360×740, CPU 4× slower, 1.6 Mbps / 150 ms; ${RELOADS} second visits, ${TAPS} taps, ${ROUNDS} opens of each screen`);
  for (const count of [EVENTS, 0]) table(`${count} events`, await run(bundle, count));
}

await main();
