import type { Caller } from '../../../api/access/Caller';
import type { Grant } from '../../../api/access/Grant';

/** Callers of every role, as authentication would hand them to access control. */
export function caller(role: Caller['role'], extra: Partial<Caller> = {}): Caller {
  return {
    role,
    subject: role === 'public' ? undefined : `${role}-user`,
    groups: role === 'public' ? [] : [role],
    schoolIds: [],
    districtIds: [],
    partnerId: undefined,
    ...extra,
  };
}

export function grant(extra: Partial<Grant> = {}): Grant {
  return {
    partnerId: 'acme',
    datasets: ['exam_results'],
    columns: ['exam_id', 'subject', 'school_id', 'region', 'score', 'max_score', 'passed', 'student_key'],
    rowFilters: { regions: ['north'] },
    minimumCellSize: 10,
    version: 1,
    updatedAt: '2026-01-01T00:00:00.000Z',
    ...extra,
  };
}
