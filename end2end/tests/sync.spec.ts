import { expect, test } from '@playwright/test';
import { pendingCount, signedIn } from './helpers';

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
