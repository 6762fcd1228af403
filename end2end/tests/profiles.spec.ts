import { expect, test } from '@playwright/test';
import { expectAccessible, pendingCount } from './helpers';

test('two profiles on one shared tablet: a PIN to switch, and each one sees only their own work', async ({ page }) => {
  await page.goto('/attivita/che-cos-e-un-orbita');
  await page.getByRole('button', { name: 'Segna come fatta' }).click();
  await expect(page.getByText('✓ Attività completata')).toBeVisible();

  // The person who has been using the tablet makes the first profile and keeps their work.
  await page.goto('/profilo');
  await page.getByLabel('Nome', { exact: true }).fill('Luna');
  await page.getByLabel('🌙').check();
  await page.getByLabel('PIN (da 4 a 8 cifre)').fill('2468');
  await page.getByRole('button', { name: 'Crea il profilo' }).click();
  await expect(page.locator('.active-profile')).toHaveText('Ora lo usa: 🌙 Luna');
  await expectAccessible(page);

  await page.getByLabel('Nome', { exact: true }).fill('Mamma');
  await page.getByLabel('🌱').check();
  await page.getByLabel('PIN (da 4 a 8 cifre)').fill('1357');
  await page.getByRole('button', { name: 'Crea il profilo' }).click();
  await page.getByRole('button', { name: '🌱 Mamma' }).click();
  await page.getByLabel('PIN del profilo').fill('0000');
  await page.getByRole('button', { name: 'Cambia profilo' }).click();
  await expect(page.getByText('PIN sbagliato.')).toBeVisible();
  await page.getByLabel('PIN del profilo').fill('1357');
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Cambia profilo' }).click()]);
  await expect(page.locator('.active-profile')).toHaveText('Ora lo usa: 🌱 Mamma');

  // Mamma sees nothing of Luna's.
  await page.goto('/attivita/che-cos-e-un-orbita');
  await expect(page.getByRole('button', { name: 'Segna come fatta' })).toBeVisible();
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '0');

  // Back to Luna, with her PIN: her work is there.
  await page.goto('/profilo');
  await page.getByRole('button', { name: '🌙 Luna' }).click();
  await page.getByLabel('PIN del profilo').fill('2468');
  await Promise.all([page.waitForEvent('load'), page.getByRole('button', { name: 'Cambia profilo' }).click()]);
  await page.goto('/attivita/che-cos-e-un-orbita');
  await expect(page.getByText('✓ Attività completata')).toBeVisible();
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '1');
});
