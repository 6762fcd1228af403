import { expect, test } from '@playwright/test';
import { createCohort, expectAccessible, joinThroughScreens } from './helpers';

test('a learner signs out of every device from the profile, after a confirmation', async ({ browser }) => {
  const code = createCohort();
  const phone = await browser.newContext();
  const tablet = await browser.newContext();
  try {
    const onPhone = await phone.newPage();
    await joinThroughScreens(onPhone, { code, nickname: 'Vega', pin: 'pianeta-9', who: 'learner' });
    const onTablet = await tablet.newPage();
    await onTablet.goto('/profilo');
    await onTablet.getByLabel('No, ho già un profilo').check();
    await onTablet.getByLabel('Codice del gruppo').fill(code);
    await onTablet.getByLabel('Soprannome').fill('Vega');
    await onTablet.getByLabel('PIN', { exact: true }).fill('pianeta-9');
    await onTablet.getByRole('button', { name: 'Accedi' }).click();
    await expect(onTablet.getByText('Sei nel gruppo come Vega.')).toBeVisible();

    // Signing out asks first; signing out of every device is offered there, explained.
    await onTablet.getByRole('button', { name: 'Esci' }).click();
    const confirm = onTablet.getByRole('group', { name: 'Vuoi uscire dal gruppo su questo dispositivo?' });
    await expect(confirm).toContainText('Hai perso un telefono? Esci anche dagli altri dispositivi');
    await expectAccessible(onTablet);
    const everywhere = confirm.getByRole('button', { name: 'Esci da tutti i dispositivi' });
    for (const button of await confirm.getByRole('button').all()) {
      expect((await button.boundingBox())?.height).toBeGreaterThanOrEqual(48);
    }
    await everywhere.click();
    await expect(onTablet.getByText('Sei nel gruppo come Vega.')).toHaveCount(0);
    await expect(onTablet.getByLabel('Codice del gruppo')).toBeVisible();

    // The phone is signed out too: at its next sync the server no longer knows its token.
    await onPhone.reload();
    await expect(onPhone.getByLabel('Codice del gruppo')).toBeVisible();
    await expect(onPhone.getByText('Sei nel gruppo come Vega.')).toHaveCount(0);
  } finally {
    await phone.close();
    await tablet.close();
  }
});
