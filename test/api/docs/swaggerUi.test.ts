import { decodeJwt } from 'jose';
import type { Browser } from 'playwright-core';
import { LocalIssuer } from '../../../infra/local/identity/LocalIssuer';
import { launchChromium } from '../../support/chromium';
import { type ApiTestStack, startApiTestStack } from '../support/startApiTestStack';

/**
 * Swagger UI in real Chromium (Debian `chromium`, installed by CI; missing, the tests fail saying so): /docs loads
 * the contract, "Authorize" takes a bearer token or signs in through the local issuer's OIDC provider
 * (authorization code + PKCE), and "Try it out" (enabled from the start) runs requests against the running API.
 */

let t: ApiTestStack;
let browser: Browser;
let token: string;

describe('Swagger UI at /docs', () => {
  beforeAll(async () => {
    t = await startApiTestStack();
    token = await (await LocalIssuer.open(t.stack.dataDir)).mint({ role: 'analyst' });
    browser = await launchChromium();
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

    // A report through Try it out: the report id chosen from its list, every prefilled example cleared.
    const report = page.locator('#operations-reports-runReport');
    await report.locator('.opblock-summary').click();
    const inputs = report.locator('.parameters input[type=text]');
    for (let i = 0; i < (await inputs.count()); i += 1) await inputs.nth(i).fill('');
    await report.locator('tr[data-param-name="reportId"] select').selectOption('subject-trends');
    await report.getByRole('button', { name: 'Execute' }).click();
    const reportStatus = report.locator('.live-responses-table tbody .response-col_status').first();
    await reportStatus.waitFor({ timeout: 30_000 });
    expect(sent.some((r) => r.url.includes('/v1/reports/subject-trends'))).toBe(true);
    expect((await reportStatus.textContent())?.trim()).toBe('200');
    await page.close();
  }, 90_000);

  it('signs in through the local issuer with the authorization-code flow and PKCE, then Try it out answers 200 with the ID token', async () => {
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
    const cognito = page.locator('.auth-container').filter({ hasText: 'authorizationCode with PKCE' });
    expect(await cognito.locator('input[data-name="clientId"]').inputValue()).toBe('examlake-local');
    const [signIn] = await Promise.all([
      page.waitForEvent('popup'),
      cognito.locator('button.modal-btn.authorize').click(),
    ]);
    await signIn.waitForLoadState();
    expect(signIn.url().startsWith(`${t.url}/oauth2/authorize?`)).toBe(true);
    const request = new URL(signIn.url()).searchParams;
    expect(request.get('code_challenge_method')).toBe('S256');
    expect(request.get('redirect_uri')).toBe(`${t.url}/docs/oauth2-redirect.html`);
    await signIn.getByText('Local development issuer').waitFor();
    await signIn.getByLabel(/School administrator/).check();
    await signIn.getByLabel('School ids').fill('SCH-0001');
    // Back on oauth2-redirect.html, Swagger UI takes the code and the popup closes itself.
    await Promise.all([signIn.waitForEvent('close'), signIn.getByRole('button', { name: 'Sign in' }).click()]);

    await cognito.locator('button', { hasText: 'Logout' }).waitFor();
    await page.locator('.auth-btn-wrapper button.btn-done').first().click();

    const datasets = page.locator('#operations-datasets-listDatasets');
    await datasets.locator('.opblock-summary').click();
    await datasets.getByRole('button', { name: 'Execute' }).click();
    const status = datasets.locator('.live-responses-table tbody .response-col_status').first();
    await status.waitFor({ timeout: 15_000 });
    expect((await status.textContent())?.trim()).toBe('200');
    expect(
      await datasets.locator('.live-responses-table tbody .response-col_description').first().textContent(),
    ).toContain('exam_results');

    const bearer = /^Bearer (.+)$/.exec(sent.find((r) => r.url.endsWith('/v1/datasets'))?.authorization ?? '')?.[1];
    expect(bearer).toBeDefined();
    expect(decodeJwt(bearer!)).toMatchObject({
      token_use: 'id',
      'cognito:groups': ['school_admin'],
      'custom:school_ids': 'SCH-0001',
    });
    await page.close();
  }, 90_000);
});
