import { NotFoundError } from '../errors';
import { classComparison } from './classComparison';
import { itemAnalysis } from './itemAnalysis';
import type { ReportDefinition } from './ReportDefinition';
import { schoolSummary } from './schoolSummary';
import { scoreDistribution } from './scoreDistribution';
import { studentProgress } from './studentProgress';
import { subjectTrends } from './subjectTrends';

/** Every report, in catalog order. Adding a report: a module here and its parameter schema in openapi.yaml. */
export const REPORTS: readonly ReportDefinition[] = Object.freeze([
  schoolSummary,
  scoreDistribution,
  subjectTrends,
  itemAnalysis,
  classComparison,
  studentProgress,
]);

/** The report with this id, or a 404 naming the catalog. */
export function reportById(id: string): ReportDefinition {
  const report = REPORTS.find((r) => r.id === id);
  if (!report) {
    throw new NotFoundError(
      `No report is named '${id}'; GET /v1/reports lists them (${REPORTS.map((r) => r.id).join(', ')}).`,
    );
  }
  return report;
}
