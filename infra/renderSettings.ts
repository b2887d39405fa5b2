import { API_SETTINGS } from '../settings/apiSettings';
import { ETL_SETTINGS } from '../settings/etlSettings';
import { LOCAL_STACK_SETTINGS } from '../settings/localStackSettings';
import type { SettingDefinition } from '../settings/Setting';

/** Where the settings reference lives; a test keeps it equal to {@link renderSettings}. */
export const SETTINGS_DOC_PATH = 'docs/settings.md';
/** The command that rewrites it. */
export const SETTINGS_DOC_COMMAND = 'npx examlake settings --write';

/** Every group of settings, with the one module that reads each group from the environment. */
export const SETTING_GROUPS: readonly {
  readonly title: string;
  readonly readBy: string;
  readonly about: string;
  readonly settings: Readonly<Record<string, SettingDefinition>>;
}[] = [
  {
    title: 'Local stack and CLI',
    readBy: 'infra/cli/env.ts',
    about: 'Read by `npx examlake stack`, `npm start` and the other CLI commands. Command-line flags override them.',
    settings: LOCAL_STACK_SETTINGS,
  },
  {
    title: 'API Lambda',
    readBy: 'api/config.ts',
    about:
      'Read once when the API handler starts. On AWS the CDK app sets them on the function; locally `npm start` ' +
      'passes the local resource names, the signing key among them: a secret in the local Secrets Manager.',
    settings: API_SETTINGS,
  },
  {
    title: 'ETL handlers and the Glue job',
    readBy: 'etl/orchestration/etlConfig.ts',
    about:
      'Read once by the ingest-trigger and job-state Lambdas and the transform job. On AWS the CDK app sets them; ' +
      'locally `wireEtl` passes the local resource names.',
    settings: ETL_SETTINGS,
  },
];

/** `docs/settings.md`: every tunable, its default, unit and meaning. Deterministic. */
export function renderSettings(): string {
  const lines = [
    '# Settings',
    '',
    `Generated from the setting declarations (\`settings/*Settings.ts\`) by \`${SETTINGS_DOC_COMMAND}\`; a test`,
    'fails when this file is out of date. Every setting is an environment variable, declared once with its parser and',
    'validated once at start-up: a missing or malformed value stops the process with a message naming the variable.',
    'A variable two groups share (the runs table, the Glue database) is one declaration listed in both.',
  ];
  for (const group of SETTING_GROUPS) {
    lines.push('', `## ${group.title}`, '', `${group.about} Reader: \`${group.readBy}\`.`, '');
    lines.push('| variable | default | unit | meaning |', '|---|---|---|---|');
    for (const setting of Object.values(group.settings)) {
      const fallback =
        setting.default === undefined
          ? '*(required)*'
          : setting.default === ''
            ? '*(empty)*'
            : `\`${setting.default}\``;
      lines.push(`| \`${setting.env}\` | ${fallback} | ${cell(setting.unit)} | ${cell(setting.description)} |`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}
