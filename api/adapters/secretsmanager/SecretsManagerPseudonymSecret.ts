import { GetSecretValueCommand, type SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import type { PseudonymSecret } from '../../ports/ExtractFiles';

/**
 * The student-key secret's bytes (SecretBinary, else the UTF-8 of SecretString), read once per instance: the
 * secret is never rotated (a new one would re-key every pseudonym).
 */
export class SecretsManagerPseudonymSecret implements PseudonymSecret {
  private read: Promise<Uint8Array> | undefined;

  constructor(
    private readonly client: SecretsManagerClient,
    private readonly secretId: string,
  ) {}

  bytes(): Promise<Uint8Array> {
    this.read ??= this.client.send(new GetSecretValueCommand({ SecretId: this.secretId })).then((out) => {
      if (out.SecretBinary) return out.SecretBinary;
      if (out.SecretString) return Buffer.from(out.SecretString, 'utf8');
      throw new Error(`Secret ${this.secretId} has no value.`);
    });
    this.read.catch(() => {
      this.read = undefined;
    });
    return this.read;
  }
}
