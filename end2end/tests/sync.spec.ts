import { expect, test } from '@playwright/test';
import { bundle, confirmFamilyLinks, createCohort, expectAccessible, pendingCount, quizSubmitted, signedIn, storedEvents } from './helpers';
import { randomUUID } from 'node:crypto';

test('an activity done offline on one device shows up on another device of the same learner', async ({ browser }) => {
  const phone = await browser.newContext();
  const tablet = await browser.newContext();
  try {
    const phonePage = await phone.newPage();
    const session = await signedIn(phonePage, 'Vega');
    await phonePage.goto('/attivita/spazio-azione-e-reazione');
    await expect(phonePage.getByRole('button', { name: 'Segna come fatta' })).toBeVisible();

    const tabletPage = await tablet.newPage();
    await tabletPage.addInitScript((s) => localStorage.setItem('officina.session', JSON.stringify(s)), session);
    await tabletPage.goto('/percorsi/space-camp');
    await expect(tabletPage.getByRole('heading', { level: 1, name: 'Space Camp' })).toBeVisible();

    await phone.setOffline(true);
    await tablet.setOffline(true);
    await phonePage.getByRole('button', { name: 'Segna come fatta' }).click();
    await expect(pendingCount(phonePage)).toHaveAttribute('data-pending', '1');

    await phone.setOffline(false);
    await expect(pendingCount(phonePage)).toHaveAttribute('data-pending', '0');
    await tablet.setOffline(false);
    const done = tabletPage.locator('.activity-link', { hasText: 'Azione e reazione' });
    await expect(done).toContainText('✓ fatta');
  } finally {
    await phone.close();
    await tablet.close();
  }
});

const TORRE = 'La torre dei liquidi';

test('a parent and a child link with a family code and confirm a family task on two phones, offline', async ({ browser }) => {
  const childPhone = await browser.newContext();
  const parentPhone = await browser.newContext();
  try {
    const code = createCohort('family-esperimenti');
    const child = await childPhone.newPage();
    const luna = await signedIn(child, 'Luna', code);
    const parent = await parentPhone.newPage();
    await signedIn(parent, 'Mamma di Luna', code, 'parent');

    await child.goto('/profilo');
    await child.getByRole('button', { name: 'Mostra un codice famiglia' }).click();
    const familyCode = (await child.locator('.family-code strong').textContent()) ?? '';
    expect(familyCode).toMatch(/^[A-Z2-9]{3} [A-Z2-9]{3}$/);
    await expectAccessible(child);
    await parent.goto('/profilo');
    await parent.getByLabel('Hai un codice famiglia? Scrivilo qui').fill(familyCode.toLowerCase());
    await parent.getByRole('button', { name: 'Collegaci' }).click();
    await expect(parent.locator('.family-linked')).toHaveText('Collegati con te: Luna (in attesa di conferma).');
    await confirmFamilyLinks(parent.request, luna);
    await parent.getByLabel('Hai un codice famiglia? Scrivilo qui').fill(familyCode);
    await parent.getByRole('button', { name: 'Collegaci' }).click();
    await expect(parent.getByText('Questo codice famiglia è già stato usato')).toBeVisible();

    await child.goto('/attivita/fam-esp-torre-densita');
    await parent.goto('/attivita/fam-esp-torre-densita');
    await childPhone.setOffline(true);
    await parentPhone.setOffline(true);
    await child.getByLabel(/Quale risultato vi ha sorpresi di più/).fill('Il miele va sempre in fondo!');
    await expectAccessible(child);
    await child.getByRole('button', { name: "Confermo: l'abbiamo fatto insieme" }).click();
    await expect(child.getByText('In attesa della conferma del genitore.')).toBeVisible();
    await parent.getByRole('button', { name: "Confermo: l'abbiamo fatto insieme (genitore)" }).click();
    await expect(parent.getByText('In attesa della conferma del ragazzo o della ragazza.')).toBeVisible();

    await parentPhone.setOffline(false);
    await expect(pendingCount(parent)).toHaveAttribute('data-pending', '0');
    await childPhone.setOffline(false);
    await expect(child.getByText('✓ Fatto insieme: confermato da entrambi.')).toBeVisible();
    await parent.reload();
    await expect(parent.getByText('✓ Fatto insieme: confermato da entrambi.')).toBeVisible();
    // The child's reflection stayed on the child's side.
    const childOnParentPhone = (await storedEvents(parent)).find((e) => (e.data as { role?: string }).role === 'child');
    expect(childOnParentPhone?.data).toEqual({ role: 'child' });
    const childOwn = (await storedEvents(child)).find((e) => (e.data as { role?: string }).role === 'child');
    expect(childOwn?.data).toEqual({ role: 'child', reflection: 'Il miele va sempre in fondo!' });

    // The parent's home: this week's task, what was done together, a tip; nothing else of the child's.
    await parent.goto('/');
    await expect(parent.getByRole('heading', { level: 1, name: 'La vostra famiglia' })).toBeVisible();
    const week = parent.getByRole('region', { name: 'Questa settimana in famiglia' });
    await expect(week.getByRole('link')).toBeVisible();
    const together = parent.getByRole('region', { name: 'Cosa avete fatto insieme' });
    await expect(together).toContainText('Con te: Luna.');
    await expect(together.getByRole('listitem')).toHaveText([TORRE]);
    await expect(parent.getByRole('region', { name: 'Un consiglio per te' }).getByRole('link')).toBeVisible();
    await expectAccessible(parent);
    const family = parent.getByRole('region', { name: 'I percorsi in famiglia' });
    await expect(family.getByRole('listitem').first()).toHaveText(/Esperimenti .*: \d+%/);
    await parent.emulateMedia({ media: 'print' });
    await expect(parent.locator('.bottom-nav')).toBeHidden();
    await expect(family.getByRole('button', { name: 'Stampa o salva il riepilogo' })).toBeHidden();
    await expect(family).toBeVisible();
  } finally {
    await childPhone.close();
    await parentPhone.close();
  }
});

test('a parent keeps the badges of a child under 14, from the badges screen', async ({ page }) => {
  const code = createCohort('family-esperimenti');
  const joined = await page.request.post('/api/join', { data: { code, nickname: 'Luna', secret: 'stelle-2026', age_band: 'under_14' } });
  const child = await joined.json();
  const auth = { Authorization: `Bearer ${child.token}` };
  const module = (await bundle(page)).paths[0].modules[0];
  const events = module.activities.map((a) => ({
    id: randomUUID(),
    at: '2026-11-25T17:00:00.000Z',
    ...(a.kind === 'quiz' ? quizSubmitted(a, true) : { kind: 'activity_completed', activity_id: a.id, data: {} }),
  }));
  await page.request.post('/api/sync/push', { headers: auth, data: { device_id: randomUUID(), events } });
  expect((await (await page.request.get('/api/badges', { headers: auth })).json()).consent_needed).toBe(true);

  await signedIn(page, 'Mamma di Luna', code, 'parent');
  const familyCode = (await (await page.request.post('/api/family/code', { headers: auth })).json()).code;
  await page.goto('/profilo');
  await page.getByLabel('Hai un codice famiglia? Scrivilo qui').fill(familyCode);
  await page.getByRole('button', { name: 'Collegaci' }).click();
  await expect(page.locator('.family-linked')).toHaveText('Collegati con te: Luna (in attesa di conferma).');
  await confirmFamilyLinks(page.request, child);

  await page.getByRole('link', { name: 'Badge', exact: true }).click();
  const section = page.locator('.children-badges');
  await expect(section.getByRole('heading', { name: 'I badge di Luna' })).toBeVisible();
  await expect(section.getByRole('heading', { name: 'Prima orbita' })).toBeVisible();
  await expectAccessible(page);
  const [download] = await Promise.all([page.waitForEvent('download'), section.getByRole('button', { name: 'Scarica (SVG)' }).click()]);
  expect(download.suggestedFilename()).toBe('prima-orbita.svg');

  // Either side can end the link.
  await page.goto('/profilo');
  await page.getByRole('button', { name: 'Scollega Luna' }).click();
  await expect(page.locator('.family-linked')).toHaveText('Nessun collegamento per ora.');
});
