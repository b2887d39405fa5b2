import { Command } from 'commander';
import { registerExtractCommand } from './commands/extract';
import { registerGenerateCommand } from './commands/generate';
import { registerIngestCommand } from './commands/ingest';
import { registerLoginCommand } from './commands/login';
import { registerSchemaCommands } from './commands/schema';
import { registerSettingsCommand } from './commands/settings';
import { registerSparkCheckCommand } from './commands/sparkCheck';
import { registerStackCommands } from './commands/stack';
import { registerStartCommand } from './commands/start';
import { registerTokenCommand } from './commands/token';

/** `npx examlake <command>`: every command a user runs on one machine. */
export async function main(argv: readonly string[]): Promise<void> {
  const program = new Command('examlake')
    .description('examlake: exam-result analytics on a local AWS-compatible stack or on AWS')
    .showHelpAfterError();
  registerStackCommands(program);
  registerStartCommand(program);
  registerGenerateCommand(program);
  registerIngestCommand(program);
  registerSchemaCommands(program);
  registerSettingsCommand(program);
  registerSparkCheckCommand(program);
  registerTokenCommand(program);
  registerLoginCommand(program);
  registerExtractCommand(program);
  await program.parseAsync([...argv]);
}
