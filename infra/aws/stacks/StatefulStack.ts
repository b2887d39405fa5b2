import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { GLUE_DATABASE } from '../../resources';
import type { StageConfig } from '../config';
import { DataBuckets } from '../constructs/DataBuckets';
import { DataCatalog } from '../constructs/DataCatalog';
import { Identity } from '../constructs/Identity';
import { PseudonymKey } from '../constructs/PseudonymKey';
import { StateTables } from '../constructs/StateTables';
import { datasetTableInputs } from '../datasetTableInputs';

export interface StatefulStackProps extends StackProps {
  readonly config: StageConfig;
}

/**
 * Everything that holds data or identities: buckets, tables, the catalog and the user pool. Deployed apart from
 * the stateless stack so that code changes never touch it, and retained on deletion unless the stage says
 * `destroyDataOnRemoval`. The stateless stack receives these constructs through the typed properties below.
 */
export class StatefulStack extends Stack {
  readonly buckets: DataBuckets;
  readonly tables: StateTables;
  readonly catalog: DataCatalog;
  readonly identity: Identity;
  readonly pseudonymKey: PseudonymKey;

  constructor(scope: Construct, id: string, props: StatefulStackProps) {
    super(scope, id, props);
    const { config } = props;

    this.buckets = new DataBuckets(this, 'DataBuckets', {
      destroyOnRemoval: config.destroyDataOnRemoval,
      noncurrentVersionExpireAfterDays: config.noncurrentVersionExpireAfterDays,
      incompleteUploadAbortAfterDays: config.incompleteUploadAbortAfterDays,
      accessLogExpireAfterDays: config.accessLogExpireAfterDays,
    });
    this.tables = new StateTables(this, 'StateTables', {
      destroyOnRemoval: config.destroyDataOnRemoval,
      deletionProtection: config.deletionProtection,
    });
    this.catalog = new DataCatalog(this, 'DataCatalog', {
      databaseName: config.glueDatabaseName,
      description: GLUE_DATABASE.description,
      tables: datasetTableInputs((dataset) => this.buckets.curated.s3UrlForObject(`${dataset}/`)),
      logRetentionDays: config.logRetentionDays,
      retainLogs: !config.destroyDataOnRemoval,
      sourceMaps: config.sourceMaps,
    });
    this.identity = new Identity(this, 'Identity', {
      domainPrefix: config.authDomainPrefix ?? `examlake-${config.stage}-${this.account}`,
      callbackUrls: config.oauthCallbackUrls,
      logoutUrls: config.oauthLogoutUrls,
      mfaRequired: config.mfa === 'required',
      threatProtection: config.identityFeaturePlan === 'plus',
      deletionProtection: config.deletionProtection,
      destroyOnRemoval: config.destroyDataOnRemoval,
    });

    this.pseudonymKey = new PseudonymKey(this, 'PseudonymKey', { destroyOnRemoval: config.destroyDataOnRemoval });

    // For operators (loading exports, creating users) and for the application's configuration.
    const outputs: Record<string, { value: string; description: string }> = {
      RawBucketName: { value: this.buckets.raw.bucketName, description: 'Upload CSV exports here' },
      CuratedBucketName: { value: this.buckets.curated.bucketName, description: 'Curated Parquet and rejects' },
      ResultsBucketName: { value: this.buckets.results.bucketName, description: 'Athena query results' },
      DocsBucketName: { value: this.buckets.docs.bucketName, description: 'Swagger UI files' },
      CacheTableName: { value: this.tables.cache.tableName, description: 'Query result cache' },
      GrantsTableName: { value: this.tables.grants.tableName, description: 'Partner grants' },
      RunsTableName: { value: this.tables.runs.tableName, description: 'ETL bookmarks and run summaries' },
      GlueDatabaseName: { value: this.catalog.databaseName, description: 'Glue database of the datasets' },
      UserPoolId: { value: this.identity.userPool.userPoolId, description: 'Cognito user pool' },
      UserPoolClientId: { value: this.identity.apiClient.userPoolClientId, description: 'API app client' },
      HostedDomainUrl: { value: this.identity.hostedDomainUrl, description: 'Cognito hosted sign-in' },
    };
    for (const [id, output] of Object.entries(outputs)) new CfnOutput(this, id, output);
  }
}
