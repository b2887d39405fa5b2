import path from 'node:path';
import type { Job } from '@aws-sdk/client-glue';
import { glueErrors } from './glueErrors';
import { JsonStateFile } from './JsonStateFile';
import type { JobDefinition } from './jobInput';

interface StoredJob {
  readonly definition: JobDefinition;
  readonly createdOnMs: number;
  readonly lastModifiedOnMs: number;
}

interface JobsDocument {
  readonly formatVersion: 1;
  readonly jobs: Record<string, StoredJob>;
}

/**
 * Glue job definitions, persisted in `<stateDir>/jobs.json` (atomic writes, published only once written).
 * Job names are case-sensitive, as on Glue.
 */
export class GlueJobs {
  private writing: Promise<unknown> = Promise.resolve();

  private constructor(
    private readonly file: JsonStateFile<JobsDocument>,
    private document: JobsDocument,
  ) {}

  static async open(stateDir: string): Promise<GlueJobs> {
    const file = new JsonStateFile<JobsDocument>(path.join(stateDir, 'jobs.json'));
    return new GlueJobs(file, await file.load({ formatVersion: 1, jobs: {} }));
  }

  /** The job's definition, or EntityNotFoundException. */
  definition(name: string): JobDefinition {
    const stored = this.document.jobs[name];
    if (!stored) throw glueErrors.jobNotFound(name);
    return stored.definition;
  }

  exists(name: string): boolean {
    return Object.hasOwn(this.document.jobs, name);
  }

  get(name: string): Job {
    const stored = this.document.jobs[name];
    if (!stored) throw glueErrors.jobNotFound(name);
    return toJob(name, stored);
  }

  /** Every job, sorted by name. */
  list(): Job[] {
    return Object.keys(this.document.jobs)
      .sort()
      .map((name) => toJob(name, this.document.jobs[name]!));
  }

  create(name: string, definition: JobDefinition): Promise<void> {
    return this.change((jobs) => {
      if (jobs[name]) throw glueErrors.alreadyExists('Job');
      const now = Date.now();
      jobs[name] = { definition, createdOnMs: now, lastModifiedOnMs: now };
    });
  }

  /** UpdateJob: JobUpdate replaces the definition whole (members left out return to their defaults), as on Glue. */
  update(name: string, definition: JobDefinition): Promise<void> {
    return this.change((jobs) => {
      const current = jobs[name];
      if (!current) throw glueErrors.jobNotFound(name);
      jobs[name] = { definition, createdOnMs: current.createdOnMs, lastModifiedOnMs: Date.now() };
    });
  }

  /** DeleteJob: succeeds whether or not the job exists, as on Glue. */
  delete(name: string): Promise<void> {
    return this.change((jobs) => {
      delete jobs[name];
    });
  }

  async settle(): Promise<void> {
    await this.writing.catch(() => {});
  }

  private change(mutate: (jobs: Record<string, StoredJob>) => void): Promise<void> {
    const run = this.writing.then(async () => {
      const jobs = { ...this.document.jobs };
      mutate(jobs);
      const next: JobsDocument = { formatVersion: 1, jobs };
      await this.file.save(next);
      this.document = next;
    });
    this.writing = run.catch(() => {});
    return run;
  }
}

function toJob(name: string, stored: StoredJob): Job {
  const { definition } = stored;
  return {
    Name: name,
    ...structuredClone(withoutUndefined(definition)),
    CreatedOn: new Date(stored.createdOnMs),
    LastModifiedOn: new Date(stored.lastModifiedOnMs),
  } as Job;
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
