import { HeaderMismatchError, UnknownDatasetError } from '../../../etl/schemas/errors';
import { EXAM_RESULTS } from '../../../etl/schemas/examResults';
import { ITEM_RESPONSES } from '../../../etl/schemas/itemResponses';
import { normalizeHeaderName } from '../../../etl/schemas/normalizeHeaderName';
import { resolveHeader } from '../../../etl/schemas/resolveHeader';

const canonical = (schema = EXAM_RESULTS) => schema.columns.map((c) => c.name);

function mismatch(run: () => unknown): HeaderMismatchError {
  try {
    run();
  } catch (err) {
    if (err instanceof HeaderMismatchError) return err;
    throw err;
  }
  throw new Error('expected a HeaderMismatchError');
}

describe('normalizeHeaderName', () => {
  it.each([
    ['Student ID', 'studentid'],
    ['studentId', 'studentid'],
    ['student-id', 'studentid'],
    ['STUDENT_ID', 'studentid'],
    ['  student . id ', 'studentid'],
    ['\uFEFFresult_id', 'resultid'],
  ])('reads %j as %j', (input, expected) => {
    expect(normalizeHeaderName(input)).toBe(expected);
  });
});

describe('resolveHeader', () => {
  it('maps the canonical header field by field', () => {
    const mapping = resolveHeader(EXAM_RESULTS, canonical());
    expect(mapping.dataset).toBe(EXAM_RESULTS);
    expect(mapping.fieldCount).toBe(EXAM_RESULTS.columns.length);
    expect(mapping.fields.map((c) => c?.name)).toEqual(canonical());
    expect(mapping.indexOf['student_id']).toBe(canonical().indexOf('student_id'));
    expect(mapping.absent).toEqual([]);
    expect(mapping.ignored).toEqual([]);
  });

  it('accepts a dataset by name', () => {
    expect(resolveHeader('item_responses', canonical(ITEM_RESPONSES)).dataset).toBe(ITEM_RESPONSES);
  });

  it('refuses a dataset name nobody declared with UNKNOWN_DATASET', () => {
    expect(() => resolveHeader('attendance', ['student_id'])).toThrow(UnknownDatasetError);
    expect(() => resolveHeader('attendance', ['student_id'])).toThrow(
      "No dataset is named 'attendance'. Declared datasets: exam_results, item_responses.",
    );
  });

  it('matches names ignoring case, spaces, underscores, hyphens, dots and a byte order mark', () => {
    const header = canonical().map((name, i) => {
      const spellings = [
        name.toUpperCase(),
        name.replace(/_/g, ' '),
        name.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase()),
        name.replace(/_/g, '-'),
        name.replace(/_/g, '.'),
        ` ${name} `,
      ];
      return spellings[i % spellings.length]!;
    });
    header[0] = `\uFEFF${header[0]}`;
    const mapping = resolveHeader(EXAM_RESULTS, header);
    expect(mapping.fields.map((c) => c?.name)).toEqual(canonical());
  });

  it('matches every declared alias, in any spelling', () => {
    for (const schema of [EXAM_RESULTS, ITEM_RESPONSES]) {
      for (const col of schema.columns) {
        for (const alias of col.aliases) {
          const header = canonical(schema).map((n) => (n === col.name ? alias.toUpperCase().replace(/_/g, ' ') : n));
          const mapping = resolveHeader(schema, header);
          expect(mapping.indexOf[col.name]).toBe(canonical(schema).indexOf(col.name));
        }
      }
    }
  });

  it('accepts columns in any order and reports the index of each', () => {
    const reversed = [...canonical()].reverse();
    const mapping = resolveHeader(EXAM_RESULTS, reversed);
    for (const [i, name] of reversed.entries()) expect(mapping.indexOf[name]).toBe(i);
  });

  it('lists nullable columns the header lacks as absent', () => {
    const header = canonical().filter((n) => n !== 'exam_title' && n !== 'teacher_id');
    const mapping = resolveHeader(EXAM_RESULTS, header);
    expect(mapping.absent).toEqual(['exam_title', 'teacher_id']);
    expect(mapping.fieldCount).toBe(header.length);
  });

  it('refuses a header without required columns with MISSING_COLUMNS, naming each', () => {
    const header = canonical().filter((n) => n !== 'student_id' && n !== 'score');
    const err = mismatch(() => resolveHeader(EXAM_RESULTS, header));
    expect(err.code).toBe('MISSING_COLUMNS');
    expect(err.missing).toEqual(['student_id', 'score']);
    expect(err.message).toBe(
      'The header does not fit dataset exam_results: missing required columns student_id, score. ' +
        'Accepted column names and aliases are listed in docs/data-dictionary.md.',
    );
  });

  it('refuses a column named twice with DUPLICATE_COLUMNS, naming both fields', () => {
    const err = mismatch(() => resolveHeader(EXAM_RESULTS, [...canonical(), 'Student ID']));
    expect(err.code).toBe('DUPLICATE_COLUMNS');
    expect(err.duplicate).toEqual([{ column: 'student_id', fields: ['student_id', 'Student ID'] }]);
    expect(err.message).toContain("columns named twice: student_id ('student_id' and 'Student ID')");
  });

  it('treats an alias and the canonical name of one column as a duplicate', () => {
    const err = mismatch(() => resolveHeader(EXAM_RESULTS, [...canonical(), 'pupil_id']));
    expect(err.code).toBe('DUPLICATE_COLUMNS');
    expect(err.duplicate[0]?.fields).toEqual(['student_id', 'pupil_id']);
  });

  it('refuses unknown columns with UNKNOWN_COLUMNS, naming empty fields by position', () => {
    const err = mismatch(() => resolveHeader(EXAM_RESULTS, [...canonical(), 'shoe_size', ' ']));
    expect(err.code).toBe('UNKNOWN_COLUMNS');
    expect(err.unknown).toEqual(['shoe_size', `(empty field ${canonical().length + 2})`]);
    expect(err.message).toContain("unknown columns 'shoe_size', '(empty field 21)'");
  });

  it('refuses a lineage column in an export, since exports never carry it', () => {
    expect(mismatch(() => resolveHeader(EXAM_RESULTS, [...canonical(), 'student_key'])).code).toBe('UNKNOWN_COLUMNS');
  });

  it('ignores unknown columns when asked, and says which', () => {
    const mapping = resolveHeader(EXAM_RESULTS, ['note', ...canonical()], { unknownColumns: 'ignore' });
    expect(mapping.ignored).toEqual(['note']);
    expect(mapping.fields[0]).toBeUndefined();
    expect(mapping.indexOf['result_id']).toBe(1);
    expect(mapping.fieldCount).toBe(canonical().length + 1);
  });

  it('still refuses missing and duplicate columns when ignoring unknown ones', () => {
    const header = ['note', ...canonical().filter((n) => n !== 'result_id')];
    expect(mismatch(() => resolveHeader(EXAM_RESULTS, header, { unknownColumns: 'ignore' })).code).toBe(
      'MISSING_COLUMNS',
    );
  });

  it('reports every problem at once, with the code of the first that applies', () => {
    const header = [...canonical().filter((n) => n !== 'score'), 'Student ID', 'shoe_size'];
    const err = mismatch(() => resolveHeader(EXAM_RESULTS, header));
    expect(err.code).toBe('MISSING_COLUMNS');
    expect(err.missing).toEqual(['score']);
    expect(err.duplicate.map((d) => d.column)).toEqual(['student_id']);
    expect(err.unknown).toEqual(['shoe_size']);
    expect(err.message).toBe(
      "The header does not fit dataset exam_results: missing required column score; columns named twice: student_id ('student_id' and 'Student ID'); unknown column 'shoe_size'. " +
        'Accepted column names and aliases are listed in docs/data-dictionary.md.',
    );
    const noMissing = mismatch(() => resolveHeader(EXAM_RESULTS, [...canonical(), 'studentId', 'shoe_size']));
    expect(noMissing.code).toBe('DUPLICATE_COLUMNS');
  });
});
