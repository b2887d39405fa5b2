import { scopeFor } from '../../../api/access/Scope';
import { caller, grant } from './callers';

describe('scopeFor', () => {
  it('gives analysts every row, dataset and column', () => {
    const scope = scopeFor(caller('analyst'));
    expect(scope.rows).toEqual({ kind: 'all' });
    expect(scope.datasets).toBe('all');
    expect(scope.columns).toBe('all');
    expect(scope.pseudonymised).toBe(false);
  });

  it('limits school administrators to their schools or districts', () => {
    const scope = scopeFor(caller('school_admin', { schoolIds: ['S2', 'S1'], districtIds: ['D9'] }));
    expect(scope.rows).toEqual({
      kind: 'filter',
      allOf: [
        [
          { column: 'school_id', values: ['S1', 'S2'] },
          { column: 'district_id', values: ['D9'] },
        ],
      ],
    });
  });

  it('gives a school administrator without ids no rows', () => {
    expect(scopeFor(caller('school_admin')).rows.kind).toBe('none');
  });

  it('builds a partner scope from every row filter of the grant, pseudonymised', () => {
    const scope = scopeFor(
      caller('partner', { partnerId: 'acme' }),
      grant({ rowFilters: { regions: ['north'], subjects: ['maths', 'art'] } }),
    );
    expect(scope.rows).toEqual({
      kind: 'filter',
      allOf: [[{ column: 'region', values: ['north'] }], [{ column: 'subject', values: ['art', 'maths'] }]],
    });
    expect(scope.pseudonymised).toBe(true);
    expect(scope.minimumCellSize).toBe(10);
    expect(scope.datasets).toEqual(['exam_results']);
  });

  it('gives a partner without a grant, or with another partner’s grant, nothing', () => {
    expect(scopeFor(caller('partner', { partnerId: 'acme' })).rows.kind).toBe('none');
    expect(scopeFor(caller('partner', { partnerId: 'other' }), grant()).rows.kind).toBe('none');
  });

  it('gives stewards and the public no data rows', () => {
    expect(scopeFor(caller('steward')).rows.kind).toBe('none');
    expect(scopeFor(caller('public')).rows.kind).toBe('none');
  });

  it('shares a fingerprint between callers who see the same data, whoever they are', () => {
    const a = scopeFor(caller('school_admin', { subject: 'a', schoolIds: ['S1', 'S2'] }));
    const b = scopeFor(caller('school_admin', { subject: 'b', schoolIds: ['S2', 'S1', 'S1'] }));
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).toMatch(/^[0-9a-f]{64}$/);
  });

  it('separates fingerprints of different rows, roles, partners and grant versions', () => {
    const partner = caller('partner', { partnerId: 'acme' });
    const prints = [
      scopeFor(caller('analyst')),
      scopeFor(caller('school_admin', { schoolIds: ['S1'] })),
      scopeFor(caller('school_admin', { schoolIds: ['S2'] })),
      scopeFor(caller('school_admin', { districtIds: ['S1'] })),
      scopeFor(partner, grant()),
      scopeFor(partner, grant({ version: 2 })),
      scopeFor(caller('partner', { partnerId: 'zeta' }), grant({ partnerId: 'zeta' })),
      scopeFor(partner, grant({ columns: ['exam_id'] })),
      scopeFor(caller('steward')),
      scopeFor(caller('public')),
    ].map((s) => s.fingerprint);
    expect(new Set(prints).size).toBe(prints.length);
  });
});
