import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { JsonStateFile, StateFileCorruptError } from '../../../../infra/local/glue/JsonStateFile';

let dir: string;

beforeEach(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-state-'));
});

afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('JsonStateFile', () => {
  it('returns the fallback before the first save and the saved document after it', async () => {
    const file = new JsonStateFile<{ n: number }>(path.join(dir, 'state.json'));
    expect(await file.load({ n: 0 })).toEqual({ n: 0 });
    await file.save({ n: 1 });
    expect(await new JsonStateFile(path.join(dir, 'state.json')).load({ n: 0 })).toEqual({ n: 1 });
  });

  it('keeps the last of concurrent saves, in call order, and leaves no temp file', async () => {
    const file = new JsonStateFile<{ n: number }>(path.join(dir, 'state.json'));
    await Promise.all(Array.from({ length: 20 }, (_, n) => file.save({ n })));
    expect(JSON.parse(await readFile(path.join(dir, 'state.json'), 'utf8'))).toEqual({ n: 19 });
    expect(await readdir(dir)).toEqual(['state.json']);
  });

  it('rejects a failing save and leaves the previous document in place', async () => {
    const file = new JsonStateFile<{ n: number }>(path.join(dir, 'state.json'));
    await file.save({ n: 1 });
    await mkdir(path.join(dir, 'state.json.tmp'));
    await expect(file.save({ n: 2 })).rejects.toThrow();
    expect(await file.load({ n: 0 })).toEqual({ n: 1 });
    await rm(path.join(dir, 'state.json.tmp'), { recursive: true });
    await file.save({ n: 3 });
    expect(await file.load({ n: 0 })).toEqual({ n: 3 });
  });

  it('refuses to load a file that is not JSON, naming the file and what to do', async () => {
    await writeFile(path.join(dir, 'state.json'), '{"n": ');
    const error = (await new JsonStateFile(path.join(dir, 'state.json')).load({}).catch((e: unknown) => e)) as Error;
    expect(error).toBeInstanceOf(StateFileCorruptError);
    expect(error.message).toContain(path.join(dir, 'state.json'));
    expect(error.message).toContain('--reset');
  });
});
