import { claimsToCaller } from '../../../api/auth/claimsToCaller';
import { ForbiddenError, UnauthenticatedError } from '../../../api/errors';

const base = { sub: 'user-1', token_use: 'id' };

describe('claimsToCaller', () => {
  it('makes a school administrator with sorted, de-duplicated schools and districts', () => {
    const caller = claimsToCaller({
      ...base,
      'cognito:groups': ['school_admin'],
      'custom:school_ids': ' S0002,S0001 ,S0002,',
      'custom:district_ids': 'D01',
    });
    expect(caller).toEqual({
      role: 'school_admin',
      subject: 'user-1',
      groups: ['school_admin'],
      schoolIds: ['S0001', 'S0002'],
      districtIds: ['D01'],
      partnerId: undefined,
    });
    expect(Object.isFrozen(caller)).toBe(true);
  });

  it('accepts a school administrator holding districts only', () => {
    const caller = claimsToCaller({ ...base, 'cognito:groups': ['school_admin'], 'custom:district_ids': 'D01,D02' });
    expect(caller.schoolIds).toEqual([]);
    expect(caller.districtIds).toEqual(['D01', 'D02']);
  });

  it('makes a partner with its partner id', () => {
    const caller = claimsToCaller({ ...base, 'cognito:groups': ['partner'], 'custom:partner_id': 'P1' });
    expect(caller).toMatchObject({ role: 'partner', partnerId: 'P1', schoolIds: [], districtIds: [] });
  });

  it.each([['analyst'], ['steward']] as const)('makes the %s role from the group alone', (group) => {
    expect(claimsToCaller({ ...base, 'cognito:groups': [group] })).toMatchObject({ role: group, groups: [group] });
  });

  it('picks the highest-privilege group: steward, then analyst, then school_admin, then partner', () => {
    const groups = (g: string[]) =>
      claimsToCaller({ ...base, 'cognito:groups': g, 'custom:partner_id': 'P1', 'custom:school_ids': 'S1' });
    expect(groups(['partner', 'school_admin']).role).toBe('school_admin');
    expect(groups(['school_admin', 'analyst', 'partner']).role).toBe('analyst');
    expect(groups(['analyst', 'steward']).role).toBe('steward');
    expect(groups(['partner', 'steward', 'analyst', 'school_admin']).groups).toEqual([
      'steward',
      'analyst',
      'school_admin',
      'partner',
    ]);
  });

  it('ignores groups that are not examlake roles, including public', () => {
    const caller = claimsToCaller({ ...base, 'cognito:groups': ['admins', 'public', 'analyst', 'us-east-1_x_Google'] });
    expect(caller.role).toBe('analyst');
    expect(caller.groups).toEqual(['analyst']);
  });

  it('reads groups flattened to a string, as the API Gateway authorizer context passes them', () => {
    expect(claimsToCaller({ ...base, 'cognito:groups': '[partner steward]' }).role).toBe('steward');
    expect(claimsToCaller({ ...base, 'cognito:groups': 'analyst,partner', 'custom:partner_id': 'P' }).role).toBe(
      'analyst',
    );
  });

  it('refuses a token in no examlake group with 403', () => {
    expect(() => claimsToCaller({ ...base, 'cognito:groups': ['admins'] })).toThrow(ForbiddenError);
    expect(() => claimsToCaller({ ...base })).toThrow(/no examlake group/);
  });

  it('refuses a school administrator without schools or districts with 403 naming the attributes', () => {
    const act = () => claimsToCaller({ ...base, 'cognito:groups': ['school_admin'], 'custom:school_ids': ' , ' });
    expect(act).toThrow(ForbiddenError);
    expect(act).toThrow(/custom:school_ids.*custom:district_ids/);
  });

  it('refuses a partner without a partner id with 403', () => {
    const act = () => claimsToCaller({ ...base, 'cognito:groups': ['partner'], 'custom:partner_id': '  ' });
    expect(act).toThrow(ForbiddenError);
    expect(act).toThrow(/custom:partner_id/);
  });

  it('refuses malformed ids instead of dropping them', () => {
    const schools = () =>
      claimsToCaller({ ...base, 'cognito:groups': ['school_admin'], 'custom:school_ids': "S1,S2' OR 1=1--" });
    expect(schools).toThrow(ForbiddenError);
    const partner = () => claimsToCaller({ ...base, 'cognito:groups': ['partner'], 'custom:partner_id': 'P 1' });
    expect(partner).toThrow(ForbiddenError);
    const notString = () =>
      claimsToCaller({ ...base, 'cognito:groups': ['school_admin'], 'custom:school_ids': ['S1'] });
    expect(notString).toThrow(/comma-separated string/);
  });

  it('refuses claims without a subject with 401', () => {
    expect(() => claimsToCaller({ 'cognito:groups': ['analyst'] })).toThrow(UnauthenticatedError);
    expect(() => claimsToCaller({ sub: '', 'cognito:groups': ['analyst'] })).toThrow(UnauthenticatedError);
  });

  it('answers 403 refusals with the FORBIDDEN code and status', () => {
    try {
      claimsToCaller({ ...base, 'cognito:groups': ['partner'] });
      throw new Error('expected a refusal');
    } catch (err) {
      expect(err).toMatchObject({ status: 403, code: 'FORBIDDEN' });
    }
  });
});
