import { Names, Stack } from 'aws-cdk-lib';
import { CfnWorkGroup } from 'aws-cdk-lib/aws-athena';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import { ATHENA_RESULTS_PREFIX, WORKGROUP } from '../../resources';

export interface AnalyticsProps {
  /** Where Athena writes query results (under `ATHENA_RESULTS_PREFIX`); the API reads them back from there. */
  readonly resultsBucket: IBucket;
}

/**
 * The Athena workgroup the API runs every query in, from `WORKGROUP` in `infra/resources.ts`: engine version 3,
 * a configuration clients cannot override (result location, SSE-S3 encryption, the per-query scan cutoff),
 * and CloudWatch metrics for the dashboard's bytes-scanned figures.
 */
export class Analytics extends Construct {
  readonly workGroup: CfnWorkGroup;
  /** Generated from the construct path (Athena requires a name); the API receives it in its configuration. */
  readonly workGroupName: string;
  /** `s3://<results bucket>/<ATHENA_RESULTS_PREFIX>`. */
  readonly outputLocation: string;

  constructor(scope: Construct, id: string, props: AnalyticsProps) {
    super(scope, id);
    this.workGroupName = Names.uniqueResourceName(this, { maxLength: 128, separator: '-' });
    this.outputLocation = props.resultsBucket.s3UrlForObject(ATHENA_RESULTS_PREFIX);
    this.workGroup = new CfnWorkGroup(this, 'WorkGroup', {
      name: this.workGroupName,
      description: WORKGROUP.description,
      state: 'ENABLED',
      // Query history is all a workgroup holds; it must not block deleting the stack.
      recursiveDeleteOption: true,
      workGroupConfiguration: {
        engineVersion: { selectedEngineVersion: 'Athena engine version 3' },
        enforceWorkGroupConfiguration: WORKGROUP.enforceWorkGroupConfiguration,
        bytesScannedCutoffPerQuery: WORKGROUP.bytesScannedCutoffPerQuery,
        publishCloudWatchMetricsEnabled: true,
        requesterPaysEnabled: false,
        resultConfiguration: {
          outputLocation: this.outputLocation,
          encryptionConfiguration: { encryptionOption: 'SSE_S3' },
          expectedBucketOwner: Stack.of(this).account,
        },
      },
    });
  }

  /** ARN of the workgroup, for IAM policies. */
  get workGroupArn(): string {
    return Stack.of(this).formatArn({ service: 'athena', resource: 'workgroup', resourceName: this.workGroupName });
  }
}
