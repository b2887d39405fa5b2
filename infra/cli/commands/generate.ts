import { SingleBar } from 'cli-progress';
import { type Command, InvalidArgumentError } from 'commander';
import { GENERATE_DEFAULTS, type GenerateOptions, type OutputFormat } from '../../../etl/generate/generateOptions';
import { generateSampleData } from '../../../etl/generate/generateSampleData';
import type { HeaderStyle } from '../../../etl/generate/headerNames';

interface GenerateFlags {
  out: string;
  seed: string;
  schools: number;
  year: number;
  classesPerGrade: number;
  studentsPerClass: number;
  badRows: number;
  format: OutputFormat;
  schoolsPerFile: number;
  headerStyle?: HeaderStyle;
  bom?: boolean;
  crlf?: boolean;
  variety?: boolean;
  progress?: boolean;
  force?: boolean;
}

/** `examlake generate`: reproducible sample exports, streamed to disk. */
export function registerGenerateCommand(program: Command): void {
  const d = GENERATE_DEFAULTS;
  program
    .command('generate')
    .description(
      'Generate a school year of realistic exam exports (exam_results/ and item_responses/ CSV, _meta/ with the true ' +
        'item parameters and the injected bad rows). The same seed and options give byte-identical files.',
    )
    .requiredOption('--out <dir>', 'output directory (created; must be empty unless --force)')
    .option('--seed <seed>', 'seed of every random choice', d.seed)
    .option('--schools <n>', 'number of schools (~55,000 item responses each)', int, d.schools)
    .option('--year <year>', 'calendar year the school year starts in (September to June)', int, d.year)
    .option('--classes-per-grade <n>', 'classes per tested grade and school', int, d.classesPerGrade)
    .option('--students-per-class <n>', 'mean class size', int, d.studentsPerClass)
    .option('--bad-rows <fraction>', 'fraction of rows to make bad, every kind included (0–0.5)', fraction, d.badRows)
    .option('--format <format>', 'csv or csv.gz', d.format)
    .option(
      '--schools-per-file <n>',
      'split each month into files of this many schools (0: one file per month)',
      int,
      0,
    )
    .option('--header-style <style>', 'header spelling: canonical, title, camel, kebab, alias or mixed')
    .option('--bom', 'start every file with a byte order mark')
    .option('--crlf', 'end lines with CRLF')
    .option('--variety', 'vary header spelling, BOM, CRLF, booleans, timestamps and quoting file by file')
    .option('--progress', 'show a progress bar even when stderr is not a terminal')
    .option('--no-progress', 'never show a progress bar')
    .option('--force', 'replace the contents of a non-empty output directory')
    .action(async (flags: GenerateFlags) => {
      const options: Partial<GenerateOptions> = {
        seed: flags.seed,
        schools: flags.schools,
        year: flags.year,
        classesPerGrade: flags.classesPerGrade,
        studentsPerClass: flags.studentsPerClass,
        badRows: flags.badRows,
        format: flags.format,
        schoolsPerFile: flags.schoolsPerFile,
        headerStyle: flags.headerStyle,
        bom: flags.bom,
        crlf: flags.crlf,
        variety: flags.variety ?? false,
      };
      const showBar = flags.progress ?? process.stderr.isTTY === true;
      const bar = showBar
        ? new SingleBar({
            stream: process.stderr,
            format: 'generate |{bar}| {percentage}% | {value}/{total} attempts | {rows} rows | {mb} MB',
            hideCursor: true,
            noTTYOutput: !process.stderr.isTTY,
            etaBuffer: 50,
          })
        : undefined;
      bar?.start(1, 0, { rows: 0, mb: '0.0' });
      try {
        const summary = await generateSampleData(flags.out, options, {
          replace: flags.force ?? false,
          onProgress: (p) => {
            bar?.setTotal(p.attemptsPlanned);
            bar?.update(p.attemptsDone, { rows: p.rows, mb: (p.bytes / 1e6).toFixed(1) });
          },
        });
        bar?.stop();
        const rows = summary.rows.exam_results + summary.rows.item_responses;
        console.log(
          `Generated ${rows} rows (${summary.rows.exam_results} exam_results, ${summary.rows.item_responses} item_responses, ` +
            `${summary.badRows} bad) in ${summary.files.length} files, ${(summary.bytes / 1e6).toFixed(1)} MB, ` +
            `${summary.seconds.toFixed(1)} s (${Math.round(rows / summary.seconds)} rows/s) → ${summary.outDir}`,
        );
      } catch (err) {
        bar?.stop();
        throw err;
      }
    });
}

function int(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n)) throw new InvalidArgumentError('a whole number is expected.');
  return n;
}

function fraction(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n)) throw new InvalidArgumentError('a number from 0 to 0.5 is expected.');
  return n;
}
