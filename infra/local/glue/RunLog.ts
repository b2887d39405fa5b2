import { appendFile, mkdir } from 'node:fs/promises';
import path from 'node:path';

/**
 * The log of one job run, `<stateDir>/logs/<job name>/<run id>.log`: the local counterpart of the run's
 * CloudWatch log stream. Lines are timestamped and appended in order; a failing append is reported once and
 * never fails the run.
 */
export class RunLog {
  private queue: Promise<void>;
  private failed = false;

  constructor(
    readonly file: string,
    private readonly onError: (message: string) => void,
  ) {
    this.queue = mkdir(path.dirname(file), { recursive: true }).then(
      () => {},
      (err) => this.report(err),
    );
  }

  static pathFor(stateDir: string, jobName: string, jobRunId: string): string {
    return path.join(stateDir, 'logs', encodeURIComponent(jobName), `${jobRunId}.log`);
  }

  write(message: string): void {
    const line = `${new Date().toISOString()} ${message.replace(/\r?\n/g, '\n  ')}\n`;
    this.queue = this.queue.then(() => appendFile(this.file, line, 'utf8')).catch((err) => this.report(err));
  }

  /** Resolves when every line written so far is on disk. */
  flush(): Promise<void> {
    return this.queue;
  }

  private report(err: unknown): void {
    if (this.failed) return;
    this.failed = true;
    this.onError(`cannot write the job run log ${this.file}: ${err instanceof Error ? err.message : String(err)}`);
  }
}
