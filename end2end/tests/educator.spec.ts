import { expect, test, type Browser, type Page } from '@playwright/test';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { cohortTabs, createCohort, createEducator, expectAccessible, serverEvents, signedIn, staffSignIn, STAFF_PASSWORD as PASSWORD, type Session } from './helpers';

const CHALLENGE = '/attivita/sost-sfida-mappa-e-proponi';
const EVIDENCE = 'Abbiamo mappato i rifiuti sulla spiaggia e proposto tre cestini per la raccolta.';

/** Creates a cohort on the Sustainability path through the form; returns its id and join code. */
async function createCohortInWorkspace(page: Page, name: string): Promise<{ id: string; code: string }> {
  await page.getByRole('link', { name: 'Nuovo gruppo' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Nuovo gruppo' })).toBeVisible();
  await page.getByLabel('Nome del gruppo').fill(name);
  const path = page.getByLabel('Percorso', { exact: true });
  await expect(path.locator('option[value="steamcamp-sostenibilita"]')).toHaveCount(1);
  await path.selectOption('steamcamp-sostenibilita');
  await page.getByLabel(/^Per chi è/).fill('2ª B, scuola media Galateo');
  await page.getByLabel('Inizio').fill('2026-11-02');
  await page.getByLabel('Fine').fill('2026-12-18');
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Crea il gruppo' }).click();
  await expect(page.getByRole('heading', { level: 1, name })).toBeVisible();
  const id = new URL(page.url()).pathname.split('/')[3];
  const code = ((await page.locator('.join-code').textContent()) ?? '').trim();
  expect(code.length).toBeGreaterThanOrEqual(4);
  return { id, code };
}

/** A CSV file as rows of cells (RFC 4180: quoted cells may hold separators, quotes and newlines). */
function parseCsv(text: string): string[][] {
  const body = text.replace(/^\uFEFF/, '');
  const firstLine = body.split(/\r?\n/, 1)[0].replace(/"[^"]*"/g, '');
  const separator = (firstLine.match(/;/g)?.length ?? 0) > (firstLine.match(/,/g)?.length ?? 0) ? ';' : ',';
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < body.length; i++) {
    const c = body[i];
    if (quoted) {
      if (c === '"' && body[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c === '"') {
      quoted = true;
    } else if (c === separator) {
      row.push(cell);
      cell = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && body[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else {
      cell += c;
    }
  }
  if (cell !== '' || row.length) rows.push([...row, cell]);
  return rows;
}

/** The text of every cell of the table in `region`, row by row, header first. */
async function tableOnScreen(page: Page, region: string): Promise<string[][]> {
  const table = page.getByRole('region', { name: region, exact: true }).locator('table');
  await expect(table).toBeVisible();
  return table.locator('tr').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('th, td')).map((c) => c.textContent ?? '')));
}

/** Runs `body` with two pages in separate browser contexts (two people, two phones), closed after. */
async function withTwoPages(browser: Browser, body: (one: Page, two: Page) => Promise<void>): Promise<void> {
  const contexts = [await browser.newContext(), await browser.newContext()];
  try {
    await body(await contexts[0].newPage(), await contexts[1].newPage());
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
}

test('an educator makes a cohort, a learner joins and hands in a challenge, the educator approves it and awards a badge', async ({ browser }) => {
  await withTwoPages(browser, async (educator, learner) => {
    const name = `Maria ${Date.now()}`;
    createEducator(name, PASSWORD);
    await educator.goto('/educator/');
    await expectAccessible(educator);
    await staffSignIn(educator, name);
    await expectAccessible(educator);

    const cohortName = `Sostenibilità ${Date.now()}`;
    const cohort = await createCohortInWorkspace(educator, cohortName);
    const qr = educator.getByRole('img', { name: /^Codice QR per entrare nel gruppo/ });
    await expect(qr).toBeVisible();
    await expect.poll(() => qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    await expect(qr).toHaveAttribute('alt', new RegExp(cohort.code));
    await expectAccessible(educator);

    // The learner joins with the code shown and hands in the challenge from the app.
    const session: Session = await signedIn(learner, 'Astro', cohort.code);
    await learner.goto(CHALLENGE);
    await learner.getByLabel(/Che cosa hai fatto/).fill(EVIDENCE);
    await learner.getByRole('button', { name: 'Invia la sfida' }).click();
    await expect
      .poll(async () => (await serverEvents(learner, session)).some((e) => e.kind === 'challenge_submitted'))
      .toBe(true);

    // The member list shows the learner.
    await educator.reload();
    await expect(educator.getByRole('region', { name: 'Partecipanti' })).toContainText('Astro');

    await cohortTabs(educator).getByRole('link', { name: 'Revisioni' }).click();
    const card = educator.locator('article', { hasText: 'Astro' });
    await expect(card).toContainText('Da rivedere');
    await expect(card).toContainText(EVIDENCE);
    await expectAccessible(educator);
    await card.getByRole('button', { name: 'Chiedi modifiche' }).click();
    await expect(card.getByRole('alert')).toHaveText('Scrivi nel commento che cosa cambiare.');
    await card.getByLabel('Commento per chi ha consegnato').fill('Ottima mappa!');
    await card.getByRole('button', { name: 'Approva' }).click();
    await expect(educator.locator('article', { hasText: 'Astro' })).toContainText('Approvata: «Ottima mappa!»');

    const award = educator.getByRole('region', { name: 'Assegna un badge' });
    await award.getByLabel('A chi').selectOption({ label: 'Astro' });
    await award.getByLabel('Badge', { exact: true }).selectOption({ label: 'Spirito di squadra' });
    await award.getByLabel('Motivo').fill('Ha aiutato il gruppo a disegnare la mappa.');
    await award.getByRole('button', { name: 'Assegna' }).click();
    await expect(award.getByRole('status')).toContainText('Badge assegnato');

    const events = await serverEvents(learner, session);
    const review = events.find((e) => e.kind === 'challenge_reviewed');
    expect(review?.data).toEqual({ status: 'approved', comment: 'Ottima mappa!' });
    const awarded = events.find((e) => e.kind === 'badge_awarded');
    expect(awarded?.data).toEqual({ badge_id: 'spirito-di-squadra', reason: 'Ha aiutato il gruppo a disegnare la mappa.' });

    // The learner's device pulls both and shows the badges earned.
    await learner.goto('/badge');
    await expect(learner.locator('.badge-earned', { hasText: "Un'idea per il Salento" })).toBeVisible();
    await expect(learner.locator('.badge-earned', { hasText: 'Spirito di squadra' })).toBeVisible();
  });
});

test("a photo handed in from a learner's phone shows in the educator's review queue", async ({ browser }) => {
  await withTwoPages(browser, async (educator, learner) => {
    const name = `Ilaria ${Date.now()}`;
    createEducator(name, PASSWORD);
    const code = createCohort('space-camp', [name]);
    await signedIn(learner, 'Nadia', code);
    await learner.goto('/attivita/spazio-sfida-razzo-ad-acqua');
    await learner.getByLabel(/Che cosa hai fatto/).fill('Il razzo è partito al terzo tentativo, ecco la foto.');
    await learner.getByLabel('Scegli dalla galleria').setInputFiles(path.resolve(__dirname, '../../server/tests/fixtures/photos/gps.jpg'));
    await expect(learner.getByRole('img', { name: 'Foto 1' })).toBeVisible();
    await learner.getByRole('button', { name: 'Invia la sfida' }).click();
    await expect(learner.getByText('Inviata', { exact: true })).toBeVisible({ timeout: 15_000 });

    await staffSignIn(educator, name);
    await educator.locator('main a.card-link').first().click();
    await cohortTabs(educator).getByRole('link', { name: 'Revisioni' }).click();
    const photo = educator.getByRole('img', { name: 'Foto 1 di 1 consegnata da Nadia' });
    await expect(photo).toBeVisible();
    await expect.poll(() => photo.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0)).toBe(true);
    // Stored upright and without its metadata: the 64×48 camera picture with Orientation 6.
    expect(await photo.evaluate((img: HTMLImageElement) => [img.naturalWidth, img.naturalHeight])).toEqual([48, 64]);
    await expectAccessible(educator);
  });
});

test('the dashboard shows exactly what its CSV files hold, the impact report shows targets and small cells as <5, and prints without its controls', async ({ browser }) => {
  await withTwoPages(browser, async (educator, learner) => {
    const name = `Paolo ${Date.now()}`;
    createEducator(name, PASSWORD);
    await staffSignIn(educator, name);
    const cohort = await createCohortInWorkspace(educator, `Cruscotto ${Date.now()}`);
    const session = await signedIn(learner, 'Vega', cohort.code);
    await learner.goto(CHALLENGE);
    await learner.getByLabel(/Che cosa hai fatto/).fill(EVIDENCE);
    await learner.getByRole('button', { name: 'Invia la sfida' }).click();
    await expect
      .poll(async () => (await serverEvents(learner, session)).some((e) => e.kind === 'challenge_submitted'))
      .toBe(true);

    await cohortTabs(educator).getByRole('link', { name: 'Cruscotto' }).click();
    await expect(educator.getByRole('heading', { level: 1, name: 'Cruscotto del gruppo' })).toBeVisible();
    for (const [table, title] of [['learners', 'Ragazzi'], ['activities', 'Attività']]) {
      const screen = await tableOnScreen(educator, title);
      expect(screen.length, `${title}: a header and at least one row`).toBeGreaterThan(1);
      expect(screen.flat(), `${title}: the cohort's own educator sees exact figures`).not.toContain('<5');
      const [download] = await Promise.all([
        educator.waitForEvent('download'),
        educator.getByRole('button', { name: `Scarica CSV: ${title}` }).click(),
      ]);
      expect(download.suggestedFilename()).toBe(`officina-${cohort.id}-${table}.csv`);
      const csv = parseCsv(fs.readFileSync((await download.path())!, 'utf8'));
      expect(csv, `${title}: the CSV says what the screen says`).toEqual(screen);
    }
    expect((await tableOnScreen(educator, 'Ragazzi')).flat()).toContain('Vega');
    await expectAccessible(educator);

    await cohortTabs(educator).getByRole('link', { name: 'Impatto' }).click();
    await expect(educator.getByRole('heading', { level: 1, name: 'Impatto del gruppo' })).toBeVisible();
    await expect(educator.locator('main td', { hasText: /^<5$/ }).first()).toBeVisible();
    await expectAccessible(educator);

    await educator.getByRole('navigation', { name: 'Spazio educatori' }).getByRole('link', { name: 'Impatto' }).click();
    await expect(educator.getByRole('heading', { level: 1, name: 'Impatto del programma' })).toBeVisible();
    const report = educator.locator('main');
    await expect(report.locator('table').first()).toBeVisible();
    for (const target of ['180', '120']) {
      await expect(report.locator('td', { hasText: target }).first(), `the target ${target} is in the report`).toBeVisible();
    }
    await expectAccessible(educator);
    await educator.emulateMedia({ media: 'print' });
    await expect(educator.getByRole('button', { name: 'Stampa' })).toBeHidden();
    await expect(educator.getByRole('navigation', { name: 'Spazio educatori' })).toBeHidden();
    await expect(report.locator('table').first()).toBeVisible();
  });
});

test("an educator sees only the cohorts they run: another one's is not found", async ({ browser }) => {
  await withTwoPages(browser, async (first, second) => {
    const stamp = Date.now();
    createEducator(`Anna ${stamp}`, PASSWORD);
    createEducator(`Bruno ${stamp}`, PASSWORD);
    await staffSignIn(first, `Anna ${stamp}`);
    const cohortName = `Riservato ${stamp}`;
    const cohort = await createCohortInWorkspace(first, cohortName);

    await staffSignIn(second, `Bruno ${stamp}`);
    await expect(second.getByText('Nessun gruppo ancora: creane uno.')).toBeVisible();
    await expect(second.getByRole('main')).not.toContainText(cohortName);
    await second.goto(`/educator/gruppi/${cohort.id}`);
    await expect(second.getByRole('alert')).toBeVisible();
    await expect(second.getByRole('heading', { name: cohortName })).toHaveCount(0);
    const token = await second.evaluate(() => JSON.parse(localStorage.getItem('officina.educator.session') ?? '{}').token);
    for (const path of [`/api/cohorts/${cohort.id}`, `/api/cohorts/${cohort.id}/reviews`, `/api/cohorts/${cohort.id}/qr.svg`]) {
      const response = await second.request.get(path, { headers: { Authorization: `Bearer ${token}` } });
      expect(response.status(), path).toBe(404);
    }
  });
});

test('an admin creates an educator, changes their password and disables them', async ({ page }) => {
  const stamp = Date.now();
  createEducator(`Admin ${stamp}`, PASSWORD, 'admin');
  await staffSignIn(page, `Admin ${stamp}`);
  await page.getByRole('link', { name: 'Educatori', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Educatori' })).toBeVisible();
  const newcomer = `Carla ${stamp}`;
  await page.getByLabel('Nome', { exact: true }).fill(newcomer);
  await page.getByLabel('Password iniziale').fill('prima-password-1');
  await page.getByRole('button', { name: "Crea l'account" }).click();
  const card = page.locator('article', { hasText: newcomer });
  await expect(card).toContainText('educatore · attivo');
  await expectAccessible(page);

  await card.getByLabel('Nuova password').fill('seconda-password-2');
  await card.getByRole('button', { name: 'Cambia la password' }).click();
  await expect(card.getByRole('status')).toHaveText('Password cambiata.');
  const login = (password: string) => page.request.post('/api/staff/login', { data: { name: newcomer, password } });
  expect((await login('prima-password-1')).status()).toBe(401);
  expect((await login('seconda-password-2')).status()).toBe(200);

  page.once('dialog', (dialog) => dialog.accept());
  await card.getByRole('button', { name: 'Disattiva' }).click();
  await expect(card).toContainText('disattivato');
  expect((await login('seconda-password-2')).ok()).toBe(false);
});

test("the learner's service worker leaves the workspace to the network, and the workspace says when it is offline", async ({ page, context }) => {
  await page.goto('/');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
  await page.goto('/educator/gruppi/qualsiasi');
  await expect(page).toHaveTitle('Officina · Educatori');
  await expect(page.getByRole('heading', { level: 1, name: 'Spazio educatori' })).toBeVisible();
  await context.setOffline(true);
  await expect(page.getByRole('status').filter({ hasText: 'Sei offline' })).toBeVisible();
  await context.setOffline(false);
  await expect(page.getByRole('status').filter({ hasText: 'Sei offline' })).toHaveCount(0);
});
