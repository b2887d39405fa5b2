import { QueryTokens } from '../../../api/core/QueryTokens';
import { TokenSigner } from '../../../api/core/TokenSigner';
import { NotFoundError, ValidationError } from '../../../api/errors';

const tokens = new QueryTokens(TokenSigner.withKeys({ current: 'x'.repeat(32), previous: undefined }));

describe('QueryTokens', () => {
  it('opens a handle only for the scope it was issued to', () => {
    const handle = tokens.handle('key-1', 'scope-a');
    expect(tokens.openHandle(handle, 'scope-a')).toBe('key-1');
    expect(() => tokens.openHandle(handle, 'scope-b')).toThrow(NotFoundError);
  });

  it('rejects a tampered page token as invalid and a foreign one as not found', () => {
    const token = tokens.page({ key: 'key-1', offset: 100, byte: 4096 }, 'scope-a');
    expect(tokens.openPage(token, 'scope-a')).toEqual({ key: 'key-1', offset: 100, byte: 4096 });
    const [body, mac] = token.split('.');
    const forged = Buffer.from(JSON.stringify({ k: 'key-1', s: 'scope-a', o: 0, b: 0 })).toString('base64url');
    expect(() => tokens.openPage(`${forged}.${mac}`, 'scope-a')).toThrow(ValidationError);
    expect(() => tokens.openPage(`${body}.${mac}x`, 'scope-a')).toThrow(ValidationError);
    expect(() => tokens.openPage(token, 'scope-b')).toThrow(NotFoundError);
  });

  it('never accepts a handle as a page token or the reverse', () => {
    const handle = tokens.handle('key-1', 'scope-a');
    expect(() => tokens.openPage(handle, 'scope-a')).toThrow(ValidationError);
    const page = tokens.page({ key: 'key-1', offset: 0, byte: 0 }, 'scope-a');
    expect(() => tokens.openHandle(page, 'scope-a')).toThrow(NotFoundError);
  });
});
