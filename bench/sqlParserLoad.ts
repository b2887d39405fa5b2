import { execFileSync } from 'node:child_process';
import { benchArgs, numberFlag } from './commandLine';

/**
 * Load time of node-sql-parser at a cold start: the package's index (every dialect) against its Trino build
 * (the one dialect `api/core/adhocSql.ts` uses). Each sample is a fresh `node` process timing the `require`, as
 * a Lambda cold start does. `npx tsx bench/sqlParserLoad.ts [--runs 7]`; prints the median of each.
 */
const runs = numberFlag('runs', 7);
const modules = ['node-sql-parser', 'node-sql-parser/build/trino'] as const;

function loadMs(module: string): number {
  const script = `const t = process.hrtime.bigint(); require(${JSON.stringify(module)}); process.stdout.write(String(Number(process.hrtime.bigint() - t) / 1e6));`;
  return Number(execFileSync(process.execPath, ['-e', script], { encoding: 'utf8' }));
}

const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!;

for (const module of modules) {
  const samples = Array.from({ length: runs }, () => loadMs(module));
  console.log(`${module}: median ${median(samples).toFixed(1)} ms over ${runs} cold loads (${benchArgs.join(' ')})`);
}
