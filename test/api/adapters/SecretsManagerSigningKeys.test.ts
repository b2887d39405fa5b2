import {
  CreateSecretCommand,
  GetSecretValueCommand,
  PutSecretValueCommand,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { SecretsManagerSigningKeys } from '../../../api/adapters/secretsmanager/SecretsManagerSigningKeys';
import { ConfigurationError } from '../../../api/config';
import { startTestStack, type TestStack } from '../../support/localStack';

let testStack: TestStack;
let client: SecretsManagerClient;
/** GetSecretValue requests that reached the local Secrets Manager. */
let reads = 0;

beforeAll(async () => {
  testStack = await startTestStack();
  client = new SecretsManagerClient({ ...testStack.clientConfig });
  client.middlewareStack.add(
    (next, context) => async (args) => {
      if (context.commandName === GetSecretValueCommand.name) reads++;
      return next(args);
    },
    { step: 'initialize', name: 'countReads' },
  );
});

afterAll(async () => {
  client.destroy();
  await testStack.stop();
});

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);

describe('SecretsManagerSigningKeys on the local Secrets Manager', () => {
  it('reads AWSCURRENT, has no previous key before the first rotation, and AWSPREVIOUS after it', async () => {
    await client.send(new CreateSecretCommand({ Name: 'keys/rotating', SecretString: A }));
    const keys = new SecretsManagerSigningKeys(client, 'keys/rotating', 0);
    expect(await keys.keyRing()).toEqual({ current: A, previous: undefined });
    await client.send(new PutSecretValueCommand({ SecretId: 'keys/rotating', SecretString: B }));
    expect(await keys.keyRing()).toEqual({ current: B, previous: A });
  });

  it('answers from its cache within the max age: no Secrets Manager call, and a rotation not yet seen', async () => {
    await client.send(new CreateSecretCommand({ Name: 'keys/cached', SecretString: A }));
    const keys = new SecretsManagerSigningKeys(client, 'keys/cached', 300);
    expect(await keys.keyRing()).toEqual({ current: A, previous: undefined });
    const before = reads;
    await client.send(new PutSecretValueCommand({ SecretId: 'keys/cached', SecretString: B }));
    expect(await keys.keyRing()).toEqual({ current: A, previous: undefined });
    expect(reads).toBe(before);
  });

  it('refuses a key shorter than 32 characters, naming the secret', async () => {
    await client.send(new CreateSecretCommand({ Name: 'keys/short', SecretString: 'short' }));
    const keys = new SecretsManagerSigningKeys(client, 'keys/short', 0);
    await expect(keys.keyRing()).rejects.toThrow(ConfigurationError);
    await expect(keys.keyRing()).rejects.toThrow(/keys\/short must hold a SecretString of at least 32 characters/);
  });

  it('fails when the secret does not exist', async () => {
    const keys = new SecretsManagerSigningKeys(client, 'keys/missing', 0);
    await expect(keys.keyRing()).rejects.toThrow("Secrets Manager can't find the specified secret.");
  });
});
