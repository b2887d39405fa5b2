import { execFileSync } from 'node:child_process';
import { benchArgs, numberFlag } from './commandLine';
import { recordRun } from './recordRun';

/**
 * Load time of node-sql-parser at a cold start: the package's index (every dialect) against its Trino build
 * (the one dialect `api/core/adhocSql.ts` uses). Each sample is a fresh `node` process timing the `require`, as
 * a Lambda cold start does. `npx tsx bench/sqlParserLoad.bench.ts [--runs 7]`; prints and records the median of each.
 */
const runs = numberFlag('runs', 7);
const modules = ['node-sql-parser', 'node-sql-parser/build/trino'] as const;

function loadMs(module: string): number {
  const script = `const t = process.hrtime.bigint(); require(${JSON.stringify(module)}); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

async function main(): Promise<void> {
  const medians = modules.map((module) => {
    const value = median(Array.from({ length: runs }, () => loadMs(module)));
    console.log(`${module}: median ${value.toFixed(1)} ms over ${runs} cold loads (${benchArgs.join(' ')})`);
    return value;
  });
  const [full, trino] = medians as [number, number];
  await recordRun({
    benchmark: 'sqlParserLoad',
    title: `${runs} cold loads of each`,
    command: `npx tsx bench/sqlParserLoad.bench.ts ${benchArgs.join(' ')}`.trim(),
    targets: [
      {
        target: 'node-sql-parser load at a cold start, Trino build against the whole package',
        figure: `${trino.toFixed(0)} ms against ${full.toFixed(0)} ms`,
        goal: 'below the whole package',
        met: trino < full,
      },
    ],
    body: `| module | median ms over ${runs} fresh processes |\n|---|---:|\n| \`${modules[0]}\` (every dialect) | ${full.toFixed(1)} |\n| \`${modules[1]}\` (the one the API loads) | ${trino.toFixed(1)} |\n`,
  });
}

main().catch((error: Error) => {
  console.error(error.message);
  process.exitCode = 1;
});
