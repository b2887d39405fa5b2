import { DISTRACTOR_WEIGHTS, type Exam, type ExamItem, probabilityCorrect } from './buildExams';
import type { SchoolClass, Student } from './buildWorld';
import type { Random } from './Random';

/** The answer to one question of an attempt. */
export interface ItemResponse {
  readonly item: ExamItem;
  /** The option chosen, or '' when the question was skipped. */
  readonly response: string;
  readonly correct: boolean;
  readonly points: number;
  readonly timeSeconds: number;
}

/** One attempt of one student at one exam, with its answers. */
export interface Attempt {
  readonly resultId: string;
  readonly exam: Exam;
  readonly schoolClass: SchoolClass;
  readonly student: Student;
  readonly attempt: number;
  /** Local wall-clock start and submission (milliseconds read as UTC) and the UTC offset in minutes. */
  readonly startedLocalMs: number;
  readonly submittedLocalMs: number;
  readonly offsetMinutes: number;
  readonly score: number;
  readonly passed: boolean;
  readonly responses: readonly ItemResponse[];
}

/** Share of wrong answers that are skips (empty response). */
export const SKIP_RATE = 0.04;

/**
 * Simulates an attempt: each question is answered correctly with the two-parameter logistic probability
 * 1/(1+exp(−a(θ−b))); a wrong answer is a skip or a distractor, the most common one most often; time per
 * question follows a log-normal around the subject's pace, longer for harder items and slower students.
 */
export function simulateAttempt(
  rng: Random,
  input: {
    exam: Exam;
    schoolClass: SchoolClass;
    student: Student;
    attempt: number;
    startedLocalMs: number;
    offsetMinutes: number;
    /** Added to the student's ability (learning between a failed attempt and its retake). */
    thetaBonus: number;
  },
): Attempt {
  const { exam, student } = input;
  const theta = student.theta + (student.subjectTheta[exam.subjectIndex] ?? 0) + exam.growth + input.thetaBonus;
  const responses: ItemResponse[] = [];
  let score = 0;
  let totalSeconds = 0;
  for (const item of exam.items) {
    const correct = rng.next() < probabilityCorrect(theta, item);
    let response = item.correctOption;
    if (!correct) {
      response = rng.chance(SKIP_RATE) ? '' : rng.weighted(item.distractors, DISTRACTOR_WEIGHTS);
    }
    const points = correct ? item.maxPoints : 0;
    const median = exam.subject.secondsPerItem * item.maxPoints * Math.exp(0.2 * item.difficulty) * student.pace;
    const timeSeconds = Math.max(2, Math.round(median * Math.exp(rng.normal(0, 0.45)) * (response === '' ? 0.3 : 1)));
    score += points;
    totalSeconds += timeSeconds;
    responses.push({ item, response, correct, points, timeSeconds });
  }
  const overheadSeconds = rng.int(30, 240);
  return {
    resultId: rng.uuid(),
    exam,
    schoolClass: input.schoolClass,
    student,
    attempt: input.attempt,
    startedLocalMs: input.startedLocalMs,
    submittedLocalMs: input.startedLocalMs + (totalSeconds + overheadSeconds) * 1000,
    offsetMinutes: input.offsetMinutes,
    score,
    passed: score >= exam.passMark,
    responses,
  };
}
