import { spawnSync } from 'node:child_process';
import { TYPE_FORMATS } from '../../../etl/schemas/columnTypes';
import { DATASETS } from '../../../etl/schemas/datasets';
import { REJECT_REASON_CODES, REJECT_REASONS } from '../../../etl/schemas/rejectReasons';
import { SCHEMA_DOCUMENT_VERSION, schemaDocument, schemaFingerprint } from '../../../etl/schemas/schemaDocument';

/** Texts each type format must accept and refuse, in JavaScript and in Python alike. */
const SAMPLES: Record<keyof typeof TYPE_FORMATS, { accept: string[]; refuse: string[] }> = {
  string: { accept: ['', 'a, "b"', 'line\nbreak'], refuse: [] },
  integer: { accept: ['5', '-12', '+7'], refuse: ['5.0', '1,000', 'five', '', '5\n'] },
  bigint: { accept: ['9223372036854775807'], refuse: ['1e3'] },
  decimal: { accept: ['12', '12.5', '.5', '-3.'], refuse: ['12,5', '1e3', '.', 'n/a'] },
  double: { accept: ['1.5e3', '-.5E-1', '7'], refuse: ['NaN', 'Infinity', '1,5'] },
  boolean: { accept: ['true', 'FALSE', 'Yes', 'no', '1', '0'], refuse: ['y', 'maybe', '2', 'truth'] },
  timestamp: {
    accept: ['2025-10-14T09:05:00+02:00', '2025-10-14 09:05Z', '2025-10-14T09:05:00.123456789-0530'],
    refuse: ['2025-10-14T09:05:00', '14/10/2025 09:05', '2025-13-01T00:00Z', '2025-10-14T24:00Z'],
  },
  date: { accept: ['2025-10-14'], refuse: ['2025-10-14T00:00Z', '2025-13-01', '14/10/2025'] },
};

describe('schemaDocument', () => {
  const doc = schemaDocument();

  it('is plain JSON with a fixed key order, so its text is stable', () => {
    const text = JSON.stringify(doc);
    expect(JSON.stringify(JSON.parse(text))).toBe(text);
    expect(JSON.stringify(schemaDocument())).toBe(text);
    expect(Object.keys(doc)).toEqual([
      'formatVersion',
      'typeFormats',
      'rejectReasons',
      'superseded',
      'partitionColumns',
      'partitionYearRange',
      'lineageColumns',
      'datasets',
    ]);
    expect(doc.formatVersion).toBe(SCHEMA_DOCUMENT_VERSION);
  });

  it('lists every reject reason in catalogue order, with its scope and description', () => {
    expect(doc.rejectReasons).toEqual(
      REJECT_REASON_CODES.map((code, order) => ({ code, order, ...REJECT_REASONS[code] })),
    );
    expect(doc.superseded.code).toBe('SUPERSEDED');
  });

  it('carries every dataset with its keys, rules and fingerprint', () => {
    expect(doc.datasets.map((d) => d.name)).toEqual(Object.keys(DATASETS));
    for (const d of doc.datasets) {
      const schema = DATASETS[d.name as keyof typeof DATASETS];
      expect(d.fingerprint).toBe(schemaFingerprint(schema));
      expect(d).toMatchObject({
        naturalKey: schema.naturalKey,
        sortKeys: schema.sortKeys,
        partitionSource: 'submitted_at',
        pseudonymSource: 'student_id',
        rules: schema.rules,
      });
      expect(d.columns.find((c) => c.name === 'score' || c.name === 'points')).toMatchObject({
        type: { kind: 'decimal', scale: 2 },
        glueType: expect.stringMatching(/^decimal\(\d+,2\)$/),
      });
    }
    expect(doc.partitionColumns.map((p) => [p.name, p.glueType, p.digits])).toEqual([
      ['year', 'int', 4],
      ['month', 'int', 2],
    ]);
  });

  it.each(Object.entries(SAMPLES))(
    'gives a %s format that accepts and refuses the same texts as parseField',
    (kind, s) => {
      const re = new RegExp(TYPE_FORMATS[kind as keyof typeof TYPE_FORMATS].pattern);
      expect(s.accept.filter((x) => !re.test(x))).toEqual([]);
      expect(s.refuse.filter((x) => re.test(x))).toEqual([]);
    },
  );

  // Python's `$` also matches before a final line break, so the Glue job must apply patterns with `re.fullmatch`.
  it('holds patterns that Python reads as JavaScript does, for the Glue job (with re.fullmatch)', () => {
    const patterns = [
      ...Object.entries(SAMPLES).map(([kind, s]) => ({
        pattern: TYPE_FORMATS[kind as keyof typeof TYPE_FORMATS].pattern,
        texts: [...s.accept, ...s.refuse],
      })),
      ...doc.datasets.flatMap((d) =>
        d.columns.flatMap((c) =>
          'pattern' in c.constraints && c.constraints.pattern
            ? [{ pattern: c.constraints.pattern, texts: [c.example, 'STU 1', '-x', 'a.b:c_d-e', 'STU-1\n'] }]
            : [],
        ),
      ),
    ];
    const js = patterns.map((p) => p.texts.map((text) => new RegExp(p.pattern).test(text)));
    const script =
      'import json, re, sys\n' +
      'cases = json.load(sys.stdin)\n' +
      'print(json.dumps([[re.fullmatch(c["pattern"], t) is not None for t in c["texts"]] for c in cases]))\n';
    const python = spawnSync('python3', ['-c', script], { input: JSON.stringify(patterns), encoding: 'utf8' });
    expect(python.stderr).toBe('');
    expect(JSON.parse(python.stdout)).toEqual(js);
  });
});
