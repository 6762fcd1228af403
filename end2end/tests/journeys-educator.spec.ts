import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { activity, bundle, cohortTabs, createCohort, createEducator, expectAccessible, quizSubmitted, STAFF_PASSWORD, staffSignIn } from './helpers';

// The educator's journey, through the workspace's screens only: the class is set up through the API.

const SECRET = 'luna-piena-7';
const LESSONS = ['che-cos-e-un-orbita', 'la-stazione-cade'];
const QUIZ = 'spazio-quiz-orbite';
const CHALLENGE = 'spazio-sfida-razzo-ad-acqua';

type Member = { id: string; token: string };

/** A learner (or, in a family cohort, anyone) who joins through the API. */
async function join(request: APIRequestContext, code: string, nickname: string): Promise<Member> {
  const response = await request.post('/api/join', { data: { code, nickname, secret: SECRET, age_band: '14_plus' } });
  expect(response.status()).toBe(201);
  const session = await response.json();
  return { id: session.user.id, token: session.token };
}

/** Pushes `events` as `member`, from a device of their own; each must be accepted. */
async function push(request: APIRequestContext, member: Member, events: Array<Record<string, unknown>>) {
  const stamped = events.map((e) => ({ id: crypto.randomUUID(), at: new Date().toISOString(), ...e }));
  const response = await request.post('/api/sync/push', {
    headers: { Authorization: `Bearer ${member.token}` },
    data: { device_id: crypto.randomUUID(), events: stamped },
  });
  expect(response.status()).toBe(200);
  const statuses = (await response.json()).results.map((r: { status: string }) => r.status);
  expect(statuses).toEqual(events.map(() => 'accepted'));
}

const lessonDone = (id: string) => ({ kind: 'activity_completed', activity_id: id, data: {} });

/** The document is no wider than the 360 px viewport. */
async function expectNoSideScroll(page: Page) {
  const [document, viewport] = await page.evaluate(() => [document.documentElement.scrollWidth, window.innerWidth]);
  expect(document, `${page.url()} is ${document} px wide at ${viewport} px`).toBeLessThanOrEqual(viewport);
}

/** The text of each cell of the table in the region `name`, row by row, header first. */
async function cells(page: Page, name: string): Promise<string[][]> {
  const table = page.getByRole('region', { name, exact: true }).locator('table');
  await expect(table).toBeVisible();
  return table.locator('tr').evaluateAll((rows) => rows.map((r) => Array.from(r.querySelectorAll('th, td')).map((c) => c.textContent ?? '')));
}

/** The row of `table` (header first) whose cells include `name`, as a record by column. */
function row(table: string[][], name: string): Record<string, string> {
  const found = table.find((r) => r.includes(name));
  expect(found, `a row for ${name}`).toBeTruthy();
  return Object.fromEntries(table[0].map((column, i) => [column, found![i]]));
}

test('an educator approves a challenge by its title and reads the exact figures of a class of three', async ({ page, request }) => {
  const name = `Giulia ${Date.now()}`;
  createEducator(name, STAFF_PASSWORD);
  const code = createCohort('space-camp', [name]);
  const content = await bundle(page);
  const quiz = activity(content, QUIZ);
  const challenge = activity(content, CHALLENGE);
  const [astro, cometa, luna] = [await join(request, code, 'Astro'), await join(request, code, 'Cometa'), await join(request, code, 'Luna')];
  await push(request, astro, [...LESSONS.map(lessonDone), quizSubmitted(quiz, true)]);
  await push(request, cometa, [lessonDone(LESSONS[0]), quizSubmitted(quiz, false)]);
  const evidence = 'Il razzo è salito di 20 metri al terzo lancio.';
  await push(request, luna, [{ kind: 'challenge_submitted', activity_id: CHALLENGE, data: { text: evidence, photos: [] } }]);

  await staffSignIn(page, name);
  await expectNoSideScroll(page);
  await expect(page.locator('main a.card-link')).toContainText('3 ragazzi, 0 genitori');
  await page.locator('main a.card-link').click();
  await expect(page.getByRole('region', { name: 'Partecipanti' })).toContainText('Luna');
  await expectNoSideScroll(page);

  await cohortTabs(page).getByRole('link', { name: 'Revisioni' }).click();
  // Opened afresh on a slow connection: the small queue comes before the programme's titles.
  await page.route('**/api/content*', async (route) => {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    await route.continue();
  });
  await page.reload();
  const card = page.locator('article.submission', { hasText: evidence });
  await expect(card.getByRole('heading', { level: 2 })).toHaveText(`Luna · ${challenge.title.it}`);
  await expect(card).not.toContainText(CHALLENGE);
  await expectAccessible(page);
  await expectNoSideScroll(page);
  await card.getByRole('button', { name: 'Approva' }).click();
  await expect(card).toContainText('Approvata');
  await expect(card.getByRole('heading', { level: 2 })).toHaveText(`Luna · ${challenge.title.it}`);

  await cohortTabs(page).getByRole('link', { name: 'Cruscotto' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Cruscotto del gruppo' })).toBeVisible();
  const activities = await cells(page, 'Attività');
  const questions = quiz.questions?.length ?? 0;
  const mean = `${(questions / 2).toFixed(1).replace('.', ',')} su ${questions}`;
  expect(row(activities, quiz.title.it)).toMatchObject({ 'Completata da': '1 di 3', 'Punteggio medio al primo tentativo': mean });
  expect(row(activities, activity(content, LESSONS[0]).title.it)['Completata da']).toBe('2 di 3');
  expect(row(activities, activity(content, LESSONS[1]).title.it)['Completata da']).toBe('1 di 3');
  expect(row(activities, challenge.title.it)['Completata da']).toBe('1 di 3');
  const learners = await cells(page, 'Ragazzi');
  expect(learners.flat()).not.toContain('<5');
  expect(row(learners, 'Astro')['Avanzamento']).toMatch(/^[1-9]\d?%$/);

  // The wide table scrolls inside its own card; the page itself does not.
  const region = page.getByRole('region', { name: 'Attività', exact: true });
  const [inner, outer] = await region.evaluate((el) => [el.scrollWidth, el.clientWidth]);
  expect(inner).toBeGreaterThan(outer);
  await region.focus();
  await page.keyboard.press('ArrowRight');
  await expect.poll(() => region.evaluate((el) => el.scrollLeft)).toBeGreaterThan(0);
  await expectNoSideScroll(page);
  await expectAccessible(page);

  // The same class in the report for the funder: nobody singled out, means not available.
  await cohortTabs(page).getByRole('link', { name: 'Impatto' }).click();
  const assessed = await cells(page, 'Autovalutazione delle competenze digitali');
  expect(assessed[0]).toContain('Media prima (1–4; n/d con meno di 5 persone)');
  expect(assessed[1].slice(1)).toEqual(['0', 'n/d', 'n/d']);
  const participation = await cells(page, 'Partecipazione');
  expect(row(participation, 'Space Camp')).toMatchObject({ 'Ragazzi e ragazze': '<5', Genitori: '0' });
  await expectNoSideScroll(page);
  await expectAccessible(page);

  // The programme's report, on the phone and on a laptop: its tables scroll in their cards.
  await page.getByRole('navigation', { name: 'Spazio educatori' }).getByRole('link', { name: 'Impatto' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Impatto del programma' })).toBeVisible();
  await expect(page.locator('main table').first()).toBeVisible();
  await expectNoSideScroll(page);
  await expectAccessible(page);
  await page.setViewportSize({ width: 1280, height: 800 });
  await expectNoSideScroll(page);
  for (const region of await page.locator('main [role="region"]').all()) {
    const right = await region.evaluate((el) => el.getBoundingClientRect().right);
    expect(right, 'each table ends within the window, scrolling inside its card').toBeLessThanOrEqual(1280);
  }
});

test('an educator makes a parent who joined as a learner a parent, and removes someone who should not be there, from the roster', async ({ page, request }) => {
  const name = `Rocco ${Date.now()}`;
  createEducator(name, STAFF_PASSWORD);
  const code = createCohort('family-esperimenti', [name]);
  const mum = await join(request, code, 'Mamma Anna');
  const lorenzo = await join(request, code, 'Lorenzo');

  await staffSignIn(page, name);
  await expect(page.locator('main a.card-link')).toContainText('2 ragazzi, 0 genitori');
  await page.locator('main a.card-link').click();
  const roster = page.getByRole('region', { name: 'Partecipanti' });
  const change = roster.getByRole('button', { name: 'Cambia ruolo: Mamma Anna' });
  await expect(change).toBeVisible();
  const box = await change.boundingBox();
  expect(box?.height).toBeGreaterThanOrEqual(48);
  await change.click();
  await expect(change).toHaveAttribute('aria-expanded', 'true');
  const role = roster.getByLabel('Nuovo ruolo di Mamma Anna');
  await expect(role.locator('option[value="parent"]')).toHaveCount(1);
  await expectAccessible(page);
  await expectNoSideScroll(page);
  await role.selectOption('parent');
  await roster.getByRole('button', { name: 'Salva il ruolo' }).click();
  await expect.poll(async () => row(await cells(page, 'Partecipanti'), 'Mamma Anna')['Ruolo']).toBe('genitore');

  // Her session follows; once she has a family code waiting, the role stays, and the screen says why.
  const me = await request.get('/api/me', { headers: { Authorization: `Bearer ${mum.token}` } });
  expect((await me.json()).role).toBe('parent');
  const familyCode = await request.post('/api/family/code', { headers: { Authorization: `Bearer ${mum.token}` } });
  expect(familyCode.status()).toBe(201);
  await roster.getByRole('button', { name: 'Cambia ruolo: Mamma Anna' }).click();
  await roster.getByLabel('Nuovo ruolo di Mamma Anna').selectOption('14_plus');
  await roster.getByRole('button', { name: 'Salva il ruolo' }).click();
  await expect(roster.getByRole('alert')).toContainText('Questo ruolo non si può più cambiare');
  expect(row(await cells(page, 'Partecipanti'), 'Mamma Anna')['Ruolo']).toBe('genitore');
  await expectAccessible(page);

  await page.getByRole('navigation', { name: 'Spazio educatori' }).getByRole('link', { name: 'Gruppi' }).click();
  await expect(page.locator('main a.card-link')).toContainText('1 ragazzo/a, 1 genitore');

  // Someone who should not be there is removed, asked twice: their session ends at once.
  await page.locator('main a.card-link').click();
  await roster.getByRole('button', { name: 'Cambia ruolo: Lorenzo' }).click();
  await roster.getByRole('button', { name: 'Rimuovi dal gruppo Lorenzo' }).click();
  await expectAccessible(page);
  await roster.getByRole('button', { name: 'Sì, rimuovi Lorenzo' }).click();
  await expect.poll(async () => (await cells(page, 'Partecipanti')).some((r) => r.includes('Lorenzo'))).toBe(false);
  const removed = await request.get('/api/me', { headers: { Authorization: `Bearer ${lorenzo.token}` } });
  expect(removed.status()).toBe(401);
});
