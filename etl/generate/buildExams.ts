import type { Random } from './Random';
import { SITTINGS, type Sitting } from './schoolCalendar';

/** The subjects the generator assesses, with their exam shape. */
export const GENERATED_SUBJECTS = [
  {
    name: 'mathematics',
    code: 'MAT',
    items: 30,
    passMarkRatio: 0.5,
    secondsPerItem: 70,
    skills: ['number', 'fractions', 'algebra', 'geometry', 'measurement', 'statistics'],
  },
  {
    name: 'reading',
    code: 'REA',
    items: 24,
    passMarkRatio: 0.55,
    secondsPerItem: 60,
    skills: ['retrieval', 'inference', 'vocabulary', 'structure', 'language'],
  },
  {
    name: 'science',
    code: 'SCI',
    items: 25,
    passMarkRatio: 0.5,
    secondsPerItem: 55,
    skills: ['living things', 'materials', 'forces', 'earth & space', 'working scientifically'],
  },
] as const;

export type GeneratedSubject = (typeof GENERATED_SUBJECTS)[number];

export const OPTIONS = ['A', 'B', 'C', 'D'] as const;

/** One question with its true item parameters (two-parameter logistic model). */
export interface ExamItem {
  readonly questionId: string;
  readonly number: number;
  readonly skill: string;
  /** Difficulty b: the ability at which a student answers correctly with probability 1/2. */
  readonly difficulty: number;
  /** Discrimination a: how sharply the probability rises with ability around b. */
  readonly discrimination: number;
  readonly maxPoints: number;
  readonly correctOption: string;
  /** Wrong options, most chosen first (the first is the most common wrong answer). */
  readonly distractors: readonly string[];
}

export interface Exam {
  readonly id: string;
  readonly title: string;
  readonly subject: GeneratedSubject;
  readonly subjectIndex: number;
  readonly grade: number;
  readonly sitting: Sitting;
  /** Growth since the start of the year added to every student's ability in this sitting. */
  readonly growth: number;
  readonly items: readonly ExamItem[];
  readonly maxScore: number;
  readonly passMark: number;
}

/** How often a wrong answer picks each distractor, most common first. */
export const DISTRACTOR_WEIGHTS = [0.6, 0.27, 0.13] as const;

/** Every exam of the school year: one per subject, tested grade and sitting, each with its items. */
export function buildExams(rng: Random, startYear: number, grades: readonly number[]): Exam[] {
  const exams: Exam[] = [];
  SITTINGS.forEach((sitting, sittingIndex) => {
    GENERATED_SUBJECTS.forEach((subject, subjectIndex) => {
      if (sitting.subjects && !sitting.subjects.includes(subject.name)) return;
      for (const grade of grades) {
        const id = `${subject.code}-G${String(grade).padStart(2, '0')}-${startYear}-${sitting.code}`;
        const items: ExamItem[] = [];
        for (let n = 1; n <= subject.items; n++) {
          const correctOption = rng.pick(OPTIONS);
          items.push({
            questionId: `${id}-Q${String(n).padStart(2, '0')}`,
            number: n,
            skill: subject.skills[(n - 1) % subject.skills.length]!,
            difficulty: round3(rng.normal(-0.2, 1)),
            discrimination: round3(Math.min(2.5, Math.max(0.4, Math.exp(rng.normal(0.1, 0.3))))),
            maxPoints: rng.chance(0.15) ? 2 : 1,
            correctOption,
            distractors: rng.shuffle(OPTIONS.filter((o) => o !== correctOption)),
          });
        }
        const maxScore = items.reduce((sum, item) => sum + item.maxPoints, 0);
        exams.push({
          id,
          title: examTitle(subject.name, grade, sitting, rng),
          subject,
          subjectIndex,
          grade,
          sitting,
          growth: 0.12 * sittingIndex,
          items,
          maxScore,
          passMark: Math.ceil(maxScore * subject.passMarkRatio),
        });
      }
    });
  });
  return exams;
}

const THEMES = ['Voyages', 'Home', 'Inventors', 'The Sea', 'Friendship', 'Machines', 'Seasons'] as const;

function examTitle(subject: string, grade: number, sitting: Sitting, rng: Random): string {
  const base = `${subject[0]!.toUpperCase()}${subject.slice(1)}, grade ${grade}: ${sitting.label} assessment`;
  // Reading papers have a themed title in quotes, so exports carry escaped quotes.
  return subject === 'reading' ? `${base} "${rng.pick(THEMES)}"` : base;
}

function round3(x: number): number {
  return Math.round(x * 1000) / 1000;
}

/** P(correct) under the two-parameter logistic model. */
export function probabilityCorrect(theta: number, item: Pick<ExamItem, 'difficulty' | 'discrimination'>): number {
  return 1 / (1 + Math.exp(-item.discrimination * (theta - item.difficulty)));
}
