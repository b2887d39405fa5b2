import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Signs and opens opaque tokens (page tokens, query handles): base64url JSON payload, a dot, and an
 * HMAC-SHA256 of the payload under the API's signing secret and a purpose label, so a handle can never be
 * used as a page token or the reverse. A token that fails the check opens to undefined.
 */
export class TokenSigner {
  constructor(private readonly secret: string) {}

  sign(purpose: string, payload: Readonly<Record<string, unknown>>): string {
    const body = Buffer.from(JSON.stringify(payload)).toString('base64url');
    return `${body}.${this.mac(purpose, body)}`;
  }

  open<T>(purpose: string, token: string): T | undefined {
    const [body, mac, extra] = token.split('.');
    if (!body || !mac || extra !== undefined) return undefined;
    const expected = Buffer.from(this.mac(purpose, body));
    const given = Buffer.from(mac);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const value = JSON.parse(Buffer.from(body, 'base64url').toString('utf8'));
      return value !== null && typeof value === 'object' ? (value as T) : undefined;
    } catch {
      return undefined;
    }
  }

  private mac(purpose: string, body: string): string {
    return createHmac('sha256', this.secret).update(`${purpose}\n${body}`).digest('base64url');
  }
}
