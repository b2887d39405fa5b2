/**
 * `npm test`'s Python half: runs the Glue job's pytest suite (`test/etl/glue/`) and the real Python clients' suite
 * against a local stack (`test/clients/`: boto3, awswrangler, PyAthena) with the project's Python, which is
 * `EXAMLAKE_PYTHON` when set, else `.venv/bin/python`. It never skips: a missing interpreter, PySpark, client package
 * or Java fails the run and says what to install.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.join(__dirname, '..');
const INSTALL =
  'Install the Python side with: python3 -m venv .venv && .venv/bin/pip install -r etl/glue/requirements.txt ' +
  '-r test/clients/requirements.txt ' +
  '(and a JDK 17, e.g. apt-get install openjdk-17-jre-headless), or set EXAMLAKE_PYTHON to a Python that has them.';

function fail(message: string): never {
  console.error(`Python tests cannot run: ${message}\n${INSTALL}`);
  process.exit(1);
}

const python = process.env.EXAMLAKE_PYTHON ?? path.join(ROOT, '.venv', 'bin', 'python');
if (!existsSync(python)) fail(`no Python at ${python}.`);
const probe = spawnSync(python, ['-c', 'import pyspark, pytest, awswrangler, pyathena; print(pyspark.__version__)'], {
  encoding: 'utf8',
});
if (probe.status !== 0) {
  fail(`${python} cannot import pyspark, pytest, awswrangler and pyathena (${probe.stderr.trim().split('\n').pop()}).`);
}
const java = spawnSync('java', ['-version'], { encoding: 'utf8' });
if (java.error || java.status !== 0) fail('no `java` on the PATH (PySpark needs a JDK 17).');

// One pytest process per suite: each has its own conftest.py, and the Glue tests import names from theirs.
let status = 0;
for (const suite of ['test/etl/glue', 'test/clients']) {
  const run = spawnSync(python, ['-m', 'pytest', suite, '-q', '-p', 'no:cacheprovider', ...process.argv.slice(2)], {
    cwd: ROOT,
    stdio: 'inherit',
  });
  if (run.status !== 0) status = run.status ?? 1;
}
process.exit(status);
