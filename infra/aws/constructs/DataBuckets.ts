import { Aws, Duration, RemovalPolicy, Tags } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import {
  BlockPublicAccess,
  Bucket,
  BucketEncryption,
  type CfnBucket,
  type LifecycleRule,
  ObjectOwnership,
} from 'aws-cdk-lib/aws-s3';
import { Construct } from 'constructs';
import {
  BUCKETS,
  type BucketRole,
  EXTRACTS_EXPIRE_AFTER_DAYS,
  EXTRACTS_PREFIX,
  RESULTS_EXPIRE_AFTER_DAYS,
} from '../../resources';

/** Buckets that exist only on AWS: the local stack serves Swagger UI itself and keeps no access logs. */
export const AWS_ONLY_BUCKETS = {
  docs: { description: 'Swagger UI and openapi.yaml, served by CloudFront through origin access control' },
  accessLogs: { description: 'S3 server access logs of every other bucket' },
} as const;
export type AwsOnlyBucketRole = keyof typeof AWS_ONLY_BUCKETS;

/** Tag carrying a bucket's role: lets operators, cost reports and the parity test tell the buckets apart. */
export const BUCKET_ROLE_TAG = 'examlake:bucket-role';

export interface DataBucketsProps {
  /**
   * Delete the buckets and their objects with the stack (an auto-delete custom resource empties them).
   * @default false: buckets are retained
   */
  readonly destroyOnRemoval?: boolean;
  /**
   * Days a noncurrent object version is kept in the versioned buckets.
   * @default 30
   */
  readonly noncurrentVersionExpireAfterDays?: number;
  /**
   * Days after which incomplete multipart uploads are aborted, in every bucket.
   * @default 2
   */
  readonly incompleteUploadAbortAfterDays?: number;
  /**
   * Days server access logs are kept.
   * @default 365
   */
  readonly accessLogExpireAfterDays?: number;
}

/**
 * Every bucket of examlake: the data buckets of `BUCKETS` in `infra/resources.ts` (raw, curated, results), the
 * docs bucket behind CloudFront and the access-log bucket.
 *
 * All are private (Block Public Access, bucket-owner-enforced ownership), TLS 1.2+ only and encrypted with
 * S3-managed keys (SSE-S3): Athena, Glue, CloudFront and S3 server access logging all read and write SSE-S3
 * objects without key grants or per-request KMS charges on every Athena scan (server access logs cannot even be
 * delivered to an SSE-KMS bucket). Switching to a customer-managed KMS key is the change to make if key-level
 * access control or crypto-shredding becomes a requirement.
 */
export class DataBuckets extends Construct {
  readonly raw: Bucket;
  readonly curated: Bucket;
  readonly results: Bucket;
  readonly docs: Bucket;
  readonly accessLogs: Bucket;

  constructor(scope: Construct, id: string, props: DataBucketsProps = {}) {
    super(scope, id);
    const destroy = props.destroyOnRemoval ?? false;
    const abortIncompleteMultipartUploadAfter = Duration.days(props.incompleteUploadAbortAfterDays ?? 2);
    const common = {
      encryption: BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      minimumTLSVersion: 1.2,
      blockPublicAccess: BlockPublicAccess.BLOCK_ALL,
      objectOwnership: ObjectOwnership.BUCKET_OWNER_ENFORCED,
      removalPolicy: destroy ? RemovalPolicy.DESTROY : RemovalPolicy.RETAIN,
      autoDeleteObjects: destroy,
    };

    this.accessLogs = new Bucket(this, 'AccessLogs', {
      ...common,
      lifecycleRules: [
        { id: 'expire-logs', expiration: Duration.days(props.accessLogExpireAfterDays ?? 365) },
        { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter },
      ],
    });
    tagRole(this.accessLogs, 'accessLogs');

    const dataBucket = (role: BucketRole | 'docs', versioned: boolean, extraRules: LifecycleRule[] = []) => {
      const bucket = new Bucket(this, pascalCase(role), {
        ...common,
        versioned,
        serverAccessLogsBucket: this.accessLogs,
        serverAccessLogsPrefix: `${role}/`,
        lifecycleRules: [
          ...extraRules,
          { id: 'abort-incomplete-uploads', abortIncompleteMultipartUploadAfter },
          ...(versioned
            ? [
                {
                  id: 'expire-noncurrent-versions',
                  noncurrentVersionExpiration: Duration.days(props.noncurrentVersionExpireAfterDays ?? 30),
                  expiredObjectDeleteMarker: true,
                },
              ]
            : []),
        ],
      });
      tagRole(bucket, role);
      return bucket;
    };

    this.raw = dataBucket('raw', BUCKETS.raw.versioned);
    // Object Created events go to EventBridge, where the stateless stack's rule starts the ingest trigger. Set
    // on the CloudFormation resource: the L2 `eventBridgeEnabled` would add a custom-resource Lambda for it.
    (this.raw.node.defaultChild as CfnBucket).notificationConfiguration = {
      eventBridgeConfiguration: { eventBridgeEnabled: true },
    };
    this.curated = dataBucket('curated', BUCKETS.curated.versioned);
    this.results = dataBucket('results', BUCKETS.results.versioned, [
      // A cache entry pointing at an expired result becomes a miss (DESIGN §4).
      { id: 'expire-results', expiration: Duration.days(RESULTS_EXPIRE_AFTER_DAYS) },
      // Extract files and records hold rows: gone after a day (issue 16), whatever their download URLs say.
      { id: 'expire-extracts', prefix: EXTRACTS_PREFIX, expiration: Duration.days(EXTRACTS_EXPIRE_AFTER_DAYS) },
    ]);
    this.docs = dataBucket('docs', false);
    // CloudFront reads the docs through origin access control. The distribution lives in the stateless stack;
    // naming its ARN here would make this stack depend on that one and that one on this bucket, a cycle. So any
    // distribution of this account may read these public docs, and nothing else may.
    this.docs.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudFrontOriginAccessControl',
        principals: [new ServicePrincipal('cloudfront.amazonaws.com')],
        actions: ['s3:GetObject'],
        resources: [this.docs.arnForObjects('*')],
        conditions: {
          StringEquals: { 'AWS:SourceAccount': Aws.ACCOUNT_ID },
          ArnLike: { 'AWS:SourceArn': `arn:${Aws.PARTITION}:cloudfront::${Aws.ACCOUNT_ID}:distribution/*` },
        },
      }),
    );
  }

  /** The bucket of a role declared in `infra/resources.ts`. */
  bucket(role: BucketRole): Bucket {
    return this[role];
  }
}

function tagRole(bucket: Bucket, role: BucketRole | AwsOnlyBucketRole): void {
  Tags.of(bucket).add(BUCKET_ROLE_TAG, role);
}

function pascalCase(role: string): string {
  return role.charAt(0).toUpperCase() + role.slice(1);
}
