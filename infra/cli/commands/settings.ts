import path from 'node:path';
import type { Command } from 'commander';
import { renderSettings, SETTINGS_DOC_COMMAND, SETTINGS_DOC_PATH } from '../../renderSettings';
import { writeGeneratedDoc } from '../writeGeneratedDoc';

const ROOT = path.resolve(__dirname, '../../..');

/** `examlake settings`: every environment setting, or rewrite/check `docs/settings.md`. */
export function registerSettingsCommand(program: Command): void {
  program
    .command('settings')
    .description(`Print every setting (environment variable), or rewrite ${SETTINGS_DOC_PATH} with --write`)
    .option('--write', `rewrite ${SETTINGS_DOC_PATH}`)
    .option('--check', `fail when ${SETTINGS_DOC_PATH} is out of date`)
    .action(async (options: { write?: boolean; check?: boolean }) => {
      await writeGeneratedDoc(path.join(ROOT, SETTINGS_DOC_PATH), renderSettings(), {
        ...options,
        name: SETTINGS_DOC_PATH,
        command: SETTINGS_DOC_COMMAND,
      });
    });
}
