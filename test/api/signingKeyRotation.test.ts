import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { PutObjectCommand } from '@aws-sdk/client-s3';
import { PutSecretValueCommand } from '@aws-sdk/client-secrets-manager';
import { LOCAL_RESOURCE_NAMES } from '../../infra/local/bootstrap';
import { LocalIssuer } from '../../infra/local/identity/LocalIssuer';
import { buildCuratedFixture } from './support/curatedFixture';
import { request } from './support/httpClient';
import { type ApiTestStack, startApiTestStack } from './support/startApiTestStack';

/*
 * Rotating the signing key as docs/deploy.md says (put-secret-value on the secret), against the API over HTTP:
 * the API reads the key from the local Secrets Manager at run time, cached for signingKeyMaxAgeSeconds.
 */
const MAX_AGE_SECONDS = 1;
let t: ApiTestStack;
let fixtureRoot: string;
let admin: string;
const url = '/v1/reports/school-summary?schoolId=SCH-0001&pageSize=1';

beforeAll(async () => {
  t = await startApiTestStack({ settings: { signingKeyMaxAgeSeconds: MAX_AGE_SECONDS, dataVersionTtlMs: 0 } });
  fixtureRoot = await mkdtemp(path.join(os.tmpdir(), 'examlake-rotation-fixture-'));
  const fixture = await buildCuratedFixture(fixtureRoot, {
    seed: 'rotation',
    schools: 1,
    classesPerGrade: 1,
    studentsPerClass: 8,
  });
  for (const key of fixture.keys) {
    await t.api.clients.s3.send(
      new PutObjectCommand({
        Bucket: LOCAL_RESOURCE_NAMES.curatedBucket,
        Key: key,
        Body: await readFile(path.join(fixture.root, fixture.bucket, key)),
      }),
    );
  }
  admin = await (await LocalIssuer.open(t.stack.dataDir)).mint({ role: 'school_admin', schoolIds: ['SCH-0001'] });
}, 180_000);

afterAll(async () => {
  await t?.stop();
  if (fixtureRoot) await rm(fixtureRoot, { recursive: true, force: true });
});

const get = (target: string) => request(`${t.url}${target}`, { headers: { authorization: `Bearer ${admin}` } });

async function firstPageToken(): Promise<string> {
  const res = await get(url);
  expect(res.status).toBe(200);
  return res.json.page.nextPageToken as string;
}

async function rotate(): Promise<void> {
  await t.api.clients.secretsManager.send(
    new PutSecretValueCommand({
      SecretId: LOCAL_RESOURCE_NAMES.signingKeySecret,
      SecretString: randomBytes(32).toString('base64url'),
    }),
  );
  // Past the cache's max age, the API reads the new keys.
  await new Promise((resolve) => setTimeout(resolve, MAX_AGE_SECONDS * 1000 + 200));
}

describe('rotating the signing key', () => {
  it('signs new tokens with the new key, still opens the previous key’s, and refuses them after a second rotation', async () => {
    const underFirst = await firstPageToken();
    expect((await get(`${url}&pageToken=${underFirst}`)).status).toBe(200);

    await rotate();
    const underSecond = await firstPageToken();
    expect(underSecond).not.toBe(underFirst);
    expect((await get(`${url}&pageToken=${underFirst}`)).status).toBe(200);
    expect((await get(`${url}&pageToken=${underSecond}`)).status).toBe(200);

    await rotate();
    const refused = await get(`${url}&pageToken=${underFirst}`);
    expect([refused.status, refused.json.code]).toEqual([400, 'VALIDATION_FAILED']);
    expect(refused.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect((await get(`${url}&pageToken=${underSecond}`)).status).toBe(200);
    const underThird = await firstPageToken();
    expect((await get(`${url}&pageToken=${underThird}`)).status).toBe(200);
  });
});
