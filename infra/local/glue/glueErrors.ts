import { AwsServiceError } from '../edge/AwsServiceError';

/**
 * The Glue exceptions the local service raises, in Glue's wording, so the SDK raises its real classes
 * (`EntityNotFoundException`, `AlreadyExistsException`, ...).
 */
export const glueErrors = {
  databaseNotFound: (name: string) => new AwsServiceError('EntityNotFoundException', `Database ${name} not found.`),
  tableNotFound: (name: string) => new AwsServiceError('EntityNotFoundException', `Table ${name} not found.`),
  jobNotFound: (name: string) => new AwsServiceError('EntityNotFoundException', `Job ${name} not found.`),
  jobRunNotFound: (id: string) => new AwsServiceError('EntityNotFoundException', `Job run ${id} not found.`),
  partitionNotFound: () => new AwsServiceError('EntityNotFoundException', 'Partition not found.'),
  alreadyExists: (kind: 'Database' | 'Table' | 'Job' | 'Partition') =>
    new AwsServiceError('AlreadyExistsException', `${kind} already exists.`),
  concurrentRunsExceeded: (jobName: string) =>
    new AwsServiceError('ConcurrentRunsExceededException', `Concurrent runs exceeded for ${jobName}`),
  concurrentModification: (message: string) => new AwsServiceError('ConcurrentModificationException', message),
  invalidInput: (message: string) => new AwsServiceError('InvalidInputException', message),
  invalidNextToken: () =>
    new AwsServiceError('InvalidInputException', 'Invalid NextToken: pass the NextToken of the previous response.'),
  /** The constraint message AWS's request validation writes, raised as Glue's InvalidInputException. */
  validation: (memberPath: string, shown: string, constraint: string) =>
    new AwsServiceError(
      'InvalidInputException',
      `1 validation error detected: Value ${shown} at '${memberPath}' failed to satisfy constraint: ${constraint}`,
    ),
} as const;

/** Glue's "single-line string" pattern, which every name (database, table, column, job) must match. */
export const SINGLE_LINE_PATTERN = '[\\u0020-\\uD7FF\\uE000-\\uFFFD\\uD800\\uDC00-\\uDBFF\\uDFFF\\t]*';

/** Checks a Glue name: 1–255 characters, a single line. */
export function checkName(value: string, memberPath: string): string {
  if (value.length < 1) {
    throw glueErrors.validation(memberPath, `''`, 'Member must have length greater than or equal to 1');
  }
  if (value.length > 255) {
    throw glueErrors.validation(memberPath, `'${value}'`, 'Member must have length less than or equal to 255');
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are exactly what the pattern excludes.
  if (/[\u0000-\u0008\u000a-\u001f]/.test(value)) {
    throw glueErrors.validation(
      memberPath,
      JSON.stringify(value),
      `Member must satisfy regular expression pattern: ${SINGLE_LINE_PATTERN}`,
    );
  }
  return value;
}
