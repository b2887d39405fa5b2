import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { blobValue, type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { EXAM_RESULTS } from '../../../etl/schemas/examResults';
import { ITEM_RESPONSES } from '../../../etl/schemas/itemResponses';
import { resolveHeader } from '../../../etl/schemas/resolveHeader';
import { validateRecord } from '../../../etl/schemas/validateRecord';
import { WHY_SEPARATOR } from '../../../etl/transform/rowChecksSql';
import { createCheckedView, stageObject } from '../../../etl/transform/stageObject';
import { studentKeyFunction, studentKeyPads, studentKeySql } from '../../../etl/transform/studentKey';
import { csvField } from '../support/examResultsCsv';

let dir: string;
let instance: DuckDBInstance;
let db: DuckDBConnection;

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-checks-'));
  instance = await DuckDBInstance.create(':memory:', { memory_limit: '512MB', preserve_insertion_order: 'true' });
  db = await instance.connect();
});
afterAll(async () => {
  db.closeSync();
  instance.closeSync();
  await rm(dir, { recursive: true, force: true });
});

/** Field texts that sit on the edges of the type and constraint rules. */
const TRICKY = [
  '',
  ' ',
  '\t',
  'abc',
  'a b',
  '0',
  '1',
  '5',
  ' 5 ',
  '+5',
  '-1',
  '13',
  '1_000',
  '0x1F',
  '1e2',
  '1.0',
  '12.345',
  '12.340',
  '99999.99',
  '100000',
  '.5',
  '.',
  '+',
  '-.',
  '0.',
  '40.00',
  '2147483648',
  'true',
  'YES',
  'no',
  'Y',
  'maybe',
  'mathematics',
  ' Reading ',
  'MATHS',
  '2025-10-14T09:05:00+02:00',
  '2025-10-14 09:05+02:00',
  '2025-10-14T09:05:00.123456789Z',
  '2025-10-14T10:05:00+0200',
  '2025-10-14T09:05:00',
  '2025-02-30T09:05:00Z',
  '14/10/2025 09:05',
  'SCH-0001',
  'x'.repeat(65),
  'y'.repeat(201),
];

function rowOf(columns: readonly { example: string }[]) {
  return fc.array(fc.oneof(fc.constantFrom(...TRICKY), fc.constant(null)), {
    minLength: columns.length,
    maxLength: columns.length,
  });
}

describe('the generated row checks', () => {
  it.each([EXAM_RESULTS, ITEM_RESPONSES])(
    'give the reason, column and rule validateRecord gives (%s)',
    async (dataset) => {
      const mapping = resolveHeader(
        dataset,
        dataset.columns.map((c) => c.name),
      );
      let n = 0;
      await fc.assert(
        fc.asyncProperty(fc.array(rowOf(dataset.columns), { minLength: 1, maxLength: 30 }), async (rows) => {
          n++;
          // null: the column's own example, so that most rows are valid but for a few fields.
          const fields = rows.map((r) => r.map((v, i) => v ?? dataset.columns[i]!.example));
          const file = path.join(dir, `${dataset.name}-${n}.csv`);
          const lines = [
            mapping.fields.map((c) => c!.name).join(','),
            ...fields.map((f) => f.map((v) => csvField(v)).join(',')),
          ];
          await writeFile(file, `${lines.join('\n')}\n`);
          const staged = await stageObject(db, path.join(dir, `stage-${n}`), mapping, 0, file, 0);
          expect(staged).toMatchObject({ rows: fields.length, structural: [] });
          const table = await createCheckedView(db, dataset, [staged]);
          const got = (await db.runAndReadAll(`SELECT _why FROM "${table}" ORDER BY _row`))
            .getRows()
            .map(([w]) => (w === null ? 'ok' : String(w)));
          const expected = fields.map((f) => {
            const check = validateRecord(mapping, f);
            return check.ok ? 'ok' : [check.reason, check.column ?? '', check.rule ?? ''].join(WHY_SEPARATOR);
          });
          expect(got).toEqual(expected);
        }),
        { numRuns: 15 },
      );
    },
  );

  it('computes student_key in SQL exactly as studentKeyFunction does', async () => {
    for (const secret of [randomBytes(32), randomBytes(80)]) {
      const reference = studentKeyFunction(secret);
      const { ipad, opad } = studentKeyPads(secret);
      await fc.assert(
        fc.asyncProperty(fc.string({ unit: 'grapheme', minLength: 1, maxLength: 30 }), async (id) => {
          const reader = await db.runAndReadAll(`SELECT ${studentKeySql('$id')} AS k`, {
            id,
            ipad: blobValue(ipad),
            opad: blobValue(opad),
          });
          expect(reader.getRows()[0]![0]).toBe(reference(id));
        }),
        { numRuns: 30 },
      );
    }
  });
});
