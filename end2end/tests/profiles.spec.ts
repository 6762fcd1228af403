import { expect, test } from '@playwright/test';
import { createHash, randomUUID } from 'node:crypto';
import { confirmFamilyLinks, createCohort, expectAccessible, pendingCount } from './helpers';

test('two profiles on one shared tablet: a PIN to switch, and each one sees only their own work', async ({ page }) => {
  await page.goto('/attivita/che-cos-e-un-orbita');
  await page.getByRole('button', { name: 'Segna come fatta' }).click();
  await expect(page.getByText('✓ Attività completata')).toBeVisible();

  // The person who has been using the tablet makes the first profile and keeps their work.
  await page.goto('/profilo');
  await page.getByLabel('Nome', { exact: true }).fill('Luna');
  await page.getByLabel('🌙').check();
  await page.getByLabel('PIN del nuovo profilo').fill('luna-2468');
  await page.getByRole('button', { name: 'Crea il profilo' }).click();
  await expect(page.locator('.active-profile')).toHaveText('Ora lo usa: 🌙 Luna');
  await expectAccessible(page);

  await page.getByLabel('Nome', { exact: true }).fill('Mamma');
  await page.getByLabel('🌱').check();
  await page.getByLabel('PIN del nuovo profilo').fill('mamma-1357');
  await page.getByRole('button', { name: 'Crea il profilo' }).click();
  await page.getByRole('button', { name: '🌱 Mamma' }).click();
  await page.getByLabel('PIN del profilo').fill('000000');
  await page.getByRole('button', { name: 'Cambia profilo' }).click();
  await expect(page.getByText('PIN sbagliato.')).toBeVisible();
  await page.getByLabel('PIN del profilo').fill('mamma-1357');
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Cambia profilo' }).click()]);
  await expect(page.locator('.active-profile')).toHaveText('Ora lo usa: 🌱 Mamma');

  // Mamma sees nothing of Luna's.
  await page.goto('/attivita/che-cos-e-un-orbita');
  await expect(page.getByRole('button', { name: 'Segna come fatta' })).toBeVisible();
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '0');

  // Back to Luna, with her PIN: her work is there.
  await page.goto('/profilo');
  await page.getByRole('button', { name: '🌙 Luna' }).click();
  await page.getByLabel('PIN del profilo').fill('luna-2468');
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Cambia profilo' }).click()]);
  await page.goto('/attivita/che-cos-e-un-orbita');
  await expect(page.getByText('✓ Attività completata')).toBeVisible();
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '1');
});

/** Signs the active profile in with `session` (as joining in the app would) and reloads. */
async function useSession(page: import('@playwright/test').Page, session: unknown) {
  await page.evaluate((s) => {
    const active = JSON.parse(localStorage.getItem('officina.profiles') ?? '{}').active;
    localStorage.setItem(`officina.p.${active}.session`, JSON.stringify(s));
  }, session);
  await page.reload();
}

async function addProfile(page: import('@playwright/test').Page, name: string, avatar: string, pin: string) {
  await page.goto('/profilo');
  await page.getByLabel('Nome', { exact: true }).fill(name);
  await page.getByLabel(avatar).check();
  await page.getByLabel('PIN del nuovo profilo').fill(pin);
  await page.getByRole('button', { name: 'Crea il profilo' }).click();
}

async function switchTo(page: import('@playwright/test').Page, label: string, pin: string) {
  await page.goto('/profilo');
  await page.getByRole('button', { name: label }).click();
  await page.getByLabel('PIN del profilo').fill(pin);
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Cambia profilo' }).click()]);
}

test('a child and a parent complete a family task together on one phone, each in their own profile', async ({ page }) => {
  const code = createCohort('family-esperimenti');
  const join = async (data: Record<string, string>) => (await page.request.post('/api/join', { data: { code, secret: 'fam-2026', ...data } })).json();
  const luna = await join({ nickname: 'Luna', age_band: '14_plus' });
  const mamma = await join({ nickname: 'Mamma', role: 'parent' });
  const familyCode = (await (await page.request.post('/api/family/code', { headers: { Authorization: `Bearer ${luna.token}` } })).json()).code;
  await page.request.post('/api/family/link', { headers: { Authorization: `Bearer ${mamma.token}` }, data: { code: familyCode } });
  await confirmFamilyLinks(page.request, luna);

  await addProfile(page, 'Luna', '🌙', 'luna-2468');
  await useSession(page, luna);
  await page.goto('/attivita/fam-esp-torre-densita');
  await page.getByRole('button', { name: "Confermo: l'abbiamo fatto insieme" }).click();
  await expect(page.getByText('In attesa della conferma del genitore.')).toBeVisible();
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '0');

  await addProfile(page, 'Mamma', '🌱', 'mamma-1357');
  await switchTo(page, '🌱 Mamma', 'mamma-1357');
  await useSession(page, mamma);
  await page.goto('/attivita/fam-esp-torre-densita');
  await page.getByRole('button', { name: "Confermo: l'abbiamo fatto insieme (genitore)" }).click();
  await expect(page.getByText('✓ Fatto insieme: confermato da entrambi.')).toBeVisible();
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '0');

  await switchTo(page, '🌙 Luna', 'luna-2468');
  await page.goto('/attivita/fam-esp-torre-densita');
  await expect(page.getByText('✓ Fatto insieme: confermato da entrambi.')).toBeVisible();
});

test("a new profile's PIN follows the group's rule, and an older, shorter PIN still unlocks its profile", async ({ page }) => {
  await addProfile(page, 'Luna', '🌙', '1234');
  await expect(page.getByRole('alert')).toHaveText('Da completare: «PIN del nuovo profilo (almeno 6 caratteri)».');
  await expect(page.locator('.active-profile')).toHaveCount(0);
  await page.getByLabel('PIN del nuovo profilo').fill('luna-2468');
  await page.getByRole('button', { name: 'Crea il profilo' }).click();
  await expect(page.locator('.active-profile')).toHaveText('Ora lo usa: 🌙 Luna');
  await expectAccessible(page);

  // A profile made by an older version, with a four-digit PIN.
  const salt = randomUUID();
  const pinHash = createHash('sha256').update(`${salt}:2468`).digest('hex');
  await page.evaluate((old) => {
    const profiles = JSON.parse(localStorage.getItem('officina.profiles') ?? '{}');
    profiles.list.push(old);
    localStorage.setItem('officina.profiles', JSON.stringify(profiles));
  }, { id: 'nonna0001', name: 'Nonna', avatar: '🌱', salt, pin_hash: pinHash });
  await switchTo(page, '🌱 Nonna', '2468');
  await expect(page.locator('.active-profile')).toHaveText('Ora lo usa: 🌱 Nonna');
});
