import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { parse } from 'csv-parse/sync';
import { generateSampleData } from '../../../etl/generate/generateSampleData';
import { readColumns } from './support/judgeExport';

interface ItemsDoc {
  readonly model: string;
  readonly exams: readonly {
    exam_id: string;
    subject: string;
    grade_level: number;
    max_score: number;
    pass_mark: number;
    items: readonly {
      question_id: string;
      question_number: number;
      difficulty: number;
      discrimination: number;
      max_points: number;
      correct_response: string;
      most_common_wrong_response: string;
    }[];
  }[];
}

/** Spearman's rank correlation (ties get their average rank). */
function spearman(xs: readonly number[], ys: readonly number[]): number {
  const rank = (v: readonly number[]) => {
    const order = v.map((x, i) => [x, i] as const).sort((a, b) => a[0] - b[0]);
    const ranks = new Array<number>(v.length);
    for (let i = 0; i < order.length; ) {
      let j = i;
      while (j + 1 < order.length && order[j + 1]![0] === order[i]![0]) j++;
      for (let k = i; k <= j; k++) ranks[order[k]![1]] = (i + j) / 2;
      i = j + 1;
    }
    return ranks;
  };
  const [a, b] = [rank(xs), rank(ys)];
  const mean = (v: number[]) => v.reduce((s, x) => s + x, 0) / v.length;
  const [ma, mb] = [mean(a), mean(b)];
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < a.length; i++) {
    cov += (a[i]! - ma) * (b[i]! - mb);
    va += (a[i]! - ma) ** 2;
    vb += (b[i]! - mb) ** 2;
  }
  return cov / Math.sqrt(va * vb);
}

let dir: string;
let items: ItemsDoc;
type Values = Readonly<Record<string, string | number | boolean | null>>;
let results: (Values & { file?: string })[];
let responses: Values[];

beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), 'examlake-model-'));
  // Two schools at the default class sizes: about 100 students sit each exam, 120,000 item responses. Every row
  // is valid (the bad-rows tests judge clean rows against the schemas); here they are read for their content.
  await generateSampleData(dir, { seed: 'irt', schools: 2 }, { replace: true });
  items = JSON.parse(await readFile(path.join(dir, '_meta/items.json'), 'utf8')) as ItemsDoc;
  results = await readColumns(dir, 'exam_results', [
    'result_id',
    'exam_id',
    'grade_level',
    'school_id',
    'district_id',
    'region',
    'class_id',
    'student_id',
    'attempt',
    'started_at',
    'submitted_at',
    'score',
    'max_score',
    'passed',
  ]);
  responses = await readColumns(dir, 'item_responses', [
    'result_id',
    'question_id',
    'response',
    'correct_response',
    'is_correct',
    'points',
    'max_points',
  ]);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('the generated responses', () => {
  it('cover every school, exam and attempt', () => {
    expect(results.length).toBeGreaterThan(3000);
    expect(responses.length).toBeGreaterThan(80_000);
  });

  it('come with an item sidecar holding every question with its difficulty and discrimination', async () => {
    expect(items.model).toBe('2PL: P(correct) = 1 / (1 + exp(-a (theta - b)))');
    const all = items.exams.flatMap((e) => e.items);
    expect(all.length).toBeGreaterThan(500);
    const odd = all.filter(
      (i) =>
        !Number.isFinite(i.difficulty) ||
        !(i.discrimination >= 0.4 && i.discrimination <= 2.5) ||
        !/^[ABCD]$/.test(i.correct_response) ||
        i.most_common_wrong_response === i.correct_response,
    );
    expect(odd).toEqual([]);
    const csv = parse(await readFile(path.join(dir, '_meta/items.csv')), { columns: true }) as Record<string, string>[];
    expect(csv.map((r) => [r['question_id'], Number(r['difficulty_b']), Number(r['discrimination_a'])])).toEqual(
      all.map((i) => [i.question_id, i.difficulty, i.discrimination]),
    );
    const asked = new Set(responses.map((r) => r['question_id']));
    expect(all.filter((i) => asked.has(i.question_id)).length).toBe(asked.size);
  });

  it('follow the 2PL model: the harder the item, the fewer correct answers (Spearman > 0.9)', () => {
    const tally = new Map<string, { correct: number; n: number }>();
    for (const r of responses) {
      const t = tally.get(r['question_id'] as string) ?? { correct: 0, n: 0 };
      t.correct += r['is_correct'] ? 1 : 0;
      t.n++;
      tally.set(r['question_id'] as string, t);
    }
    const difficulty = new Map(items.exams.flatMap((e) => e.items.map((i) => [i.question_id, i.difficulty] as const)));
    const ids = [...tally.keys()];
    const meanAnswers = ids.reduce((s, id) => s + tally.get(id)!.n, 0) / ids.length;
    expect(meanAnswers).toBeGreaterThan(80);
    const rho = spearman(
      ids.map((id) => difficulty.get(id)!),
      ids.map((id) => tally.get(id)!.correct / tally.get(id)!.n),
    );
    expect(rho).toBeLessThan(-0.9);
  });

  it('mark an answer correct exactly when it is the key, with full points', () => {
    const wrong = responses.filter(
      (r) =>
        r['is_correct'] !== (r['response'] === r['correct_response']) ||
        r['points'] !== (r['is_correct'] ? r['max_points'] : 0),
    );
    expect(wrong.slice(0, 3)).toEqual([]);
  });

  it('choose the most common distractor most often among wrong answers', () => {
    const common = new Map(
      items.exams.flatMap((e) => e.items.map((i) => [i.question_id, i.most_common_wrong_response] as const)),
    );
    const wrong = responses.filter((r) => !r['is_correct'] && r['response'] !== null);
    const share = wrong.filter((r) => r['response'] === common.get(r['question_id'] as string)).length / wrong.length;
    expect(share).toBeGreaterThan(0.5);
    expect(responses.some((r) => r['response'] === null)).toBe(true);
  });

  it('add up to each attempt: score is the sum of its points, and passed follows the pass mark', () => {
    const sums = new Map<string, { points: number; questions: number }>();
    for (const r of responses) {
      const s = sums.get(r['result_id'] as string) ?? { points: 0, questions: 0 };
      s.points += r['points'] as number;
      s.questions++;
      sums.set(r['result_id'] as string, s);
    }
    const exams = new Map(items.exams.map((e) => [e.exam_id, e]));
    const wrong = results.filter((r) => {
      const exam = exams.get(r['exam_id'] as string)!;
      const sum = sums.get(r['result_id'] as string);
      return (
        sum?.questions !== exam.items.length ||
        r['score'] !== sum.points ||
        r['max_score'] !== exam.max_score ||
        r['passed'] !== (r['score'] as number) >= exam.pass_mark
      );
    });
    expect(wrong.slice(0, 3)).toEqual([]);
    expect(sums.size).toBe(results.length);
  });
});

describe('the generated attempts', () => {
  it('include retakes: a later second attempt of a student who failed the first', () => {
    const key = (r: Values) => `${r['student_id']}/${r['exam_id']}`;
    const firsts = new Map(results.filter((r) => r['attempt'] === 1).map((r) => [key(r), r]));
    const retakes = results.filter((r) => r['attempt'] === 2);
    expect(retakes.length).toBeGreaterThan(20);
    for (const retake of retakes) {
      const first = firsts.get(key(retake))!;
      expect(first['passed']).toBe(false);
      expect(retake['started_at'] as number).toBeGreaterThan(first['submitted_at'] as number);
      expect(retake['result_id']).not.toBe(first['result_id']);
    }
    expect(results.every((r) => (r['attempt'] as number) <= 2)).toBe(true);
  });

  it('happen on school days of the school year, from September to June', () => {
    const from = Date.parse('2025-09-01T00:00:00Z');
    const to = Date.parse('2026-07-01T00:00:00Z');
    const outside = results.filter((r) => {
      const [started, submitted] = [r['started_at'] as number, r['submitted_at'] as number];
      const schoolDay = (at: number) => at >= from && at < to && ![0, 6].includes(new Date(at).getUTCDay());
      return !schoolDay(started) || !schoolDay(submitted) || submitted <= started;
    });
    expect(outside.slice(0, 3)).toEqual([]);
  });

  it('are written with the local offset of Central European time, summer and winter', async () => {
    const text = await readFile(path.join(dir, 'exam_results/exam_results-2025-09.csv'), 'utf8');
    expect(text).toMatch(/,2025-09-\d\dT\d\d:\d\d:\d\d\+02:00,/);
    const winter = await readFile(path.join(dir, 'exam_results/exam_results-2026-01.csv'), 'utf8');
    expect(winter).toMatch(/,2026-01-\d\dT\d\d:\d\d:\d\d\+01:00,/);
    expect(winter).not.toMatch(/\+02:00/);
  });

  it('go to the file of the month they are submitted in', async () => {
    const manifest = JSON.parse(await readFile(path.join(dir, '_meta/manifest.json'), 'utf8')) as {
      files: { file: string; dataset: string }[];
    };
    const monthly = manifest.files.filter((f) => f.dataset === 'exam_results' && /-\d{4}-\d{2}\.csv$/.test(f.file));
    expect(monthly.length).toBeGreaterThanOrEqual(9);
    for (const { file } of monthly) {
      const month = /(\d{4}-\d{2})\.csv$/.exec(file)![1];
      const rows = parse(await readFile(path.join(dir, file)), { columns: true }) as Record<string, string>[];
      const elsewhere = rows.filter((r) => r['submitted_at']!.slice(0, 7) !== month);
      expect([file, rows.length > 0, elsewhere.length]).toEqual([file, true, 0]);
    }
  });

  it('come from schools in districts and regions, students in classes of one grade', () => {
    const schools = new Set(results.map((r) => r['school_id']));
    expect([...schools].sort()).toEqual(['SCH-0001', 'SCH-0002']);
    const misplaced = results.filter(
      (r) =>
        r['class_id'] !==
          `${r['school_id']}-${String(r['grade_level']).padStart(2, '0')}${(r['class_id'] as string).slice(-1)}` ||
        !/^[A-Z]$/.test((r['class_id'] as string).slice(-1)) ||
        !/^DIS-\d\d$/.test(r['district_id'] as string) ||
        !r['region'],
    );
    expect(misplaced.slice(0, 3)).toEqual([]);
  });
});
