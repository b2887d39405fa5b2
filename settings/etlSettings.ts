import { requiredText } from './Setting';
import { glueDatabase, runsTable } from './sharedSettings';

/**
 * Settings of the ETL handlers and the Glue job, each declared once (rendered into docs/settings.md);
 * `etl/orchestration/etlConfig.ts` reads them. The CDK stack sets them on the functions and the job, `wireEtl`
 * passes the local names.
 */
export const ETL_SETTINGS = {
  rawBucket: requiredText({
    env: 'EXAMLAKE_RAW_BUCKET',
    unit: 'S3 bucket name',
    description:
      'Where the exam platform delivers CSV exports (`<dataset>/…csv`); its Object Created events start runs.',
  }),
  curatedBucket: requiredText({
    env: 'EXAMLAKE_CURATED_BUCKET',
    unit: 'S3 bucket name',
    description: 'Curated Parquet versions (`<dataset>/v=<runId>/`) and the rejects of each run (`_rejects/`).',
  }),
  runsTable,
  glueDatabase,
  transformJob: requiredText({
    env: 'EXAMLAKE_TRANSFORM_JOB',
    unit: 'Glue job name',
    description: 'The transform job the ingest trigger starts.',
  }),
} as const;
