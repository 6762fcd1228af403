import { expect, test, type Locator, type Page } from '@playwright/test';
import * as path from 'node:path';
import { bundle, confirmFamilyLinks, createCohort, createEducator, expectAccessible, profileShown, signedIn, type Activity, type Bundle, type Session } from './helpers';

// Every screen at 360 × 740 (the config's viewport): nothing wider than the phone, except inside a
// box that scrolls sideways on its own (a code block, a table).

const PHOTO = path.resolve(__dirname, '../../server/tests/fixtures/photos/gps.jpg');
const PASSWORD = 'cavallo batteria graffetta';
// A nickname as long as the rules allow, without a space to wrap at.
const LONG_NAME = 'Massimiliano_DeFrancesco';

/** The document's width, and what sticks out past the right edge (outside a box that scrolls sideways). */
function measure(): { scrollWidth: number; innerWidth: number; offenders: string[] } {
  const width = window.innerWidth;
  const scrolls = (el: Element | null): boolean => {
    for (; el && el !== document.body; el = el.parentElement) {
      if (['auto', 'scroll'].includes(getComputedStyle(el).overflowX)) return true;
    }
    return false;
  };
  const describe = (el: Element, right: number) => {
    const cls = el.getAttribute('class');
    return `<${el.tagName.toLowerCase()}${cls ? ` class="${cls}"` : ''}> right=${Math.round(right)} «${(el.textContent ?? '').trim().slice(0, 60)}»`;
  };
  const offenders: string[] = [];
  for (const el of document.body.querySelectorAll('*')) {
    const right = el.getBoundingClientRect().right + window.scrollX;
    if (right > width + 0.5 && !scrolls(el.parentElement)) offenders.push(describe(el, right));
  }
  // Text can stick out of an element that stays narrow (a long word in a fixed box).
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const range = document.createRange();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    if (!node.textContent?.trim() || !node.parentElement) continue;
    range.selectNodeContents(node);
    const right = range.getBoundingClientRect().right + window.scrollX;
    if (right > width + 0.5 && !scrolls(node.parentElement)) offenders.push(`text in ${describe(node.parentElement, right)}`);
  }
  return { scrollWidth: document.documentElement.scrollWidth, innerWidth: width, offenders: offenders.slice(0, 12) };
}

/** Fails, naming what overflowed, when the screen is wider than the phone. */
async function expectFits(page: Page, what: string) {
  const { scrollWidth, innerWidth, offenders } = await page.evaluate(measure);
  expect(offenders, `${what}: elements past the right edge`).toEqual([]);
  expect(scrollWidth, `${what}: the document's width`).toBeLessThanOrEqual(innerWidth);
}

/** Opens an app screen in place, as a link would (no reload of the app or the programme). */
async function open(page: Page, url: string) {
  await page.evaluate((to) => {
    history.pushState(null, '', to);
    dispatchEvent(new PopStateEvent('popstate'));
  }, url);
}

async function heading(page: Page, name: string) {
  await expect(page.getByRole('heading', { level: 1, name, exact: true })).toBeVisible();
}

type Full = Activity & { evidence?: string[]; body_html: { it: string } };

function activities(content: Bundle): Full[] {
  return content.paths.flatMap((p) => p.modules.flatMap((m) => m.activities)) as Full[];
}

/** Every question of the quiz on screen, each one answered and checked, then the result. */
async function goThroughQuiz(page: Page, quiz: Activity) {
  const questions = quiz.questions ?? [];
  for (const [index, question] of questions.entries()) {
    await expect(page.locator('.quiz-counter')).toContainText(`${index + 1} di ${questions.length}`);
    await expectFits(page, `${quiz.id}, question ${index + 1}`);
    if (question.type === 'number') await page.locator('.number-answer input').fill('1');
    else await page.locator('.options input').first().check();
    await page.getByRole('button', { name: 'Verifica' }).click();
    await expect(page.locator('.feedback')).toBeVisible();
    await expectFits(page, `${quiz.id}, feedback ${index + 1}`);
    await page.getByRole('button', { name: index + 1 < questions.length ? 'Avanti' : 'Vedi il risultato' }).click();
  }
  await expect(page.locator('.quiz-result')).toBeVisible();
  await expectFits(page, `${quiz.id}, result`);
  // A badge earned is celebrated in a card over the page until it is closed, as a person would.
  const celebration = page.locator('.celebration');
  if (await celebration.isVisible()) {
    await expectFits(page, `${quiz.id}, a badge celebrated`);
    await celebration.getByRole('button', { name: 'Chiudi' }).click();
  }
}

test('every activity and every path page fits a 360 px screen, and so do the screens before joining', async ({ page }) => {
  test.setTimeout(90_000);
  const content = await bundle(page);
  const all = activities(content);
  expect(all.length).toBeGreaterThanOrEqual(100);
  await page.goto('/');
  await heading(page, 'I tuoi percorsi');
  await expectFits(page, 'home, signed out');
  for (const activity of all) {
    await open(page, `/attivita/${activity.id}`);
    await heading(page, activity.title.it);
    await expectFits(page, activity.id);
    if (activity.kind === 'quiz') await goThroughQuiz(page, activity);
  }
  // Code and tables scroll in a box the keyboard can reach.
  for (const tag of ['<pre', '<table']) {
    const lesson = all.find((a) => a.kind === 'lesson' && a.body_html.it.includes(tag));
    expect(lesson, `a lesson with ${tag}>`).toBeDefined();
    await open(page, `/attivita/${lesson!.id}`);
    await heading(page, lesson!.title.it);
    await expectAccessible(page);
  }
  for (const p of content.paths) {
    await open(page, `/percorsi/${p.id}`);
    await heading(page, p.title.it);
    await expectFits(page, `path ${p.id}`);
  }
  for (const [url, title] of [['/badge', 'I tuoi badge'], ['/profilo', 'Profilo']]) {
    await open(page, url);
    await heading(page, title);
    if (url === '/profilo') await profileShown(page);
    await expectFits(page, `${url}, signed out`);
  }
});

test("a challenge's form with photos fits, and nothing covers «Invia la sfida»", async ({ page }) => {
  await signedIn(page, LONG_NAME);
  const content = await bundle(page);
  // The challenge with photos that has code in it: the widest text a challenge holds.
  const challenge = activities(content).find((a) => a.kind === 'challenge' && a.evidence?.includes('photo') && a.body_html.it.includes('<pre'));
  expect(challenge, 'a challenge with photos and code').toBeDefined();
  await page.goto(`/attivita/${challenge!.id}`);
  await page.getByLabel(/Che cosa hai fatto/).fill('Ho scritto il gioco in Python: https://esempio.it/un-indirizzo-molto-lungo-senza-spazi-da-andare-a-capo');
  await page.getByLabel('Scegli dalla galleria').setInputFiles(PHOTO);
  await expect(page.getByRole('img', { name: 'Foto 1' })).toBeVisible();
  await expectFits(page, `${challenge!.id} with a photo`);
  await expectAccessible(page);

  const submit = page.getByRole('button', { name: 'Invia la sfida' });
  // Brought into view as the keyboard would (the nearest edge), from above and from below.
  for (const start of [0, 100_000]) {
    await page.evaluate((y) => window.scrollTo(0, y), start);
    const onTop = await submit.evaluate((button) => {
      button.scrollIntoView({ block: 'nearest' });
      const box = button.getBoundingClientRect();
      const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
      return hit === button ? 'the button' : `<${hit?.tagName.toLowerCase()}> «${hit?.textContent?.trim().slice(0, 40)}»`;
    });
    expect(onTop, `what is at the centre of «Invia la sfida» (scrolled from y=${start})`).toBe('the button');
  }
  await submit.click();
  await expect(page.getByText('✓ Sfida inviata')).toBeVisible();
  await expectFits(page, `${challenge!.id} handed in`);
});

test("a learner's and a parent's screens fit, with long names and a family link", async ({ browser }) => {
  const code = createCohort('family-esperimenti');
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const [learner, parent] = await Promise.all(contexts.map((c) => c.newPage()));
    const child: Session = await signedIn(learner, LONG_NAME, code);
    const mother: Session = await signedIn(parent, 'Mariangela_Dell_Anna', code, 'parent');
    const familyCode = (await (await learner.request.post('/api/family/code', { headers: { Authorization: `Bearer ${child.token}` } })).json()).code;
    const linked = await parent.request.post('/api/family/link', { headers: { Authorization: `Bearer ${mother.token}` }, data: { code: familyCode } });
    expect(linked.ok()).toBeTruthy();
    await confirmFamilyLinks(parent.request, child);

    await learner.goto('/');
    await heading(learner, 'I tuoi percorsi');
    await expectFits(learner, 'home, signed in');
    await open(learner, '/badge');
    await heading(learner, 'I tuoi badge');
    await expectFits(learner, 'badges, signed in');
    await open(learner, '/profilo');
    await expect(learner.locator('.family-linked')).toHaveText('Collegati con te: Mariangela_Dell_Anna.');
    await learner.getByRole('button', { name: 'Mostra un codice famiglia' }).click();
    await expect(learner.locator('.family-code')).toBeVisible();
    await expectFits(learner, 'profile with a family link and a code');
    await expectAccessible(learner);

    const content = await bundle(parent);
    await parent.goto('/');
    await heading(parent, 'La vostra famiglia');
    await expect(parent.getByText(LONG_NAME).first()).toBeVisible();
    await expectFits(parent, "parent's home");
    await expectAccessible(parent);
    await open(parent, '/badge');
    await heading(parent, 'I tuoi badge');
    await expectFits(parent, "parent's badges");
    await open(parent, '/profilo');
    await heading(parent, 'Profilo');
    await profileShown(parent);
    await expectFits(parent, "parent's profile");
    for (const task of activities(content).filter((a) => a.kind === 'family_task')) {
      await open(parent, `/attivita/${task.id}`);
      await heading(parent, task.title.it);
      await expectFits(parent, `${task.id}, as a parent`);
    }
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});

test("every screen of the educator workspace fits, with a learner's challenge waiting for review", async ({ browser }) => {
  const stamp = Date.now();
  // As long a name as the rules allow, without a space.
  const admin = `Amministra_${stamp}`;
  createEducator(admin, PASSWORD, 'admin');
  const code = createCohort('steamcamp-coding');
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const [learner, page] = await Promise.all(contexts.map((c) => c.newPage()));
    const session = await signedIn(learner, LONG_NAME, code);
    await learner.goto('/attivita/coding-sfida-numero-segreto');
    await learner.getByLabel(/Che cosa hai fatto/).fill('Il codice è qui: https://esempio.it/un-indirizzo-molto-lungo-senza-spazi-da-andare-a-capo');
    await learner.getByLabel('Scegli dalla galleria').setInputFiles(PHOTO);
    await expect(learner.getByRole('img', { name: 'Foto 1' })).toBeVisible();
    await learner.getByRole('button', { name: 'Invia la sfida' }).click();
    await expect(learner.getByText('Inviata', { exact: true })).toBeVisible({ timeout: 15_000 });

    await page.goto('/educator/');
    await heading(page, 'Spazio educatori');
    await expectFits(page, 'workspace sign-in');
    await page.getByLabel('Nome', { exact: true }).fill(admin);
    await page.getByLabel('Password', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Accedi' }).click();
    await heading(page, 'I tuoi gruppi');
    await expectFits(page, 'cohorts');

    await page.getByRole('link', { name: 'Nuovo gruppo' }).click();
    await heading(page, 'Nuovo gruppo');
    await expectFits(page, 'new cohort');

    const base = `/educator/gruppi/${(session.user as Session['user'] & { cohort_id: string }).cohort_id}`;
    const main = page.getByRole('main');
    // Each screen, once its figures are there; axe where the learner's long text and photo show.
    const screens: Array<[string, string, Locator, boolean]> = [
      [base, 'cohort page', main.getByText(LONG_NAME).first(), false],
      [`${base}/revisioni`, 'reviews', main.getByRole('img', { name: /^Foto 1 di 1/ }), true],
      [`${base}/cruscotto`, 'dashboard', main.locator('td, th').getByText(LONG_NAME).first(), false],
      [`${base}/famiglie`, 'families and consent', main.getByText('Nessun collegamento da confermare.'), false],
      [`${base}/impatto`, "cohort's impact", main.locator('table').first(), false],
      ['/educator/impatto', "programme's impact", main.locator('table').first(), false],
      ['/educator/educatori', 'staff', main.getByText(admin).first(), false],
    ];
    for (const [url, what, ready, axe] of screens) {
      await open(page, url);
      await expect(ready).toBeVisible();
      await expectFits(page, what);
      if (axe) await expectAccessible(page);
    }
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});
