import { expect, test } from '@playwright/test';
import { expectAccessible, pendingCount, serverEvents, signedIn, storedEvents } from './helpers';

type Questionnaire = { statements: Array<{ it: string }>; scale: Array<{ it: string }> };

test('a learner answers the self-assessment before a path offline, and it reaches the server', async ({ page, context }) => {
  const session = await signedIn(page, 'Orsa');
  const content = await (await page.request.get('/api/content')).json();
  const { statements, scale }: Questionnaire = content.self_assessment;
  expect(statements.length).toBeGreaterThanOrEqual(4);
  expect(scale.map((label) => label.it)).toEqual(['Per niente', 'Poco', 'Abbastanza', 'Molto']);

  await page.goto('/percorsi/space-camp');
  const card = page.getByRole('region', { name: 'Prima di iniziare: 2 minuti per dirci cosa sai già' });
  await expect(card).toBeVisible();
  await expectAccessible(page);
  // An invitation: the questionnaire opens only when asked for.
  await expect(card.getByRole('group')).toHaveCount(0);
  await card.getByRole('button', { name: 'Rispondi' }).click();
  await expect(card.getByRole('group')).toHaveCount(statements.length);
  await expect(card.getByRole('button', { name: 'Rispondi' })).toBeHidden();

  await context.setOffline(true);
  const answers = statements.map((_, index) => (index % scale.length) + 1);
  const choose = (index: number) =>
    card.getByRole('group', { name: statements[index].it }).getByLabel(scale[answers[index] - 1].it, { exact: true }).check();
  const selfAssessed = async () => (await storedEvents(page)).filter((e) => e.kind === 'self_assessed');
  // With a statement left unanswered the browser refuses the form: nothing is recorded.
  for (const index of statements.keys()) if (index > 0) await choose(index);
  await card.getByRole('button', { name: 'Salva le risposte' }).click();
  expect(await selfAssessed()).toEqual([]);
  await choose(0);
  await card.getByRole('button', { name: 'Salva le risposte' }).click();
  await expect(card.getByRole('status')).toHaveText('✓ Grazie! Le tue risposte sono salvate.');
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '1');
  const expected = { path_id: 'space-camp', moment: 'before', answers };
  const [saved] = await selfAssessed();
  expect(saved.data).toEqual(expected);
  expect(saved.activity_id).toBeUndefined();
  await expectAccessible(page);

  await context.setOffline(false);
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '0');
  const onServer = (await serverEvents(page, session)).filter((e) => e.kind === 'self_assessed');
  expect(onServer.map((e) => [e.id, e.user_id, e.data])).toEqual([[saved.id, session.user.id, expected]]);

  // Answered: the path's page asks no more, until the path is complete.
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Space Camp' })).toBeVisible();
  await expect(page.getByRole('region', { name: /2 minuti per dirci/ })).toHaveCount(0);
});
