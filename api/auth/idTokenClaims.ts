import type { Role } from '../http/openapiDocument';

/**
 * The claims of a Cognito user pool ID token that examlake reads. Cognito custom attributes are strings, so
 * school and district ids travel as comma-separated lists. The local issuer mints exactly this shape.
 */
export interface IdTokenClaims {
  readonly iss: string;
  /** The app client id the token was issued for. */
  readonly aud: string;
  readonly token_use: 'id';
  readonly sub: string;
  readonly exp: number;
  readonly iat: number;
  readonly nbf?: number;
  readonly 'cognito:username'?: string;
  readonly 'cognito:groups'?: readonly string[];
  /** Comma-separated school ids, e.g. `SCH-0001,SCH-0002`. */
  readonly 'custom:school_ids'?: string;
  /** Comma-separated district ids, e.g. `D01`. */
  readonly 'custom:district_ids'?: string;
  readonly 'custom:partner_id'?: string;
  /** Other claims Cognito sets (`auth_time`, `email`, `event_id`, …) pass through unread. */
  readonly [claim: string]: unknown;
}

/** Claim names, spelled once. */
export const CLAIMS = {
  groups: 'cognito:groups',
  username: 'cognito:username',
  schoolIds: 'custom:school_ids',
  districtIds: 'custom:district_ids',
  partnerId: 'custom:partner_id',
} as const;

/** Roles a token can carry (every role but `public`, which is the absence of a token). */
export type TokenRole = Exclude<Role, 'public'>;

/**
 * The groups that are roles, highest privilege first: when a user is in several, the first of this list wins.
 * Stewards decide what partners may see; analysts read every row; school administrators read their schools;
 * partners (outside organisations) read what a grant allows.
 */
export const ROLE_PRECEDENCE = [
  'steward',
  'analyst',
  'school_admin',
  'partner',
] as const satisfies readonly TokenRole[];
