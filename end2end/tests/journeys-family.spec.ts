import { expect, test } from '@playwright/test';
import { confirmFamilyLinks, createCohort, expectAccessible, pendingCount, profileShown, sessionOf } from './helpers';

const TORRE = 'La torre dei liquidi';
const TASK = '/attivita/fam-esp-torre-densita';

test('a young person and a parent join a family group from the form, link, and do a family task together', async ({ browser }) => {
  const code = createCohort('family-esperimenti');
  const permissions = ['clipboard-read', 'clipboard-write'];
  const childPhone = await browser.newContext({ permissions });
  const parentPhone = await browser.newContext({ permissions });
  try {
    // The young person: the code first, then who is joining, then the age; the form stays usable throughout.
    const child = await childPhone.newPage();
    await child.goto('/profilo');
    await profileShown(child);
    await expectAccessible(child);
    await child.getByLabel('Codice del gruppo').fill(code);
    await child.getByRole('button', { name: 'Avanti' }).click();
    const who = child.getByRole('group', { name: 'Chi si iscrive?' });
    await expect(who.getByLabel('Sono un ragazzo o una ragazza')).toBeVisible();
    await expect(who.getByLabel('Sono un genitore')).toBeVisible();
    await expect(child.getByRole('group', { name: 'Quanti anni hai?' })).toHaveCount(0);
    await expectAccessible(child);
    const join = child.getByRole('button', { name: 'Entra nel gruppo' });
    await expect(join).toBeEnabled();
    await join.click();
    await expect(child.getByRole('alert')).toHaveText('Da completare: «Chi si iscrive?», «Soprannome (da 2 a 24 caratteri)», «PIN (almeno 6 caratteri)».');
    await who.getByLabel('Sono un ragazzo o una ragazza').check();
    const age = child.getByRole('group', { name: 'Quanti anni hai?' });
    await expect(age).toBeVisible();
    await expectAccessible(child);
    await age.getByLabel('Meno di 14').check();
    await child.getByLabel('Soprannome').fill('Luna');
    await child.getByLabel('PIN', { exact: true }).fill('cometa-42');
    await join.click();
    await expect(child.getByText('Sei nel gruppo come Luna.')).toBeVisible();
    expect(await child.evaluate(() => JSON.parse(localStorage.getItem('officina.session') ?? 'null').user.role)).toBe('learner');

    // The parent, on their own phone, from the link of the educator's QR code: no age is asked, and
    // the parent's home follows at once.
    const parent = await parentPhone.newPage();
    await parent.goto(`/?codice=${code}`);
    await parent.getByRole('group', { name: 'Chi si iscrive?' }).getByLabel('Sono un genitore').check();
    await expect(parent.getByRole('group', { name: 'Quanti anni hai?' })).toHaveCount(0);
    await parent.getByLabel('Soprannome').fill('Mamma di Luna');
    await parent.getByLabel('PIN', { exact: true }).fill('girasole-7');
    await parent.getByRole('button', { name: 'Entra nel gruppo' }).click();
    await expect(parent.getByRole('heading', { level: 1, name: 'La vostra famiglia' })).toBeVisible();
    await expectAccessible(parent);
    await parent.getByRole('link', { name: 'Profilo' }).click();
    expect(await parent.evaluate(() => JSON.parse(localStorage.getItem('officina.session') ?? 'null').user.role)).toBe('parent');

    // The child shows the family code, large and spaced, and copies it.
    await child.getByRole('button', { name: 'Mostra un codice famiglia' }).click();
    const shown = child.locator('.family-code .code-large');
    await expect(shown).toHaveText(/^[A-Z2-9]{3} [A-Z2-9]{3}$/);
    const familyCode = (await shown.textContent()) ?? '';
    await child.getByRole('button', { name: 'Copia' }).click();
    await expect(child.locator('.family-code').getByRole('status')).toHaveText('Copiato');
    expect(await child.evaluate(() => navigator.clipboard.readText())).toBe(familyCode.replace(' ', ''));
    await expectAccessible(child);

    // The parent types it, spaces and all, on their own profile.
    await parent.getByLabel('Hai un codice famiglia? Scrivilo qui').fill(familyCode);
    await parent.getByRole('button', { name: 'Collegaci' }).click();
    // The link waits for the educator, who meets the parent; the profile says what that means.
    await expect(parent.locator('.family-linked')).toHaveText('Collegati con te: Luna (in attesa di conferma).');
    await expect(parent.getByText(/Il collegamento vale quando un educatore del gruppo lo conferma/)).toBeVisible();
    await expectAccessible(parent);
    await confirmFamilyLinks(child.request, await sessionOf(child));
    await parent.reload();
    await expect(parent.locator('.family-linked')).toHaveText('Collegati con te: Luna.');

    // Each confirms the same family task on their own screen; the waiting text names who is missing.
    await child.goto(TASK);
    await child.getByRole('button', { name: "Confermo: l'abbiamo fatto insieme" }).click();
    await expect(child.getByText('In attesa della conferma del genitore.')).toBeVisible();
    await expect(pendingCount(child)).toHaveAttribute('data-pending', '0');
    await parent.goto(TASK);
    await expect(parent.getByText('Manca la tua conferma: quando avete finito, conferma qui sotto.')).toBeVisible();
    await parent.getByRole('button', { name: "Confermo: l'abbiamo fatto insieme (genitore)" }).click();
    await expect(parent.getByText('✓ Fatto insieme: confermato da entrambi.')).toBeVisible();
    await expect(pendingCount(parent)).toHaveAttribute('data-pending', '0');

    // The parent's home shows it as done together, and the badges link is a thumb-sized target.
    await parent.goto('/');
    await expect(parent.getByRole('heading', { level: 1, name: 'La vostra famiglia' })).toBeVisible();
    const together = parent.getByRole('region', { name: 'Cosa avete fatto insieme' });
    await expect(together).toContainText('Con te: Luna.');
    await expect(together.getByRole('listitem')).toHaveText([TORRE]);
    const badges = together.getByRole('link', { name: 'Vedi i badge' });
    expect((await badges.boundingBox())?.height).toBeGreaterThanOrEqual(48);
    await expectAccessible(parent);
    await child.reload();
    await expect(child.getByText('✓ Fatto insieme: confermato da entrambi.')).toBeVisible();
  } finally {
    await childPhone.close();
    await parentPhone.close();
  }
});

test("a learner group's code offers no parent choice; the profile says where the work is; a wrong PIN is named in the labels' words", async ({ page, context }) => {
  const code = createCohort();
  await page.goto('/profilo');
  await expect(page.locator('.sync-state')).toHaveText('Non sei ancora in un gruppo: il tuo lavoro è solo su questo dispositivo. Entra nel gruppo per salvarlo sul server.');
  const pinField = page.getByLabel('PIN del nuovo profilo');
  expect((await pinField.boundingBox())?.height).toBeGreaterThanOrEqual(48);

  await context.setOffline(true);
  await expect(page.getByText('Sei offline: per entrare nel gruppo serve la connessione.')).toBeVisible();
  await page.getByLabel('Codice del gruppo').fill(code);
  await page.getByRole('button', { name: 'Avanti' }).click();
  await expect(page.getByRole('alert')).toHaveText('Serve la connessione per entrare nel gruppo: riprova quando sei in linea.');
  await expectAccessible(page);
  await context.setOffline(false);

  await page.getByRole('button', { name: 'Avanti' }).click();
  await expect(page.getByRole('group', { name: 'Quanti anni hai?' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Chi si iscrive?' })).toHaveCount(0);
  await expect(page.getByText('Sono un genitore')).toBeHidden();
  await page.getByLabel('14 o più').check();
  await page.getByLabel('Soprannome').fill('Orione');
  await page.getByLabel('PIN', { exact: true }).fill('stelle-3');
  await page.getByRole('button', { name: 'Entra nel gruppo' }).click();
  await expect(page.getByText('Sei nel gruppo come Orione.')).toBeVisible();
  await expect(page.locator('.sync-state')).toHaveText('Tutto il tuo lavoro è sul server.');

  // Signing out asks first and says what stays where.
  await page.getByRole('button', { name: 'Esci' }).click();
  const confirm = page.getByRole('group', { name: 'Vuoi uscire dal gruppo su questo dispositivo?' });
  await expect(confirm).toContainText('Il tuo lavoro è sul server');
  await expectAccessible(page);
  await confirm.getByRole('button', { name: 'Resta nel gruppo' }).click();
  await expect(page.getByText('Sei nel gruppo come Orione.')).toBeVisible();
  await page.getByRole('button', { name: 'Esci' }).click();
  await page.getByRole('button', { name: 'Sì, esci' }).click();

  await page.getByLabel('No, ho già un profilo').check();
  await page.getByLabel('Codice del gruppo').fill(code);
  await page.getByLabel('Soprannome').fill('Orione');
  await page.getByLabel('PIN', { exact: true }).fill('stelle-4');
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByRole('alert')).toHaveText('Codice del gruppo, soprannome o PIN sbagliati.');
  await page.getByText('Ho dimenticato il PIN').click();
  await expect(page.getByText("Chiedi un codice di recupero all'educatore del tuo gruppo")).toBeVisible();
  await expect(page.getByText('Non creare un profilo nuovo')).toBeVisible();
  await expectAccessible(page);
  await page.getByLabel('PIN', { exact: true }).fill('stelle-3');
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByText('Sei nel gruppo come Orione.')).toBeVisible();
});
