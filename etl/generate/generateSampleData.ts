import { EXAM_RESULTS } from '../schemas/examResults';
import { ITEM_RESPONSES } from '../schemas/itemResponses';
import type { BadRowEntry } from './badRowKinds';
import { buildExams, type Exam } from './buildExams';
import { buildWorld, type School, type SchoolClass, TESTED_GRADES } from './buildWorld';
import { CsvFileWriter } from './CsvFileWriter';
import { DatasetOutput, type WrittenFile } from './DatasetOutput';
import { examResultFields, itemResponseFields, type RowSource, styledTimestamp } from './datasetRecords';
import { type GenerateOptions, generateOptions } from './generateOptions';
import { OutputDirectory } from './OutputDirectory';
import { type ExamSession, planSessions } from './planSessions';
import { Random } from './Random';
import { simulateAttempt } from './simulateAttempt';
import { writeSidecars } from './writeSidecars';

/** Progress after each class sitting, for a progress bar. */
export interface GenerateProgress {
  readonly attemptsDone: number;
  /** Grows while generating as retakes are scheduled. */
  readonly attemptsPlanned: number;
  readonly rows: number;
  readonly bytes: number;
}

export interface GenerateSummary {
  readonly outDir: string;
  readonly seed: string;
  readonly rows: { readonly exam_results: number; readonly item_responses: number };
  readonly badRows: number;
  readonly files: readonly WrittenFile[];
  readonly bytes: number;
  readonly seconds: number;
}

export interface GenerateHooks {
  readonly onProgress?: (progress: GenerateProgress) => void;
  /** Replace a non-empty output directory. @default false */
  readonly replace?: boolean;
}

/** Share of absent students at a sitting, and of failing students who retake. */
export const ABSENCE_RATE = 0.04;
export const RETAKE_RATE = 0.5;
/** Ability gained between a failed attempt and its retake. */
export const RETAKE_THETA_GAIN = 0.25;

/**
 * Generates a school year of exam exports into `outDir`: `exam_results/` and `item_responses/` CSV files (one
 * per month, or per month and school batch, then a corrections file), and `_meta/` with the true item parameters,
 * the injected bad rows and a manifest. Rows stream to disk as they are simulated, so memory does not grow with
 * the output; the output appears in `outDir` only when complete.
 */
export async function generateSampleData(
  outDir: string,
  input: Partial<GenerateOptions>,
  hooks: GenerateHooks = {},
): Promise<GenerateSummary> {
  const started = process.hrtime.bigint();
  const options = generateOptions(input);
  const root = Random.fromSeed(options.seed);
  const world = buildWorld(root.fork('world'), { ...options, subjects: 3 });
  const exams = buildExams(root.fork('exams'), options.year, [...TESTED_GRADES.primary, ...TESTED_GRADES.secondary]);
  const plan = planSessions(root.fork('schedule'), world, exams, options.year);

  const out = await OutputDirectory.prepare(outDir, { replace: hooks.replace ?? false });
  const badRows = CsvFileWriter.open(await out.file('_meta/bad-rows.jsonl'), { gzip: false });
  const recordBadRow = async (entry: BadRowEntry) => {
    const line = `${JSON.stringify(entry)}\n`;
    await badRows.write(line, 1, true);
  };
  const shared = {
    badRows: options.badRows,
    gzip: options.format === 'csv.gz',
    styleOptions: options,
    resolve: (relative: string) => out.file(relative),
    recordBadRow,
  };
  const results = new DatasetOutput({
    ...shared,
    schema: EXAM_RESULTS,
    styleRng: root.fork('style/exam_results'),
    faultRng: root.fork('faults/exam_results'),
  });
  const responses = new DatasetOutput({
    ...shared,
    schema: ITEM_RESPONSES,
    styleRng: root.fork('style/item_responses'),
    faultRng: root.fork('faults/item_responses'),
  });
  const outputs = [results, responses];
  try {
    let attemptsDone = 0;
    let attemptsPlanned = plan.attemptsPlanned;
    const report = () =>
      hooks.onProgress?.({
        attemptsDone,
        attemptsPlanned,
        rows: results.records + responses.records,
        bytes: results.bytes + responses.bytes,
      });
    for (const { month, schoolBatches } of plan.months(options.schoolsPerFile)) {
      for (const batch of schoolBatches) {
        const name = batch.label ? `${month}-${batch.label}` : month;
        await results.open(`exam_results-${name}`);
        await responses.open(`item_responses-${name}`);
        const queue: ExamSession[] = [...batch.sessions];
        for (let i = 0; i < queue.length; i++) {
          const session = queue[i]!;
          const retakes = await writeSession(session, results, responses, plan.schools);
          for (const retake of retakes) {
            attemptsPlanned++;
            // A retake in the same month and batch joins this file; later ones wait for their month.
            if (!plan.schedule(retake, month, batch.schoolIndexes)) queue.push(retake);
          }
          attemptsDone += session.students.length;
          report();
        }
      }
    }
    await results.close();
    await responses.close();
    await results.writeCorrections('exam_results-corrections');
    await responses.writeCorrections('item_responses-corrections');
    await badRows.close();
    const files = [...results.files, ...responses.files];
    await writeSidecars(out, {
      options,
      exams,
      world,
      files,
      badRowCount: results.badRowCount + responses.badRowCount,
    });
    await out.commit();
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return {
      outDir: out.target,
      seed: options.seed,
      rows: { exam_results: results.records, item_responses: responses.records },
      badRows: results.badRowCount + responses.badRowCount,
      files,
      bytes: files.reduce((sum, f) => sum + f.bytes, 0),
      seconds,
    };
  } catch (err) {
    for (const output of outputs) await output.close().catch(() => undefined);
    badRows.destroy();
    await out.discard();
    throw err;
  }
}

/**
 * Simulates and writes one class sitting: an attempt per present student and its item responses.
 * @returns the retakes it schedules (failed students who sit the exam again two to four weeks later)
 */
async function writeSession(
  session: ExamSession,
  results: DatasetOutput,
  responses: DatasetOutput,
  schools: readonly School[],
): Promise<ExamSession[]> {
  const rng = session.rng;
  const school = schools[session.schoolIndex]!;
  const retakes: ExamSession[] = [];
  for (const student of session.students) {
    if (session.attempt === 1 && rng.chance(ABSENCE_RATE)) continue;
    const attempt = simulateAttempt(rng, {
      exam: session.exam,
      schoolClass: session.schoolClass,
      student,
      attempt: session.attempt,
      startedLocalMs: session.startLocalMs + rng.int(0, 300) * 1000,
      offsetMinutes: session.offsetMinutes,
      thetaBonus: (session.attempt - 1) * RETAKE_THETA_GAIN,
    });
    const resultStyle = results.currentStyle;
    const row: RowSource = {
      attempt,
      school,
      style: resultStyle,
      startedText: styledTimestamp(attempt.startedLocalMs, attempt.offsetMinutes, resultStyle),
      submittedText: styledTimestamp(attempt.submittedLocalMs, attempt.offsetMinutes, resultStyle),
    };
    const wrote = results.writeRow(examResultFields(row));
    if (wrote) await wrote;
    const itemStyle = responses.currentStyle;
    const itemRow: { -readonly [K in keyof RowSource]: RowSource[K] } = {
      ...row,
      style: itemStyle,
      submittedText: styledTimestamp(attempt.submittedLocalMs, attempt.offsetMinutes, itemStyle),
    };
    for (const response of attempt.responses) {
      itemRow.response = response;
      const writing = responses.writeRow(itemResponseFields(itemRow));
      if (writing) await writing;
    }
    if (!attempt.passed && session.attempt === 1 && rng.chance(RETAKE_RATE)) {
      const retake = session.retake(student, rng);
      if (retake) retakes.push(retake);
    }
  }
  return retakes;
}

export type { Exam, SchoolClass };
