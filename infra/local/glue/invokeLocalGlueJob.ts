import { mkdtemp, rm } from 'node:fs/promises';
import path from 'node:path';
import type { LocalGlueJob, LocalGlueJobRun } from './LocalGlueJob';

/** A run's context, less the scratch directory this function makes for it. */
export type LocalGlueJobRunInput = Omit<LocalGlueJobRun, 'scratchDir'> & {
  /** Directory in which the run's scratch directory is created. */
  readonly scratchRoot: string;
};

/**
 * Calls a job's local implementation once: makes its scratch directory, passes it the run's context, and
 * removes the directory when the implementation settles (however late that is). Resolves with the failure
 * message, or undefined when the implementation resolved; never rejects.
 */
export async function invokeLocalGlueJob(
  implementation: LocalGlueJob,
  input: LocalGlueJobRunInput,
): Promise<string | undefined> {
  const { scratchRoot, ...run } = input;
  const scratchDir = await mkdtemp(path.join(scratchRoot, `${run.jobRunId.slice(0, 19)}-`));
  const context: LocalGlueJobRun = { ...run, arguments: Object.freeze({ ...run.arguments }), scratchDir };
  try {
    await implementation(context);
    return undefined;
  } catch (err) {
    return (err instanceof Error ? err.message || err.name : String(err)) || 'The job failed.';
  } finally {
    await rm(scratchDir, { recursive: true, force: true }).catch(() => {});
  }
}
