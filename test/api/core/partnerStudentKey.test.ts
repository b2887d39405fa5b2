import { partnerKeyHex, partnerStudentKey } from '../../../api/core/partnerStudentKey';

const secret = 'a-pseudonym-secret-of-at-least-32-characters';

describe('partner student keys', () => {
  it('is stable for one partner and differs between partners for the same student', () => {
    const p1 = partnerKeyHex(secret, 'P1');
    const p2 = partnerKeyHex(secret, 'P2');
    expect(p1).toMatch(/^[0-9a-f]{64}$/);
    expect(partnerKeyHex(secret, 'P1')).toBe(p1);
    expect(p2).not.toBe(p1);
    const student = 'c0ffee'.repeat(10);
    expect(partnerStudentKey(student, p1)).toBe(partnerStudentKey(student, p1));
    expect(partnerStudentKey(student, p1)).not.toBe(partnerStudentKey(student, p2));
    expect(partnerStudentKey(student, p1)).not.toBe(student);
  });

  it('refuses a pseudonym secret shorter than 32 bytes', () => {
    expect(() => partnerKeyHex('short', 'P1')).toThrow('at least 32 bytes');
  });
});
