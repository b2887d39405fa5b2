import type { Role } from '../http/openapiDocument';

/**
 * Who is calling, as authentication established it (the identity issue's verified token claims, reduced to
 * what access control reads). The public caller has no token.
 */
export interface Caller {
  readonly role: Role;
  /** `sub` of the token; undefined for the public. */
  readonly subject: string | undefined;
  /** Every group of `cognito:groups` the caller is in. */
  readonly groups: readonly Role[];
  readonly schoolIds: readonly string[];
  readonly districtIds: readonly string[];
  readonly partnerId: string | undefined;
}

export const PUBLIC_CALLER: Caller = Object.freeze({
  role: 'public',
  subject: undefined,
  groups: [],
  schoolIds: [],
  districtIds: [],
  partnerId: undefined,
});
