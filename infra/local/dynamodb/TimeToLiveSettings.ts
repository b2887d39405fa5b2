import path from 'node:path';
import { JsonStateFile } from '../glue/JsonStateFile';
import { validationError } from './DynamoDBError';

/** DynamoDB's TimeToLiveDescription: which attribute holds an item's expiry (epoch seconds), if enabled. */
export interface TimeToLiveDescription {
  readonly TimeToLiveStatus: 'ENABLED' | 'DISABLED';
  readonly AttributeName?: string;
}

/**
 * The tables' TTL settings (which dynalite does not keep), persisted in `<stateDir>/ttl.json`. As in every
 * emulator, expired items are NOT deleted: readers treat `expiresAt <= now` as absent.
 */
export class TimeToLiveSettings {
  private constructor(
    private readonly file: JsonStateFile<Record<string, string>>,
    private attributes: Record<string, string>,
  ) {}

  static async open(stateDir: string): Promise<TimeToLiveSettings> {
    const file = new JsonStateFile<Record<string, string>>(path.join(stateDir, 'ttl.json'));
    return new TimeToLiveSettings(file, await file.load({}));
  }

  describe(tableName: string): TimeToLiveDescription {
    const attribute = this.attributes[tableName];
    return attribute ? { TimeToLiveStatus: 'ENABLED', AttributeName: attribute } : { TimeToLiveStatus: 'DISABLED' };
  }

  /** UpdateTimeToLive: enables or disables TTL on an attribute, with DynamoDB's checks. */
  async update(tableName: string, spec: { Enabled: boolean; AttributeName: string }): Promise<void> {
    const current = this.attributes[tableName];
    if (spec.Enabled && current !== undefined) throw validationError('TimeToLive is already enabled');
    if (!spec.Enabled && current === undefined) throw validationError('TimeToLive is already disabled');
    if (!spec.Enabled && current !== spec.AttributeName) {
      throw validationError(`TimeToLive is active on a different AttributeName: current AttributeName is ${current}`);
    }
    const next = { ...this.attributes };
    if (spec.Enabled) next[tableName] = spec.AttributeName;
    else delete next[tableName];
    await this.file.save(next);
    this.attributes = next;
  }

  /** Forgets a deleted table's setting. */
  async forget(tableName: string): Promise<void> {
    if (this.attributes[tableName] === undefined) return;
    const next = { ...this.attributes };
    delete next[tableName];
    await this.file.save(next);
    this.attributes = next;
  }
}
