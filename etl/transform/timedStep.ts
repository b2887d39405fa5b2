/** Where a run's progress lines go (the Glue run's log locally). */
export type ProgressLog = (message: string) => void;

/**
 * Runs one step of a transform and writes its wall time and the process's CPU time (DuckDB's threads included)
 * to the run log: `exam_results: sorted partitions: 4.12 s, 7.30 CPU s`. The CPU figure is the whole process's,
 * so in a process that also serves other work (the local stack) it includes theirs. Without a log the step only
 * runs.
 */
export async function timedStep<T>(log: ProgressLog | undefined, step: string, work: () => Promise<T>): Promise<T> {
  if (!log) return work();
  const cpu = process.cpuUsage();
  const started = performance.now();
  try {
    return await work();
  } finally {
    const used = process.cpuUsage(cpu);
    const seconds = (performance.now() - started) / 1000;
    log(`${step}: ${seconds.toFixed(2)} s, ${((used.user + used.system) / 1e6).toFixed(2)} CPU s`);
  }
}
