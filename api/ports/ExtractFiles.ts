import type { ExtractFormat } from '../extracts/extractQuery';

/** What is kept of an extract (next to its files). */
export interface ExtractRecord {
  readonly id: string;
  /** Whose it is: a hash of the caller's role and subject (the S3 folder). */
  readonly owner: string;
  /** The scope fingerprint it was made under: it opens under no other (a changed grant). */
  readonly fingerprint: string;
  readonly dataset: string;
  readonly format: ExtractFormat;
  readonly columns: readonly string[];
  readonly rows: number;
  readonly executionId: string;
  /** `s3://bucket/extracts/<owner>/<id>/`, the UNLOAD target. */
  readonly location: string;
  readonly createdAt: string;
}

export interface ExtractFile {
  /** `s3://…` */
  readonly location: string;
  readonly bytes: number;
}

/** Extract records and files in the results bucket. */
export interface ExtractFiles {
  /** The UNLOAD target of a new extract (`s3://…/extracts/<owner>/<id>/`). */
  locationOf(owner: string, id: string): string;
  save(record: ExtractRecord): Promise<void>;
  /** The record, undefined when there is none. */
  get(owner: string, id: string): Promise<ExtractRecord | undefined>;
  list(owner: string): Promise<ExtractRecord[]>;
  /** The files an UNLOAD's data manifest lists, with their sizes. */
  manifestFiles(manifestLocation: string): Promise<ExtractFile[]>;
  /** A pre-signed GET URL of the file, valid for `ttlSeconds`. */
  presign(location: string, ttlSeconds: number): Promise<string>;
  /** Bytes of extract files under the owner's folder written since `since`. */
  bytesSince(owner: string, since: Date): Promise<number>;
  /** Deletes the files and the record. */
  remove(record: ExtractRecord): Promise<void>;
}

/** The key partner student keys derive from (the student-key secret's bytes). */
export interface PseudonymSecret {
  bytes(): Promise<Uint8Array>;
}
