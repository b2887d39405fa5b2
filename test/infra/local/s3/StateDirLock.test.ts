import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { StateDirLock } from '../../../../infra/local/s3/StateDirLock';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-lock-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('StateDirLock', () => {
  it('lets one holder at a time claim a folder, and frees it on release', async () => {
    const lock = await StateDirLock.acquire(dir, 'S3');
    expect(await readFile(path.join(dir, 'LOCK'), 'utf8')).toBe(String(process.pid));
    await expect(StateDirLock.acquire(dir, 'S3')).rejects.toThrow(
      `The local S3 data in ${dir} is in use by process ${process.pid} (another local stack?).`,
    );
    await lock.release();
    await (await StateDirLock.acquire(dir, 'S3')).release();
  });

  it('takes over a lock left by a process that is gone, or by an earlier run with our pid', async () => {
    await writeFile(path.join(dir, 'LOCK'), '2147483646');
    const taken = await StateDirLock.acquire(dir, 'S3');
    await taken.release();
    await writeFile(path.join(dir, 'LOCK'), String(process.pid));
    await (await StateDirLock.acquire(dir, 'S3')).release();
  });
});
