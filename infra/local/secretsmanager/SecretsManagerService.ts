import { randomUUID } from 'node:crypto';
import { chmod } from 'node:fs/promises';
import { AwsServiceError } from '../edge/AwsServiceError';
import { InputReader } from '../edge/InputReader';
import { type ActionHandler, type ActionInput, JsonProtocolService } from '../edge/JsonProtocolService';
import { toWire } from '../edge/jsonWire';
import type { ServiceContext } from '../edge/ServiceContext';
import { SECRET_STAGES, SecretStore, type SecretValue, type StoredSecret, versionValue } from './SecretStore';
import { secretsManagerErrors as errors } from './secretsManagerErrors';

/**
 * The local Secrets Manager on the edge endpoint (`X-Amz-Target: secretsmanager.<Action>`, JSON 1.1):
 * CreateSecret, GetSecretValue, PutSecretValue, DescribeSecret, ListSecrets, DeleteSecret and RestoreSecret.
 * No rotation Lambdas and no KMS: values are stored as given in `<dataDir>/secretsmanager/secrets.json`.
 */
export class SecretsManagerService extends JsonProtocolService {
  readonly name = 'secretsmanager' as const;
  protected readonly targetPrefix = 'secretsmanager';
  protected readonly invalidInputType = 'InvalidParameterException';
  protected readonly actions: Readonly<Record<string, ActionHandler>>;

  private constructor(
    ctx: ServiceContext,
    private readonly store: SecretStore,
  ) {
    super((err) => ctx.log(`secretsmanager: unexpected error: ${err instanceof Error ? err.stack : String(err)}`));
    this.actions = this.bindActions();
  }

  static async create(ctx: ServiceContext): Promise<SecretsManagerService> {
    await chmod(ctx.stateDir, 0o700);
    return new SecretsManagerService(
      ctx,
      await SecretStore.open(ctx.stateDir, ctx.config.region, ctx.config.accountId),
    );
  }

  async close(): Promise<void> {
    await this.store.settle();
  }

  private bindActions(): Record<string, ActionHandler> {
    const store = this.store;
    const action = (fn: (input: InputReader) => Promise<unknown> | unknown): ActionHandler => {
      return async (input: ActionInput) => toWire(await fn(new InputReader(input, this.invalidInputType)));
    };
    const secretId = (input: InputReader) => input.string('SecretId', { minLength: 1, maxLength: 2048 });
    return {
      CreateSecret: action(async (input) => {
        const name = secretName(input.string('Name', { minLength: 1, maxLength: 512 }));
        const value = readValue(input);
        const versionId = requestToken(input);
        const secret = await store.create({
          name,
          description: input.optionalString('Description', { maxLength: 2048 }),
          kmsKeyId: input.optionalString('KmsKeyId', { maxLength: 2048 }),
          tags: readTags(input),
          value,
          versionId,
        });
        return { ARN: secret.arn, Name: secret.name, VersionId: value ? versionId : undefined };
      }),
      GetSecretValue: action((input) => {
        const secret = store.live(secretId(input));
        const versionId = input.optionalString('VersionId', { minLength: 32, maxLength: 64 });
        const stage = input.optionalString('VersionStage', { minLength: 1, maxLength: 256 });
        const version = secret.versions.find((v) =>
          versionId !== undefined
            ? v.id === versionId && (stage === undefined || v.stages.includes(stage))
            : v.stages.includes(stage ?? SECRET_STAGES.current),
        );
        if (!version) {
          throw versionId !== undefined
            ? errors.versionNotFound(versionId)
            : errors.stageNotFound(stage ?? SECRET_STAGES.current);
        }
        const value = versionValue(version);
        return {
          ARN: secret.arn,
          Name: secret.name,
          VersionId: version.id,
          ...('string' in value ? { SecretString: value.string } : { SecretBinary: value.binary.toString('base64') }),
          VersionStages: version.stages,
          CreatedDate: new Date(version.createdMs),
        };
      }),
      PutSecretValue: action(async (input) => {
        const id = secretId(input);
        const value = readValue(input);
        if (!value) throw errors.invalidParameter('You must provide either SecretString or SecretBinary.');
        const stages = input.optionalStringArray('VersionStages', { minItems: 1, maxItems: 20 }) ?? [
          SECRET_STAGES.current,
        ];
        const version = await store.putValue(id, requestToken(input), value, stages);
        const secret = store.live(id);
        return { ARN: secret.arn, Name: secret.name, VersionId: version.id, VersionStages: version.stages };
      }),
      DescribeSecret: action((input) => {
        const { versionsToStages, ...described } = describe(store.find(secretId(input)));
        return { ...described, VersionIdsToStages: versionsToStages };
      }),
      ListSecrets: action((input) => {
        const maxResults = input.optionalInteger('MaxResults', { min: 1, max: 100 }) ?? 100;
        const matches = filterOf(input);
        const sortOrder = input.optionalString('SortOrder') ?? 'asc';
        if (sortOrder !== 'asc' && sortOrder !== 'desc') {
          throw errors.invalidParameter(`SortOrder must be 'asc' or 'desc', not '${sortOrder}'.`);
        }
        const secrets = store.list(input.optionalBoolean('IncludePlannedDeletion') ?? false).filter(matches);
        if (sortOrder === 'desc') secrets.reverse();
        const start = startOf(input.optionalString('NextToken'), secrets.length);
        const page = secrets.slice(start, start + maxResults);
        const next = start + maxResults < secrets.length ? encodeToken(start + maxResults) : undefined;
        return {
          SecretList: page.map((s) => {
            const { versionsToStages, ...described } = describe(s);
            return { ...described, SecretVersionsToStages: versionsToStages };
          }),
          NextToken: next,
        };
      }),
      DeleteSecret: action(async (input) => {
        const id = secretId(input);
        const window = input.optionalInteger('RecoveryWindowInDays');
        const force = input.optionalBoolean('ForceDeleteWithoutRecovery') ?? false;
        if (force && window !== undefined) {
          throw errors.invalidParameter(
            "You can't use ForceDeleteWithoutRecovery in conjunction with RecoveryWindowInDays.",
          );
        }
        if (window !== undefined && (window < 7 || window > 30)) {
          throw errors.invalidParameter('The RecoveryWindowInDays value must be between 7 and 30 days (inclusive).');
        }
        const deleted = await store.delete(id, force ? 'force' : (window ?? 30));
        return { ARN: deleted.arn, Name: deleted.name, DeletionDate: new Date(deleted.deletionMs!) };
      }),
      RestoreSecret: action(async (input) => {
        const restored = await store.restore(secretId(input));
        return { ARN: restored.arn, Name: restored.name };
      }),
    };
  }
}

/** Secrets Manager's name rule: letters, digits and `/_+=.@-`. */
function secretName(name: string): string {
  if (!/^[A-Za-z0-9/_+=.@-]+$/.test(name)) {
    throw errors.invalidParameter(
      'Invalid name. Must be a valid name containing alphanumeric characters, or any of the following: -/_+=.@!',
    );
  }
  return name;
}

/** SecretString or SecretBinary (base64 on the wire), never both; undefined when neither. */
function readValue(input: InputReader): SecretValue | undefined {
  const text = input.optionalString('SecretString', { maxLength: 65_536 });
  const binary = input.optionalString('SecretBinary', { maxLength: 87_384 });
  if (text !== undefined && binary !== undefined) {
    throw errors.invalidParameter(
      "You can't specify both a binary secret value and a string secret value in the same secret.",
    );
  }
  if (text !== undefined) return { string: text };
  if (binary === undefined) return undefined;
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(binary) || binary.length % 4 !== 0) {
    throw new AwsServiceError('SerializationException', 'SecretBinary must be base64-encoded.');
  }
  return { binary: Buffer.from(binary, 'base64') };
}

/** The version id: the client's idempotency token (the SDK and the CLI send one), else a new UUID. */
function requestToken(input: InputReader): string {
  return input.optionalString('ClientRequestToken', { minLength: 32, maxLength: 64 }) ?? randomUUID();
}

function readTags(input: InputReader): { Key: string; Value: string }[] {
  const tags = input.raw('Tags');
  if (tags === undefined || tags === null) return [];
  if (
    !Array.isArray(tags) ||
    tags.some((t) => typeof t !== 'object' || t === null || typeof t.Key !== 'string' || typeof t.Value !== 'string')
  ) {
    throw new AwsServiceError('SerializationException', 'Member tags must be a list of {Key, Value} strings.');
  }
  return tags.map((t: { Key: string; Value: string }) => ({ Key: t.Key, Value: t.Value }));
}

const FILTER_KEYS = ['name', 'description', 'tag-key', 'tag-value', 'all'] as const;

/** ListSecrets' Filters: every filter must match; a filter matches when one of its values prefixes the field. */
function filterOf(input: InputReader): (secret: StoredSecret) => boolean {
  const raw = input.raw('Filters');
  if (raw === undefined || raw === null) return () => true;
  if (!Array.isArray(raw)) throw new AwsServiceError('SerializationException', 'Member filters must be a list.');
  const filters = raw.map((f: { Key?: unknown; Values?: unknown }) => {
    const key = f?.Key;
    if (typeof key !== 'string' || !(FILTER_KEYS as readonly string[]).includes(key)) {
      throw errors.invalidParameter(`Invalid filter key ${String(key)}: use one of ${FILTER_KEYS.join(', ')}.`);
    }
    const values = Array.isArray(f.Values) ? f.Values.filter((v): v is string => typeof v === 'string') : [];
    return { key, values };
  });
  return (secret) =>
    filters.every(({ key, values }) => {
      const fields = {
        name: [secret.name],
        description: [secret.description ?? ''],
        'tag-key': secret.tags.map((t) => t.Key),
        'tag-value': secret.tags.map((t) => t.Value),
        all: [secret.name, secret.description ?? '', ...secret.tags.flatMap((t) => [t.Key, t.Value])],
      }[key as (typeof FILTER_KEYS)[number]];
      return values.some((value) => fields.some((field) => field.startsWith(value)));
    });
}

function describe(secret: StoredSecret) {
  return {
    ARN: secret.arn,
    Name: secret.name,
    Description: secret.description,
    KmsKeyId: secret.kmsKeyId,
    CreatedDate: new Date(secret.createdMs),
    LastChangedDate: new Date(secret.lastChangedMs),
    DeletedDate: secret.deletedMs === undefined ? undefined : new Date(secret.deletedMs),
    Tags: secret.tags.length > 0 ? secret.tags : undefined,
    versionsToStages: Object.fromEntries(
      secret.versions.filter((v) => v.stages.length > 0).map((v) => [v.id, v.stages]),
    ),
  };
}

function encodeToken(start: number): string {
  return Buffer.from(JSON.stringify({ start })).toString('base64url');
}

function startOf(token: string | undefined, total: number): number {
  if (token === undefined) return 0;
  try {
    const { start } = JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as { start?: unknown };
    if (typeof start === 'number' && Number.isInteger(start) && start >= 0) return Math.min(start, total);
  } catch {
    // fall through
  }
  throw errors.invalidNextToken();
}
