import { curatedColumns } from '../../etl/schemas/curatedColumns';
import { DATASETS, getDataset } from '../../etl/schemas/datasets';
import type { LocalIssuer } from './identity/LocalIssuer';
import { SAMPLE_CALLERS } from './identity/roleTokens';

/**
 * The sample data `npm start` loads into an empty data dir: two school years (2024/25 and 2025/26, so the web
 * app compares years), small enough to load in well under a minute. The examples of `openapi.yaml` (SCH-0001,
 * MAT-G05-2025-AUT, STU-000001, September 2025 to June 2026, partner P1's North region) are ids of the later
 * year; `test/api/docs/contractExamples.test.ts` loads that year and runs every example.
 */
export const SAMPLE_DATA = { seed: 'examlake', badRows: 0.01, schools: 6, years: [2024, 2025] } as const;

const PII_COLUMNS = new Set(['student_id', 'student_name']);

/**
 * Gives the sample partner (`P1`) a grant, through the API as a steward would, so the printed partner token
 * answers at once: both datasets, every column but the direct identifiers, schools of the `North` region, and
 * row-level access for a year (extracts of up to 100,000 rows), so `POST /v1/extracts` works on the first click.
 * An existing grant (a steward's own) is left alone. Resolves to what it did, in words (undefined: nothing).
 */
export async function ensureDemoGrant(apiUrl: string, issuer: LocalIssuer): Promise<string | undefined> {
  const steward = await issuer.mint({ ...SAMPLE_CALLERS.steward, ttlSeconds: 300 });
  const partnerId = SAMPLE_CALLERS.partner.partnerId;
  const url = `${apiUrl}/v1/partners/${partnerId}/grant`;
  const headers = { authorization: `Bearer ${steward}`, 'content-type': 'application/json' };
  if ((await fetch(url, { headers })).status === 200) return undefined;
  const datasets = Object.keys(DATASETS);
  const columns = [
    ...new Set(datasets.flatMap((name) => curatedColumns(getDataset(name)).map((column) => column.name))),
  ].filter((name) => !PII_COLUMNS.has(name));
  const grant = {
    datasets,
    columns,
    rowFilters: { regions: ['North'] },
    minimumCellSize: 10,
    level: 'rows',
    rowAccess: { expiresAt: new Date(Date.now() + 365 * 86_400_000).toISOString(), maxRowsPerExtract: 100_000 },
  };
  const res = await fetch(url, { method: 'PUT', headers, body: JSON.stringify(grant) });
  if (!res.ok) throw new Error(`Creating the sample partner's grant failed (${res.status}): ${await res.text()}`);
  return `Partner ${partnerId} may read the North region, rows included (a demo grant; stewards change it with PUT ${url}).`;
}
