import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { generateSampleData } from '../../etl/generate/generateSampleData';
import { uploadExports } from '../../infra/cli/uploadExports';
import { LocalIssuer } from '../../infra/local/identity/LocalIssuer';
import { ensureDemoGrant, SAMPLE_DATA } from '../../infra/local/sampleData';
import { wireEtl } from '../../infra/local/wireEtl';
import { type ApiTestStack, startApiTestStack } from '../api/support/startApiTestStack';
import { launchChromium } from '../support/chromium';

/**
 * The web app in real Chromium (Debian `chromium`; missing, the tests fail saying what to install) against a local
 * stack loaded with sample data through the real ETL: the open data without sign-in, sign-in through the local
 * issuer's page (authorization code + PKCE), and each view's table holding the numbers the API answers for the
 * same request. axe-core checks every view for serious and critical violations.
 */
jest.setTimeout(300_000);

let t: ApiTestStack;
let browser: Browser;

beforeAll(async () => {
  t = await startApiTestStack({ webApp: true });
  wireEtl(t.stack.stack);
  // Two school years (2024/25 and 2025/26), so the overview can compare years.
  const log = jest.spyOn(console, 'log').mockImplementation(() => {});
  try {
    for (const year of SAMPLE_DATA.years) {
      const dir = path.join(t.stack.dataDir, `sample-${year}`);
      await generateSampleData(
        dir,
        { seed: SAMPLE_DATA.seed, badRows: SAMPLE_DATA.badRows, schools: 2, year },
        { replace: true },
      );
      const outcome = await uploadExports(dir, { clientConfig: t.stack.clientConfig });
      if (!outcome.ok) throw new Error(`Loading the sample data of ${year} failed: ${outcome.message}`);
    }
  } finally {
    log.mockRestore();
  }
  await ensureDemoGrant(t.url, await LocalIssuer.open(t.stack.dataDir));
  browser = await launchChromium();
});
afterAll(async () => {
  await browser?.close();
  await t?.stop();
});

interface Opened {
  readonly page: Page;
  /** The ID token the app sends (read from its requests), to ask the API the same question. */
  idToken(): string;
  readonly errors: string[];
}

async function open(hash = '', options: { fakeClock?: boolean } = {}): Promise<Opened> {
  // bypassCSP: the app's policy allows no inline script, and that is how axe-core is injected for the checks.
  const page = await browser.newPage({ viewport: { width: 1000, height: 900 }, bypassCSP: true });
  page.setDefaultTimeout(30_000);
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  let token = '';
  page.on('request', (r) => {
    const bearer = /^Bearer (.+)$/.exec(r.headers()['authorization'] ?? '')?.[1];
    if (bearer) token = bearer;
  });
  // A fake clock (timers and Date) lets a test jump past the token's expiry.
  if (options.fakeClock) await page.clock.install();
  await page.goto(`${t.url}/${hash}`);
  return { page, idToken: () => token, errors };
}

/** Signs in through the local issuer's page as `role` (its label on the page), from the app's Sign in button. */
async function signIn(page: Page, role: RegExp, fields: Record<string, string> = {}): Promise<void> {
  await page.getByRole('button', { name: 'Sign in' }).first().click();
  await page.waitForURL(/\/oauth2\/authorize\?/);
  const request = new URL(page.url()).searchParams;
  expect(request.get('code_challenge_method')).toBe('S256');
  expect(request.get('client_id')).toBe('examlake-local');
  await page.getByText('Local development issuer').waitFor();
  await page.getByRole('radio', { name: role }).check();
  for (const [label, value] of Object.entries(fields)) await page.getByRole('textbox', { name: label }).fill(value);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('button', { name: 'Sign out' }).waitFor();
}

async function api(pathAndQuery: string, token?: string): Promise<{ rows: Record<string, unknown>[] }> {
  const response = await fetch(`${t.url}${pathAndQuery}`, {
    headers: token ? { Authorization: `Bearer ${token}` } : {},
  });
  expect(response.status).toBe(200);
  return (await response.json()) as { rows: Record<string, unknown>[] };
}

/** The texts of one column of the table with this caption. */
async function column(page: Page, caption: string, name: string): Promise<string[]> {
  const table = page.locator('table').filter({ has: page.locator('caption', { hasText: caption }) });
  await table.locator('tbody tr').first().waitFor();
  return table.locator(`td[data-column="${name}"]`).allTextContents();
}

/** Opens a route of the app in the same page (a reload would forget the in-memory tokens). */
async function go(page: Page, hash: string): Promise<void> {
  await page.evaluate(`window.location.hash = ${JSON.stringify(hash)}`);
}

/** axe-core in the page: serious and critical violations, as "rule: nodes" lines (none expected). */
async function seriousViolations(page: Page): Promise<string[]> {
  await page.addScriptTag({ path: require.resolve('axe-core/axe.min.js') });
  const violations = (await page.evaluate('axe.run().then((result) => result.violations)')) as AxeViolation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
}
interface AxeViolation {
  readonly id: string;
  readonly impact: string | null;
  readonly nodes: { readonly target: string[] }[];
}

describe('the web app', () => {
  it('shows open data by district without sign-in, with the numbers of the open API and withheld cells marked', async () => {
    const { page, errors } = await open('#/open?year=2025&level=district');
    await page.locator('figure.chart svg').first().waitFor();
    const answer = await api('/v1/open/reports/attainment-by-area?year=2025&level=district');
    const rows = answer.rows.filter((r) => r['level'] === 'district');
    expect(await column(page, 'Attainment by district, 2025', 'first_attempts')).toEqual(
      rows.map((r) => (r['first_attempts'] === null ? 'withheld' : String(r['first_attempts']))),
    );
    expect(await page.getByRole('img', { name: /Pass rate by district/ }).count()).toBe(1);
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it('signs a school administrator in through the local issuer and charts this school year against the last from the API', async () => {
    const { page, idToken, errors } = await open();
    await signIn(page, /School administrator/, { 'School ids': 'SCH-0001' });
    await page.getByRole('heading', { name: 'School overview: SCH-0001' }).waitFor();
    await page.getByRole('img', { name: 'Mean score per exam, 2025/26 and 2024/25' }).waitFor();
    expect(await page.locator('figure.chart svg rect').count()).toBeGreaterThan(0);
    const answer = await api('/v1/reports/school-summary?schoolId=SCH-0001&from=2025-09-01&to=2026-08-31', idToken());
    expect(await column(page, 'Exams at SCH-0001, 2025/26', 'attempts')).toEqual(
      answer.rows.map((r) => String(r['attempts'])),
    );
    // Against last year: the same exam of 2024/25, as the API answers for that school year's dates.
    const before = await api('/v1/reports/school-summary?schoolId=SCH-0001&from=2024-09-01&to=2025-08-31', idToken());
    const lastMean = new Map(
      before.rows.map((r) => [String(r['exam_id']).replace('-2024-', '-2025-'), r['mean_score_pct']]),
    );
    expect(await column(page, 'Exams at SCH-0001, 2025/26', 'previous_mean_score_pct')).toEqual(
      answer.rows.map((r) => `${(lastMean.get(String(r['exam_id'])) as number).toFixed(1)} %`),
    );
    expect(await page.getByTestId('no-previous-year').count()).toBe(0);
    expect(await seriousViolations(page)).toEqual([]);

    await page.getByRole('link', { name: 'MAT-G05-2025-AUT' }).click();
    await page.getByRole('heading', { name: 'MAT-G05-2025-AUT at SCH-0001' }).waitFor();
    const items = await api('/v1/reports/item-analysis?examId=MAT-G05-2025-AUT&schoolId=SCH-0001', idToken());
    expect(await column(page, 'Questions: difficulty, discrimination and flags', 'responses')).toEqual(
      items.rows.map((r) => String(r['responses'])),
    );
    const bands = await api('/v1/reports/score-distribution?examId=MAT-G05-2025-AUT&schoolId=SCH-0001', idToken());
    expect(await column(page, 'Attempts per score band', 'attempts')).toEqual(
      bands.rows.map((r) => String(r['attempts'])),
    );
    await page.getByRole('img', { name: 'Item analysis' }).waitFor();
    expect(await seriousViolations(page)).toEqual([]);
    expect(errors).toEqual([]);
    await page.close();
  });

  it("shows an administrator a student's progress, with the API's attempts, and fits a phone's width", async () => {
    const { page, idToken } = await open();
    await page.setViewportSize({ width: 375, height: 800 });
    await signIn(page, /School administrator/, { 'School ids': 'SCH-0001' });
    await page.getByRole('link', { name: 'Students' }).click();
    await page.getByRole('textbox', { name: 'Student id' }).fill('STU-000001');
    await page.getByRole('button', { name: 'Show' }).click();
    await page.getByRole('img', { name: 'Scores of STU-000001' }).waitFor();
    const answer = await api('/v1/reports/student-progress?studentId=STU-000001', idToken());
    expect(answer.rows.length).toBeGreaterThan(0);
    expect(await column(page, 'Attempts by STU-000001', 'exam_id')).toEqual(
      answer.rows.map((r) => String(r['exam_id'])),
    );
    // Nothing wider than the phone: tables and charts scroll inside their own regions.
    expect(await page.evaluate('document.documentElement.scrollWidth')).toBeLessThanOrEqual(375);
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("refuses a school outside the administrator's scope in words, from the API's problem", async () => {
    const { page } = await open();
    await signIn(page, /School administrator/, { 'School ids': 'SCH-0001' });
    await go(page, '#/overview?school=SCH-0003');
    const alert = page.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toContain('SCH-0003 is outside your scope');
    await page.close();
  });

  it('shows a partner withheld groups as withheld and never a student id', async () => {
    const { page, idToken } = await open();
    await signIn(page, /^Partner/, { 'Partner id': 'P1' });
    await go(page, '#/exam/MAT-G05-2025-AUT?school=SCH-0001');
    await page.getByRole('heading', { name: 'MAT-G05-2025-AUT at SCH-0001' }).waitFor();
    const items = await api('/v1/reports/item-analysis?examId=MAT-G05-2025-AUT&schoolId=SCH-0001', idToken());
    const shown = await column(page, 'Questions: difficulty, discrimination and flags', 'proportion_correct');
    const withheld = items.rows.map((r) => r['proportion_correct'] === null);
    expect(withheld).toContain(true);
    expect(shown.map((text) => text === 'withheld')).toEqual(withheld);
    expect(await page.locator('.notice', { hasText: 'minimum cell size 10' }).count()).toBeGreaterThan(0);
    expect(await page.locator('body').textContent()).not.toMatch(/STU-\d+/);

    await page.getByRole('link', { name: 'Grant' }).click();
    await page.getByRole('heading', { name: 'Your grant' }).waitFor();
    expect(await page.locator('dl.grant').textContent()).toContain('regions: North');
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it("runs an analyst's SQL in the console: the API's rows as a table, with cache state and bytes scanned", async () => {
    const { page, idToken } = await open();
    await signIn(page, /Analyst/);
    await page.getByRole('link', { name: 'SQL' }).click();
    const sql =
      'SELECT subject, count(*) AS attempts FROM examlake.exam_results GROUP BY subject ORDER BY subject LIMIT 100';
    await page.getByRole('textbox', { name: 'SQL' }).fill(sql);
    await page.getByRole('button', { name: 'Run' }).click();
    const meta = page.getByTestId('query-meta');
    await meta.waitFor();
    expect(await meta.textContent()).toMatch(/cache (hit|miss) · [\d.]+ (B|KB|MB) scanned/);
    const response = await fetch(`${t.url}/v1/queries`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${idToken()}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ sql }),
    });
    const answer = (await response.json()) as { rows: Record<string, unknown>[] };
    expect(await column(page, 'Query result', 'attempts')).toEqual(answer.rows.map((r) => String(r['attempts'])));
    expect(await seriousViolations(page)).toEqual([]);
    await page.close();
  });

  it('signs out: the tokens are forgotten and signed-in views ask to sign in again', async () => {
    const { page } = await open();
    await signIn(page, /Analyst/);
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('button', { name: 'Sign in' }).first().waitFor();
    await go(page, '#/trends');
    await page.getByRole('heading', { name: 'Sign in to see this page' }).waitFor();
    expect(await page.evaluate('JSON.stringify({ ...localStorage, ...sessionStorage })')).not.toMatch(/id_token|eyJ/);
    await page.close();
  });

  it('leads back to sign-in when the ID token expires', async () => {
    const { page } = await open('', { fakeClock: true });
    await signIn(page, /School administrator/, { 'School ids': 'SCH-0001' });
    await page.getByRole('heading', { name: 'School overview: SCH-0001' }).waitFor();
    // The local provider's ID tokens live an hour.
    await page.clock.fastForward('01:00:30');
    await page.getByText('Your session has expired: sign in again.').waitFor();
    await page.getByRole('heading', { name: 'Sign in to see this page' }).waitFor();
    // Back to the issuer's time, so the next token is not already expired in the page's eyes.
    await page.clock.setSystemTime(Date.now());
    await signIn(page, /School administrator/, { 'School ids': 'SCH-0001' });
    await page.getByRole('heading', { name: 'School overview: SCH-0001' }).waitFor();
    expect(await page.getByText('Your session has expired').count()).toBe(0);
    await page.close();
  });
});
