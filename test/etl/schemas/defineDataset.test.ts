import { t } from '../../../etl/schemas/columnTypes';
import type { ColumnDefinition, DatasetSchema } from '../../../etl/schemas/DatasetSchema';
import { column, defineDataset } from '../../../etl/schemas/defineDataset';
import { EXAM_RESULTS } from '../../../etl/schemas/examResults';

const id = column('id', t.string(), { description: 'Key.', example: 'a' });
const at = column('at', t.timestamp(), { description: 'When.', example: '2025-10-14T09:00:00Z' });

function dataset(overrides: Partial<DatasetSchema> = {}, extra: ColumnDefinition[] = []): DatasetSchema {
  return {
    name: 'fixture',
    title: 'Fixture',
    description: 'A dataset for tests.',
    grain: 'one row per case',
    columns: [id, at, ...extra],
    naturalKey: ['id'],
    rules: [],
    sortKeys: ['id'],
    partitionSource: 'at',
    pseudonymSource: undefined,
    ...overrides,
  };
}

describe('column', () => {
  it('fills in the defaults: required, not PII, no aliases, no constraints', () => {
    expect(id).toEqual({
      name: 'id',
      type: { kind: 'string' },
      nullable: false,
      pii: false,
      description: 'Key.',
      aliases: [],
      constraints: {},
      example: 'a',
    });
    expect(Object.isFrozen(id)).toBe(true);
  });
});

describe('defineDataset', () => {
  it('returns a deeply frozen definition', () => {
    const defined = defineDataset(dataset());
    expect(Object.isFrozen(defined)).toBe(true);
    expect(Object.isFrozen(defined.columns)).toBe(true);
    expect(Object.isFrozen(EXAM_RESULTS.columns[0]!.constraints)).toBe(true);
  });

  it.each([
    ['a name that is not snake_case', dataset({ name: 'Fixture' }), 'Dataset Fixture: the name must be snake_case'],
    [
      'a column name that is not snake_case',
      dataset({}, [column('Score', t.integer(), { description: 'x', example: '1' })]),
      'column name Score must be snake_case',
    ],
    ['a column declared twice', dataset({}, [id]), 'column id is declared twice'],
    [
      'an alias matching another column',
      dataset({}, [column('code', t.string(), { description: 'x', example: 'x', aliases: ['I D'] })]),
      "header name 'I D' of code also matches id",
    ],
    ['an empty natural key', dataset({ naturalKey: [] }), 'the natural key is empty'],
    ['a natural key naming no column', dataset({ naturalKey: ['nope'] }), 'the natural key names unknown column nope'],
    [
      'a nullable natural key',
      dataset({ naturalKey: ['note'] }, [
        column('note', t.string(), { description: 'x', example: '', nullable: true }),
      ]),
      'natural key column note must not be nullable',
    ],
    ['a sort key naming no column', dataset({ sortKeys: ['nope'] }), 'the sort keys names unknown column nope'],
    ['a partition source that is not a timestamp', dataset({ partitionSource: 'id' }), 'must be a required timestamp'],
    [
      'a nullable partition source',
      dataset({ columns: [id, { ...at, nullable: true }] }),
      'the partition source must be a required timestamp',
    ],
    ['a pseudonym source naming no column', dataset({ pseudonymSource: 'nope' }), 'names unknown column nope'],
    [
      'a rule declared twice',
      dataset({
        rules: [
          { name: 'r', left: 'at', operator: '<=', right: 'at', description: 'x' },
          { name: 'r', left: 'at', operator: '>=', right: 'at', description: 'x' },
        ],
      }),
      'rule r is declared twice',
    ],
    [
      'a rule naming no column',
      dataset({ rules: [{ name: 'r', left: 'at', operator: '<=', right: 'then', description: 'x' }] }),
      'rule r names unknown column then',
    ],
    [
      'a rule comparing a string with a timestamp',
      dataset({ rules: [{ name: 'r', left: 'id', operator: '<=', right: 'at', description: 'x' }] }),
      'rule r compares string with timestamp',
    ],
    [
      'a range on a string',
      dataset({}, [column('code', t.string(), { description: 'x', example: 'x', constraints: { min: 1 } })]),
      'column code: ranges apply to numbers only',
    ],
    [
      'a pattern on a number',
      dataset({}, [column('n', t.integer(), { description: 'x', example: '1', constraints: { pattern: '^1$' } })]),
      'column n: enum, pattern and maxLength apply to strings',
    ],
    [
      'an unanchored pattern',
      dataset({}, [column('code', t.string(), { description: 'x', example: 'x', constraints: { pattern: '[a-z]+' } })]),
      'column code: anchor the pattern (^…$)',
    ],
    [
      'an empty enum',
      dataset({}, [column('code', t.string(), { description: 'x', example: 'x', constraints: { enum: [] } })]),
      'column code: the enum is empty',
    ],
  ])('refuses %s', (_, schema, message) => {
    expect(() => defineDataset(schema)).toThrow(message);
  });

  it('allows rules between numbers of different types', () => {
    const extra = [
      column('n', t.integer(), { description: 'x', example: '1' }),
      column('d', t.decimal(5, 2), { description: 'x', example: '1.5' }),
    ];
    const rules = [{ name: 'n_le_d', left: 'n', operator: '<=', right: 'd', description: 'x' } as const];
    expect(defineDataset(dataset({ rules }, extra)).rules).toHaveLength(1);
  });

  it('lets a column repeat its own name as an alias in another spelling', () => {
    const code = column('code', t.string(), { description: 'x', example: 'x', aliases: ['CODE', 'the_code'] });
    expect(defineDataset(dataset({}, [code])).columns).toHaveLength(3);
  });

  it('holds the declared datasets to the same checks', () => {
    expect(() => defineDataset({ ...EXAM_RESULTS, columns: [...EXAM_RESULTS.columns] })).not.toThrow();
  });
});
