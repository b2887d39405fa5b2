import { execFile, spawn } from 'node:child_process';
import { access, mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { promisify } from 'node:util';
import { schemaDocument } from '../../../../etl/schemas/schemaDocument';
import type { LocalGlueJob, LocalGlueJobRun } from '../LocalGlueJob';
import type { SparkRuntime } from './SparkRuntime';
import { type SparkJobArguments, sparkSubmitCommand } from './sparkSubmitCommand';

const run = promisify(execFile);

/** The repository root, where the job script lives. */
const PROJECT_ROOT = path.resolve(__dirname, '../../../..');
/** The AWS job script, as the CDK stack uploads it. */
export const JOB_SCRIPT = path.join(PROJECT_ROOT, 'etl/glue/transform.py');
/** The job's Python package, shipped with `--py-files` as a zip (on AWS: `--extra-py-files`). */
export const JOB_PACKAGE = path.join(PROJECT_ROOT, 'etl/glue/examlake_etl');
/** How long a stopped run's processes get to exit after SIGTERM before SIGKILL. */
const KILL_GRACE_MS = 5_000;
/**
 * Lines of output kept to find the error line of a failed run: enough for a Python traceback whose Py4JJavaError
 * carries a Java stack trace with its chain of causes (every line also goes to the run's log).
 */
const TAIL_LINES = 2_000;

export interface SparkSubmitJobOptions {
  readonly runtime: SparkRuntime;
  readonly job: SparkJobArguments;
  readonly driverMemory: string;
  readonly ivyDir: string;
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** @default JOB_SCRIPT */
  readonly script?: string;
  /** @default JOB_PACKAGE (when it exists) */
  readonly pythonPackage?: string;
}

/** spark-submit of the job script ended with a non-zero exit code; the message is its last error line. */
export class SparkJobFailedError extends Error {
  readonly code = 'SPARK_JOB_FAILED';
  constructor(
    message: string,
    readonly exitCode: number | null,
    readonly signal: NodeJS.Signals | null,
  ) {
    super(message);
    this.name = 'SparkJobFailedError';
  }
}

/**
 * The local Glue job that runs the AWS job script under spark-submit, as a child process in its own process group:
 *
 * ```
 * scratch dir ◀─ schema document, examlake_etl.zip
 * spark-submit ─▶ stdout/stderr lines ─▶ the run's log
 *   exit 0 ─▶ SUCCEEDED · exit ≠ 0 ─▶ FAILED, ErrorMessage = the last error line
 *   run aborted (BatchStopJobRun, Timeout, stack stopping) ─▶ SIGTERM to the group, SIGKILL 5 s later
 * ```
 */
export function sparkSubmitJob(options: SparkSubmitJobOptions): LocalGlueJob {
  return async (glueRun) => {
    glueRun.signal.throwIfAborted();
    const schemaFile = path.join(glueRun.scratchDir, 'examlake-schema.json');
    await writeFile(schemaFile, `${JSON.stringify(schemaDocument(), null, 2)}\n`);
    const pyFiles = await zipPackage(options, glueRun.scratchDir);
    await mkdir(path.join(glueRun.scratchDir, 's3a'), { recursive: true });
    const { command, args, env } = sparkSubmitCommand({
      runtime: options.runtime,
      jobName: glueRun.jobName,
      jobRunId: glueRun.jobRunId,
      runArguments: glueRun.arguments,
      job: options.job,
      script: options.script ?? JOB_SCRIPT,
      pyFiles,
      schemaDocument: schemaFile,
      scratchDir: glueRun.scratchDir,
      driverMemory: options.driverMemory,
      ivyDir: options.ivyDir,
      endpoint: glueRun.endpoint,
      region: glueRun.region,
      credentials: options.credentials,
    });
    glueRun.log(`spark-submit (PySpark ${options.runtime.pysparkVersion}, Java ${options.runtime.javaMajorVersion})`);
    await runProcess(command, args, env, glueRun);
  };
}

/** Zips the job's package into the scratch dir with the runtime's Python (no zip tool needed in Node). */
async function zipPackage(options: SparkSubmitJobOptions, scratchDir: string): Promise<string | undefined> {
  const pkg = options.pythonPackage ?? JOB_PACKAGE;
  try {
    await access(path.join(pkg, '__init__.py'));
  } catch {
    return undefined;
  }
  const zip = path.join(scratchDir, `${path.basename(pkg)}.zip`);
  await run(options.runtime.python, ['-m', 'zipfile', '-c', zip, pkg], { timeout: 60_000 });
  return zip;
}

function runProcess(command: string, args: string[], env: NodeJS.ProcessEnv, glueRun: LocalGlueJobRun): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const child = spawn(command, args, {
      env,
      cwd: glueRun.scratchDir,
      detached: true, // its own process group: a stop kills the JVM, the Python driver and its workers together
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const tail: string[] = [];
    const onLine = (line: string) => {
      glueRun.log(line);
      tail.push(line);
      if (tail.length > TAIL_LINES) tail.shift();
    };
    const streams = [child.stdout, child.stderr].map((stream) => {
      const lines = createInterface({ input: stream, crlfDelay: Number.POSITIVE_INFINITY });
      lines.on('line', onLine);
      return new Promise<void>((done) => lines.once('close', done));
    });
    let killTimer: NodeJS.Timeout | undefined;
    let exited = false;
    const killGroup = (signal: NodeJS.Signals) => {
      try {
        if (child.pid !== undefined) process.kill(-child.pid, signal);
      } catch {
        // the group is gone already
      }
    };
    const onAbort = () => {
      glueRun.log('Stopping spark-submit (SIGTERM to its process group).');
      // PySpark's worker daemon makes a process group of its own: signal it by pid, listed while the JVM lives.
      void descendants(child.pid).then((pids) => {
        if (exited) return;
        killGroup('SIGTERM');
        signalAll(pids, 'SIGTERM');
        killTimer = setTimeout(() => {
          killGroup('SIGKILL');
          signalAll(pids, 'SIGKILL');
        }, KILL_GRACE_MS);
        killTimer.unref();
      });
    };
    if (glueRun.signal.aborted) onAbort();
    else glueRun.signal.addEventListener('abort', onAbort, { once: true });
    child.once('error', (err) => {
      glueRun.signal.removeEventListener('abort', onAbort);
      reject(new SparkJobFailedError(`spark-submit could not start: ${err.message}`, null, null));
    });
    child.once('exit', (code, signal) => {
      exited = true;
      glueRun.signal.removeEventListener('abort', onAbort);
      clearTimeout(killTimer);
      // Whatever the driver left behind in the group (Python workers) goes with it.
      killGroup('SIGKILL');
      void Promise.all(streams).then(() => {
        if (glueRun.signal.aborted) reject(glueRun.signal.reason);
        else if (code === 0) resolve();
        else reject(new SparkJobFailedError(errorLine(tail, code, signal), code, signal));
      });
    });
  });
}

/** Every process below `pid` (from `ps`, on Linux and macOS alike); empty when it cannot be listed. */
async function descendants(pid: number | undefined): Promise<number[]> {
  if (pid === undefined) return [];
  try {
    const { stdout } = await run('ps', ['-A', '-o', 'pid=,ppid='], { timeout: 5_000 });
    const children = new Map<number, number[]>();
    for (const line of stdout.trim().split('\n')) {
      const [child, parent] = line.trim().split(/\s+/).map(Number);
      if (child === undefined || parent === undefined) continue;
      children.set(parent, [...(children.get(parent) ?? []), child]);
    }
    const found: number[] = [];
    const queue = [pid];
    while (queue.length > 0) {
      for (const c of children.get(queue.shift()!) ?? []) {
        found.push(c);
        queue.push(c);
      }
    }
    return found;
  } catch {
    return [];
  }
}

function signalAll(pids: readonly number[], signal: NodeJS.Signals): void {
  for (const pid of pids) {
    try {
      process.kill(pid, signal);
    } catch {
      // already gone
    }
  }
}

/** A Python traceback's last line: `SomeError: message`, `module.SomeError` alone. */
const PYTHON_EXCEPTION = /^[A-Za-z_][\w.]*(Error|Exception|Exit)\b(: |$)/;
/** A Java cause in a stack trace, `Caused by: java.io.IOException: …`. */
const JAVA_CAUSE = /^\s*Caused by: /;
/** A frame or an elision of a Java stack trace: never the reason of a failure. */
const STACK_FRAME = /^\s*(at |\.\.\. \d+ (more|elided)\b)/;

/**
 * The line that says why a run failed: the last line of a Python traceback (`SomeError: message`), else the last
 * ERROR log line, else the last line that is not a stack frame; when a Java stack trace with causes follows it (a
 * Py4JJavaError), its last `Caused by:` (the root cause) is added; followed by the exit status.
 */
/** A fatal JVM error: what the later errors of a run follow from. */
const JVM_FATAL = /java\.lang\.(?:OutOfMemoryError|StackOverflowError)(?:: [^\n]*)?/;

export function errorLine(lines: readonly string[], code: number | null, signal: NodeJS.Signals | null): string {
  const status = code !== null ? `exit code ${code}` : `signal ${signal}`;
  const lastIndex = (test: (line: string) => boolean) => {
    for (let i = lines.length - 1; i >= 0; i--) if (test(lines[i]!)) return i;
    return -1;
  };
  const python = lastIndex((l) => PYTHON_EXCEPTION.test(l));
  const cause = lastIndex((l) => JAVA_CAUSE.test(l));
  const rootCause = cause >= 0 && cause > python ? lines[cause]!.trim().replace(JAVA_CAUSE, '') : undefined;
  let line: string | undefined = python >= 0 ? lines[python] : undefined;
  if (line === undefined && rootCause === undefined) {
    const error = lastIndex((l) => /\bERROR\b/.test(l));
    line = lines[error >= 0 ? error : lastIndex((l) => l.trim() !== '' && !STACK_FRAME.test(l))];
  }
  // A JVM that ran out of memory or stack fails everything after it (executor shutdown, rejected tasks): name it.
  const fatal = lines.find((l) => JVM_FATAL.test(l))?.match(JVM_FATAL)?.[0];
  const text = [
    fatal && !line?.includes(fatal) ? `${fatal} (first)` : undefined,
    line?.trim(),
    rootCause && `root cause: ${rootCause}`,
  ]
    .filter(Boolean)
    .join('; ');
  return text ? `${text} (spark-submit ${status})` : `spark-submit ended with ${status} and no output.`;
}
