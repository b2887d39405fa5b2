/**
 * `npm run bench`: every `bench/*.bench.ts`, one after another in its own process (each measures against its own
 * baseline in the same run and records the run in bench/history/<benchmark>.jsonl; docs/benchmarks.md sums them up).
 * `npm run bench -- transform` runs only the benchmarks whose file name contains `transform`.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import path from 'node:path';

const filters = process.argv.slice(2);
const benches = readdirSync(__dirname)
  .filter((name) => name.endsWith('.bench.ts'))
  .filter((name) => filters.length === 0 || filters.some((f) => name.includes(f)))
  .sort();
if (benches.length === 0) {
  console.error(`No benchmark matches ${filters.join(', ')}. Available: ${readdirSync(__dirname).join(', ')}`);
  process.exit(1);
}
let failed = 0;
for (const name of benches) {
  console.log(`\n━━ ${name} ━━`);
  const tsx = require.resolve('tsx/cli');
  const result = spawnSync(process.execPath, [tsx, path.join(__dirname, name)], { stdio: 'inherit' });
  if (result.status !== 0) {
    failed += 1;
    console.error(`✗ ${name} exited with ${result.status ?? result.signal}`);
  }
}
console.log(
  `\n${benches.length - failed} of ${benches.length} benchmarks finished; runs are in bench/history, the summary in docs/benchmarks.md.`,
);
process.exitCode = failed > 0 ? 1 : 0;
