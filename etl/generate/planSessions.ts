import type { Exam } from './buildExams';
import type { School, SchoolClass, Student, World } from './buildWorld';
import type { Random } from './Random';
import {
  addDays,
  DAY_MS,
  isWeekday,
  monthKey,
  nextWeekday,
  offsetMinutes,
  SCHOOL_YEAR_END,
  schoolDay,
} from './schoolCalendar';

/** One class (or, for a retake, one student) sitting one exam at one time. */
export interface ExamSession {
  readonly schoolIndex: number;
  readonly schoolClass: SchoolClass;
  readonly exam: Exam;
  readonly attempt: number;
  readonly students: readonly Student[];
  /** Local midnight of the day, and local start time (milliseconds read as UTC). */
  readonly dayMs: number;
  readonly startLocalMs: number;
  readonly offsetMinutes: number;
  /** The session's own random stream, so its content does not depend on file layout or order. */
  readonly rng: Random;
  /** A retake of this exam for a student, two to four weeks later, or undefined after the school year ends. */
  retake(student: Student, rng: Random): ExamSession | undefined;
}

/** The schools of one output file within a month. */
export interface SchoolBatch {
  /** File name part, e.g. `schools-0001-0010`; empty when a month has one file. */
  readonly label: string;
  readonly schoolIndexes: ReadonlySet<number>;
  readonly sessions: readonly ExamSession[];
}

/**
 * When every class sits each exam of its grade: a weekday in the exam's sitting window, at a class start time
 * between 08:30 and 13:30. Sessions are grouped by month and school, and retakes join the month they fall in.
 */
export class SessionPlan {
  /** Attempts of the planned first sittings (every student of every class); retakes add to it. */
  readonly attemptsPlanned: number;
  private readonly byMonth = new Map<string, Map<number, ExamSession[]>>();
  private readonly schoolYear: readonly string[];

  constructor(
    readonly schools: readonly School[],
    sessions: readonly ExamSession[],
    startYear: number,
  ) {
    let planned = 0;
    for (const session of sessions) {
      this.add(session);
      planned += session.students.length;
    }
    this.attemptsPlanned = planned;
    this.schoolYear = schoolYearMonths(startYear);
  }

  /** The months in order, each with its sessions in school batches, read as each month is reached. */
  *months(schoolsPerFile: number): Generator<{ month: string; schoolBatches: SchoolBatch[] }> {
    for (const month of this.schoolYear) {
      const bySchool = this.byMonth.get(month);
      if (!bySchool) continue;
      const indexes = [...bySchool.keys()].sort((a, b) => a - b);
      const size = schoolsPerFile > 0 ? schoolsPerFile : this.schools.length;
      const batches: SchoolBatch[] = [];
      const first = Math.floor(indexes[0]! / size);
      const last = Math.floor(indexes[indexes.length - 1]! / size);
      for (let b = first; b <= last; b++) {
        const members = indexes.filter((i) => Math.floor(i / size) === b);
        if (members.length === 0) continue;
        const from = b * size;
        const to = Math.min(this.schools.length, from + size);
        batches.push({
          label: schoolsPerFile > 0 ? `schools-${pad4(from + 1)}-${pad4(to)}` : '',
          schoolIndexes: new Set(members),
          sessions: members.flatMap((i) => bySchool.get(i)!.sort(bySessionStart)),
        });
      }
      this.byMonth.delete(month);
      yield { month, schoolBatches: batches };
    }
  }

  /**
   * Files a retake under its month. Returns false, filing nothing, when it belongs to the month and batch being
   * written (the caller appends it to the batch under way).
   */
  schedule(session: ExamSession, currentMonth: string, currentSchools: ReadonlySet<number>): boolean {
    if (monthKey(session.dayMs) === currentMonth && currentSchools.has(session.schoolIndex)) return false;
    this.add(session);
    return true;
  }

  private add(session: ExamSession): void {
    const month = monthKey(session.dayMs);
    let bySchool = this.byMonth.get(month);
    if (!bySchool) {
      bySchool = new Map();
      this.byMonth.set(month, bySchool);
    }
    const list = bySchool.get(session.schoolIndex);
    if (list) list.push(session);
    else bySchool.set(session.schoolIndex, [session]);
  }
}

/** Plans every class sitting of the school year. */
export function planSessions(rng: Random, world: World, exams: readonly Exam[], startYear: number): SessionPlan {
  const sessions: ExamSession[] = [];
  const lastDay = schoolDay(startYear, ...SCHOOL_YEAR_END);
  world.schools.forEach((school, schoolIndex) => {
    for (const schoolClass of school.classes) {
      const startMinutes = 8 * 60 + 30 + 5 * rng.int(0, 60);
      for (const exam of exams) {
        if (exam.grade !== schoolClass.grade) continue;
        const from = schoolDay(startYear, ...exam.sitting.from);
        const to = schoolDay(startYear, ...exam.sitting.to);
        let day: number;
        do day = from + rng.int(0, Math.round((to - from) / DAY_MS)) * DAY_MS;
        while (!isWeekday(day));
        sessions.push(
          session({
            schoolIndex,
            schoolClass,
            exam,
            attempt: 1,
            students: schoolClass.students,
            dayMs: day,
            startMinutes,
            rng: rng.fork(`session:${schoolClass.id}:${exam.id}`),
            lastDay,
          }),
        );
      }
    }
  });
  return new SessionPlan(world.schools, sessions, startYear);
}

function session(input: {
  schoolIndex: number;
  schoolClass: SchoolClass;
  exam: Exam;
  attempt: number;
  students: readonly Student[];
  dayMs: number;
  startMinutes: number;
  rng: Random;
  lastDay: number;
}): ExamSession {
  return {
    schoolIndex: input.schoolIndex,
    schoolClass: input.schoolClass,
    exam: input.exam,
    attempt: input.attempt,
    students: input.students,
    dayMs: input.dayMs,
    startLocalMs: input.dayMs + input.startMinutes * 60_000,
    offsetMinutes: offsetMinutes(input.dayMs),
    rng: input.rng,
    retake(student, rng) {
      const day = nextWeekday(addDays(input.dayMs, rng.int(14, 28)));
      if (day > input.lastDay) return undefined;
      return session({
        ...input,
        attempt: input.attempt + 1,
        students: [student],
        dayMs: day,
        startMinutes: 13 * 60 + 30 + 5 * rng.int(0, 24),
        rng: input.rng.fork(`retake:${student.id}`),
      });
    },
  };
}

function bySessionStart(a: ExamSession, b: ExamSession): number {
  return a.startLocalMs - b.startLocalMs || (a.schoolClass.id < b.schoolClass.id ? -1 : 1);
}

/** `2025-09` … `2026-06`. */
function schoolYearMonths(startYear: number): string[] {
  return [9, 10, 11, 12, 1, 2, 3, 4, 5, 6, 7, 8].map((m) => monthKey(schoolDay(startYear, m, 1)));
}

function pad4(n: number): string {
  return String(n).padStart(4, '0');
}
