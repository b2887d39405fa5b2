// The local (DuckDB) transform on the same files as a Glue job test: the oracle the Spark job must equal until the
// conformance corpus (test/etl/conformance/) holds expected outputs. Reads a JSON spec from argv[2], prints JSON.
// Run by test/etl/glue/oracle.py with `npx tsx`.
import { readFile, stat } from 'node:fs/promises';
import { transformObjects } from '../../../etl/transform/transformObjects';

interface Spec {
  readonly objects: { key: string; etag: string; lastModifiedMs: number; path: string; uri: string }[];
  readonly previousFiles: Record<string, string[]>;
  readonly runId: string;
  readonly startedAt: string;
  readonly secretHex: string;
  readonly workDir: string;
}

async function main(): Promise<void> {
  const spec = JSON.parse(await readFile(process.argv[2]!, 'utf8')) as Spec;
  const objects = await Promise.all(
    spec.objects.map(async (o) => ({
      key: o.key,
      etag: o.etag,
      lastModified: new Date(o.lastModifiedMs),
      size: (await stat(o.path)).size,
      path: o.path,
      uri: o.uri,
    })),
  );
  const result = await transformObjects({
    objects,
    previousFiles: async (dataset) => spec.previousFiles[dataset.name] ?? [],
    runId: spec.runId,
    startedAt: new Date(spec.startedAt),
    studentKeySecret: Buffer.from(spec.secretHex, 'hex'),
    workDir: spec.workDir,
    duckdbMemoryLimit: '512MB',
  });
  const datasets = [];
  for (const d of result.datasets) {
    datasets.push({
      dataset: d.dataset.name,
      objects: d.objects,
      rowsIn: d.rowsIn,
      rejected: d.rejected,
      rejectReasons: d.rejectReasons,
      rejects: d.rejectsPath ? await readFile(d.rejectsPath, 'utf8') : '',
      written: d.version?.written ?? 0,
      superseded: d.version?.superseded ?? 0,
      replaced: d.version?.replaced ?? 0,
      totalRows: d.version?.totalRows ?? 0,
      files: (d.version?.files ?? []).map((f) => ({ relativePath: f.relativePath, localPath: f.localPath })),
    });
  }
  const objectResults = result.objects.map((o) =>
    o.accepted
      ? { key: o.object.key, accepted: true, dataset: o.dataset, rowsIn: o.rowsIn }
      : { key: o.object.key, accepted: false, reason: o.reason, message: o.message },
  );
  process.stdout.write(JSON.stringify({ objects: objectResults, datasets }));
}

main().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
