import { requiredText, text } from './Setting';

/** The ETL run records table: the ETL writes it, the API reads run summaries from it. One variable, one meaning. */
export const runsTable = requiredText({
  env: 'EXAMLAKE_RUNS_TABLE',
  unit: 'DynamoDB table name',
  description:
    'ETL bookmarks of processed raw objects (key and ETag), run summaries and the pending-run marker; the API ' +
    'reads the run summaries for dataset descriptions.',
});

/**
 * The Glue database of the dataset tables: the ETL commits new versions to it, the API queries it. One default
 * rule for both: the name the architecture gives it.
 */
export const glueDatabase = text({
  env: 'EXAMLAKE_GLUE_DATABASE',
  default: 'examlake',
  unit: 'Glue database',
  description: 'Database of the dataset tables: the transform job commits new versions to it, the API queries it.',
});
