import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runAwsCli } from '../../support/awsCli';
import { startTestStack, type TestStack } from '../../support/localStack';

let testStack: TestStack;
let workDir: string;

beforeAll(async () => {
  testStack = await startTestStack();
  workDir = await mkdtemp(path.join(os.tmpdir(), 'examlake-cli-'));
});

afterAll(async () => {
  await testStack.stop();
  await rm(workDir, { recursive: true, force: true });
});

const aws = (...args: string[]) => runAwsCli(testStack.endpoint, args);
/** Each AWS CLI call starts Python (~3 s, far more on a busy machine); independent calls run side by side. */
const CLI_TEST_MS = 300_000;
const md5 = (data: Buffer) => createHash('md5').update(data).digest('hex');

describe('the AWS CLI against the local S3', () => {
  it(
    'makes a bucket, and reports BucketAlreadyOwnedByYou the second time',
    async () => {
      expect((await aws('s3', 'mb', 's3://cli-bucket')).code).toBe(0);
      const again = await aws('s3', 'mb', 's3://cli-bucket');
      expect(again.code).not.toBe(0);
      expect(again.stderr).toContain('BucketAlreadyOwnedByYou');
    },
    CLI_TEST_MS,
  );

  it(
    'copies a folder up with aws s3 cp --recursive (one file multipart) and a file down',
    async () => {
      const upload = path.join(workDir, 'upload');
      await mkdir(upload);
      await writeFile(path.join(upload, 'small.csv'), 'result_id,score\nr1,10\n');
      const bigData = Buffer.alloc(9 * 1024 * 1024);
      for (let i = 0; i < bigData.length; i += 512) bigData.writeUInt32BE(i, i);
      await writeFile(path.join(upload, 'big.bin'), bigData);

      const up = await aws('s3', 'cp', upload, 's3://cli-bucket/exports/2026/', '--recursive');
      expect([up.code, up.stderr]).toEqual([0, '']);
      const down = path.join(workDir, 'down.bin');
      expect((await aws('s3', 'cp', 's3://cli-bucket/exports/2026/big.bin', down)).code).toBe(0);
      expect(md5(await readFile(down))).toBe(md5(bigData));
      const stored = await testStack.stack.s3.files.stat('cli-bucket', 'exports/2026/small.csv');
      expect(await readFile(stored!.path, 'utf8')).toBe('result_id,score\nr1,10\n');
    },
    CLI_TEST_MS,
  );

  it(
    'lists with aws s3 ls and pages aws s3api list-objects-v2',
    async () => {
      const [ls, paged] = await Promise.all([
        aws('s3', 'ls', 's3://cli-bucket/exports/2026/'),
        aws('s3api', 'list-objects-v2', '--bucket', 'cli-bucket', '--prefix', 'exports/', '--page-size', '1'),
      ]);
      expect(ls.code).toBe(0);
      expect(ls.stdout).toMatch(/\s22 small\.csv/);
      expect(ls.stdout).toMatch(/\s9437184 big\.bin/);
      expect(paged.code).toBe(0);
      const { Contents } = paged.json as { Contents: { Key: string; Size: number }[] };
      expect(Contents.map((c) => c.Key)).toEqual(['exports/2026/big.bin', 'exports/2026/small.csv']);
    },
    CLI_TEST_MS,
  );

  it(
    'removes objects with aws s3 rm and reports a missing object as not found',
    async () => {
      expect((await aws('s3', 'rm', 's3://cli-bucket/', '--recursive')).code).toBe(0);
      expect(await testStack.stack.s3.files.list('cli-bucket', '')).toEqual([]);
      const missing = await aws('s3api', 'head-object', '--bucket', 'cli-bucket', '--key', 'exports/2026/small.csv');
      expect(missing.code).not.toBe(0);
      expect(missing.stderr).toMatch(/404|Not Found/);
    },
    CLI_TEST_MS,
  );
});

describe('the AWS CLI against the local DynamoDB', () => {
  it(
    'creates a table, puts, gets and queries items',
    async () => {
      const created = await aws(
        'dynamodb',
        'create-table',
        '--table-name',
        'cli-runs',
        '--billing-mode',
        'PAY_PER_REQUEST',
        '--attribute-definitions',
        'AttributeName=pk,AttributeType=S',
        'AttributeName=sk,AttributeType=S',
        '--key-schema',
        'AttributeName=pk,KeyType=HASH',
        'AttributeName=sk,KeyType=RANGE',
      );
      expect([created.code, created.stderr]).toEqual([0, '']);
      const puts = await Promise.all(
        ['a', 'b'].map((sk) =>
          aws(
            'dynamodb',
            'put-item',
            '--table-name',
            'cli-runs',
            '--item',
            JSON.stringify({ pk: { S: 'run#1' }, sk: { S: sk }, rows: { N: String(sk.charCodeAt(0)) } }),
          ),
        ),
      );
      for (const put of puts) expect([put.code, put.stderr]).toEqual([0, '']);
      const [got, queried] = await Promise.all([
        aws(
          'dynamodb',
          'get-item',
          '--table-name',
          'cli-runs',
          '--key',
          JSON.stringify({ pk: { S: 'run#1' }, sk: { S: 'b' } }),
        ),
        aws(
          'dynamodb',
          'query',
          '--table-name',
          'cli-runs',
          '--key-condition-expression',
          'pk = :pk AND sk > :after',
          '--expression-attribute-values',
          JSON.stringify({ ':pk': { S: 'run#1' }, ':after': { S: 'a' } }),
        ),
      ]);
      expect(got.json).toEqual({ Item: { pk: { S: 'run#1' }, sk: { S: 'b' }, rows: { N: '98' } } });

      expect(queried.code).toBe(0);
      expect((queried.json as { Items: { sk: { S: string } }[] }).Items.map((i) => i.sk.S)).toEqual(['b']);
    },
    CLI_TEST_MS,
  );

  it(
    'fails a conditional put with ConditionalCheckFailedException',
    async () => {
      const put = await aws(
        'dynamodb',
        'put-item',
        '--table-name',
        'cli-runs',
        '--item',
        JSON.stringify({ pk: { S: 'run#1' }, sk: { S: 'a' } }),
        '--condition-expression',
        'attribute_not_exists(pk)',
      );
      expect(put.code).not.toBe(0);
      expect(put.stderr).toContain('ConditionalCheckFailedException');
    },
    CLI_TEST_MS,
  );
});
