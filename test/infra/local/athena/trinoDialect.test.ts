import { jodaToStrftime, mysqlToStrftime } from '../../../../infra/local/athena/datetimeFormats';
import { maskLiterals } from '../../../../infra/local/athena/duckdbOnlySql';
import { parseTreeJson, treeJson } from '../../../../infra/local/athena/parseTree';
import { javaReplacement } from '../../../../infra/local/athena/trinoRewrites';
import { trinoDoubleText } from '../../../../infra/local/athena/trinoText';
import { listaggWithinGroup, parenthesizedValues } from '../../../../infra/local/athena/trinoTextForms';
import { trinoZoneId } from '../../../../infra/local/athena/trinoTimeZones';

describe('the Trino dialect helpers', () => {
  it.each([
    ['1e+20', '1.0E20'],
    ['3.0', '3.0'],
    ['2.5', '2.5'],
    ['0.001', '0.001'],
    ['0.0001', '1.0E-4'],
    ['1.5e-07', '1.5E-7'],
    ['12345678.9', '1.23456789E7'],
    ['-0.0', '-0.0'],
    ['0.0', '0.0'],
    ['nan', 'NaN'],
    ['inf', 'Infinity'],
    ['-inf', '-Infinity'],
  ])('writes the double %s as Java does: %s', (duckdb, java) => {
    expect(trinoDoubleText(duckdb)).toBe(java);
  });

  it('reads Java replacement groups and escaped dollars', () => {
    expect(javaReplacement('3c$2 ')).toBe('3c\\2 ');
    expect(javaReplacement('\\$1')).toBe('$1');
    expect(javaReplacement('a\\\\b')).toBe('a\\\\b');
  });

  it('maps MySQL and Joda date patterns to strftime', () => {
    expect(mysqlToStrftime('%Y/%m/%d %H:%i:%s')).toBe('%Y/%m/%d %H:%M:%S');
    expect(jodaToStrftime("yyyy-MM-dd'T'HH:mm:ss.SSS")).toBe('%Y-%m-%dT%H:%M:%S.%g');
    expect(jodaToStrftime('EEEE, MMMM d, yyyy')).toBe('%A, %B %-d, %Y');
  });

  it('masks literals, quoted names and comments without moving offsets', () => {
    const sql = 'SELECT \'a::b\', "x::y" -- ::\nFROM t /* :: */';
    const masked = maskLiterals(sql);
    expect(masked).toHaveLength(sql.length);
    expect(masked).not.toContain('::');
  });

  it('puts VALUES rows without parentheses in them, and leaves every other query as it is', () => {
    expect(parenthesizedValues("SELECT * FROM (VALUES 'a,b', f(1, 2)) t(x)")).toBe(
      "SELECT * FROM (VALUES ('a,b'), (f(1, 2))) t(x)",
    );
    expect(parenthesizedValues('VALUES 1, 2 ORDER BY 1')).toBe('VALUES (1), (2) ORDER BY 1');
    const unchanged = "SELECT 'VALUES 1' FROM (VALUES (1), (2)) t(x) -- VALUES 3";
    expect(parenthesizedValues(unchanged)).toBe(unchanged);
  });

  it("moves listagg's WITHIN GROUP ordering into the call, and leaves other text as it is", () => {
    expect(
      listaggWithinGroup("SELECT listagg(x, ',') WITHIN GROUP (ORDER BY f(y), z DESC) FILTER (WHERE x <> ')') FROM t"),
    ).toBe("SELECT listagg(x, ',' ORDER BY f(y), z DESC) FILTER (WHERE x <> ')') FROM t");
    const unchanged = "SELECT 'listagg(x) WITHIN GROUP (ORDER BY y)', listagg(x, ',') FROM t";
    expect(listaggWithinGroup(unchanged)).toBe(unchanged);
  });

  it.each([
    ['Z', 'UTC'],
    ['Etc/UTC', 'UTC'],
    ['+00:00', 'UTC'],
    ['+01', '+01:00'],
    ['-0530', '-05:30'],
    ['+05:30', '+05:30'],
    ['America/Los_Angeles', 'America/Los_Angeles'],
  ])('writes the zone %s as Trino does: %s', (zone, trino) => {
    expect(trinoZoneId(zone)).toBe(trino);
  });

  it('writes whole-number doubles of a parse tree back with a decimal point, and other numbers as they were', () => {
    const tree = parseTreeJson(
      '{"value":{"type":{"id":"DOUBLE","type_info":null},"is_null":false,"value":1.0},"n":{"type":{"id":"INTEGER"},"value":2}}',
    );
    expect(treeJson(tree)).toBe(
      '{"value":{"type":{"id":"DOUBLE","type_info":null},"is_null":false,"value":1.0},"n":{"type":{"id":"INTEGER"},"value":2}}',
    );
  });
});
