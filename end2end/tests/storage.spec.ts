import { expect, test } from '@playwright/test';
import { expectAccessible, storedEvents } from './helpers';

test('a phone whose storage runs out says so before and when it happens, and keeps what it had', async ({ page }) => {
  await page.goto('/attivita/spazio-la-luna-da-vicino');
  await page.getByRole('button', { name: 'Segna come fatta' }).click();
  await expect(page.getByText('✓ Attività completata')).toBeVisible();
  expect(await storedEvents(page)).toHaveLength(1);

  // Another page of the same site fills what the browser allows it, to the last character.
  const filled = await page.evaluate(() => {
    let piece = 'x'.repeat(1 << 20);
    let keys = 0;
    while (piece.length > 0) {
      try {
        localStorage.setItem(`riempitivo-${keys}`, piece);
        keys += 1;
      } catch {
        piece = piece.slice(0, piece.length >> 1);
      }
    }
    return keys;
  });
  expect(filled).toBeGreaterThan(4);

  // Told before an action is lost: the next visit sees how little is left.
  await page.reload();
  await expect(page.getByRole('status').filter({ hasText: 'sta per finire' })).toBeVisible();
  await expectAccessible(page);

  // An action that cannot be stored is taken back and the learner is told; nothing else is lost.
  await page.goto('/attivita/che-cos-e-un-orbita');
  await page.getByRole('button', { name: 'Segna come fatta' }).click();
  await expect(page.getByRole('alert')).toContainText('l’ultima azione non è stata salvata');
  await expect(page.getByRole('button', { name: 'Segna come fatta' })).toBeVisible();
  await expect(page.getByText('✓ Attività completata')).toHaveCount(0);
  await expectAccessible(page);

  await page.reload();
  await page.goto('/attivita/spazio-la-luna-da-vicino');
  await expect(page.getByText('✓ Attività completata')).toBeVisible();
  const kept = await storedEvents(page);
  expect(kept.map((event) => event.activity_id)).toEqual(['spazio-la-luna-da-vicino']);
});
