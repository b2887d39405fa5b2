import { createHmac, timingSafeEqual } from 'node:crypto';
import type { SigningKeyRing, SigningKeys } from '../ports/SigningKeys';

/**
 * Signs and opens opaque tokens (page tokens, query handles): base64url JSON payload, a dot, and an
 * HMAC-SHA256 of the payload under the API's signing key and a purpose label, so a handle can never be
 * used as a page token or the reverse. A token that fails the check opens to undefined.
 *
 * Keys rotate: new tokens are signed with the current key, and a token opens under the current or the previous
 * one, so tokens survive one rotation and are refused after the second:
 * ```
 * key A current ─ tokens signed with A
 * rotate → B    ─ new tokens signed with B; A's still open (A is previous)
 * rotate → C    ─ new tokens signed with C; B's still open; A's refused
 * ```
 * `sign` and `open` are synchronous (they run deep inside request handling); `refresh` takes the latest keys from
 * their source once per request, before routing.
 */
export class TokenSigner {
  private constructor(
    private ring: SigningKeyRing,
    private readonly source: SigningKeys | undefined,
    private readonly onStaleKeys: (err: unknown) => void,
  ) {}

  /** A signer over fixed keys (tests, tools). */
  static withKeys(ring: SigningKeyRing): TokenSigner {
    return new TokenSigner(ring, undefined, () => {});
  }

  /** A signer over keys that rotate; fails when the first read of the keys fails (the API cannot sign without them). */
  static async from(source: SigningKeys, onStaleKeys: (err: unknown) => void): Promise<TokenSigner> {
    return new TokenSigner(await source.keyRing(), source, onStaleKeys);
  }

  /** Takes the source's current keys (cached there); if the source fails, keeps the last keys and reports it. */
  async refresh(): Promise<void> {
    if (!this.source) return;
    try {
      this.ring = await this.source.keyRing();
    } catch (err) {
      this.onStaleKeys(err);
    }
  }

  sign(purpose: string, payload: Readonly<Record<string, unknown>>): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${mac(this.ring.current, purpose, body)}`;
  }

  open<T>(purpose: string, token: string): T | undefined {
    const [body, given, extra] = token.split('.');
    if (!body || !given || extra !== undefined) return undefined;
    const keys = this.ring.previous === undefined ? [this.ring.current] : [this.ring.current, this.ring.previous];
    if (!keys.some((key) => sameMac(mac(key, purpose, body), given))) return undefined;
    try {
      const value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      return value !== null && typeof value === 'object' ? (value as T) : undefined;
    } catch {
      return undefined;
    }
  }
}

function mac(key: string, purpose: string, body: string): string {
  return createHmac('sha256', key).update(`${purpose}\n${body}`).digest('base64url');
}

function sameMac(expected: string, given: string): boolean {
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}
