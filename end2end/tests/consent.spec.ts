import { expect, test, type APIRequestContext, type Page } from '@playwright/test';
import { cohortTabs, createCohort, createEducator, expectAccessible, staffSignIn, STAFF_PASSWORD } from './helpers';

// The educator's journey through the workspace's "Famiglie e consenso" screen. The learners and
// parents are set up through the API; what the educator does is checked through the API too.

type Joined = { user: { id: string; nickname: string; cohort_id: string }; token: string };

const bearer = (who: Joined) => ({ Authorization: `Bearer ${who.token}` });

/** A learner under 14 or a parent joins the cohort of `code`. */
async function join(request: APIRequestContext, code: string, nickname: string, who: 'child' | 'parent'): Promise<Joined> {
  const secret = 'luna-piena-7';
  const data = who === 'child' ? { code, nickname, secret, age_band: 'under_14' } : { code, nickname, secret, role: 'parent' };
  const response = await request.post('/api/join', { data });
  expect(response.status()).toBe(201);
  return response.json();
}

/** The child makes a family code and the parent types it: a pending link. */
async function link(request: APIRequestContext, parent: Joined, child: Joined): Promise<void> {
  const code = await request.post('/api/family/code', { headers: bearer(child) });
  expect(code.status()).toBe(201);
  const linked = await request.post('/api/family/link', { headers: bearer(parent), data: { code: (await code.json()).code } });
  expect(linked.status()).toBe(201);
}

/** The state of the parent's link to `child` as the parent sees it; undefined when there is none. */
async function linkState(request: APIRequestContext, parent: Joined, child: Joined): Promise<string | undefined> {
  const response = await request.get('/api/family', { headers: bearer(parent) });
  expect(response.status()).toBe(200);
  const family: { children: Array<{ id: string; state: string }> } = await response.json();
  return family.children.find((c) => c.id === child.user.id)?.state;
}

/** Whether the learner's badges still wait for consent before they may leave Officina. */
async function consentNeeded(request: APIRequestContext, learner: Joined): Promise<boolean> {
  const response = await request.get('/api/badges', { headers: bearer(learner) });
  expect(response.status()).toBe(200);
  return (await response.json()).consent_needed;
}

/** A new educator of a new family cohort signs in and opens its "Famiglie e consenso" tab; returns
 *  the cohort's join code and name. */
async function openFamilies(page: Page, educator: string): Promise<{ code: string; cohortName: string }> {
  createEducator(educator, STAFF_PASSWORD);
  const code = createCohort('family-esperimenti', [educator]);
  await staffSignIn(page, educator);
  await page.locator('main a.card-link').first().click();
  const cohortName = ((await page.getByRole('heading', { level: 1 }).textContent()) ?? '').trim();
  expect(cohortName).not.toBe('');
  return { code, cohortName };
}

async function goToFamilies(page: Page): Promise<void> {
  await cohortTabs(page).getByRole('link', { name: 'Famiglie e consenso' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'Famiglie e consenso' })).toBeVisible();
}

test('an educator confirms a parent they met and records consent on paper for a learner without a parent', async ({ page }) => {
  const { code, cohortName } = await openFamilies(page, `Carla ${Date.now()}`);
  const astro = await join(page.request, code, 'Astro', 'child');
  const rosa = await join(page.request, code, 'Rosa', 'parent');
  const vega = await join(page.request, code, 'Vega', 'child');
  await link(page.request, rosa, astro);
  expect(await linkState(page.request, rosa, astro)).toBe('pending');
  expect(await consentNeeded(page.request, astro)).toBe(true);

  await goToFamilies(page);
  const card = page.locator('article', { hasText: 'Rosa e Astro' });
  await expect(card.getByRole('heading', { name: 'Rosa e Astro' })).toBeVisible();
  for (const nickname of ['Rosa', 'Astro']) {
    await expect(card.getByRole('definition').filter({ hasText: nickname })).toContainText(`gruppo ${cohortName} · account creato il 20`);
  }
  await expect(page.getByText('Nessun collegamento confermato.')).toBeVisible();
  const consent = page.getByRole('region', { name: 'Consenso dei ragazzi sotto i 14 anni' });
  await expect(consent.getByRole('row', { name: /Astro/ })).toContainText('manca il consenso: i badge restano in Officina');
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Confermo: ho incontrato questo genitore (Rosa e Astro)' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Collegamento confermato: Rosa e Astro.' })).toBeVisible();
  await expect(page.getByText('Nessun collegamento da confermare.')).toBeVisible();
  await expect(card).toContainText('Confermato il');
  await expect(card.getByRole('button')).toHaveCount(0);
  await expect(consent.getByRole('row', { name: /Astro/ })).toContainText('consenso del genitore confermato');
  await expectAccessible(page);
  expect(await linkState(page.request, rosa, astro)).toBe('confirmed');
  expect(await consentNeeded(page.request, astro)).toBe(false);

  // Vega has no parent in Officina: her family brought the form on paper.
  expect(await consentNeeded(page.request, vega)).toBe(true);
  const paper = consent.getByRole('checkbox', { name: 'Consenso su carta ricevuto Vega' });
  await expect(paper).not.toBeChecked();
  await paper.check();
  await expect(page.getByRole('status').filter({ hasText: 'Consenso su carta registrato: Vega.' })).toBeVisible();
  await expect(consent.getByRole('row', { name: /Vega/ })).toContainText('consenso su carta');
  await expect(paper).toBeChecked();
  await expect(paper).toBeFocused();
  await expectAccessible(page);
  expect(await consentNeeded(page.request, vega)).toBe(false);

  await paper.uncheck();
  await expect(page.getByRole('status').filter({ hasText: 'Consenso su carta tolto: Vega.' })).toBeVisible();
  await expect(consent.getByRole('row', { name: /Vega/ })).toContainText('manca il consenso');
  expect(await consentNeeded(page.request, vega)).toBe(true);

  // A tick the server never recorded does not stay ticked.
  await page.route('**/members/*/consent', (route) => route.abort());
  await paper.click();
  await expect(consent.getByRole('alert')).toContainText('Il server non è raggiungibile');
  await expect(paper).not.toBeChecked();
  await page.unroute('**/members/*/consent');
  expect(await consentNeeded(page.request, vega)).toBe(true);
  // Paper consent is Vega's alone.
  expect(await consentNeeded(page.request, astro)).toBe(false);
});

test("an educator who did not meet the 'parent' removes the link, asked twice", async ({ page }) => {
  const { code } = await openFamilies(page, `Dario ${Date.now()}`);
  const orione = await join(page.request, code, 'Orione', 'child');
  // Orione's own second account, made minutes apart in the same cohort.
  const second = await join(page.request, code, 'MammaOrione', 'parent');
  await link(page.request, second, orione);

  await goToFamilies(page);
  const refuse = page.getByRole('button', { name: 'Non confermo (MammaOrione e Orione)' });
  await refuse.click();
  const sure = page.getByRole('button', { name: 'Sì, togli il collegamento (MammaOrione e Orione)' });
  await expect(sure).toBeVisible();
  await expect(page.getByText('Il collegamento sarà tolto')).toBeVisible();
  await expectAccessible(page);
  expect(await linkState(page.request, second, orione)).toBe('pending');

  await sure.click();
  await expect(page.getByRole('status').filter({ hasText: 'Collegamento tolto: MammaOrione e Orione.' })).toBeVisible();
  await expect(page.locator('article', { hasText: 'MammaOrione e Orione' })).toHaveCount(0);
  await expect(page.getByText('Nessun collegamento da confermare.')).toBeVisible();
  await expectAccessible(page);
  expect(await linkState(page.request, second, orione)).toBeUndefined();
  expect(await consentNeeded(page.request, orione)).toBe(true);
});
