import { FIRST_NAMES, LAST_NAMES, PLACE_NAMES, REGION_NAMES, SAINTS } from './names';
import type { Random } from './Random';

export interface Student {
  readonly id: string;
  readonly name: string;
  /** Latent ability: school effect + class effect + individual; subjects add their own offset. */
  readonly theta: number;
  /** Offset of the ability per subject index. */
  readonly subjectTheta: readonly number[];
  /** Multiplier of the time the student spends per question. */
  readonly pace: number;
}

export interface SchoolClass {
  readonly id: string;
  readonly grade: number;
  readonly teacherId: string | undefined;
  readonly effect: number;
  readonly students: readonly Student[];
}

export interface School {
  readonly id: string;
  readonly name: string;
  readonly districtId: string;
  readonly region: string;
  readonly phase: 'primary' | 'secondary';
  readonly effect: number;
  readonly classes: readonly SchoolClass[];
}

export interface World {
  readonly schools: readonly School[];
  readonly studentCount: number;
}

export interface WorldOptions {
  readonly schools: number;
  readonly classesPerGrade: number;
  readonly studentsPerClass: number;
  readonly subjects: number;
}

/** Grades tested by phase. */
export const TESTED_GRADES = { primary: [3, 4, 5, 6], secondary: [7, 8, 9, 10] } as const;

/** Standard deviations of the ability components (a multilevel model: school, class, student, subject). */
export const ABILITY_SD = { school: 0.35, class: 0.25, student: 0.85, subject: 0.35 } as const;

/**
 * Regions, districts, schools, classes, teachers and students, with latent abilities drawn from a three-level
 * model so that schools and classes differ as they do in real assessment data.
 */
export function buildWorld(rng: Random, options: WorldOptions): World {
  const regionCount = Math.min(REGION_NAMES.length, Math.max(1, Math.ceil(options.schools / 12)));
  const districtCount = Math.max(regionCount, Math.ceil(options.schools / 5));
  const districts = Array.from({ length: districtCount }, (_, i) => ({
    id: `DIS-${String(i + 1).padStart(2, '0')}`,
    region: REGION_NAMES[i % regionCount]!,
  }));
  const usedNames = new Set<string>();
  let teacherSeq = 0;
  let studentSeq = 0;
  const schools: School[] = [];
  for (let s = 0; s < options.schools; s++) {
    const district = districts[s % districtCount]!;
    const phase = s % 3 === 2 ? 'secondary' : 'primary';
    const id = `SCH-${String(s + 1).padStart(4, '0')}`;
    const effect = rng.normal(0, ABILITY_SD.school);
    const classes: SchoolClass[] = [];
    for (const grade of TESTED_GRADES[phase]) {
      for (let c = 0; c < options.classesPerGrade; c++) {
        const classEffect = rng.normal(0, ABILITY_SD.class);
        const size = Math.max(8, Math.round(rng.normal(options.studentsPerClass, options.studentsPerClass / 8)));
        const students: Student[] = [];
        for (let k = 0; k < size; k++) {
          studentSeq++;
          students.push({
            id: `STU-${String(studentSeq).padStart(6, '0')}`,
            name: `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`,
            theta: effect + classEffect + rng.normal(0, ABILITY_SD.student),
            subjectTheta: Array.from({ length: options.subjects }, () => rng.normal(0, ABILITY_SD.subject)),
            pace: Math.exp(rng.normal(0, 0.25)),
          });
        }
        classes.push({
          id: `${id}-${String(grade).padStart(2, '0')}${String.fromCharCode(65 + (c % 26))}${c >= 26 ? Math.floor(c / 26) : ''}`,
          grade,
          // One class in forty has no teacher on record (a supply teacher): the column is nullable.
          teacherId: rng.chance(0.025) ? undefined : `TCH-${String(++teacherSeq).padStart(5, '0')}`,
          effect: classEffect,
          students,
        });
      }
    }
    schools.push({
      id,
      name: schoolName(rng, phase, district.region, usedNames),
      districtId: district.id,
      region: district.region,
      phase,
      effect,
      classes,
    });
  }
  return { schools, studentCount: studentSeq };
}

function schoolName(rng: Random, phase: 'primary' | 'secondary', region: string, used: Set<string>): string {
  for (let tries = 0; ; tries++) {
    const place = rng.pick(PLACE_NAMES);
    const kind = phase === 'primary' ? 'Primary School' : rng.pick(['Secondary School', 'Academy', 'High School']);
    // Some names carry a comma, as real ones do, so exports quote them.
    const name = rng.chance(0.15) ? `${rng.pick(SAINTS)}'s School, ${place}` : `${place} ${kind}`;
    const unique = tries < 20 ? name : `${name} (${region} ${tries})`;
    if (!used.has(unique)) {
      used.add(unique);
      return unique;
    }
  }
}
