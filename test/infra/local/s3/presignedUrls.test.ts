import { createHmac } from 'node:crypto';
import { CreateBucketCommand, GetObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startTestStack, type TestStack } from '../../../support/localStack';

let testStack: TestStack;
let s3: S3Client;
const KEY = 'extracts/P1/x 1/part=0+data.parquet';

beforeAll(async () => {
  testStack = await startTestStack({});
  s3 = new S3Client({ ...testStack.clientConfig, forcePathStyle: true });
  await s3.send(new CreateBucketCommand({ Bucket: 'results' }));
  await s3.send(new PutObjectCommand({ Bucket: 'results', Key: KEY, Body: 'the rows' }));
});

afterAll(async () => {
  s3?.destroy();
  await testStack?.stop();
});

const presign = (options: { expiresIn: number; signingDate?: Date }, client = s3) =>
  getSignedUrl(client, new GetObjectCommand({ Bucket: 'results', Key: KEY }), options);

async function code(res: Response): Promise<string | undefined> {
  return /<Code>([^<]+)<\/Code>/.exec(await res.text())?.[1];
}

describe('presigned GET URLs on the local S3', () => {
  it('serves an object through a SigV4 presigned URL until it expires', async () => {
    const url = await presign({ expiresIn: 900 });
    const res = await fetch(url);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('the rows');
  });

  it('answers the same URL before its expiry and refuses it after', async () => {
    const url = await presign({ expiresIn: 1 });
    expect((await fetch(url)).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const late = await fetch(url);
    expect([late.status, await code(late)]).toEqual([403, 'AccessDenied']);
  });

  it('refuses an expired URL with AccessDenied, "Request has expired"', async () => {
    const url = await presign({ expiresIn: 60, signingDate: new Date(Date.now() - 120_000) });
    const res = await fetch(url);
    expect(res.status).toBe(403);
    const body = await res.text();
    expect(body).toContain('<Code>AccessDenied</Code>');
    expect(body).toContain('Request has expired');
  });

  it('refuses a tampered signature, key or parameter with SignatureDoesNotMatch', async () => {
    const url = new URL(await presign({ expiresIn: 900 }));
    const signature = url.searchParams.get('X-Amz-Signature')!;
    const flipped = new URL(url);
    flipped.searchParams.set('X-Amz-Signature', `${signature[0] === 'a' ? 'b' : 'a'}${signature.slice(1)}`);
    const otherKey = new URL(url);
    otherKey.pathname = otherKey.pathname.replace('data', 'other');
    const longer = new URL(url);
    longer.searchParams.set('X-Amz-Expires', '604800');
    for (const tampered of [flipped, otherKey, longer]) {
      const res = await fetch(tampered);
      expect([tampered.pathname, res.status, await code(res)]).toEqual([
        tampered.pathname,
        403,
        'SignatureDoesNotMatch',
      ]);
    }
  });

  it('refuses a URL signed with another secret or another access key', async () => {
    const wrongSecret = new S3Client({
      ...testStack.clientConfig,
      forcePathStyle: true,
      credentials: { accessKeyId: testStack.clientConfig.credentials.accessKeyId, secretAccessKey: 'not-the-secret' },
    });
    const wrongKey = new S3Client({
      ...testStack.clientConfig,
      forcePathStyle: true,
      credentials: { accessKeyId: 'AKIDSOMEONEELSE', secretAccessKey: 'x' },
    });
    try {
      const a = await fetch(await presign({ expiresIn: 900 }, wrongSecret));
      expect([a.status, await code(a)]).toEqual([403, 'SignatureDoesNotMatch']);
      const b = await fetch(await presign({ expiresIn: 900 }, wrongKey));
      expect([b.status, await code(b)]).toEqual([403, 'InvalidAccessKeyId']);
    } finally {
      wrongSecret.destroy();
      wrongKey.destroy();
    }
  });

  it('checks signature version 2 URLs (what aws s3 presign makes): a good one answers, a tampered or expired one is 403', async () => {
    const v2 = (expires: number, secret = 'test') => {
      const resource = `/results/${KEY.split('/').map(encodeURIComponent).join('/')}`;
      const signature = createHmac('sha1', secret).update(`GET\n\n\n${expires}\n${resource}`).digest('base64');
      return `${testStack.endpoint}${resource}?AWSAccessKeyId=test&Expires=${expires}&Signature=${encodeURIComponent(signature)}`;
    };
    const soon = Math.floor(Date.now() / 1000) + 60;
    const good = await fetch(v2(soon));
    expect([good.status, await good.text()]).toEqual([200, 'the rows']);
    const tampered = await fetch(v2(soon, 'wrong'));
    expect([tampered.status, await code(tampered)]).toEqual([403, 'SignatureDoesNotMatch']);
    const expired = await fetch(v2(Math.floor(Date.now() / 1000) - 1));
    expect([expired.status, await code(expired)]).toEqual([403, 'AccessDenied']);
  });

  it('refuses a malformed algorithm or expiry with AuthorizationQueryParametersError', async () => {
    const url = new URL(await presign({ expiresIn: 900 }));
    const algorithm = new URL(url);
    algorithm.searchParams.set('X-Amz-Algorithm', 'AWS4-HMAC-SHA1');
    const expiry = new URL(url);
    expiry.searchParams.set('X-Amz-Expires', '604801');
    for (const bad of [algorithm, expiry]) {
      const res = await fetch(bad);
      expect([res.status, await code(res)]).toEqual([400, 'AuthorizationQueryParametersError']);
    }
  });
});
