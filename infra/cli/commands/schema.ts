import { readFile, rename, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { DATA_DICTIONARY_PATH, renderDataDictionary } from '../../../etl/schemas/renderDataDictionary';
import { schemaDocument } from '../../../etl/schemas/schemaDocument';

const ROOT = path.resolve(__dirname, '../../..');

/** `examlake schema …`: the dataset schemas as JSON, and the generated data dictionary. */
export function registerSchemaCommands(program: Command): void {
  const schema = program
    .command('schema')
    .description('The dataset schemas (etl/schemas) and what is derived from them');
  schema
    .command('json')
    .description('Print the schemas as JSON (what the Glue job ships with and reads)')
    .action(() => {
      process.stdout.write(`${JSON.stringify(schemaDocument(), null, 2)}\n`);
    });
  schema
    .command('dictionary')
    .description(`Print the data dictionary, or rewrite ${DATA_DICTIONARY_PATH} with --write`)
    .option('--write', `rewrite ${DATA_DICTIONARY_PATH}`)
    .option('--check', `fail when ${DATA_DICTIONARY_PATH} is out of date`)
    .action(async (options: { write?: boolean; check?: boolean }) => {
      const text = renderDataDictionary();
      const target = path.join(ROOT, DATA_DICTIONARY_PATH);
      if (options.check) {
        const current = await readFile(target, 'utf8').catch(() => '');
        if (current !== text)
          throw new Error(`${DATA_DICTIONARY_PATH} is out of date: run npx examlake schema dictionary --write`);
        console.log(`${DATA_DICTIONARY_PATH} is up to date.`);
      } else if (options.write) {
        const temp = `${target}.${process.pid}.tmp`;
        await writeFile(temp, text);
        await rename(temp, target);
        console.log(`Wrote ${DATA_DICTIONARY_PATH}.`);
      } else {
        process.stdout.write(text);
      }
    });
}
