import { writeFile } from 'node:fs/promises';
import { BAD_ROW_KINDS } from './badRowKinds';
import type { Exam } from './buildExams';
import { ABILITY_SD, type World } from './buildWorld';
import { csvLine } from './csvLine';
import type { WrittenFile } from './DatasetOutput';
import type { GenerateOptions } from './generateOptions';
import type { OutputDirectory } from './OutputDirectory';

/** Bumped when the layout of the output or `_meta/` changes. */
export const GENERATOR_VERSION = 1;

/**
 * `_meta/`: what generated the data and the truth behind it. `items.json` and `items.csv` hold every exam and
 * item with its true parameters (difficulty b, discrimination a), so item reports can be checked against them;
 * `manifest.json` lists the options and every file. (`bad-rows.jsonl` is streamed while generating.) The folder
 * starts with `_`, like Spark's `_SUCCESS`, so loaders skip it.
 */
export async function writeSidecars(
  out: OutputDirectory,
  input: {
    options: GenerateOptions;
    exams: readonly Exam[];
    world: World;
    files: readonly WrittenFile[];
    badRowCount: number;
  },
): Promise<void> {
  const { options, exams, world, files } = input;
  const examsDoc = exams.map((e) => ({
    exam_id: e.id,
    title: e.title,
    subject: e.subject.name,
    grade_level: e.grade,
    sitting: e.sitting.code,
    max_score: e.maxScore,
    pass_mark: e.passMark,
    items: e.items.map((i) => ({
      question_id: i.questionId,
      question_number: i.number,
      skill: i.skill,
      difficulty: i.difficulty,
      discrimination: i.discrimination,
      max_points: i.maxPoints,
      correct_response: i.correctOption,
      most_common_wrong_response: i.distractors[0],
    })),
  }));
  await writeFile(
    await out.file('_meta/items.json'),
    `${JSON.stringify({ model: '2PL: P(correct) = 1 / (1 + exp(-a (theta - b)))', exams: examsDoc }, null, 2)}\n`,
  );
  const header = [
    'exam_id',
    'subject',
    'grade_level',
    'sitting',
    'pass_mark',
    'max_score',
    'question_id',
    'question_number',
    'skill',
    'difficulty_b',
    'discrimination_a',
    'max_points',
    'correct_response',
    'most_common_wrong_response',
  ];
  const rows = examsDoc.flatMap((e) =>
    e.items.map((i) =>
      csvLine(
        [
          e.exam_id,
          e.subject,
          String(e.grade_level),
          e.sitting,
          String(e.pass_mark),
          String(e.max_score),
          i.question_id,
          String(i.question_number),
          i.skill,
          String(i.difficulty),
          String(i.discrimination),
          String(i.max_points),
          i.correct_response,
          i.most_common_wrong_response ?? '',
        ],
        '\n',
      ),
    ),
  );
  await writeFile(await out.file('_meta/items.csv'), csvLine(header, '\n') + rows.join(''));
  const manifest = {
    generator: 'examlake generate',
    generatorVersion: GENERATOR_VERSION,
    options,
    model: {
      ability: 'theta = school + class + student + subject effects + growth per sitting (+ gain on a retake)',
      abilitySd: ABILITY_SD,
    },
    counts: {
      schools: world.schools.length,
      classes: world.schools.reduce((n, s) => n + s.classes.length, 0),
      students: world.studentCount,
      exams: exams.length,
      items: exams.reduce((n, e) => n + e.items.length, 0),
      badRows: input.badRowCount,
    },
    badRowKinds: BAD_ROW_KINDS,
    files,
  };
  await writeFile(await out.file('_meta/manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
}
