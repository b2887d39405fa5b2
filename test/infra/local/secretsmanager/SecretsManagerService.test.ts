import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import {
  CreateSecretCommand,
  DeleteSecretCommand,
  DescribeSecretCommand,
  GetSecretValueCommand,
  InvalidParameterException,
  InvalidRequestException,
  ListSecretsCommand,
  PutSecretValueCommand,
  ResourceExistsException,
  ResourceNotFoundException,
  RestoreSecretCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
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

describe('the local Secrets Manager through the AWS SDK', () => {
  it('creates a string secret and reads it back by name and by ARN', async () => {
    const created = await secrets.send(new CreateSecretCommand({ Name: 'app/one', SecretString: 'first value' }));
    expect(created.ARN).toMatch(/^arn:aws:secretsmanager:us-east-1:000000000000:secret:app\/one-[A-Za-z0-9]{6}$/);
    expect(created.VersionId).toMatch(/^[0-9a-f-]{36}$/);

    const byName = await secrets.send(new GetSecretValueCommand({ SecretId: 'app/one' }));
    expect(byName).toMatchObject({
      Name: 'app/one',
      ARN: created.ARN,
      SecretString: 'first value',
      VersionId: created.VersionId,
      VersionStages: ['AWSCURRENT'],
    });
    expect(byName.CreatedDate).toBeInstanceOf(Date);
    const byArn = await secrets.send(new GetSecretValueCommand({ SecretId: created.ARN }));
    expect(byArn.SecretString).toBe('first value');
    const byPartialArn = await secrets.send(
      new GetSecretValueCommand({ SecretId: created.ARN!.slice(0, -'-abcdef'.length) }),
    );
    expect(byPartialArn.SecretString).toBe('first value');
  });

  it('stores SecretBinary as bytes and returns the same 32 bytes', async () => {
    const key = Uint8Array.from({ length: 32 }, (_, i) => (i * 37 + 255) % 256);
    await secrets.send(new CreateSecretCommand({ Name: 'app/binary', SecretBinary: key }));
    const read = await secrets.send(new GetSecretValueCommand({ SecretId: 'app/binary' }));
    expect(read.SecretString).toBeUndefined();
    expect(Buffer.from(read.SecretBinary!)).toEqual(Buffer.from(key));
  });

  it('moves AWSCURRENT on PutSecretValue and keeps the old current as AWSPREVIOUS', async () => {
    const first = await secrets.send(new CreateSecretCommand({ Name: 'app/rotated', SecretString: 'v1' }));
    const second = await secrets.send(new PutSecretValueCommand({ SecretId: 'app/rotated', SecretString: 'v2' }));
    expect(second.VersionStages).toEqual(['AWSCURRENT']);
    const third = await secrets.send(new PutSecretValueCommand({ SecretId: 'app/rotated', SecretString: 'v3' }));

    const value = (stage?: string, versionId?: string) =>
      secrets.send(new GetSecretValueCommand({ SecretId: 'app/rotated', VersionStage: stage, VersionId: versionId }));
    expect((await value()).SecretString).toBe('v3');
    expect((await value('AWSCURRENT')).SecretString).toBe('v3');
    expect((await value('AWSPREVIOUS')).SecretString).toBe('v2');
    expect((await value('AWSPREVIOUS')).VersionId).toBe(second.VersionId);
    // The first version lost its last label, but stays readable by its id.
    expect((await value(undefined, first.VersionId)).SecretString).toBe('v1');
    expect((await value(undefined, first.VersionId)).VersionStages).toEqual([]);
    expect((await value(undefined, third.VersionId)).SecretString).toBe('v3');

    const described = await secrets.send(new DescribeSecretCommand({ SecretId: 'app/rotated' }));
    expect(described.VersionIdsToStages).toEqual({
      [second.VersionId!]: ['AWSPREVIOUS'],
      [third.VersionId!]: ['AWSCURRENT'],
    });
  });

  it('answers a repeated PutSecretValue token with the same version, and refuses it with another value', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'app/idempotent', SecretString: 'a' }));
    const token = 'f'.repeat(8) + '-1111-2222-3333-' + '4'.repeat(12);
    const once = await secrets.send(
      new PutSecretValueCommand({ SecretId: 'app/idempotent', SecretString: 'b', ClientRequestToken: token }),
    );
    const again = await secrets.send(
      new PutSecretValueCommand({ SecretId: 'app/idempotent', SecretString: 'b', ClientRequestToken: token }),
    );
    expect(again.VersionId).toBe(once.VersionId);
    await expect(
      secrets.send(
        new PutSecretValueCommand({ SecretId: 'app/idempotent', SecretString: 'c', ClientRequestToken: token }),
      ),
    ).rejects.toThrow(ResourceExistsException);
    const read = await secrets.send(
      new GetSecretValueCommand({ SecretId: 'app/idempotent', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(read.SecretString).toBe('a');
  });

  it('raises ResourceNotFoundException for an unknown secret, stage or version id', async () => {
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'app/missing' }))).rejects.toThrow(
      new ResourceNotFoundException({ $metadata: {}, message: "Secrets Manager can't find the specified secret." }),
    );
    await secrets.send(new CreateSecretCommand({ Name: 'app/single', SecretString: 'only' }));
    await expect(
      secrets.send(new GetSecretValueCommand({ SecretId: 'app/single', VersionStage: 'AWSPREVIOUS' })),
    ).rejects.toThrow("Secrets Manager can't find the specified secret value for staging label: AWSPREVIOUS");
    await expect(
      secrets.send(new GetSecretValueCommand({ SecretId: 'app/single', VersionId: '0'.repeat(32) })),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(secrets.send(new DescribeSecretCommand({ SecretId: 'app/missing' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('refuses a second secret of the same name with ResourceExistsException', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'app/twice', SecretString: 'x' }));
    await expect(secrets.send(new CreateSecretCommand({ Name: 'app/twice', SecretString: 'y' }))).rejects.toThrow(
      new ResourceExistsException({
        $metadata: {},
        message: 'The operation failed because the secret app/twice already exists.',
      }),
    );
  });

  it('refuses both SecretString and SecretBinary, and an invalid name, with InvalidParameterException', async () => {
    await expect(
      secrets.send(new CreateSecretCommand({ Name: 'app/both', SecretString: 'x', SecretBinary: Uint8Array.of(1) })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      secrets.send(new CreateSecretCommand({ Name: 'no spaces', SecretString: 'x' })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('lists secrets with a name filter, in pages', async () => {
    for (const n of ['list/a', 'list/b', 'list/c']) {
      await secrets.send(new CreateSecretCommand({ Name: n, SecretString: n, Description: `secret ${n}` }));
    }
    const first = await secrets.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['list/'] }], MaxResults: 2 }),
    );
    expect(first.SecretList?.map((s) => s.Name)).toEqual(['list/a', 'list/b']);
    expect(first.SecretList?.[0]?.Description).toBe('secret list/a');
    expect(Object.values(first.SecretList?.[0]?.SecretVersionsToStages ?? {})).toEqual([['AWSCURRENT']]);
    const second = await secrets.send(
      new ListSecretsCommand({
        Filters: [{ Key: 'name', Values: ['list/'] }],
        MaxResults: 2,
        NextToken: first.NextToken,
      }),
    );
    expect(second.SecretList?.map((s) => s.Name)).toEqual(['list/c']);
    expect(second.NextToken).toBeUndefined();
  });

  it('schedules a deletion (reads refused, listed only on request), restores it, and force-deletes at once', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'app/deleted', SecretString: 'gone soon' }));
    const deleted = await secrets.send(new DeleteSecretCommand({ SecretId: 'app/deleted', RecoveryWindowInDays: 7 }));
    expect(deleted.DeletionDate!.getTime() - Date.now()).toBeGreaterThan(6.9 * 86_400_000);
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'app/deleted' }))).rejects.toThrow(
      new InvalidRequestException({
        $metadata: {},
        message: "You can't perform this operation on the secret because it was marked for deletion.",
      }),
    );
    const hidden = await secrets.send(new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['app/deleted'] }] }));
    expect(hidden.SecretList).toEqual([]);
    const planned = await secrets.send(
      new ListSecretsCommand({ Filters: [{ Key: 'name', Values: ['app/deleted'] }], IncludePlannedDeletion: true }),
    );
    expect(planned.SecretList?.[0]?.DeletedDate).toBeInstanceOf(Date);

    await secrets.send(new RestoreSecretCommand({ SecretId: 'app/deleted' }));
    expect((await secrets.send(new GetSecretValueCommand({ SecretId: 'app/deleted' }))).SecretString).toBe('gone soon');

    await secrets.send(new DeleteSecretCommand({ SecretId: 'app/deleted', ForceDeleteWithoutRecovery: true }));
    await expect(secrets.send(new GetSecretValueCommand({ SecretId: 'app/deleted' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    // The name is free again.
    await secrets.send(new CreateSecretCommand({ Name: 'app/deleted', SecretString: 'new' }));
  });

  it('refuses a recovery window outside 7–30 days and a window together with a forced deletion', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'app/window', SecretString: 'x' }));
    await expect(
      secrets.send(new DeleteSecretCommand({ SecretId: 'app/window', RecoveryWindowInDays: 3 })),
    ).rejects.toBeInstanceOf(InvalidParameterException);
    await expect(
      secrets.send(
        new DeleteSecretCommand({ SecretId: 'app/window', RecoveryWindowInDays: 7, ForceDeleteWithoutRecovery: true }),
      ),
    ).rejects.toBeInstanceOf(InvalidParameterException);
  });

  it('keeps secrets and their versions across a restart, in a file only its owner can read', async () => {
    await secrets.send(new CreateSecretCommand({ Name: 'app/durable', SecretString: 'one' }));
    await secrets.send(new PutSecretValueCommand({ SecretId: 'app/durable', SecretString: 'two' }));
    secrets.destroy();
    testStack = await testStack.restart();
    secrets = new SecretsManagerClient({ ...testStack.clientConfig });

    expect((await secrets.send(new GetSecretValueCommand({ SecretId: 'app/durable' }))).SecretString).toBe('two');
    const previous = await secrets.send(
      new GetSecretValueCommand({ SecretId: 'app/durable', VersionStage: 'AWSPREVIOUS' }),
    );
    expect(previous.SecretString).toBe('one');
    const dir = path.join(testStack.dataDir, 'secretsmanager');
    expect((await stat(dir)).mode & 0o777).toBe(0o700);
    expect(JSON.parse(await readFile(path.join(dir, 'secrets.json'), 'utf8')).secrets['app/durable']).toBeDefined();
  });
});
