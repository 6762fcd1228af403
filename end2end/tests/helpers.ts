import { expect, type Page } from '@playwright/test';
import AxeBuilder from '@axe-core/playwright';

/** Fails with the list of rules broken when axe-core finds any accessibility violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const broken = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(broken, `axe violations on ${page.url()}`).toEqual([]);
}

/** The events the app holds in browser storage. */
export async function storedEvents(page: Page): Promise<Array<Record<string, unknown>>> {
  return page.evaluate(() => {
    const journal = JSON.parse(localStorage.getItem('officina.journal') ?? '{"log":{}}');
    return Object.values(journal.log) as Array<Record<string, unknown>>;
  });
}

/** The number of actions waiting to reach the server, as the header shows it. */
export function pendingCount(page: Page) {
  return page.getByRole('status').filter({ hasText: /In linea|Offline/ });
}
