import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { REJECT_REASON_CODES, REJECT_REASONS } from '../../../etl/schemas/rejectReasons';
import { SCHEMA_DOCUMENT_VERSION, schemaDocument } from '../../../etl/schemas/schemaDocument';

const SCRIPT = path.join(__dirname, '../../../etl/glue/transform.py');
const source = readFileSync(SCRIPT, 'utf8');
const literals = [...source.matchAll(/"([^"\\\n]*)"/g)].map((m) => m[1]!);

describe('the Glue PySpark script', () => {
  it('compiles with python3', () => {
    const cfile = path.join(os.tmpdir(), `examlake-transform-${process.pid}.pyc`);
    const result = spawnSync(
      'python3',
      ['-c', 'import py_compile, sys; py_compile.compile(sys.argv[1], cfile=sys.argv[2], doraise=True)', SCRIPT, cfile],
      { encoding: 'utf8' },
    );
    expect(result.stderr).toBe('');
    expect(result.status).toBe(0);
  });

  it('uses only reason codes the schema document declares, and every row reason', () => {
    const used = new Set([...source.matchAll(/(?:reason|Refused)\("([A-Z_]+)"/g)].map((m) => m[1]!));
    const declared = new Set(schemaDocument().rejectReasons.map((r) => r.code));
    for (const code of used) expect(declared).toContain(code);
    const rowCodes = REJECT_REASON_CODES.filter((c) => REJECT_REASONS[c].scope === 'row');
    const mapped = new Set(literals);
    for (const code of rowCodes) expect(mapped).toContain(code);
  });

  it('names no dataset column itself: every one comes from the shipped schema document', () => {
    const names = new Set(schemaDocument().datasets.flatMap((d) => d.columns.map((c) => c.name)));
    expect(literals.filter((l) => names.has(l))).toEqual([]);
  });

  it('reads the document keys the schema document has, at the version it is written for', () => {
    const doc = schemaDocument();
    expect(source).toContain(`DOC.get("formatVersion") != ${SCHEMA_DOCUMENT_VERSION}`);
    for (const key of ['rejectReasons', 'typeFormats', 'lineageColumns', 'partitionColumns', 'datasets']) {
      expect(source).toContain(`DOC["${key}"]`);
      expect(doc).toHaveProperty(key);
    }
    const datasetKeys = Object.keys(doc.datasets[0]!);
    for (const key of [...source.matchAll(/dataset\["([a-zA-Z]+)"\]/g)].map((m) => m[1]!)) {
      expect(datasetKeys).toContain(key);
    }
  });
});
