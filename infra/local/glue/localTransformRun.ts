import type { TransformRun } from '../../../etl/transform/TransformRun';
import type { LocalGlueJobRun } from './LocalGlueJob';

/**
 * A local Glue job run as the transform's {@link TransformRun} port: the local S3 store's stored files are the
 * local paths the transform reads (as Glue reads S3 natively on AWS), the stack's DuckDB memory limit is the run's.
 */
export function localTransformRun(run: LocalGlueJobRun): TransformRun {
  return {
    jobName: run.jobName,
    jobRunId: run.jobRunId,
    arguments: run.arguments,
    signal: run.signal,
    scratchDir: run.scratchDir,
    duckdbMemoryLimit: run.stack.duckdbMemoryLimit,
    listObjects: (bucket, prefix) => run.objects.list(bucket, prefix),
    log: (message) => run.log(message),
  };
}
