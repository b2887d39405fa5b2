import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { renderDataDictionary } from '../../../etl/schemas/renderDataDictionary';
import { schemaDocument } from '../../../etl/schemas/schemaDocument';
import { runCli } from './runCli';

let cwd: string;

beforeAll(async () => {
  cwd = await mkdtemp(path.join(os.tmpdir(), 'examlake-cli-schema-'));
});

afterAll(async () => {
  await rm(cwd, { recursive: true, force: true });
});

describe('examlake schema', () => {
  it('json prints the schema document the Glue job reads', async () => {
    const run = await runCli(['schema', 'json'], cwd);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(JSON.parse(run.stdout)).toEqual(JSON.parse(JSON.stringify(schemaDocument())));
  });

  it('dictionary prints the data dictionary, and --check finds the committed one current', async () => {
    const [printed, checked] = await Promise.all([
      runCli(['schema', 'dictionary'], cwd),
      runCli(['schema', 'dictionary', '--check'], cwd),
    ]);
    expect(printed).toEqual({ code: 0, stdout: renderDataDictionary(), stderr: '' });
    expect(checked).toEqual({ code: 0, stdout: 'docs/data-dictionary.md is up to date.\n', stderr: '' });
  });
});
