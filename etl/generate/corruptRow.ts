import type { DatasetSchema } from '../schemas/DatasetSchema';
import type { BadRowKindName } from './badRowKinds';
import type { Random } from './Random';

/**
 * Marks the spot of a byte that is not UTF-8: a private-use character the writer replaces by the Latin-1 byte
 * 0xFC (ü) after encoding the line. No generated value contains it otherwise.
 */
export const LATIN1_MARK = '\uE000';
export const LATIN1_BYTE = 0xfc;

/** A row after injecting one defect into its fields. */
export interface CorruptedRow {
  readonly fields: string[];
  readonly column?: string;
  readonly rule?: string;
}

type FieldKinds = Exclude<BadRowKindName, 'exact_duplicate' | 'corrected_reexport' | 'unterminated_quote'>;

/**
 * Injects one defect of a kind into a valid row's fields (in schema order). Each defect breaks one check only,
 * so the row's expected reason is the kind's. Structural kinds (duplicates, corrections, the unterminated quote)
 * are written by the generator itself.
 */
export function corruptRow(
  kind: FieldKinds,
  schema: DatasetSchema,
  fields: readonly string[],
  rng: Random,
): CorruptedRow {
  const out = [...fields];
  const index = (name: string) => {
    const i = schema.columns.findIndex((c) => c.name === name);
    if (i < 0) throw new Error(`${schema.name} has no column ${name}`);
    return i;
  };
  const set = (name: string, value: string): CorruptedRow => {
    out[index(name)] = value;
    return { fields: out, column: name };
  };
  const get = (name: string) => out[index(name)]!;
  const exam = schema.name === 'exam_results';
  switch (kind) {
    case 'wrong_field_count':
      if (rng.chance(0.5)) out.pop();
      else out.push(rng.pick(['extra', '', 'note: re-marked']));
      return { fields: out };
    case 'invalid_utf8':
      return exam
        ? set('student_name', `${get('student_name').split(' ')[0]} M${LATIN1_MARK}ller`)
        : set('skill', `Pr${LATIN1_MARK}fungsaufgabe`);
    case 'missing_required': {
      const required = schema.columns.filter((c) => !c.nullable).map((c) => c.name);
      return set(rng.pick(required), '');
    }
    case 'invalid_integer':
      return exam
        ? set('grade_level', rng.pick(['five', '5.5', 'Year 5']))
        : set('question_number', rng.pick(['7th', '1,024', 'seven']));
    case 'invalid_decimal':
      return exam
        ? set('score', rng.pick([get('score').replace('.', ','), 'n/a', `${get('score')} pts`]))
        : set('points', rng.pick(['one', '1/2', '0,5']));
    case 'invalid_boolean':
      return set(exam ? 'passed' : 'is_correct', rng.pick(['maybe', 'Y', 'pass', '2']));
    case 'invalid_timestamp': {
      const name = exam ? 'started_at' : 'submitted_at';
      const text = get(name);
      const european = `${text.slice(8, 10)}/${text.slice(5, 7)}/${text.slice(0, 4)} ${text.slice(11, 16)}`;
      return set(name, rng.chance(0.5) ? european : `${text.slice(0, 5)}02-30${text.slice(10)}`);
    }
    case 'timestamp_without_offset': {
      const name = exam ? rng.pick(['started_at', 'submitted_at']) : 'submitted_at';
      return set(name, get(name).slice(0, 19));
    }
    case 'out_of_range':
      return exam
        ? rng.pick([() => set('grade_level', '13'), () => set('attempt', '0'), () => set('score', '-1.00')])()
        : rng.pick([() => set('time_spent_seconds', '-5'), () => set('question_number', '0')])();
    case 'bad_enum':
      return set('subject', rng.pick(['astrology', 'maths', 'PE']));
    case 'pattern_mismatch':
      return set('student_id', get('student_id').replace('-', ' '));
    case 'too_long':
      return exam
        ? set('student_name', `${get('student_name')} ${'von '.repeat(50)}Hohenzollern`)
        : set('skill', `${get('skill')}: ${'reasoning and '.repeat(8)}problem solving`);
    case 'score_above_max':
      out[index('score')] = (Number(get('max_score')) + rng.int(1, 5)).toFixed(2);
      return { fields: out, column: 'score', rule: 'score_within_max' };
    case 'submitted_before_started': {
      const started = get('started_at');
      out[index('started_at')] = get('submitted_at');
      out[index('submitted_at')] = started;
      return { fields: out, column: 'submitted_at', rule: 'submitted_after_started' };
    }
    case 'points_above_max':
      out[index('points')] = String(Number(get('max_points')) + 1);
      return { fields: out, column: 'points', rule: 'points_within_max' };
  }
}
