/**
 * CPU seconds and peak RSS of a process tree on Linux, from `/proc`: what a spark-submit run costs across its
 * JVM, its Python driver and PySpark's worker daemon and workers.
 *
 * Sampled, not taken from `getrusage(RUSAGE_CHILDREN)`: PySpark's worker daemon ends its workers with SIGHUP and
 * exits without waiting for them, so the Python workers (where the UDFs run) would be reaped by init and their CPU
 * never reach this process's children's usage. Each sample reads `/proc/<pid>/stat` of every process below the
 * root: a process's CPU is its own `utime + stime` at its last sample (children's are counted as processes of
 * their own), so what a process spends after its last sample is missed (at most one interval each); the RSS
 * figure is the largest sum of the tree's RSS at one sample (forked workers' shared pages count once per process,
 * as `ps` shows them).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';

/** What a process tree used while it was watched. */
export interface TreeUsage {
  readonly cpuSeconds: number;
  /** The largest sum of the tree's RSS at one sample. */
  readonly peakRssMiB: number;
  /** The process with the largest RSS seen, and that RSS (the JVM, for a Spark run). */
  readonly largest: { readonly command: string; readonly rssMiB: number };
  /** Processes seen in the tree. */
  readonly processes: number;
  readonly samples: number;
}

export interface TreeWatch {
  /** Takes a last sample and stops. */
  stop(): TreeUsage;
}

interface ProcStat {
  readonly pid: number;
  readonly ppid: number;
  readonly command: string;
  readonly cpuTicks: number;
  readonly startTicks: number;
  readonly rssPages: number;
}

const PAGE_BYTES = Number(execFileSync('getconf', ['PAGESIZE'], { encoding: 'utf8' }).trim());
const TICKS_PER_SECOND = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim());

/**
 * Watches every process below `rootPid` (not the root itself) every `intervalMs` until `stop()`.
 * Throws when `/proc` cannot be read (Linux only).
 */
export function watchProcessTree(rootPid: number, intervalMs = 200): TreeWatch {
  const cpuTicks = new Map<string, number>();
  let peakRssPages = 0;
  let largest = { command: '', rssPages: 0 };
  let samples = 0;
  const sample = () => {
    const all = readAll();
    const children = new Map<number, ProcStat[]>();
    for (const p of all) children.set(p.ppid, [...(children.get(p.ppid) ?? []), p]);
    const tree: ProcStat[] = [];
    const queue = [rootPid];
    while (queue.length > 0) {
      for (const c of children.get(queue.shift()!) ?? []) {
        tree.push(c);
        queue.push(c.pid);
      }
    }
    let rss = 0;
    for (const p of tree) {
      // Keyed by pid and start time: a pid reused by a new process is another process.
      const key = `${p.pid}:${p.startTicks}`;
      cpuTicks.set(key, Math.max(p.cpuTicks, cpuTicks.get(key) ?? 0));
      rss += p.rssPages;
      if (p.rssPages > largest.rssPages) largest = { command: p.command, rssPages: p.rssPages };
    }
    peakRssPages = Math.max(peakRssPages, rss);
    samples++;
  };
  sample();
  const timer = setInterval(sample, intervalMs);
  return {
    stop() {
      clearInterval(timer);
      sample();
      const ticks = [...cpuTicks.values()].reduce((n, t) => n + t, 0);
      const mib = (pages: number) => (pages * PAGE_BYTES) / 1024 / 1024;
      return {
        cpuSeconds: ticks / TICKS_PER_SECOND,
        peakRssMiB: mib(peakRssPages),
        largest: { command: largest.command, rssMiB: mib(largest.rssPages) },
        processes: cpuTicks.size,
        samples,
      };
    },
  };
}

/** Every process's stat line (processes that end while being read are skipped). */
function readAll(): ProcStat[] {
  const out: ProcStat[] = [];
  for (const name of readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    let text: string;
    try {
      text = readFileSync(`/proc/${name}/stat`, 'latin1');
    } catch {
      continue;
    }
    // `pid (comm) state ppid …`: comm may hold spaces and parentheses, so fields are counted after the last `)`.
    const close = text.lastIndexOf(')');
    const fields = text.slice(close + 2).split(' ');
    out.push({
      pid: Number(name),
      command: text.slice(text.indexOf('(') + 1, close),
      ppid: Number(fields[1]),
      cpuTicks: Number(fields[11]) + Number(fields[12]),
      rssPages: Number(fields[21]),
      startTicks: Number(fields[19]),
    });
  }
  return out;
}
