import { chromium, expect, test, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import config from '../playwright.config';
import { activity, answerQuiz, bundle, expectAccessible, pendingCount, serverEvents, signedIn, storedEvents } from './helpers';
import { startOwnServer } from './own-server';

const dist = path.resolve(__dirname, '../../dist');

/** Waits until the service worker controls the page, so the next load can come from its cache. */
async function waitForServiceWorker(page: Page) {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
}

test('Chromium reports no installability errors and the manifest is complete', async ({ baseURL }) => {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'officina-install-'));
  const context = await chromium.launchPersistentContext(profile, { ...config.use?.launchOptions, baseURL });
  try {
    const page = await context.newPage();
    await page.goto('/');
    await waitForServiceWorker(page);
    const cdp = await context.newCDPSession(page);
    const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
    expect(installabilityErrors).toEqual([]);

    const manifest = await (await page.request.get('/manifest.webmanifest')).json();
    expect(manifest).toMatchObject({ lang: 'it', display: 'standalone', start_url: '/', scope: '/' });
    const sizes = manifest.icons.map((i: { sizes: string; purpose: string }) => `${i.sizes} ${i.purpose}`);
    expect(sizes).toEqual(expect.arrayContaining(['192x192 any', '512x512 any', '512x512 maskable']));
    for (const image of [...manifest.icons, ...manifest.screenshots]) {
      expect((await page.request.get(image.src)).ok(), image.src).toBeTruthy();
    }
  } finally {
    await context.close();
  }
});

test('offline: the app reopens, deep links work, work is kept and pushed when back online', async ({ page, context }) => {
  const quiz = activity(await bundle(page), 'spazio-quiz-iss');
  const session = await signedIn(page);
  await page.goto('/');
  await expect(page.getByRole('link', { name: /Space Camp/ })).toBeVisible();
  await waitForServiceWorker(page);

  await context.setOffline(true);
  const started = Date.now();
  await page.reload();
  await expect(page.getByRole('link', { name: /Space Camp/ })).toBeVisible();
  console.log(`offline second visit: home rendered in ${Date.now() - started} ms`);
  await expect(pendingCount(page)).toHaveAttribute('data-online', 'false');
  await expectAccessible(page);

  await page.goto('/attivita/spazio-la-luna-da-vicino');
  await page.getByRole('button', { name: 'Segna come fatta' }).click();
  await expect(page.getByText('✓ Attività completata')).toBeVisible();
  await page.goto('/attivita/spazio-quiz-iss');
  await answerQuiz(page, quiz, true);
  await expect(page.getByText('✓ Quiz superato!')).toBeVisible();

  await page.reload();
  await page.goto('/percorsi/space-camp');
  const done = page.locator('.activity-link', { hasText: '✓ fatta' });
  await expect(done).toHaveCount(2);
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '2');
  expect(await storedEvents(page)).toHaveLength(2);

  await context.setOffline(false);
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '0');
  await expect(pendingCount(page)).toHaveAttribute('data-online', 'true');
  expect(await serverEvents(page, session)).toHaveLength(2);

  const cachedUrls = () =>
    page.evaluate(async () => {
      const urls: string[] = [];
      for (const name of await caches.keys()) {
        for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
      }
      return urls;
    });
  // The images are kept in the background, again once the phone is back online: wait for them.
  await expect
    .poll(async () => (await cachedUrls()).filter((url) => url.startsWith('/content/images/covers/')).length)
    .toBeGreaterThan(0);
  const cached = await cachedUrls();
  expect(cached).toContain('/index.html');
  expect(cached.filter((url) => url.startsWith('/api/'))).toEqual([]);
});

test('rare screens come in chunks after the programme, precached, and open offline', async ({ page, context }) => {
  const chunks = fs.readdirSync(dist).filter((file) => /^split_.*\.wasm$/.test(file)).map((file) => `/${file}`);
  expect(chunks.length).toBeGreaterThanOrEqual(2);
  const fetched: string[] = [];
  page.on('request', (request) => fetched.push(new URL(request.url()).pathname));
  await page.goto('/');
  await expect(page.getByRole('link', { name: /Space Camp/ })).toBeVisible();
  // Preloaded once the programme has arrived: never before it, never at start.
  await expect.poll(() => chunks.filter((chunk) => !fetched.includes(chunk))).toEqual([]);
  const programme = fetched.findIndex((url) => url.startsWith('/api/content'));
  expect(programme).toBeGreaterThanOrEqual(0);
  for (const chunk of chunks) expect(fetched.indexOf(chunk)).toBeGreaterThan(programme);

  await waitForServiceWorker(page);
  const cached = await page.evaluate(async () => {
    const urls: string[] = [];
    for (const name of await caches.keys()) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  expect(cached).toEqual(expect.arrayContaining([...chunks, '/__wasm_split.js']));

  await context.setOffline(true);
  await page.reload();
  await page.goto('/profilo');
  await expect(page.getByRole('heading', { name: 'Profili su questo dispositivo' })).toBeVisible();
});

test('a new version is offered, and installed only when the learner taps Aggiorna', async ({ page }) => {
  // A server of its own: deploying a new version means restarting it (README, "Aggiornare").
  const server = await startOwnServer();
  try {
    await page.goto(`${server.origin}/`);
    await waitForServiceWorker(page);
    await expect(page.getByText('Nuova versione disponibile')).toHaveCount(0);

    // Deploy a "new version": same files, another build id, without the old compressed copies.
    const worker = path.join(server.dist, 'sw.js');
    const original = fs.readFileSync(worker, 'utf8');
    fs.writeFileSync(worker, original.replace(/const BUILD = '([0-9a-f]+)'/, "const BUILD = '$1-next'"));
    ['.br', '.gz'].forEach((ext) => fs.rmSync(worker + ext, { force: true }));
    await server.restart();
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.update());
    await expect(page.getByText('Nuova versione disponibile')).toBeVisible();
    await expectAccessible(page);

    await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Aggiorna' }).click()]);
    await expect(page.getByRole('link', { name: /Space Camp/ })).toBeVisible();
    const shells = await page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('officina-shell-')));
    expect(shells).toHaveLength(1);
    expect(shells[0]).toMatch(/-next$/);
  } finally {
    await server.stop();
  }
});

test.describe('without a service worker to keep the chunks', () => {
  test.use({ serviceWorkers: 'block' });

  test('a screen whose chunk cannot be fetched says so instead of stopping the app, and opens once it can', async ({ page }) => {
    let reachable = false;
    await page.route(/\/split_quiz[^/]*\.wasm$/, (route) => (reachable ? route.continue() : route.abort()));
    await page.goto('/percorsi/space-camp');
    await page.locator('a[href="/attivita/spazio-quiz-iss"]').click();
    await expect(page.getByRole('alert')).toContainText('non è ancora sul telefono');
    await expectAccessible(page);

    // The app goes on: another screen opens, and the quiz does once its chunk can be fetched.
    await page.getByRole('link', { name: /Space Camp/ }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: 'Space Camp' })).toBeVisible();
    reachable = true;
    await page.locator('a[href="/attivita/spazio-quiz-iss"]').click();
    await expect(page.getByText(/Domanda 1 di \d+/)).toBeVisible();
  });
});
