import { expect, test, type Page } from '@playwright/test';
import { bundle, confirmFamilyLinks, createCohort, createEducator, expectAccessible, joinThroughScreens, pendingCount, sessionOf, STAFF_PASSWORD, staffSignIn } from './helpers';

/** Signs in on the profile screen with a recovery code and a new PIN, as a person does. */
async function recoverThroughScreens(page: Page, code: string, nickname: string, recoveryCode: string, pin: string) {
  await page.goto('/profilo');
  await page.getByLabel('No, ho già un profilo').check();
  await page.getByLabel('Codice del gruppo').fill(code);
  await page.getByLabel('Soprannome').fill(nickname);
  await page.getByText('Ho dimenticato il PIN').click();
  await expect(page.getByText(/Chiedi un codice di recupero all'educatore del tuo gruppo/)).toBeVisible();
  await page.getByLabel('Codice di recupero').fill(recoveryCode);
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await expectAccessible(page);
  await page.getByRole('button', { name: 'Entra con il nuovo PIN' }).click();
}

test('a young person who forgot the PIN is back in on a new phone with the educator’s code, with their work', async ({ browser }) => {
  createEducator('Recupero', STAFF_PASSWORD);
  const code = createCohort('space-camp', ['Recupero']);
  const oldPhone = await browser.newContext();
  const newPhone = await browser.newContext();
  const staffDesk = await browser.newContext();
  try {
    const before = await oldPhone.newPage();
    await joinThroughScreens(before, { code, nickname: 'Orione', pin: 'stelle-cadenti', who: 'learner' });
    const lesson = (await bundle(before)).paths[0].modules[0].activities.find((a) => a.kind === 'lesson')!;
    await before.goto(`/attivita/${lesson.id}`);
    await before.getByRole('button', { name: 'Segna come fatta' }).click();
    await expect(pendingCount(before)).toHaveAttribute('data-pending', '0');

    // The educator gives a code from the member's row in the workspace.
    const orione = await sessionOf(before);
    const educator = await staffDesk.newPage();
    await staffSignIn(educator, 'Recupero');
    await educator.goto(`/educator/gruppi/${orione.user.cohort_id}`);
    await educator.getByRole('button', { name: 'Cambia ruolo: Orione' }).click();
    await educator.getByRole('button', { name: 'Codice di recupero per Orione' }).click();
    const shown = educator.locator('.recovery .join-code');
    await expect(shown).toHaveText(/^[A-Z2-9]{8}$/);
    await expect(educator.locator('.recovery')).toContainText('Vale una volta');
    await expectAccessible(educator);
    const recoveryCode = (await shown.textContent()) ?? '';

    const page = await newPhone.newPage();
    // A wrong code is named, and the form keeps what was typed.
    await recoverThroughScreens(page, code, 'Orione', 'ZZZZZZZZ', 'nuovo-pin-42');
    await expect(page.getByRole('alert')).toContainText('Codice di recupero sbagliato');
    await page.getByLabel('Codice di recupero').fill(recoveryCode.toLowerCase());
    await page.getByRole('button', { name: 'Entra con il nuovo PIN' }).click();
    await expect(page.getByText('Sei nel gruppo come Orione.')).toBeVisible();
    await page.goto(`/attivita/${lesson.id}`);
    await expect(page.getByText('✓ Attività completata')).toBeVisible();

    // The old phone's session ended with the old PIN.
    await before.goto('/profilo');
    await expect(before.getByLabel('Codice del gruppo')).toBeVisible();
  } finally {
    await oldPhone.close();
    await newPhone.close();
    await staffDesk.close();
  }
});

test('a parent whose link is confirmed gives their child a recovery code from the profile', async ({ browser }) => {
  const code = createCohort('family-esperimenti');
  const childPhone = await browser.newContext();
  const parentPhone = await browser.newContext();
  try {
    const child = await childPhone.newPage();
    await joinThroughScreens(child, { code, nickname: 'Luna', pin: 'cometa-42', who: 'learner', age: 'under_14' });
    await child.getByRole('button', { name: 'Mostra un codice famiglia' }).click();
    const familyCode = (await child.locator('.family-code .code-large').textContent()) ?? '';

    const parent = await parentPhone.newPage();
    await joinThroughScreens(parent, { code, nickname: 'Mamma di Luna', pin: 'girasole-7', who: 'parent' });
    await parent.getByLabel('Hai un codice famiglia? Scrivilo qui').fill(familyCode);
    await parent.getByRole('button', { name: 'Collegaci' }).click();
    await expect(parent.locator('.family-linked')).toHaveText('Collegati con te: Luna (in attesa di conferma).');
    // Nothing to give across a pending link.
    await expect(parent.getByRole('button', { name: 'Codice di recupero per Luna' })).toHaveCount(0);
    await confirmFamilyLinks(parent.request, await sessionOf(child));
    await parent.reload();
    await parent.getByRole('button', { name: 'Codice di recupero per Luna' }).click();
    const shown = parent.locator('.family-code');
    await expect(shown).toContainText('Codice di recupero (vale 24 ore, una volta):');
    await expectAccessible(parent);
    const recoveryCode = ((await shown.locator('.code-large').textContent()) ?? '').replace(' ', '');
    expect(recoveryCode).toMatch(/^[A-Z2-9]{8}$/);

    await child.context().clearCookies();
    await child.evaluate(() => localStorage.clear());
    await recoverThroughScreens(child, code, 'Luna', recoveryCode, 'nuova-cometa-9');
    await expect(child.getByText('Sei nel gruppo come Luna.')).toBeVisible();
  } finally {
    await childPhone.close();
    await parentPhone.close();
  }
});
