import { t } from '../../../etl/schemas/columnTypes';
import { type ParsedField, parseField } from '../../../etl/schemas/parseField';

const value = (parsed: ParsedField) => {
  if (!parsed.ok) throw new Error(`expected a value, got ${parsed.reason}: ${parsed.message}`);
  return parsed.value;
};
const reason = (parsed: ParsedField) => (parsed.ok ? 'ok' : parsed.reason);

describe('parseField', () => {
  describe('empty fields', () => {
    it.each([
      ['string', t.string()],
      ['integer', t.integer()],
      ['decimal', t.decimal(7, 2)],
      ['boolean', t.boolean()],
      ['timestamp', t.timestamp()],
      ['date', t.date()],
      ['double', t.double()],
    ])('reads an empty or all-space %s field as null', (_, type) => {
      expect(value(parseField(type, ''))).toBeNull();
      expect(value(parseField(type, '   '))).toBeNull();
    });
  });

  describe('strings', () => {
    it('keeps the text as written, surrounding spaces included', () => {
      expect(value(parseField(t.string(), ' Ashford, "North" '))).toBe(' Ashford, "North" ');
    });
  });

  describe('timestamps', () => {
    it.each([
      ['2025-10-14T09:05:00+02:00', '2025-10-14T07:05:00.000Z'],
      ['2025-10-14T09:05:00-05:30', '2025-10-14T14:35:00.000Z'],
      ['2025-10-14T09:05:00Z', '2025-10-14T09:05:00.000Z'],
      ['2025-10-14 09:05:00+0200', '2025-10-14T07:05:00.000Z'],
      ['2025-10-14T09:05+01:00', '2025-10-14T08:05:00.000Z'],
      ['2025-10-14T09:05:07.25+00:00', '2025-10-14T09:05:07.250Z'],
      ['2025-10-14T09:05:07.123456789Z', '2025-10-14T09:05:07.123Z'],
      ['2026-01-01T00:30:00+01:00', '2025-12-31T23:30:00.000Z'],
      ['2024-02-29T12:00:00Z', '2024-02-29T12:00:00.000Z'],
      ['  2025-10-14T09:05:00+02:00  ', '2025-10-14T07:05:00.000Z'],
    ])('reads %s as the UTC instant %s', (text, utc) => {
      expect(new Date(value(parseField(t.timestamp(), text)) as number).toISOString()).toBe(utc);
    });

    it.each([
      ['a time without an offset', '2025-10-14T09:05:00'],
      ['a European date', '14/10/2025 09:05'],
      ['a date alone', '2025-10-14'],
      ['30 February', '2025-02-30T09:00:00Z'],
      ['29 February of a common year', '2025-02-29T09:00:00Z'],
      ['31 April', '2025-04-31T09:00:00Z'],
      ['month 13', '2025-13-01T09:00:00Z'],
      ['hour 24', '2025-10-14T24:00:00Z'],
      ['an offset of 24 hours', '2025-10-14T09:00:00+24:00'],
      ['words', 'yesterday'],
    ])('rejects %s with INVALID_TIMESTAMP', (_, text) => {
      const parsed = parseField(t.timestamp(), text);
      expect(reason(parsed)).toBe('INVALID_TIMESTAMP');
      expect(parsed.ok || parsed.message).toContain(`'${text}' is not`);
    });
  });

  describe('booleans', () => {
    it.each([
      ['true', true],
      ['TRUE', true],
      ['True', true],
      ['yes', true],
      ['Yes', true],
      ['1', true],
      [' 1 ', true],
      ['false', false],
      ['FALSE', false],
      ['no', false],
      ['NO', false],
      ['0', false],
    ])('reads %j as %s', (text, expected) => {
      expect(value(parseField(t.boolean(), text))).toBe(expected);
    });

    it.each(['maybe', 'Y', 'N', 't', '2', 'pass', 'true false'])('rejects %j with INVALID_BOOLEAN', (text) => {
      expect(reason(parseField(t.boolean(), text))).toBe('INVALID_BOOLEAN');
    });
  });

  describe('decimals', () => {
    const decimal = t.decimal(7, 2);
    it.each([
      ['12', 12],
      ['12.5', 12.5],
      ['12.50', 12.5],
      ['.5', 0.5],
      ['-3.25', -3.25],
      ['+4', 4],
      ['00012.00', 12],
      ['12.500', 12.5],
      ['99999.99', 99999.99],
    ])('reads %j as %d', (text, expected) => {
      expect(value(parseField(decimal, text))).toBe(expected);
    });

    it.each([
      ['a decimal comma', '12,5'],
      ['a unit', '31 pts'],
      ['n/a', 'n/a'],
      ['an exponent', '1e3'],
      ['thousands separators', '1,000.00'],
      ['more decimal places than the scale', '12.345'],
      ['more whole digits than precision minus scale', '123456.00'],
      ['a lone point', '.'],
    ])('rejects %s with INVALID_DECIMAL', (_, text) => {
      expect(reason(parseField(decimal, text))).toBe('INVALID_DECIMAL');
    });
  });

  describe('integers', () => {
    it.each([
      ['5', 5],
      ['-5', -5],
      ['+5', 5],
      [' 12 ', 12],
      ['2147483647', 2147483647],
      ['-2147483648', -2147483648],
    ])('reads %j as %d', (text, expected) => {
      expect(value(parseField(t.integer(), text))).toBe(expected);
    });

    it.each(['five', '5.5', '1,024', '7th', '1e3', '2147483648', '-2147483649'])(
      'rejects %j with INVALID_INTEGER',
      (text) => {
        expect(reason(parseField(t.integer(), text))).toBe('INVALID_INTEGER');
      },
    );

    it('reads bigints to 64 bits and rejects beyond', () => {
      expect(value(parseField(t.bigint(), '2147483648'))).toBe(2147483648);
      expect(reason(parseField(t.bigint(), '9223372036854775808'))).toBe('INVALID_INTEGER');
      expect(parseField(t.integer(), '2147483648')).toMatchObject({
        message: "'2147483648' is not within the 32-bit range",
      });
    });
  });

  describe('doubles', () => {
    it.each([
      ['1.5e3', 1500],
      ['-0.25', -0.25],
      ['.5E-1', 0.05],
    ])('reads %j as %d', (text, expected) => {
      expect(value(parseField(t.double(), text))).toBe(expected);
    });

    it.each(['NaN', 'Infinity', '1e999', '1,5'])('rejects %j with INVALID_DOUBLE', (text) => {
      expect(reason(parseField(t.double(), text))).toBe('INVALID_DOUBLE');
    });
  });

  describe('dates', () => {
    it('reads an ISO calendar date as its text', () => {
      expect(value(parseField(t.date(), ' 2025-10-14 '))).toBe('2025-10-14');
    });

    it.each(['2025-02-29', '2025-04-31', '14/10/2025', '2025-10-14T00:00:00Z'])(
      'rejects %j with INVALID_DATE',
      (text) => {
        expect(reason(parseField(t.date(), text))).toBe('INVALID_DATE');
      },
    );
  });
});

describe('t.decimal', () => {
  it('refuses a precision or scale no engine accepts', () => {
    expect(() => t.decimal(0, 0)).toThrow('decimal precision must be an integer from 1 to 38, got 0');
    expect(() => t.decimal(39, 2)).toThrow(RangeError);
    expect(() => t.decimal(5, 6)).toThrow('decimal scale must be an integer from 0 to the precision (5), got 6');
  });
});
