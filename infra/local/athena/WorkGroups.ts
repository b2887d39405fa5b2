import path from 'node:path';
import { JsonStateFile } from '../glue/JsonStateFile';
import { invalidRequest } from './athenaErrors';

/** A workgroup as stored and answered by GetWorkGroup (times in epoch milliseconds here, seconds on the wire). */
export interface StoredWorkGroup {
  readonly Name: string;
  readonly State: 'ENABLED' | 'DISABLED';
  readonly Description?: string;
  readonly CreationTime: number;
  readonly Configuration: WorkGroupConfiguration;
}

export interface WorkGroupConfiguration {
  readonly ResultConfiguration?: { readonly OutputLocation?: string };
  readonly EnforceWorkGroupConfiguration?: boolean;
  readonly BytesScannedCutoffPerQuery?: number;
  readonly PublishCloudWatchMetricsEnabled?: boolean;
  readonly RequesterPaysEnabled?: boolean;
  readonly EngineVersion?: { readonly SelectedEngineVersion: string; readonly EffectiveEngineVersion: string };
}

/** Athena engine v3, the only engine the local stack emulates. */
export const ENGINE_VERSION = {
  SelectedEngineVersion: 'AUTO',
  EffectiveEngineVersion: 'Athena engine version 3',
} as const;

/** The workgroup every account has, as on AWS: enabled, no result location, no cutoff. */
export const PRIMARY_WORKGROUP = 'primary';

/** Smallest BytesScannedCutoffPerQuery Athena accepts: 10 MB. */
export const MIN_BYTES_SCANNED_CUTOFF = 10_000_000;

/** Athena workgroups, persisted in `<stateDir>/workgroups.json`. */
export class WorkGroups {
  private constructor(
    private readonly file: JsonStateFile<StoredWorkGroup[]>,
    private groups: Map<string, StoredWorkGroup>,
  ) {}

  static async open(stateDir: string): Promise<WorkGroups> {
    const file = new JsonStateFile<StoredWorkGroup[]>(path.join(stateDir, 'workgroups.json'));
    const stored = await file.load([]);
    const groups = new Map(stored.map((g) => [g.Name, g]));
    if (!groups.has(PRIMARY_WORKGROUP)) {
      groups.set(PRIMARY_WORKGROUP, {
        Name: PRIMARY_WORKGROUP,
        State: 'ENABLED',
        Description: '',
        CreationTime: Date.now(),
        Configuration: {
          EnforceWorkGroupConfiguration: false,
          PublishCloudWatchMetricsEnabled: false,
          RequesterPaysEnabled: false,
          EngineVersion: ENGINE_VERSION,
        },
      });
    }
    return new WorkGroups(file, groups);
  }

  get(name: string): StoredWorkGroup {
    const group = this.groups.get(name);
    if (!group) throw invalidRequest(`WorkGroup ${name} is not found.`);
    return group;
  }

  list(): StoredWorkGroup[] {
    return [...this.groups.values()].sort((a, b) => a.Name.localeCompare(b.Name));
  }

  async create(group: Omit<StoredWorkGroup, 'CreationTime' | 'State'>): Promise<void> {
    if (this.groups.has(group.Name)) throw invalidRequest('WorkGroup is already created', 'ALREADY_EXISTS');
    const cutoff = group.Configuration.BytesScannedCutoffPerQuery;
    if (cutoff !== undefined && cutoff < MIN_BYTES_SCANNED_CUTOFF) {
      throw invalidRequest(
        `1 validation error detected: Value '${cutoff}' at 'configuration.bytesScannedCutoffPerQuery' failed to satisfy constraint: Member must have value greater than or equal to ${MIN_BYTES_SCANNED_CUTOFF}`,
      );
    }
    await this.commit(
      new Map(this.groups).set(group.Name, {
        ...group,
        State: 'ENABLED',
        CreationTime: Date.now(),
        Configuration: { EngineVersion: ENGINE_VERSION, ...group.Configuration },
      }),
    );
  }

  async delete(name: string): Promise<void> {
    this.get(name);
    if (name === PRIMARY_WORKGROUP) throw invalidRequest('Cannot delete primary workgroup');
    const next = new Map(this.groups);
    next.delete(name);
    await this.commit(next);
  }

  async settle(): Promise<void> {
    await this.file.save(this.list());
  }

  private async commit(next: Map<string, StoredWorkGroup>): Promise<void> {
    await this.file.save([...next.values()]);
    this.groups = next;
  }
}
