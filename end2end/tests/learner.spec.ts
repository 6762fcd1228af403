import { expect, test, type Page } from '@playwright/test';
import { expectAccessible, pendingCount } from './helpers';

type Localized = { it: string; en?: string };
type Option = { text: Localized; correct?: boolean };
type Question =
  | { type: 'single' | 'multiple'; prompt: Localized; options: Option[] }
  | { type: 'number'; prompt: Localized; answer: number };
type Activity = { id: string; kind: string; title: Localized; questions?: Question[] };
type Bundle = {
  paths: Array<{ id: string; title: Localized; modules: Array<{ id: string; title: Localized; activities: Activity[] }> }>;
};

async function bundle(page: Page): Promise<Bundle> {
  const response = await page.request.get('/api/content');
  expect(response.ok()).toBeTruthy();
  return response.json();
}

function activity(content: Bundle, id: string): Activity {
  const found = content.paths.flatMap((p) => p.modules.flatMap((m) => m.activities)).find((a) => a.id === id);
  if (!found) throw new Error(`no activity ${id} in the bundle`);
  return found;
}

/** Answers every question of the quiz on screen, right or wrong, from the bundle's answer key. */
async function answerQuiz(page: Page, quiz: Activity, right: boolean) {
  const questions = quiz.questions ?? [];
  for (const [index, question] of questions.entries()) {
    await expect(page.getByText(`Domanda ${index + 1} di ${questions.length}`)).toBeVisible();
    if (question.type === 'number') {
      const value = right ? String(question.answer).replace('.', ',') : String(question.answer * 10 + 1000);
      await page.getByLabel(question.prompt.it).fill(value);
    } else {
      const pick = question.options.filter((o) => !!o.correct === right).slice(0, question.type === 'single' ? 1 : undefined);
      for (const option of pick.length ? pick : [question.options[0]]) {
        await page.getByLabel(option.text.it, { exact: true }).check();
      }
    }
    await page.getByRole('button', { name: 'Verifica' }).click();
    await expect(page.locator('.feedback')).toContainText(right ? '✓ Giusto!' : '✗ Non è corretto.');
    if (index === 0) await expectAccessible(page);
    const next = index + 1 < questions.length ? 'Avanti' : 'Vedi il risultato';
    await page.getByRole('button', { name: next }).click();
  }
}

test('the app lists every path of the programme and opens each one', async ({ page }) => {
  const content = await bundle(page);
  expect(content.paths.length).toBeGreaterThanOrEqual(10);
  await page.goto('/');
  for (const path of content.paths) {
    await expect(page.getByRole('link', { name: new RegExp(path.title.it) })).toBeVisible();
  }
  for (const path of content.paths) {
    await page.goto(`/percorsi/${path.id}`);
    await expect(page.getByRole('heading', { level: 1, name: path.title.it })).toBeVisible();
    for (const module of path.modules) {
      await expect(page.getByRole('heading', { level: 2, name: module.title.it })).toBeVisible();
    }
    const first = path.modules[0].activities[0];
    await page.getByRole('link', { name: first.title.it }).first().click();
    await expect(page.getByRole('heading', { level: 1, name: first.title.it })).toBeVisible();
  }
});

test('a quiz: one question per screen, feedback, a failed attempt, a retry that passes, and a badge', async ({ page }) => {
  const content = await bundle(page);
  const quiz = activity(content, 'spazio-quiz-orbite');
  const module = content.paths[0].modules[0];
  for (const lesson of module.activities.filter((a) => a.kind === 'lesson')) {
    await page.goto(`/attivita/${lesson.id}`);
    await page.getByRole('button', { name: 'Segna come fatta' }).click();
    await expect(page.getByText('✓ Attività completata')).toBeVisible();
  }

  await page.goto('/attivita/spazio-quiz-orbite');
  await answerQuiz(page, quiz, false);
  await expect(page.getByText('Non ancora: rileggi la lezione')).toBeVisible();
  await expectAccessible(page);

  await page.getByRole('button', { name: 'Riprova' }).click();
  await answerQuiz(page, quiz, true);
  await expect(page.getByText('✓ Quiz superato!')).toBeVisible();
  await expect(pendingCount(page)).toHaveAttribute('data-pending', '0');

  await page.getByRole('link', { name: 'Badge', exact: true }).click();
  const earned = page.getByRole('region', { name: /Guadagnati/ });
  await expect(earned.getByRole('heading', { name: 'Prima orbita' })).toBeVisible();
  await expectAccessible(page);
});

test('a challenge takes text evidence; a family task waits for both people', async ({ page }) => {
  await page.goto('/attivita/spazio-sfida-razzo-ad-acqua');
  await expect(page.getByRole('heading', { name: 'Sicurezza prima di tutto' })).toBeVisible();
  const submit = page.getByRole('button', { name: 'Invia la sfida' });
  await expect(submit).toBeDisabled();
  await page.getByLabel(/Che cosa hai fatto/).fill('Il razzo è salito di circa 20 metri con mezzo litro d’acqua.');
  await submit.click();
  await expect(page.getByText('✓ Sfida inviata')).toBeVisible();
  await expectAccessible(page);

  await page.goto('/attivita/fam-esp-torre-densita');
  await page.getByRole('button', { name: 'Confermo: sono il ragazzo o la ragazza' }).click();
  await expect(page.getByText('In attesa della conferma del genitore.')).toBeVisible();
  await page.getByRole('button', { name: 'Confermo: sono il genitore' }).click();
  await expect(page.getByText('✓ Fatto insieme: confermato da entrambi.')).toBeVisible();
  await expectAccessible(page);
});

test('the language can be switched to English and is remembered', async ({ page }) => {
  await page.goto('/profilo');
  await expect(page.getByRole('heading', { level: 1, name: 'Profilo' })).toBeVisible();
  await expect(page.locator('.storage-info')).toContainText('Officina usa');
  await expectAccessible(page);

  await page.getByLabel('English').check();
  await expect(page.getByRole('heading', { level: 1, name: 'Profile' })).toBeVisible();
  await expect(page.locator('html')).toHaveAttribute('lang', 'en');
  await page.goto('/');
  await expect(page.getByRole('heading', { level: 1, name: 'Your paths' })).toBeVisible();
  await expect(page.getByRole('link', { name: /Coding and apps|Coding/ }).first()).toBeVisible();
  await page.reload();
  await expect(page.getByRole('heading', { level: 1, name: 'Your paths' })).toBeVisible();
  await expectAccessible(page);

  await page.goto('/profilo');
  await page.getByLabel('Italiano').check();
  await expect(page.locator('html')).toHaveAttribute('lang', 'it');
});
