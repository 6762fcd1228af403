import { expect, test, type Page } from '@playwright/test';
import * as path from 'node:path';
import { answerQuiz, createCohort, expectAccessible, type Activity as QuizActivity } from './helpers';

// A phone camera's JPEG (see evidence.spec.ts).
const PHOTO = path.resolve(__dirname, '../../server/tests/fixtures/photos/gps.jpg');

type Localized = { it: string };
type Activity = QuizActivity & { body_html: Localized; evidence?: string[] };
type Path = { id: string; title: Localized; audience: string; modules: Array<{ activities: Activity[] }> };
type Content = { paths: Path[]; badges: Array<{ id: string; name: Localized; criteria: Record<string, unknown> }> };

const activities = (p: Path) => p.modules.flatMap((m) => m.activities);
const lessonsWith = (p: Path, tag: string) => activities(p).filter((a) => a.kind === 'lesson' && a.body_html.it.includes(tag));

/** Joins as a learner from the home screen's form, opened from the address of the educator's QR code. */
async function joinFromHome(page: Page, code: string, nickname: string) {
  await page.goto(`/?codice=${code}`);
  await expect(page.getByLabel('Codice del gruppo')).toHaveValue(code);
  // A learner cohort's code: no question about who is joining, only the age.
  await expect(page.getByRole('group', { name: 'Quanti anni hai?' })).toBeVisible();
  await expect(page.getByRole('group', { name: 'Chi si iscrive?' })).toHaveCount(0);
  await page.getByLabel('14 o più').check();
  await page.getByLabel('Soprannome').fill(nickname);
  await page.getByLabel('PIN', { exact: true }).fill('circuito-42');
  await page.getByRole('button', { name: 'Entra nel gruppo' }).click();
  await expect(page.getByText(`Sei nel gruppo come ${nickname}.`)).toBeVisible();
}

/** Whether the images cache the service worker serves from holds `url`. */
function cached(page: Page, url: string) {
  return page.evaluate(async (u) => !!(await (await caches.open('officina-images')).match(u)), url);
}

test('a learner joins from the QR code, finds their path first, works through it, and reads a new image lesson offline', async ({ page, context }) => {
  const content: Content = await (await page.request.get('/api/content')).json();
  // A path for young people whose lessons have code blocks and images.
  const own = content.paths.find((p) => p.audience === 'learners' && lessonsWith(p, '<pre').length && lessonsWith(p, '<img').length);
  if (!own) throw new Error('no path with code and images in its lessons');
  const codeLesson = lessonsWith(own, '<pre')[0];
  const all = activities(own);
  const afterCode = all[all.indexOf(codeLesson) + 1];
  const imageLesson = lessonsWith(own, '<img').find((a) => a !== codeLesson && a !== afterCode)!;
  const imageUrl = /<img [^>]*src="([^"]+)"/.exec(imageLesson.body_html.it)![1];
  const challenge = all.find((a) => a.kind === 'challenge' && a.evidence?.includes('photo'))!;
  const quiz = all.find((a) => a.kind === 'quiz')!;

  await joinFromHome(page, createCohort(own.id), 'Volta');

  // Home: the cohort's path alone first, the other paths for young people closed under "Altri percorsi".
  await expect(page.locator('main > ul.cards h2')).toHaveText([own.title.it]);
  const others = page.locator('details.others');
  await expect(others).not.toHaveAttribute('open', /.*/);
  const otherLearnerPaths = content.paths.filter((p) => p.audience === 'learners' && p.id !== own.id);
  await expect(others.locator('h2')).toHaveText(otherLearnerPaths.map((p) => p.title.it));
  for (const hidden of content.paths.filter((p) => p.audience !== 'learners')) {
    await expect(page.getByText(hidden.title.it, { exact: true })).toHaveCount(0);
  }
  expect((await others.locator('summary').boundingBox())!.height).toBeGreaterThanOrEqual(48);
  await expectAccessible(page);
  await others.getByText('Altri percorsi').click();
  await expect(others.getByRole('link', { name: new RegExp(otherLearnerPaths[0].title.it) })).toBeVisible();

  // Badges: the path's own before the others, the family and start-up ones not at all.
  await page.getByRole('link', { name: 'Badge', exact: true }).click();
  const otherBadges = page.locator('details.others');
  await expect(otherBadges).toHaveCount(1);
  await expect(otherBadges).not.toHaveAttribute('open', /.*/);
  const ownBadge = content.badges.find((b) => b.criteria.path === own.id)!;
  await expect(page.locator('main > section > ul.badges').getByRole('heading', { name: ownBadge.name.it })).toBeVisible();
  const familyBadge = content.badges.find((b) => String(b.criteria.path ?? '').startsWith('family-'))!;
  await expect(page.getByText(familyBadge.name.it, { exact: true })).toHaveCount(0);
  await expectAccessible(page);

  // The path: the self-assessment is an invitation, and can wait.
  await page.getByRole('link', { name: 'Percorsi', exact: true }).click();
  await page.getByRole('link', { name: new RegExp(own.title.it) }).first().click();
  const invitation = page.getByRole('region', { name: 'Prima di iniziare: 2 minuti per dirci cosa sai già' });
  await expect(invitation.getByRole('button', { name: 'Rispondi' })).toBeVisible();
  await expectAccessible(page);
  await invitation.getByRole('button', { name: 'Non ora' }).click();
  await expect(invitation).toHaveCount(0);

  // A lesson with code, then the way on.
  await page.getByRole('link', { name: codeLesson.title.it }).click();
  await expect(page.getByRole('heading', { level: 1, name: codeLesson.title.it })).toBeVisible();
  await expect(page.locator('.prose pre').first()).toBeVisible();
  await page.getByRole('button', { name: 'Segna come fatta' }).click();
  await expect(page.getByText('✓ Attività completata')).toBeVisible();
  const next = page.getByRole('link', { name: /^Prossima attività/ });
  await expect(next).toContainText(afterCode.title.it);
  await next.click();
  await expect(page.getByRole('heading', { level: 1, name: afterCode.title.it })).toBeVisible();

  // A challenge with a photo. Back on the path, the invitation stays away for this visit.
  await page.getByRole('link', { name: `← ${own.title.it}` }).click();
  await expect(page.getByRole('heading', { level: 1, name: own.title.it })).toBeVisible();
  await expect(invitation).toHaveCount(0);
  await page.getByRole('link', { name: challenge.title.it }).click();
  await page.getByLabel(/Che cosa hai fatto/).fill('Il LED verde si accende quando premo il pulsante, ecco la foto.');
  await page.getByLabel('Scegli dalla galleria').setInputFiles(PHOTO);
  await expect(page.getByRole('img', { name: 'Foto 1' })).toBeVisible();
  await page.getByRole('button', { name: 'Invia la sfida' }).click();
  await expect(page.getByText('✓ Sfida inviata')).toBeVisible();
  await expect(page.getByRole('link', { name: /^Prossima attività/ })).toBeVisible();

  // A quiz.
  await page.getByRole('link', { name: `← ${own.title.it}` }).click();
  await page.getByRole('link', { name: quiz.title.it }).click();
  await answerQuiz(page, quiz, true);
  await expect(page.getByText('✓ Quiz superato!')).toBeVisible();
  await expect(page.getByRole('link', { name: /^Prossima attività/ })).toBeVisible();

  // A later visit offers the self-assessment again.
  await page.getByRole('link', { name: `← ${own.title.it}` }).click();
  await page.reload();
  await expect(invitation.getByRole('button', { name: 'Rispondi' })).toBeVisible();

  // The path's images were kept in the background, and the profile says what is stored.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) {
      await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
    }
  });
  await expect.poll(() => cached(page, imageUrl), { timeout: 15_000 }).toBe(true);
  await page.getByRole('link', { name: 'Profilo' }).click();
  const line = page.locator('.storage-info');
  await expect(line).toHaveText(/ Immagini per l'uso offline: \d+, \d+,\d KB\.$/);
  const shown = Number(/offline: (\d+),/.exec((await line.textContent()) ?? '')![1]);
  expect(shown).toBeGreaterThanOrEqual(lessonsWith(own, '<img').length);
  await expectAccessible(page);

  // Offline, the lesson with an image never opened before shows its image.
  await context.setOffline(true);
  await page.goto('/');
  await expect(page.getByRole('region', { name: 'Continua da dove eri rimasto' })).toContainText(own.title.it);
  await page.locator('main > ul.cards').getByRole('link', { name: new RegExp(own.title.it) }).click();
  await page.getByRole('link', { name: imageLesson.title.it }).click();
  const image = page.locator('.prose img').first();
  await expect(image).toBeVisible();
  await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth)).toBeGreaterThan(0);
  await context.setOffline(false);
});
