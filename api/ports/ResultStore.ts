/** Bytes of a result object, read from `start`. */
export interface ResultChunk {
  readonly bytes: Buffer;
  /** Size of the whole object. */
  readonly totalBytes: number;
}

/** Where Athena leaves result CSV files (S3); read straight, never through GetQueryResults. */
export interface ResultStore {
  /** Reads `[start, start + length)` of the object (a ranged GET); undefined when the object is gone. */
  read(location: string, start: number, length: number): Promise<ResultChunk | undefined>;
}
