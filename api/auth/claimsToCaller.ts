import { ID_RULE_TEXT, isIdentifier } from '../../etl/schemas/identifier';
import type { Caller } from '../access/Caller';
import { ForbiddenError, UnauthenticatedError } from '../errors';
import { CLAIMS, ROLE_PRECEDENCE, type TokenRole } from './idTokenClaims';

/**
 * Reduces verified ID-token claims to the {@link Caller} access control reads. Pure: no I/O, no clock.
 *
 * - role: the highest-privilege examlake group of `cognito:groups` ({@link ROLE_PRECEDENCE}); unknown groups
 *   are ignored, a token in no examlake group is refused (403);
 * - a school administrator must hold at least one school or district id, a partner a partner id (403 otherwise:
 *   the token is genuine but the account is set up incompletely);
 * - ids are trimmed, de-duplicated and sorted; an id that is not one under the dataset model's rule ({@link isIdentifier}) refuses the token (403),
 *   rather than being dropped silently and widening or narrowing the caller's rows unnoticed.
 */
export function claimsToCaller(claims: Readonly<Record<string, unknown>>): Caller {
  const subject = claims.sub;
  if (typeof subject !== 'string' || subject === '') {
    throw new UnauthenticatedError('The token has no subject (sub): send an id token issued by the user pool.');
  }
  const known = new Set<string>(ROLE_PRECEDENCE);
  const groups = ROLE_PRECEDENCE.filter((role) => groupsOf(claims[CLAIMS.groups]).includes(role));
  const role: TokenRole | undefined = groups[0];
  if (!role) {
    throw new ForbiddenError(
      `This account is in no examlake group (${[...known].join(', ')}): ask an administrator to add it to one.`,
    );
  }
  const schoolIds = idList(claims, CLAIMS.schoolIds);
  const districtIds = idList(claims, CLAIMS.districtIds);
  const partnerRaw = claims[CLAIMS.partnerId];
  const partnerId = typeof partnerRaw === 'string' && partnerRaw.trim() !== '' ? partnerRaw.trim() : undefined;
  if (partnerId !== undefined && !isIdentifier(partnerId)) {
    throw new ForbiddenError(`The token's ${CLAIMS.partnerId} is not a valid partner id: fix the user's attribute.`);
  }
  if (role === 'school_admin' && schoolIds.length === 0 && districtIds.length === 0) {
    throw new ForbiddenError(
      `A school administrator's token must list schools (${CLAIMS.schoolIds}) or districts (${CLAIMS.districtIds}): ` +
        'set one of these attributes on the user.',
    );
  }
  if (role === 'partner' && partnerId === undefined) {
    throw new ForbiddenError(
      `A partner's token must carry ${CLAIMS.partnerId}: set it on the partner's user or client.`,
    );
  }
  return Object.freeze({
    role,
    subject,
    groups: Object.freeze(groups),
    schoolIds: Object.freeze(schoolIds),
    districtIds: Object.freeze(districtIds),
    partnerId,
  });
}

/**
 * `cognito:groups` as a list: an array in the token itself; API Gateway's authorizer context flattens it to a
 * string (`[a, b]` or `a,b`), which is accepted too.
 */
function groupsOf(value: unknown): readonly string[] {
  if (Array.isArray(value)) return value.filter((g): g is string => typeof g === 'string');
  if (typeof value === 'string') {
    return value
      .replace(/^\[|\]$/g, '')
      .split(/[,\s]+/)
      .filter((g) => g !== '');
  }
  return [];
}

function idList(claims: Readonly<Record<string, unknown>>, name: string): string[] {
  const value = claims[name];
  if (value === undefined || value === null) return [];
  if (typeof value !== 'string') {
    throw new ForbiddenError(`The token's ${name} must be a comma-separated string: fix the user's attribute.`);
  }
  const ids = [
    ...new Set(
      value
        .split(',')
        .map((id) => id.trim())
        .filter((id) => id !== ''),
    ),
  ];
  if (ids.some((id) => !isIdentifier(id))) {
    throw new ForbiddenError(`The token's ${name} holds an id that is not ${ID_RULE_TEXT}: fix the user's attribute.`);
  }
  return ids.sort();
}
