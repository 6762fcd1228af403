import { expect, test } from '@playwright/test';
import * as fs from 'node:fs';
import { activity, answerQuiz, bundle, createCohort, createEducator, expectAccessible, pendingCount, profileShown, signedIn } from './helpers';

test('the app lists every path of the programme and opens each one', async ({ page }) => {
  const content = await bundle(page);
  expect(content.paths.length).toBeGreaterThanOrEqual(10);
  await page.goto('/');
  for (const path of content.paths) {
    await expect(page.getByRole('link', { name: new RegExp(path.title.it) })).toBeVisible();
  }
  for (const path of content.paths) {
    await page.goto(`/percorsi/${path.id}`);
    await expect(page.getByRole('heading', { level: 1, name: path.title.it })).toBeVisible();
    for (const module of path.modules) {
      await expect(page.getByRole('heading', { level: 2, name: module.title.it })).toBeVisible();
    }
    const first = path.modules[0].activities[0];
    await page.getByRole('link', { name: first.title.it }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: first.title.it })).toBeVisible();
  }
});

test('a quiz: one question per screen, feedback, a failed attempt, a retry that passes, and a badge', async ({ page }) => {
  const session = await signedIn(page);
  const content = await bundle(page);
  const quiz = activity(content, 'spazio-quiz-orbite');
  const module = content.paths[0].modules[0];
  for (const lesson of module.activities.filter((a) => a.kind === 'lesson')) {
    await page.goto(`/attivita/${lesson.id}`);
    await page.getByRole('button', { name: 'Segna come fatta' }).click();
    await expect(page.getByText('✓ Attività completata')).toBeVisible();
  }

  await page.goto('/attivita/spazio-quiz-orbite');
  await answerQuiz(page, quiz, false);
  await expect(page.getByText('Non ancora: rileggi la lezione')).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Riprova' }).click();
  await page.emulateMedia({ reducedMotion: 'reduce' });
  await answerQuiz(page, quiz, true);
  await expect(page.getByText('✓ Quiz superato!')).toBeVisible();
  const celebration = page.locator('.celebration');
  await expect(celebration).toContainText('Nuovo badge! Prima orbita');
  expect(await celebration.evaluate((el) => getComputedStyle(el).animationName)).toBe('none');
  await expectAccessible(page);
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '0');

  // Moving on closes the celebration: it never covers the next screen's buttons.
  await page.getByRole('link', { name: 'Badge', exact: true }).click();
  await expect(celebration).toHaveCount(0);
  const earned = page.getByRole('region', { name: /Guadagnati/ });
  await expect(earned.getByRole('heading', { name: 'Prima orbita' })).toBeVisible();
  await expectAccessible(page);

  // The badge to keep: a verifiable public address, a file with the proof baked in, withdrawal.
  const card = earned.locator('li', { hasText: 'Prima orbita' });
  const verify = card.getByRole('link', { name: 'indirizzo pubblico' });
  const assertionUrl = (await verify.getAttribute('href')) ?? '';
  expect(assertionUrl).toMatch(/\/ob\/assertions\/[0-9a-f-]{36}$/);
  await expectAccessible(page);
  expect((await page.request.get(assertionUrl)).status()).toBe(200);
  const [download] = await Promise.all([page.waitForEvent('download'), card.getByRole('button', { name: 'Scarica (PNG)' }).click()]);
  expect(download.suggestedFilename()).toBe('prima-orbita.png');
  const png = fs.readFileSync(await download.path());
  expect(png.subarray(1, 4).toString()).toBe('PNG');
  expect(png.includes(Buffer.from('openbadges'))).toBeTruthy();
  // The public profile shows the nickname only once the learner chooses so.
  const auth = { Authorization: `Bearer ${session.token}` };
  const profileUrl = (await (await page.request.get('/api/badges', { headers: auth })).json()).profile_url;
  expect((await (await page.request.get(profileUrl)).json()).name).toBeUndefined();
  await page.getByLabel('Mostra il mio soprannome a chi verifica i miei badge').check();
  await expect.poll(async () => (await (await page.request.get(profileUrl)).json()).name).toBe('Astro');

  await card.getByRole('button', { name: 'Ritira' }).click();
  await card.getByRole('button', { name: 'Sì, ritira il badge' }).click();
  await expect(card.getByText('Hai ritirato questo badge')).toBeVisible();
  expect((await page.request.get(assertionUrl)).status()).toBe(410);
});

test('a challenge takes text evidence; a family task waits for the parent', async ({ page }) => {
  await page.goto('/attivita/spazio-sfida-razzo-ad-acqua');
  await expect(page.getByRole('heading', { name: 'Sicurezza prima di tutto' })).toBeVisible();
  const submit = page.getByRole('button', { name: 'Invia la sfida' });
  await expect(submit).toBeDisabled();
  await page.getByLabel(/Che cosa hai fatto/).fill('Il razzo è salito di circa 20 metri con mezzo litro d’acqua.');
  await submit.click();
  await expect(page.getByText('✓ Sfida inviata')).toBeVisible();
  await expectAccessible(page);

  await page.goto('/attivita/fam-esp-torre-densita');
  await page.getByRole('button', { name: "Confermo: l'abbiamo fatto insieme" }).click();
  await expect(page.getByText('In attesa della conferma del genitore.')).toBeVisible();
  await expect(page.getByRole('button', { name: /Confermo/ })).toHaveCount(0);
  await expectAccessible(page);
});

test('the language can be switched to English and is remembered', async ({ page }) => {
  await page.goto('/profilo');
  await expect(page.getByRole('heading', { level: 1, name: 'Profilo' })).toBeVisible();
  await expect(page.locator('.storage-info')).toContainText('Officina usa');
  await expectAccessible(page);

  await page.getByLabel('English').check();
  await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Your paths' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Coding and apps|Coding/ }).first()).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Your paths' })).toBeVisible();
  await expectAccessible(page);

  await page.goto('/profilo');
  await page.getByLabel('Italiano').check();
  await expect(page.locator('html')).toHaveAttribute('lang', 'it');
});

test('dark mode follows the system and keeps every screen accessible', async ({ page }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  for (const url of ['/', '/percorsi/space-camp', '/attivita/spazio-quiz-orbite', '/attivita/spazio-sfida-razzo-ad-acqua', '/badge', '/profilo']) {
    await page.goto(url);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    if (url === '/profilo') await profileShown(page);
    const background = await page.evaluate(() => getComputedStyle(document.body).backgroundColor);
    expect(background).toBe('rgb(18, 20, 23)');
    await expectAccessible(page);
  }
});

test('an educator switches points and streaks off for the group, and the app follows', async ({ page }) => {
  const educator = `Educatrice ${Date.now()}`;
  createEducator(educator, 'una-password-lunga');
  const session = await signedIn(page, 'Orione', createCohort('space-camp', [educator]));
  await page.goto('/');
  await expect(page.locator('.score')).toContainText('Punti: 0');
  await page.goto('/badge');
  await expect(page.getByRole('heading', { name: 'Costanza' })).toBeVisible();

  const cohort = await (await page.request.get('/api/cohort', { headers: { Authorization: `Bearer ${session.token}` } })).json();
  const staff = await (await page.request.post('/api/staff/login', { data: { name: educator, password: 'una-password-lunga' } })).json();
  const switched = await page.request.put(`/api/cohorts/${cohort.id}/settings`, {
    headers: { Authorization: `Bearer ${staff.token}` },
    data: { xp_and_streaks: false },
  });
  expect(switched.status()).toBe(204);

  await page.goto('/');
  await expect(page.getByRole('link', { name: /Space Camp/ })).toBeVisible();
  await expect(page.locator('.score')).toHaveCount(0);
  await page.goto('/badge');
  await expect(page.getByRole('heading', { name: 'Prima orbita' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Costanza' })).toHaveCount(0);
});
