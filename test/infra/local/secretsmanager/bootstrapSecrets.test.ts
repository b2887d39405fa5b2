import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { GetSecretValueCommand, PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { localStudentKeySecret } from '../../../../etl/transform/studentKey';
import { bootstrapResources, LOCAL_RESOURCE_NAMES } from '../../../../infra/local/bootstrap';
import { startTestStack, type TestStack } from '../../../support/localStack';

let testStack: TestStack;
let secrets: SecretsManagerClient;

beforeAll(async () => {
  testStack = await startTestStack();
  secrets = new SecretsManagerClient({ ...testStack.clientConfig });
});

afterAll(async () => {
  secrets.destroy();
  await testStack.stop();
});

const current = (name: string) => secrets.send(new GetSecretValueCommand({ SecretId: name }));

describe('bootstrapResources creating the secrets', () => {
  it('seeds the student key (32 bytes, SecretBinary) and an earlier signing key from the data dir', async () => {
    await mkdir(path.join(testStack.dataDir, 'api'), { recursive: true });
    await writeFile(path.join(testStack.dataDir, 'api', 'signing-secret'), 'k'.repeat(43));
    await bootstrapResources(testStack.clientConfig, { dataDir: testStack.dataDir });

    const studentKey = await current(LOCAL_RESOURCE_NAMES.studentKeySecret);
    expect(studentKey.SecretString).toBeUndefined();
    expect(Buffer.from(studentKey.SecretBinary!)).toEqual(await localStudentKeySecret(testStack.dataDir));
    expect(studentKey.SecretBinary).toHaveLength(32);
    expect((await current(LOCAL_RESOURCE_NAMES.signingKeySecret)).SecretString).toBe('k'.repeat(43));
  });

  it('keeps a rotated signing key when it runs again', async () => {
    await secrets.send(
      new PutSecretValueCommand({ SecretId: LOCAL_RESOURCE_NAMES.signingKeySecret, SecretString: 'r'.repeat(43) }),
    );
    await bootstrapResources(testStack.clientConfig, { dataDir: testStack.dataDir });
    expect((await current(LOCAL_RESOURCE_NAMES.signingKeySecret)).SecretString).toBe('r'.repeat(43));
  });
});
