import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { MintRequest } from './LocalIssuer';

/** What a code stands for: who signed in as what, for which client, redirect URI and PKCE challenge. */
export interface CodeGrant {
  readonly clientId: string;
  readonly redirectUri: string;
  /** The S256 challenge of the authorization request. */
  readonly codeChallenge: string;
  /** Space-separated scopes granted. */
  readonly scope: string;
  /** The token to mint when the code is redeemed. */
  readonly request: MintRequest;
}

/** What the token request presents with a code. */
export interface Redemption {
  readonly clientId: string;
  readonly redirectUri: string;
  readonly codeVerifier: string;
}

/** Codes kept at most: a bound on memory if something requests codes and never redeems them. */
const MAX_PENDING_CODES = 1000;
/** RFC 7636 §4.1: 43–128 characters of [A-Z a-z 0-9 - . _ ~]. */
const VERIFIER_PATTERN = /^[A-Za-z0-9\-._~]{43,128}$/;

/**
 * The local provider's authorization codes, in memory. Timeline of one:
 *
 * ```
 * issue() ──▶ pending (ttl) ──redeem()──▶ gone: the grant if every check passes, else a reason
 *                  └──── ttl passes ────▶ gone (pruned at the next issue, refused if presented)
 * ```
 *
 * A code is removed before it is checked, so it is good for one attempt, right or wrong; a restart forgets all.
 */
export class AuthorizationCodes {
  private readonly pending = new Map<string, CodeGrant & { readonly expiresAtMs: number }>();

  constructor(
    private readonly ttlMs: number,
    private readonly now: () => Date,
  ) {}

  /** A new code (32 random bytes, base64url) for the grant. */
  issue(grant: CodeGrant): string {
    const nowMs = this.now().getTime();
    for (const [code, entry] of this.pending) if (entry.expiresAtMs <= nowMs) this.pending.delete(code);
    while (this.pending.size >= MAX_PENDING_CODES) this.pending.delete(this.pending.keys().next().value!);
    const code = randomBytes(32).toString('base64url');
    this.pending.set(code, { ...grant, expiresAtMs: nowMs + this.ttlMs });
    return code;
  }

  /** Takes the code out, then checks it: the grant, or why it is refused (an `invalid_grant` description). */
  redeem(code: string, presented: Redemption): { grant: CodeGrant } | { refused: string } {
    const entry = this.pending.get(code);
    this.pending.delete(code);
    if (!entry) return { refused: 'The code is unknown or was already used.' };
    if (entry.expiresAtMs <= this.now().getTime()) return { refused: 'The code has expired.' };
    if (entry.clientId !== presented.clientId) return { refused: 'The code was issued to another client.' };
    if (entry.redirectUri !== presented.redirectUri) {
      return { refused: 'The redirect_uri differs from the one of the authorization request.' };
    }
    if (
      !VERIFIER_PATTERN.test(presented.codeVerifier) ||
      !matchesChallenge(presented.codeVerifier, entry.codeChallenge)
    ) {
      return { refused: 'The code_verifier does not match the code_challenge (PKCE S256).' };
    }
    const { expiresAtMs: _, ...grant } = entry;
    return { grant };
  }
}

/** PKCE S256: base64url(SHA-256(verifier)) equals the challenge (compared in constant time). */
function matchesChallenge(verifier: string, challenge: string): boolean {
  const expected = Buffer.from(createHash('sha256').update(verifier).digest('base64url'));
  const given = Buffer.from(challenge);
  return expected.length === given.length && timingSafeEqual(expected, given);
}
