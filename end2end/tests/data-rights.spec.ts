import { expect, test, type Download } from '@playwright/test';
import { readFileSync } from 'node:fs';
import { confirmFamilyLinks, createCohort, expectAccessible, joinThroughScreens, pendingCount } from './helpers';

/** The names of the files inside a downloaded ZIP (they are stored uncompressed in its headers). */
async function zipHolds(download: Download, names: string[]) {
  const bytes = readFileSync((await download.path())!);
  expect(bytes.subarray(0, 2).toString()).toBe('PK');
  for (const name of names) expect(bytes.includes(Buffer.from(name)), name).toBe(true);
}

test('a young person reads what is kept, takes their data and erases their account from the profile', async ({ page }) => {
  const code = createCohort();
  await page.goto('/profilo');
  await page.getByRole('link', { name: 'Come usiamo i tuoi dati' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'I tuoi dati in Officina' })).toBeVisible();
  await expect(page.getByRole('heading', { name: 'Per quanto' })).toBeVisible();
  await expectAccessible(page);

  await joinThroughScreens(page, { code, nickname: 'Cometa', pin: 'coda-lunga-9', who: 'learner' });
  await page.goto('/attivita/che-cos-e-un-orbita');
  await page.getByRole('button', { name: 'Segna come fatta' }).click();
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '0');

  await page.goto('/profilo');
  const data = page.getByRole('region', { name: 'I tuoi dati' });
  const [download] = await Promise.all([page.waitForEvent('download'), data.getByRole('button', { name: 'Scarica i miei dati' }).click()]);
  expect(download.suggestedFilename()).toBe('officina-dati.zip');
  await zipHolds(download, ['LEGGIMI.txt', 'dati.json']);

  await data.getByText('Cancella il mio account', { exact: true }).click();
  await expect(data.getByText(/Restano solo i conteggi senza nomi/)).toBeVisible();
  await expectAccessible(page);
  await data.getByLabel('Il tuo PIN, per confermare').fill('non-il-mio');
  await data.getByRole('button', { name: 'Cancella per sempre il mio account' }).click();
  await expect(data.getByRole('alert')).toHaveText('PIN sbagliato.');
  await data.getByLabel('Il tuo PIN, per confermare').fill('coda-lunga-9');
  await data.getByRole('button', { name: 'Cancella per sempre il mio account' }).click();
  await expect(page.getByLabel('Codice del gruppo')).toBeVisible();
  expect(await page.evaluate(() => localStorage.getItem('officina.session'))).toBeNull();

  // The account is gone: the same nickname and PIN no longer sign in.
  await page.getByLabel('No, ho già un profilo').check();
  await page.getByLabel('Codice del gruppo').fill(code);
  await page.getByLabel('Soprannome').fill('Cometa');
  await page.getByLabel('PIN', { exact: true }).fill('coda-lunga-9');
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByRole('alert')).toHaveText('Codice del gruppo, soprannome o PIN sbagliati.');
});

test('a parent takes and erases the data of a child under 14, after the educator confirmed the link', async ({ page }) => {
  const code = createCohort('family-esperimenti');
  const joined = await page.request.post('/api/join', { data: { code, nickname: 'Luna', secret: 'stelle-2026', age_band: 'under_14' } });
  const luna = await joined.json();
  const auth = { Authorization: `Bearer ${luna.token}` };
  const familyCode = (await (await page.request.post('/api/family/code', { headers: auth })).json()).code;

  await joinThroughScreens(page, { code, nickname: 'Mamma di Luna', pin: 'girasole-7', who: 'parent' });
  await page.goto('/profilo');
  await page.getByLabel('Hai un codice famiglia? Scrivilo qui').fill(familyCode);
  await page.getByRole('button', { name: 'Collegaci' }).click();
  await expect(page.locator('.family-linked')).toHaveText('Collegati con te: Luna (in attesa di conferma).');
  await confirmFamilyLinks(page.request, luna);
  await page.reload();

  const data = page.getByRole('region', { name: 'I tuoi dati' });
  const [download] = await Promise.all([page.waitForEvent('download'), data.getByRole('button', { name: 'Scarica i dati di Luna' }).click()]);
  await zipHolds(download, ['dati.json']);
  await data.getByText("Cancella l'account di Luna", { exact: true }).click();
  await expectAccessible(page);
  await data.locator('details[open]').getByLabel('Il tuo PIN, per confermare').fill('girasole-7');
  await data.getByRole('button', { name: "Cancella per sempre l'account di Luna" }).click();
  await expect(data.getByRole('status')).toHaveText('Account cancellato.');
  expect((await page.request.get('/api/me', { headers: auth })).status()).toBe(401);
  await expect(data.getByRole('button', { name: 'Scarica i miei dati' })).toBeVisible();
});
