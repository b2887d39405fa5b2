import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';
import { LocalIssuer } from '../../../infra/local/identity/LocalIssuer';
import { type ApiTestStack, startApiTestStack } from '../support/startApiTestStack';

/**
 * Swagger UI in real Chromium (Debian `chromium`, installed by CI): /docs loads the contract, "Authorize" takes
 * a bearer token, and "Try it out" (enabled from the start) runs requests against the running API with it.
 */
const CHROMIUM = process.env['EXAMLAKE_CHROMIUM'] ?? '/usr/bin/chromium';
const haveChromium = existsSync(CHROMIUM);
if (!haveChromium) {
  console.warn(`Skipping the Swagger UI browser test: no Chromium at ${CHROMIUM} (set EXAMLAKE_CHROMIUM).`);
}
const describeWithChromium = haveChromium ? describe : describe.skip;

let t: ApiTestStack;
let browser: Browser;
let token: string;

describeWithChromium('Swagger UI at /docs', () => {
  beforeAll(async () => {
    t = await startApiTestStack();
    token = await (await LocalIssuer.open(t.stack.dataDir)).mint({ role: 'analyst' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await t?.stop();
  });

  it('authorizes with a bearer token and runs GET /v1/health and a report through Try it out', async () => {
    const page = await browser.newPage();
    page.setDefaultTimeout(15_000);
    const sent: { url: string; authorization: string | undefined }[] = [];
    page.on('request', (r) => {
      if (r.url().includes('/v1/')) sent.push({ url: r.url(), authorization: r.headers()['authorization'] });
    });
    await page.goto(`${t.url}/docs`);
    await page
      .getByRole('button', { name: /Authorize/ })
      .first()
      .click();
    const bearer = page.locator('.auth-container').filter({ hasText: 'bearerAuth' });
    await bearer.locator('input').fill(token);
    await bearer.locator('button.modal-btn.authorize').click();
    await page.locator('.auth-btn-wrapper button.btn-done').first().click();

    const health = page.locator('#operations-meta-getHealth');
    await health.locator('.opblock-summary').click();
    await health.getByRole('button', { name: 'Execute' }).click();
    const status = health.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor({ timeout: 15_000 });
    expect((await status.textContent())?.trim()).toBe('200');

    const datasets = page.locator('#operations-datasets-listDatasets');
    await datasets.locator('.opblock-summary').click();
    await datasets.getByRole('button', { name: 'Execute' }).click();
    const datasetsStatus = datasets.locator('.live-responses-table tbody .response-col_status').first();
    await datasetsStatus.waitFor({ timeout: 15_000 });
    expect(sent.find((r) => r.url.endsWith('/v1/datasets'))?.authorization).toBe(`Bearer ${token}`);

    // A report through Try it out: only the report id filled in, every prefilled example cleared.
    const report = page.locator('#operations-reports-runReport');
    await report.locator('.opblock-summary').click();
    const inputs = report.locator('.parameters input[type=text]');
    for (let i = 0; i < (await inputs.count()); i += 1) await inputs.nth(i).fill('');
    await report.locator('tr[data-param-name="reportId"] input').fill('subject-trends');
    await report.getByRole('button', { name: 'Execute' }).click();
    const reportStatus = report.locator('.live-responses-table tbody .response-col_status').first();
    await reportStatus.waitFor({ timeout: 30_000 });
    expect(sent.some((r) => r.url.includes('/v1/reports/subject-trends'))).toBe(true);
    expect((await reportStatus.textContent())?.trim()).toBe('200');
    await page.close();
  }, 90_000);
});
