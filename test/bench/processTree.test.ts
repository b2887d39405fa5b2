import { spawn } from 'node:child_process';
import { watchProcessTree } from '../../bench/processTree';

jest.setTimeout(60_000);

/**
 * A child that starts a grandchild: the grandchild fills 200 MiB and spins until it has used 1 CPU second, then
 * both exit. Resolves when the child has exited.
 */
function spawnBusyTree(): Promise<void> {
  const grandchild =
    'const b = Buffer.alloc(200 * 1024 * 1024, 1); ' +
    'while ((process.cpuUsage().user + process.cpuUsage().system) < 1e6) {} ' +
    'process.exit(b[0] === 1 ? 0 : 1);';
  const child =
    `const c = require('node:child_process').spawn(process.execPath, ['-e', ${JSON.stringify(grandchild)}], ` +
    "{ stdio: 'inherit' }); c.on('exit', (code) => process.exit(code));";
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['-e', child], { stdio: 'inherit' });
    p.on('error', reject);
    p.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the busy tree exited with ${code}`))));
  });
}

describe('watchProcessTree', () => {
  it('counts the CPU seconds and resident memory of grandchildren, not only of children', async () => {
    const watch = watchProcessTree(process.pid, 50);
    await spawnBusyTree();
    const usage = watch.stop();

    expect(usage.processes).toBeGreaterThanOrEqual(2);
    // 1 CPU second spent, less what the grandchild spent after its last sample.
    expect(usage.cpuSeconds).toBeGreaterThanOrEqual(0.9);
    expect(usage.peakRssMiB).toBeGreaterThanOrEqual(200);
    expect(usage.largest.command).toBe('node');
    expect(usage.largest.rssMiB).toBeGreaterThanOrEqual(200);
  });

  it('counts nothing for a root without children', async () => {
    // A root of its own (the test worker may have children of earlier test files): a child that only waits.
    const root = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)'], { stdio: 'ignore' });
    try {
      await new Promise((resolve) => root.once('spawn', resolve));
      const watch = watchProcessTree(root.pid!, 50);
      await new Promise((resolve) => setTimeout(resolve, 200));
      const usage = watch.stop();

      expect(usage).toMatchObject({ cpuSeconds: 0, peakRssMiB: 0, processes: 0 });
    } finally {
      root.kill();
    }
  });
});
