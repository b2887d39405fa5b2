import { open, readFile, rm } from 'node:fs/promises';
import path from 'node:path';

/** Folders this process holds, so two stacks in one process (tests) are told apart from a stale lock of our pid. */
const HELD_HERE = new Set<string>();

/**
 * An exclusive claim on a service's state folder (`<dir>/LOCK` holding the owner's pid), so a second stack on
 * the same data dir stops at start with a clear message instead of sharing files with the first. A lock whose
 * process is gone (a crash) is taken over.
 */
export class StateDirLock {
  private constructor(private readonly file: string) {}

  static async acquire(dir: string, service: string): Promise<StateDirLock> {
    const file = path.join(dir, 'LOCK');
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        const handle = await open(file, 'wx');
        await handle.writeFile(String(process.pid));
        await handle.close();
        HELD_HERE.add(file);
        return new StateDirLock(file);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      }
      const holder = Number((await readFile(file, 'utf8').catch(() => '')).trim());
      const heldByUs = holder === process.pid && HELD_HERE.has(file);
      if (heldByUs || (holder !== process.pid && isRunning(holder))) {
        throw new Error(
          `The local ${service} data in ${dir} is in use by process ${holder} (another local stack?). ` +
            'Stop it, or start this one with another data dir.',
        );
      }
      await rm(file, { force: true }); // left by a process that is gone
    }
    throw new Error(`Could not lock ${file}; remove it if no local stack is running.`);
  }

  async release(): Promise<void> {
    HELD_HERE.delete(this.file);
    await rm(this.file, { force: true });
  }
}

function isRunning(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}
