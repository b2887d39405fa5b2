import { readFileSync } from 'node:fs';
import path from 'node:path';
import { STAGE_CONTEXT_KEYS } from '../../../infra/aws/config';
import { PROJECT_ROOT } from '../../../infra/aws/constructs/ExamlakeFunction';

/** The first column of the "Stage settings" table: each cell names one or more keys in backticks. */
function documentedKeys(markdown: string): string[] {
  const section = markdown.split(/^### Stage settings$/m)[1]?.split(/^## /m)[0] ?? '';
  return section
    .split('\n')
    .filter((line) => line.startsWith('| `'))
    .flatMap((line) => [...line.split('|')[1]!.matchAll(/`([A-Za-z]+)`/g)].map((m) => m[1]!));
}

describe('docs/deploy.md', () => {
  const markdown = readFileSync(path.join(PROJECT_ROOT, 'docs/deploy.md'), 'utf8');

  it('documents every context key the app reads, and no other', () => {
    expect(documentedKeys(markdown).sort()).toEqual([...STAGE_CONTEXT_KEYS].sort());
  });

  it('walks through bootstrap, deployment, users, partners, the first export, costs and teardown', () => {
    for (const step of [
      'npx cdk bootstrap',
      'npx cdk deploy --all',
      'admin-create-user',
      'create-api-key',
      'aws s3 cp',
      '$5 per TB',
      'npx cdk destroy',
    ]) {
      expect([step, markdown.includes(step)]).toEqual([step, true]);
    }
  });
});
