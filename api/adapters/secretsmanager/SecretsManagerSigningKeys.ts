import { GetParameterError } from '@aws-lambda-powertools/parameters';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { ResourceNotFoundException, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ConfigurationError } from '../../config';
import type { SigningKeyRing, SigningKeys } from '../../ports/SigningKeys';

/** The shortest signing key accepted: an HMAC-SHA256 key of fewer characters is guessable. */
export const MIN_SIGNING_KEY_LENGTH = 32;

/**
 * The signing keys in Secrets Manager, read through Powertools Parameters: `AWSCURRENT` signs, `AWSPREVIOUS` is
 * also accepted, so tokens outstanding at a rotation keep working through it. Each stage is cached for `maxAgeSeconds`
 * (one provider per stage: Powertools caches by secret name, not by stage), so a rotation is picked up within that
 * age and a warm function calls Secrets Manager at most twice per age. A secret never rotated has no
 * `AWSPREVIOUS`; that absence is remembered for the same age.
 */
export class SecretsManagerSigningKeys implements SigningKeys {
  private readonly current: SecretsProvider;
  private readonly previous: SecretsProvider;
  private noPreviousUntilMs = 0;

  constructor(
    client: SecretsManagerClient,
    private readonly secretId: string,
    private readonly maxAgeSeconds: number,
  ) {
    this.current = new SecretsProvider({ awsSdkV3Client: client });
    this.previous = new SecretsProvider({ awsSdkV3Client: client });
  }

  async keyRing(): Promise<SigningKeyRing> {
    const [current, previous] = await Promise.all([
      this.stage(this.current, 'AWSCURRENT'),
      Date.now() < this.noPreviousUntilMs ? undefined : this.previousKey(),
    ]);
    if (current === undefined) throw this.unusable('has no AWSCURRENT value');
    return { current, previous };
  }

  private async previousKey(): Promise<string | undefined> {
    try {
      return await this.stage(this.previous, 'AWSPREVIOUS');
    } catch (err) {
      if (err instanceof GetParameterError && err.cause instanceof ResourceNotFoundException) {
        this.noPreviousUntilMs = Date.now() + this.maxAgeSeconds * 1000;
        return undefined;
      }
      throw err;
    }
  }

  private async stage(provider: SecretsProvider, stage: 'AWSCURRENT' | 'AWSPREVIOUS'): Promise<string | undefined> {
    const value = await provider.get(this.secretId, {
      maxAge: this.maxAgeSeconds,
      sdkOptions: { VersionStage: stage },
    });
    if (value === undefined) return undefined;
    if (typeof value !== 'string' || value.length < MIN_SIGNING_KEY_LENGTH) {
      throw this.unusable(`must hold a SecretString of at least ${MIN_SIGNING_KEY_LENGTH} characters (${stage})`);
    }
    return value;
  }

  private unusable(what: string): ConfigurationError {
    return new ConfigurationError(
      `The signing key secret ${this.secretId} ${what}: put one with aws secretsmanager put-secret-value.`,
    );
  }
}
