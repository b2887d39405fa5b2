import { createHmac } from 'node:crypto';

/**
 * Per-partner pseudonyms. The curated `student_key` is one keyed hash of `student_id` for the whole lake, so two
 * partners given it could join their extracts on it. Each partner's rows carry instead
 *
 *   student_key_P = hex(HMAC-SHA256(key_P, student_key)),  key_P = HMAC-SHA256(pseudonym secret, LABEL + P)
 *
 * stable across all of P's extracts (same secret, same P), unlinkable between partners without the secret. The
 * pseudonym secret is the lake's student-key secret (`EXAMLAKE_STUDENT_KEY_SECRET_ID`, the one the ETL keys the
 * curated `student_key` with), never rotated, under a label of its own (domain separation); not the page-token
 * signing key, which rotates: a rotation would change every partner's keys.
 */
const LABEL = 'examlake/partner-student-key/v1/';

/** `key_P` as hex (64 characters), the one `?` of {@link PARTNER_STUDENT_KEY_SQL}. */
export function partnerKeyHex(pseudonymSecret: Uint8Array | string, partnerId: string): string {
  const bytes = typeof pseudonymSecret === 'string' ? Buffer.from(pseudonymSecret, 'utf8') : pseudonymSecret;
  if (bytes.length < 32) throw new Error('The pseudonym secret must have at least 32 bytes.');
  return createHmac('sha256', bytes)
    .update(LABEL + partnerId, 'utf8')
    .digest('hex');
}

/**
 * The partner's `student_key` as Athena (Trino) computes it from the curated one; one `?`: `partnerKeyHex`.
 * The key travels as an execution parameter, so it is in the query history of the workgroup, which only the
 * API role and operators read (docs/access.md).
 */
export const PARTNER_STUDENT_KEY_SQL = 'lower(to_hex(hmac_sha256(to_utf8(student_key), from_hex(?))))';

/** The same in Node: what a partner's extract holds for a curated `student_key`. */
export function partnerStudentKey(curatedStudentKey: string, keyHex: string): string {
  return createHmac('sha256', Buffer.from(keyHex, 'hex')).update(curatedStudentKey, 'utf8').digest('hex');
}
