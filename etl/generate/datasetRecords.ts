import type { DatasetSchema } from '../schemas/DatasetSchema';
import { EXAM_RESULTS } from '../schemas/examResults';
import { ITEM_RESPONSES } from '../schemas/itemResponses';
import type { School } from './buildWorld';
import type { FileStyle } from './FileStyle';
import { formatLocal } from './schoolCalendar';
import type { Attempt, ItemResponse } from './simulateAttempt';

/** What one exported row is made from. */
export interface RowSource {
  readonly attempt: Attempt;
  readonly school: School;
  readonly style: FileStyle;
  /** Timestamps of the attempt, already formatted in the file's style. */
  readonly startedText: string;
  readonly submittedText: string;
  /** Set for item_responses rows. */
  readonly response?: ItemResponse;
}

type FieldGetters = Readonly<Record<string, (row: RowSource) => string>>;

const bool = (row: RowSource, value: boolean) => row.style.booleans[value ? 0 : 1];

const EXAM_RESULT_FIELDS: FieldGetters = {
  result_id: (r) => r.attempt.resultId,
  exam_id: (r) => r.attempt.exam.id,
  exam_title: (r) => (r.style.quotedNewlines ? r.attempt.exam.title.replace(': ', ':\n') : r.attempt.exam.title),
  subject: (r) => r.attempt.exam.subject.name,
  grade_level: (r) => String(r.attempt.exam.grade),
  school_id: (r) => r.school.id,
  school_name: (r) => r.school.name,
  district_id: (r) => r.school.districtId,
  region: (r) => r.school.region,
  class_id: (r) => r.attempt.schoolClass.id,
  teacher_id: (r) => r.attempt.schoolClass.teacherId ?? '',
  student_id: (r) => r.attempt.student.id,
  student_name: (r) => r.attempt.student.name,
  attempt: (r) => String(r.attempt.attempt),
  started_at: (r) => r.startedText,
  submitted_at: (r) => r.submittedText,
  score: (r) => r.attempt.score.toFixed(2),
  max_score: (r) => r.attempt.exam.maxScore.toFixed(2),
  passed: (r) => bool(r, r.attempt.passed),
};

const ITEM_RESPONSE_FIELDS: FieldGetters = {
  result_id: (r) => r.attempt.resultId,
  exam_id: (r) => r.attempt.exam.id,
  school_id: (r) => r.school.id,
  student_id: (r) => r.attempt.student.id,
  question_id: (r) => r.response!.item.questionId,
  question_number: (r) => String(r.response!.item.number),
  skill: (r) => r.response!.item.skill,
  response: (r) => r.response!.response,
  correct_response: (r) => r.response!.item.correctOption,
  is_correct: (r) => bool(r, r.response!.correct),
  points: (r) => String(r.response!.points),
  max_points: (r) => String(r.response!.item.maxPoints),
  time_spent_seconds: (r) => String(r.response!.timeSeconds),
  submitted_at: (r) => r.submittedText,
};

/**
 * The fields of a row in the schema's column order. The getters are keyed by column name and ordered by the
 * schema, so the generator cannot drift from the declared columns: a column without a getter fails at load.
 */
function fieldsInSchemaOrder(schema: DatasetSchema, getters: FieldGetters): (row: RowSource) => string[] {
  const ordered = schema.columns.map((c) => {
    const getter = getters[c.name];
    if (!getter) throw new Error(`The generator has no value for ${schema.name}.${c.name}`);
    return getter;
  });
  const extra = Object.keys(getters).filter((name) => !schema.columns.some((c) => c.name === name));
  if (extra.length > 0) throw new Error(`The generator writes undeclared ${schema.name} columns: ${extra.join(', ')}`);
  return (row) => ordered.map((get) => get(row));
}

export const examResultFields = fieldsInSchemaOrder(EXAM_RESULTS, EXAM_RESULT_FIELDS);
export const itemResponseFields = fieldsInSchemaOrder(ITEM_RESPONSES, ITEM_RESPONSE_FIELDS);

/** A timestamp in a file's style. */
export function styledTimestamp(localMs: number, offsetMinutes: number, style: FileStyle): string {
  const text = formatLocal(localMs, offsetMinutes);
  return style.dateTimeSeparator === 'T' ? text : text.replace('T', ' ');
}
