import { expect, type APIRequestContext, type Page } from '@playwright/test';
import { execFileSync } from 'node:child_process';
import * as path from 'node:path';
import AxeBuilder from '@axe-core/playwright';

/** Fails with the list of rules broken when axe-core finds any accessibility violation. */
export async function expectAccessible(page: Page): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  const broken = results.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  expect(broken, `axe violations on ${page.url()}`).toEqual([]);
}

/** Waits for the profile screen's content: its heading shows before its chunk arrives. */
export async function profileShown(page: Page): Promise<void> {
  await expect(page.getByRole('group', { name: /^(Lingua|Language)$/ })).toBeVisible();
}

/** The events the app holds in browser storage. */
export async function storedEvents(page: Page): Promise<Array<Record<string, unknown>>> {
  return page.evaluate(() => {
    // The journal's head and its sealed keys (src/stored_journal.rs), by id.
    const log: Record<string, Record<string, unknown>> = {};
    const sealed = Number(localStorage.getItem('officina.journal.sealed') ?? 0);
    const keys = [...Array(sealed).keys()].map((n) => `officina.journal.${n}`).concat('officina.journal', 'officina.journal.recent');
    for (const key of keys) Object.assign(log, JSON.parse(localStorage.getItem(key) ?? '{"log":{}}').log);
    return Object.keys(log).sort().map((id) => log[id]);
  });
}

/** The number of actions waiting to reach the server, as the header shows it. */
export function pendingCount(page: Page) {
  return page.getByRole('status').filter({ hasText: /In linea|Offline/ });
}

type Localized = { it: string; en?: string };
type Option = { text: Localized; correct?: boolean };
type Question =
  | { type: 'single' | 'multiple'; prompt: Localized; options: Option[] }
  | { type: 'number'; prompt: Localized; answer: number };
export type Activity = { id: string; kind: string; title: Localized; questions?: Question[] };
export type Bundle = {
  paths: Array<{ id: string; title: Localized; modules: Array<{ id: string; title: Localized; activities: Activity[] }> }>;
};

export async function bundle(page: Page): Promise<Bundle> {
  const response = await page.request.get('/api/content');
  expect(response.ok()).toBeTruthy();
  return response.json();
}

export function activity(content: Bundle, id: string): Activity {
  const found = content.paths.flatMap((p) => p.modules.flatMap((m) => m.activities)).find((a) => a.id === id);
  if (!found) throw new Error(`no activity ${id} in the bundle`);
  return found;
}

/** A quiz attempt from the bundle's key, all right or all wrong, with the score and verdict the
 * server's rules compute from those answers (anything else is refused as `score_mismatch`). */
export function quizSubmitted(quiz: Activity, right: boolean): Record<string, unknown> {
  const answers = (quiz.questions ?? []).map((q) => {
    if (q.type === 'number') return right ? q.answer : q.answer * 10 + 1000;
    const indexes = q.options.map((o, i) => [!!o.correct, i] as const);
    const chosen = indexes.filter(([correct]) => correct === right).map(([, i]) => i);
    return right ? chosen : chosen.slice(0, 1);
  });
  return { kind: 'quiz_submitted', activity_id: quiz.id, data: { answers, score: right ? 100 : 0, passed: right } };
}

/** Answers every question of the quiz on screen, right or wrong, from the bundle's answer key. */
export async function answerQuiz(page: Page, quiz: Activity, right: boolean) {
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


const root = path.resolve(__dirname, '../..');

/** Creates a cohort with the server's command line, on the test server's database; returns its join code. */
export function createCohort(pathId = 'space-camp', educators: string[] = []): string {
  const output = execFileSync(
    `${root}/target/server/officina-server`,
    ['cohort', 'create', '--name', `Gruppo ${Date.now()}`, '--path', pathId, '--db', process.env.OFFICINA_E2E_DB ?? '', '--content', `${root}/content`,
      ...educators.flatMap((name) => ['--educator', name])],
    { encoding: 'utf8' },
  );
  return output.trim().split('\n').pop()!.trim();
}

export type Session = { user: { id: string; nickname: string; cohort_id?: string }; token: string };

/** Joins a cohort (a new one by default) through the API and starts every page of this test signed in. */
export async function signedIn(page: Page, nickname = 'Astro', code = createCohort(), role = 'learner', ageBand = '14_plus'): Promise<Session> {
  const data = role === 'learner' ? { code, nickname, secret: 'luna-piena-7', role, age_band: ageBand } : { code, nickname, secret: 'luna-piena-7', role };
  const response = await page.request.post('/api/join', { data });
  expect(response.status()).toBe(201);
  const session: Session = await response.json();
  await page.addInitScript((s) => {
    if (!localStorage.getItem('officina.session')) localStorage.setItem('officina.session', JSON.stringify(s));
  }, session);
  return session;
}

/** The events the server holds for this session's learner. */
export async function serverEvents(page: Page, session: Session): Promise<Array<Record<string, unknown>>> {
  const response = await page.request.get('/api/sync/pull?since=0', { headers: { Authorization: `Bearer ${session.token}` } });
  expect(response.status()).toBe(200);
  return (await response.json()).events;
}

/** An educator (or admin) account made with the server's command line (the password on standard input). */
export function createEducator(name: string, password: string, role: 'educator' | 'admin' = 'educator'): void {
  execFileSync(`${root}/target/server/officina-server`, ['user', 'create', '--role', role, '--name', name, '--db', process.env.OFFICINA_E2E_DB ?? ''], {
    input: `${password}\n`,
  });
}

export type Joiner = { code: string; nickname: string; pin: string; who: 'learner' | 'parent'; age?: 'under_14' | '14_plus' };

/** Joins a cohort through the profile's form, as a person does: the code, "Avanti", who is joining
 *  (asked only by a family cohort's code), the age (a young person only), nickname and PIN. */
export async function joinThroughScreens(page: Page, { code, nickname, pin, who, age = '14_plus' }: Joiner): Promise<void> {
  await page.goto('/profilo');
  await page.getByLabel('Sì, mi iscrivo').check();
  await page.getByLabel('Codice del gruppo').fill(code);
  await page.getByRole('button', { name: 'Avanti' }).click();
  await expect(page.getByLabel('Soprannome')).toBeVisible();
  const asked = page.getByRole('group', { name: 'Chi si iscrive?' });
  if (who === 'parent') await asked.getByLabel('Sono un genitore').check();
  else if (await asked.count()) await asked.getByLabel('Sono un ragazzo o una ragazza').check();
  const ageAsked = page.getByRole('group', { name: 'Quanti anni hai?' });
  if (who === 'parent') await expect(ageAsked).toHaveCount(0);
  else await ageAsked.getByLabel(age === 'under_14' ? 'Meno di 14' : '14 o più').check();
  await page.getByLabel('Soprannome').fill(nickname);
  await page.getByLabel('PIN', { exact: true }).fill(pin);
  await page.getByRole('button', { name: 'Entra nel gruppo' }).click();
  await expect(page.getByText(`Sei nel gruppo come ${nickname}.`)).toBeVisible();
}

export const STAFF_PASSWORD = 'cavallo batteria graffetta';

/** Signs a staff member in through the workspace's form. */
export async function staffSignIn(page: Page, name: string, password = STAFF_PASSWORD) {
  await page.goto('/educator/');
  await expect(page.getByRole('heading', { level: 1, name: 'Spazio educatori' })).toBeVisible();
  await page.getByLabel('Nome', { exact: true }).fill(name);
  await page.getByLabel('Password', { exact: true }).fill(password);
  await page.getByRole('button', { name: 'Accedi' }).click();
  await expect(page.getByRole('heading', { level: 1, name: 'I tuoi gruppi' })).toBeVisible();
}

/** The links between a cohort's screens in the workspace. */
export function cohortTabs(page: Page) {
  return page.getByRole('navigation', { name: 'Sezioni del gruppo' });
}

let confirmer: Promise<string> | undefined;

/** An admin's token, made once per test worker with the command line, to confirm family links. */
function confirmerToken(request: APIRequestContext): Promise<string> {
  confirmer ??= (async () => {
    const name = `Conferme ${process.pid}`;
    createEducator(name, STAFF_PASSWORD, 'admin');
    const response = await request.post('/api/staff/login', { data: { name, password: STAFF_PASSWORD } });
    expect(response.status()).toBe(200);
    return (await response.json()).token;
  })();
  return confirmer;
}

/** The session of whoever is signed in on `page` (a device with one person on it). */
export async function sessionOf(page: Page): Promise<Session> {
  const session = await page.evaluate(() => JSON.parse(localStorage.getItem('officina.session') ?? 'null'));
  expect(session?.user?.cohort_id).toBeTruthy();
  return session;
}

/** An admin confirms the child's pending family links through the API, as an educator of the
 *  child's cohort does in the workspace: a link gives nothing until then. */
export async function confirmFamilyLinks(request: APIRequestContext, child: Session): Promise<void> {
  const auth = { Authorization: `Bearer ${await confirmerToken(request)}` };
  const cohort = child.user.cohort_id;
  const listed = await (await request.get(`/api/cohorts/${cohort}/family-links`, { headers: auth })).json();
  const pending = listed.links.filter((l: { state: string; child: { id: string } }) => l.state === 'pending' && l.child.id === child.user.id);
  expect(pending.length).toBeGreaterThan(0);
  for (const link of pending) {
    const confirmed = await request.post(`/api/cohorts/${cohort}/family-links/${link.id}/confirm`, { headers: auth });
    expect(confirmed.status()).toBe(204);
  }
}
