import { expect, test } from '@playwright/test';
import { createCohort, expectAccessible, joinThroughScreens, pendingCount, serverEvents, signedIn, storedEvents } from './helpers';

test('a learner joins a group, opens an activity, marks it done, and the server stores it', async ({ page }) => {
  const code = createCohort();
  await page.goto('/profilo');
  await expect(page.getByRole('heading', { name: 'Il tuo gruppo' })).toBeVisible();
  await expectAccessible(page);
  await joinThroughScreens(page, { code, nickname: 'Stella', pin: 'cometa-42', who: 'learner' });
  const session = await page.evaluate(() => JSON.parse(localStorage.getItem('officina.session') ?? 'null'));
  expect(session.user).toMatchObject({ nickname: 'Stella', role: 'learner' });

  await page.getByRole('link', { name: 'Percorsi' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'I tuoi percorsi' })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('link', { name: /Space Camp/ }).click();
  await expect(page).toHaveURL(/\/percorsi\/space-camp$/);
  await expect(page.getByRole('heading', { level: 2, name: 'Orbite e gravità' })).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('link', { name: "Che cos'è un'orbita" }).click();
  await expect(page.getByRole('heading', { level: 1, name: "Che cos'è un'orbita" })).toBeVisible();
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Segna come fatta' }).click();
  await expect(page.getByText('✓ Attività completata')).toBeVisible();
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '0');
  // The pull after the push brings the server's receipt (its sequence number and time) back.
  await expect.poll(async () => (await storedEvents(page))[0]?.received).toBeTruthy();

  const events = await storedEvents(page);
  expect(events).toHaveLength(1);
  expect(events[0]).toMatchObject({ kind: 'activity_completed', activity_id: 'che-cos-e-un-orbita', user_id: session.user.id });

  await page.reload();
  await expect(page.getByText('✓ Attività completata')).toBeVisible();
  expect(await storedEvents(page)).toEqual(events);
  const onServer = await serverEvents(page, session);
  expect(onServer.map((e) => e.id)).toEqual([events[0].id]);
});

test('without a group, work stays on the device and the profile invites to join', async ({ page }) => {
  await page.goto('/attivita/la-stazione-cade');
  await page.getByRole('button', { name: 'Segna come fatta' }).click();
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '1');
  await page.getByRole('link', { name: 'Profilo' }).click();
  await expect(page.locator('.sync-state')).toContainText('il tuo lavoro è solo su questo dispositivo');
  await expect(page.getByRole('button', { name: 'Avanti' })).toBeEnabled();
});

test('an action stays in the outbox until the server acknowledges it', async ({ page }) => {
  await signedIn(page);
  await page.route('**/api/sync/push', (route) => route.abort('internetdisconnected'));
  await page.goto('/attivita/la-stazione-cade');
  await page.getByRole('button', { name: 'Segna come fatta' }).click();
  await expect(page.getByText('✓ Attività completata')).toBeVisible();
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '1');
  await expect(pendingCount(page)).toContainText('1 azione da inviare');

  await page.reload();
  await expect(page.getByText('✓ Attività completata')).toBeVisible();
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '1');

  await page.unroute('**/api/sync/push');
  await page.reload();
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '0');
  await expect(pendingCount(page)).toContainText('tutto salvato');
});

test('links change the screen without reloading the page; back and forward work', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('link', { name: /Space Camp/ })).toBeVisible();
  await page.evaluate(() => ((window as unknown as { stillHere: boolean }).stillHere = true));
  const nav = page.getByRole('navigation', { name: 'Principale' });
  await expect(nav.getByRole('link', { name: 'Percorsi' })).toHaveAttribute('aria-current', 'page');

  await page.getByRole('link', { name: /Space Camp/ }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Space Camp' })).toBeVisible();
  await nav.getByRole('link', { name: 'Badge' }).click();
  await expect(page).toHaveURL(/\/badge$/);
  await expect(nav.getByRole('link', { name: 'Badge' })).toHaveAttribute('aria-current', 'page');
  await expect(nav.getByRole('link', { name: 'Percorsi' })).not.toHaveAttribute('aria-current', 'page');

  await page.goBack();
  await expect(page.getByRole('heading', { level: 1, name: 'Space Camp' })).toBeVisible();
  await page.goForward();
  await expect(page.getByRole('heading', { level: 1, name: 'I tuoi badge' })).toBeVisible();
  expect(await page.evaluate(() => (window as unknown as { stillHere?: boolean }).stillHere)).toBe(true);
});

test('deep links open the app, unknown pages say so, unknown API paths answer JSON', async ({ page, request }) => {
  await page.goto('/percorsi/space-camp');
  await expect(page.getByRole('heading', { level: 1, name: 'Space Camp' })).toBeVisible();
  await page.goto('/nessuna/pagina');
  await expect(page.getByRole('heading', { level: 1, name: 'Pagina non trovata' })).toBeVisible();
  await expectAccessible(page);

  const missing = await request.get('/api/nessuna');
  expect(missing.status()).toBe(404);
  expect(await missing.json()).toEqual({ error: { code: 'not_found', message: 'Risorsa non trovata.' } });
});

test('under 14, the badges screen asks for a parent before badges leave Officina', async ({ page }) => {
  await signedIn(page, 'Mini', createCohort(), 'learner', 'under_14');
  await page.goto('/badge');
  await expect(page.getByText('serve il consenso di un genitore')).toBeVisible();
  await expectAccessible(page);
});
