/** A generator failure with a stable code; the message says what to change. */
export class GenerateError extends Error {
  constructor(
    readonly code: 'INVALID_OPTION' | 'OUTPUT_EXISTS',
    message: string,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** An option out of its allowed range; the message names the option and the range. */
export class InvalidGenerateOptionError extends GenerateError {
  constructor(message: string) {
    super('INVALID_OPTION', message);
  }
}

/** The output directory already holds files and replacing them was not asked for. */
export class OutputExistsError extends GenerateError {
  constructor(message: string) {
    super('OUTPUT_EXISTS', message);
  }
}
