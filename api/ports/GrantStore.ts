import type { Grant, GrantInput } from '../access/Grant';

/** Partner grants (DynamoDB `grants` table). Versions make every write conditional. */
export interface GrantStore {
  /** The partner's grant, strongly consistent; undefined when there is none. */
  get(partnerId: string): Promise<Grant | undefined>;
  /**
   * Creates (`expectedVersion` undefined: only if there is none) or replaces the grant (only if the stored one has
   * `expectedVersion`; `'*'`: any existing one). Throws `GrantConflictError` when the condition fails.
   */
  put(
    partnerId: string,
    input: GrantInput,
    expectedVersion: number | '*' | undefined,
    updatedBy: string | undefined,
  ): Promise<Grant>;
  /** Deletes the grant (only if it has `expectedVersion`, when given); the deleted grant, undefined if none. */
  delete(partnerId: string, expectedVersion: number | undefined): Promise<Grant | undefined>;
}

/** A conditional grant write lost: the grant exists (create), is gone, or has another version. */
export class GrantConflictError extends Error {
  constructor(
    readonly partnerId: string,
    readonly current: Grant | undefined,
  ) {
    super(
      current ? `The grant of ${partnerId} is at version ${current.version}.` : `Partner ${partnerId} has no grant.`,
    );
    this.name = 'GrantConflictError';
  }
}
