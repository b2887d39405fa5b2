import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { JsonStateFile } from '../glue/JsonStateFile';
import { secretsManagerErrors as errors } from './secretsManagerErrors';

/** The staging labels Secrets Manager moves on its own. */
export const SECRET_STAGES = { current: 'AWSCURRENT', previous: 'AWSPREVIOUS', pending: 'AWSPENDING' } as const;

/** A secret's value: exactly one of the two. */
export type SecretValue = { readonly string: string } | { readonly binary: Buffer };

export interface StoredVersion {
  readonly id: string;
  /** SecretString, when the version holds text. */
  readonly string?: string;
  /** SecretBinary as base64, when the version holds bytes. */
  readonly binaryBase64?: string;
  readonly createdMs: number;
  readonly stages: readonly string[];
}

export interface StoredSecret {
  readonly arn: string;
  readonly name: string;
  readonly description?: string;
  readonly kmsKeyId?: string;
  readonly tags: readonly { readonly Key: string; readonly Value: string }[];
  readonly createdMs: number;
  readonly lastChangedMs: number;
  /** When DeleteSecret scheduled the deletion; the secret refuses reads from then on. */
  readonly deletedMs?: number;
  /** When the scheduled deletion takes effect (after the recovery window). */
  readonly deletionMs?: number;
  /** Oldest first. */
  readonly versions: readonly StoredVersion[];
}

interface SecretsDocument {
  readonly formatVersion: 1;
  readonly secrets: Record<string, StoredSecret>;
}

/** Versions kept per secret; older versions without a staging label are dropped, as Secrets Manager does past 100. */
const MAX_VERSIONS = 100;

/**
 * The secrets of the local Secrets Manager, persisted in `<stateDir>/secrets.json` (atomic writes, state dir
 * mode 0700: the values are in plain text, as the rest of the data dir is). Names are case-sensitive; a secret is
 * addressed by name, full ARN or partial ARN (without the random suffix), as on AWS.
 *
 * A version's life, as PutSecretValue moves the labels:
 * ```
 * put v1 ── v1: AWSCURRENT
 * put v2 ── v2: AWSCURRENT, v1: AWSPREVIOUS
 * put v3 ── v3: AWSCURRENT, v2: AWSPREVIOUS, v1: (no label: deprecated, still readable by VersionId)
 * ```
 */
export class SecretStore {
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: JsonStateFile<SecretsDocument>,
    private document: SecretsDocument,
    private readonly arnPrefix: string,
  ) {}

  static async open(stateDir: string, region: string, accountId: string): Promise<SecretStore> {
    const file = new JsonStateFile<SecretsDocument>(path.join(stateDir, 'secrets.json'));
    const document = await file.load({ formatVersion: 1, secrets: {} });
    return new SecretStore(file, document, `arn:aws:secretsmanager:${region}:${accountId}:secret:`);
  }

  /** The secret `secretId` names (name, ARN or partial ARN), even when scheduled for deletion; or ResourceNotFound. */
  find(secretId: string): StoredSecret {
    const secret = this.lookup(this.document.secrets, secretId);
    if (!secret) throw errors.secretNotFound();
    return secret;
  }

  /** The live secret `secretId` names: InvalidRequestException when it is scheduled for deletion. */
  live(secretId: string): StoredSecret {
    const secret = this.find(secretId);
    if (secret.deletedMs !== undefined) throw errors.scheduledForDeletion();
    return secret;
  }

  /** Every secret, by name; those scheduled for deletion only when asked. */
  list(includePlannedDeletion: boolean): StoredSecret[] {
    return Object.values(this.purged(this.document.secrets))
      .filter((s) => includePlannedDeletion || s.deletedMs === undefined)
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  create(input: {
    name: string;
    description?: string;
    kmsKeyId?: string;
    tags: readonly { Key: string; Value: string }[];
    value?: SecretValue;
    versionId: string;
  }): Promise<StoredSecret> {
    return this.change((secrets) => {
      const existing = secrets[input.name];
      if (existing?.deletedMs !== undefined) throw errors.nameScheduledForDeletion();
      if (existing) throw errors.alreadyExists(input.name);
      const now = Date.now();
      const secret: StoredSecret = {
        arn: `${this.arnPrefix}${input.name}-${randomSuffix()}`,
        name: input.name,
        ...(input.description === undefined ? {} : { description: input.description }),
        ...(input.kmsKeyId === undefined ? {} : { kmsKeyId: input.kmsKeyId }),
        tags: input.tags,
        createdMs: now,
        lastChangedMs: now,
        versions: input.value
          ? [{ id: input.versionId, ...stored(input.value), createdMs: now, stages: [SECRET_STAGES.current] }]
          : [],
      };
      secrets[input.name] = secret;
      return secret;
    });
  }

  /**
   * PutSecretValue: a new version with `stages` (AWSCURRENT by default). Moving AWSCURRENT labels the version
   * that held it AWSPREVIOUS. Repeating a version id with the same value changes nothing; with another value it
   * is ResourceExistsException.
   */
  putValue(secretId: string, versionId: string, value: SecretValue, stages: readonly string[]): Promise<StoredVersion> {
    return this.change((secrets) => {
      const secret = this.live(secretId);
      const repeated = secret.versions.find((v) => v.id === versionId);
      if (repeated) {
        if (!sameValue(repeated, value)) throw errors.versionExists();
        return repeated;
      }
      const now = Date.now();
      const movesCurrent = stages.includes(SECRET_STAGES.current);
      const previousCurrent = secret.versions.find((v) => v.stages.includes(SECRET_STAGES.current));
      let versions = secret.versions.map((v): StoredVersion => {
        let labels = v.stages.filter((s) => !stages.includes(s));
        if (movesCurrent) {
          labels = labels.filter((s) => s !== SECRET_STAGES.previous);
          if (v === previousCurrent) labels = [...labels, SECRET_STAGES.previous];
        }
        return { ...v, stages: labels };
      });
      const version: StoredVersion = { id: versionId, ...stored(value), createdMs: now, stages: [...stages] };
      versions = [...versions, version];
      while (versions.length > MAX_VERSIONS) {
        const oldest = versions.findIndex((v) => v.stages.length === 0);
        if (oldest === -1) break;
        versions = versions.filter((_, i) => i !== oldest);
      }
      secrets[secret.name] = { ...secret, lastChangedMs: now, versions };
      return version;
    });
  }

  /** DeleteSecret: at once when forced, else scheduled after the recovery window (reads refused meanwhile). */
  delete(secretId: string, recoveryWindowDays: number | 'force'): Promise<StoredSecret> {
    return this.change((secrets) => {
      const secret = this.find(secretId);
      if (recoveryWindowDays === 'force') {
        delete secrets[secret.name];
        return { ...secret, deletedMs: Date.now(), deletionMs: Date.now() };
      }
      if (secret.deletedMs !== undefined) throw errors.scheduledForDeletion();
      const now = Date.now();
      const scheduled = { ...secret, deletedMs: now, deletionMs: now + recoveryWindowDays * 86_400_000 };
      secrets[secret.name] = scheduled;
      return scheduled;
    });
  }

  /** RestoreSecret: cancels a scheduled deletion. */
  restore(secretId: string): Promise<StoredSecret> {
    return this.change((secrets) => {
      const secret = this.find(secretId);
      if (secret.deletedMs === undefined) throw errors.notScheduledForDeletion();
      const { deletedMs: _deleted, deletionMs: _deletion, ...restored } = secret;
      secrets[secret.name] = { ...restored, lastChangedMs: Date.now() };
      return restored;
    });
  }

  async settle(): Promise<void> {
    await this.writing.catch(() => {});
  }

  private lookup(secrets: Record<string, StoredSecret>, secretId: string): StoredSecret | undefined {
    const live = this.purged(secrets);
    if (!secretId.startsWith(this.arnPrefix)) return Object.hasOwn(live, secretId) ? live[secretId] : undefined;
    // A full ARN, or a partial one without the `-xxxxxx` suffix.
    return Object.values(live).find((s) => s.arn === secretId || `${this.arnPrefix}${s.name}` === secretId);
  }

  /** The secrets whose scheduled deletion has not come yet. */
  private purged(secrets: Record<string, StoredSecret>): Record<string, StoredSecret> {
    const now = Date.now();
    return Object.fromEntries(
      Object.entries(secrets).filter(([, s]) => s.deletionMs === undefined || s.deletionMs > now),
    );
  }

  private change<T>(mutate: (secrets: Record<string, StoredSecret>) => T): Promise<T> {
    const run = this.writing.then(async () => {
      const secrets = this.purged(this.document.secrets);
      const result = mutate(secrets);
      const next: SecretsDocument = { formatVersion: 1, secrets };
      await this.file.save(next);
      this.document = next;
      return result;
    });
    this.writing = run.catch(() => {});
    return run;
  }
}

/** A version's value as the wire returns it. */
export function versionValue(version: StoredVersion): SecretValue {
  return version.binaryBase64 !== undefined
    ? { binary: Buffer.from(version.binaryBase64, 'base64') }
    : { string: version.string ?? '' };
}

function stored(value: SecretValue): Pick<StoredVersion, 'string' | 'binaryBase64'> {
  return 'string' in value ? { string: value.string } : { binaryBase64: value.binary.toString('base64') };
}

function sameValue(version: StoredVersion, value: SecretValue): boolean {
  const current = versionValue(version);
  if ('string' in value) return 'string' in current && current.string === value.string;
  return 'binary' in current && current.binary.equals(value.binary);
}

/** The six random characters AWS appends to a secret's name in its ARN. */
function randomSuffix(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789';
  return [...randomBytes(6)].map((b) => alphabet[b % alphabet.length]).join('');
}
