import path from 'node:path';
import type { Command } from 'commander';
import {
  DATA_DICTIONARY_COMMAND,
  DATA_DICTIONARY_PATH,
  renderDataDictionary,
} from '../../../etl/schemas/renderDataDictionary';
import { schemaDocument } from '../../../etl/schemas/schemaDocument';
import { writeGeneratedDoc } from '../writeGeneratedDoc';

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
      await writeGeneratedDoc(path.join(ROOT, DATA_DICTIONARY_PATH), renderDataDictionary(), {
        ...options,
        name: DATA_DICTIONARY_PATH,
        command: DATA_DICTIONARY_COMMAND,
      });
    });
}
