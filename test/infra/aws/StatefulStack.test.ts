import { Template } from 'aws-cdk-lib/assertions';
import { DATASETS } from '../../../etl/schemas/datasets';
import { AWS_ONLY_BUCKETS } from '../../../infra/aws/constructs/DataBuckets';
import { TABLE_SCHEMA_RESOURCE_TYPE } from '../../../infra/aws/constructs/DataCatalog';
import { CUSTOM_ATTRIBUTES, USER_GROUPS } from '../../../infra/aws/constructs/Identity';
import {
  BUCKETS,
  EXTRACTS_EXPIRE_AFTER_DAYS,
  EXTRACTS_PREFIX,
  GLUE_DATABASE,
  RESULTS_EXPIRE_AFTER_DAYS,
  TABLES,
} from '../../../infra/resources';
import { synthesizeApp } from './synthesizeApp';
import { bucketsByRole, resourcesOfType, roleOf, type TemplateResource, tablesByRole } from './templateQueries';

const ALL_BUCKET_ROLES = [...Object.keys(BUCKETS), ...Object.keys(AWS_ONLY_BUCKETS)];

describe('StatefulStack', () => {
  let template: Template;
  let buckets: Map<string, TemplateResource>;
  let tables: Map<string, TemplateResource>;
  /** A throw-away production-like stage: deletion protection on, data deleted with the stack. */
  let prodDestroy: Template;

  beforeAll(() => {
    template = Template.fromStack(synthesizeApp().stateful);
    buckets = bucketsByRole(template);
    tables = tablesByRole(template);
    prodDestroy = Template.fromStack(
      synthesizeApp({
        stage: 'prod',
        destroyDataOnRemoval: 'true',
        authDomainPrefix: 'examlake-prod-auth',
        oauthCallbackUrls: 'https://docs.example.org/docs/oauth2-redirect.html',
        mfa: 'required',
      }).stateful,
    );
  });

  describe('buckets', () => {
    it('creates one bucket per role of resources.ts plus the docs and access-log buckets', () => {
      expect([...buckets.keys()].sort()).toEqual([...ALL_BUCKET_ROLES].sort());
    });

    it('leaves bucket names to CloudFormation', () => {
      for (const bucket of buckets.values()) expect(bucket.Properties.BucketName).toBeUndefined();
    });

    it('encrypts every bucket with S3-managed keys', () => {
      for (const bucket of buckets.values()) {
        expect(bucket.Properties.BucketEncryption).toEqual({
          ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }],
        });
      }
    });

    it('blocks all public access and disables ACLs on every bucket', () => {
      for (const bucket of buckets.values()) {
        expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        });
        expect(bucket.Properties.OwnershipControls).toEqual({ Rules: [{ ObjectOwnership: 'BucketOwnerEnforced' }] });
      }
    });

    it('denies every request to every bucket that is not over TLS 1.2 or later', () => {
      const policies = resourcesOfType(template, 'AWS::S3::BucketPolicy');
      for (const bucket of buckets.values()) {
        const policy = policies.find((p) => p.Properties.Bucket?.Ref === bucket.logicalId);
        expect(policy).toBeDefined();
        expect(policy!.Properties.PolicyDocument.Statement).toEqual(
          expect.arrayContaining([
            expect.objectContaining({
              Effect: 'Deny',
              Action: 's3:*',
              Principal: { AWS: '*' },
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            expect.objectContaining({
              Effect: 'Deny',
              Action: 's3:*',
              Condition: { NumericLessThan: { 's3:TlsVersion': 1.2 } },
            }),
          ]),
        );
      }
    });

    it('versions exactly the buckets resources.ts marks as versioned', () => {
      for (const [role, definition] of Object.entries(BUCKETS)) {
        const versioning = roleOf(buckets, role).Properties.VersioningConfiguration;
        expect([role, versioning?.Status]).toEqual([role, definition.versioned ? 'Enabled' : undefined]);
      }
    });

    it('expires noncurrent versions and cleans up expired delete markers in the versioned buckets', () => {
      for (const [role, definition] of Object.entries(BUCKETS)) {
        if (!definition.versioned) continue;
        expect(roleOf(buckets, role).Properties.LifecycleConfiguration.Rules).toContainEqual(
          expect.objectContaining({
            NoncurrentVersionExpiration: { NoncurrentDays: 30 },
            ExpiredObjectDeleteMarker: true,
            Status: 'Enabled',
          }),
        );
      }
    });

    it('aborts incomplete multipart uploads within a week in every bucket', () => {
      for (const [role, bucket] of buckets) {
        const abort = bucket.Properties.LifecycleConfiguration.Rules.find(
          (rule: { AbortIncompleteMultipartUpload?: unknown }) => rule.AbortIncompleteMultipartUpload,
        );
        expect([role, abort?.Status]).toEqual([role, 'Enabled']);
        expect(abort.AbortIncompleteMultipartUpload.DaysAfterInitiation).toBeGreaterThanOrEqual(1);
        expect(abort.AbortIncompleteMultipartUpload.DaysAfterInitiation).toBeLessThanOrEqual(7);
      }
    });

    it('expires Athena results after RESULTS_EXPIRE_AFTER_DAYS and nothing else', () => {
      const expiring = [...buckets].filter(([, bucket]) =>
        bucket.Properties.LifecycleConfiguration.Rules.some(
          (rule: { ExpirationInDays?: number }) => rule.ExpirationInDays,
        ),
      );
      expect(expiring.map(([role]) => role).sort()).toEqual(['accessLogs', 'results']);
      expect(roleOf(buckets, 'results').Properties.LifecycleConfiguration.Rules).toContainEqual(
        expect.objectContaining({ ExpirationInDays: RESULTS_EXPIRE_AFTER_DAYS, Status: 'Enabled' }),
      );
      expect(roleOf(buckets, 'results').Properties.LifecycleConfiguration.Rules[0].Prefix).toBeUndefined();
    });

    it('expires extracts (files and records) after EXTRACTS_EXPIRE_AFTER_DAYS, sooner than other results', () => {
      expect(roleOf(buckets, 'results').Properties.LifecycleConfiguration.Rules).toContainEqual(
        expect.objectContaining({
          Id: 'expire-extracts',
          Prefix: EXTRACTS_PREFIX,
          ExpirationInDays: EXTRACTS_EXPIRE_AFTER_DAYS,
          Status: 'Enabled',
        }),
      );
      expect(EXTRACTS_EXPIRE_AFTER_DAYS).toBeLessThan(RESULTS_EXPIRE_AFTER_DAYS);
    });

    it('writes server access logs of every other bucket to the access-log bucket, under the role as prefix', () => {
      const accessLogs = roleOf(buckets, 'accessLogs');
      expect(accessLogs.Properties.LoggingConfiguration).toBeUndefined();
      for (const [role, bucket] of buckets) {
        if (role === 'accessLogs') continue;
        expect(bucket.Properties.LoggingConfiguration).toEqual({
          DestinationBucketName: { Ref: accessLogs.logicalId },
          LogFilePrefix: `${role}/`,
        });
      }
    });

    it('sends Object Created events of the raw bucket to EventBridge natively, without a custom resource', () => {
      expect(roleOf(buckets, 'raw').Properties.NotificationConfiguration).toEqual({
        EventBridgeConfiguration: { EventBridgeEnabled: true },
      });
      template.resourceCountIs('Custom::S3BucketNotifications', 0);
    });

    it('lets only CloudFront distributions of this account read the docs bucket', () => {
      const docs = roleOf(buckets, 'docs');
      const policy = resourcesOfType(template, 'AWS::S3::BucketPolicy').find(
        (p) => p.Properties.Bucket?.Ref === docs.logicalId,
      )!;
      const allows = policy.Properties.PolicyDocument.Statement.filter((s: { Effect: string }) => s.Effect === 'Allow');
      expect(allows).toEqual([
        expect.objectContaining({
          Principal: { Service: 'cloudfront.amazonaws.com' },
          Action: 's3:GetObject',
          Condition: {
            StringEquals: { 'AWS:SourceAccount': { Ref: 'AWS::AccountId' } },
            ArnLike: {
              'AWS:SourceArn': {
                'Fn::Join': [
                  '',
                  ['arn:', { Ref: 'AWS::Partition' }, ':cloudfront::', { Ref: 'AWS::AccountId' }, ':distribution/*'],
                ],
              },
            },
          },
        }),
      ]);
    });

    it('retains every bucket when the stack is deleted or the bucket replaced', () => {
      for (const bucket of buckets.values()) {
        expect([bucket.DeletionPolicy, bucket.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
      }
      template.resourceCountIs('Custom::S3AutoDeleteObjects', 0);
    });

    it('deletes and empties the buckets only when the stage sets destroyDataOnRemoval', () => {
      for (const bucket of bucketsByRole(prodDestroy).values()) expect(bucket.DeletionPolicy).toBe('Delete');
      prodDestroy.resourceCountIs('Custom::S3AutoDeleteObjects', ALL_BUCKET_ROLES.length);
    });
  });

  describe('tables', () => {
    it('creates one table per role of resources.ts, named by CloudFormation', () => {
      expect([...tables.keys()].sort()).toEqual(Object.keys(TABLES).sort());
      for (const table of tables.values()) expect(table.Properties.TableName).toBeUndefined();
    });

    it('bills on demand, with point-in-time recovery and encryption at rest', () => {
      for (const table of tables.values()) {
        expect(table.Properties).toMatchObject({
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
          SSESpecification: { SSEEnabled: true },
        });
      }
    });

    it('turns on TTL on exactly the attribute resources.ts names', () => {
      for (const [role, definition] of Object.entries(TABLES)) {
        const ttl = roleOf(tables, role).Properties.TimeToLiveSpecification;
        expect([role, ttl]).toEqual([
          role,
          definition.ttlAttribute ? { AttributeName: definition.ttlAttribute, Enabled: true } : undefined,
        ]);
      }
    });

    it('retains every table unless destroyDataOnRemoval, and protects them from deletion on prod', () => {
      for (const table of tables.values()) {
        expect([table.DeletionPolicy, table.UpdateReplacePolicy]).toEqual(['Retain', 'Retain']);
        expect(table.Properties.DeletionProtectionEnabled).toBe(false);
      }
      for (const table of tablesByRole(prodDestroy).values()) {
        expect(table.DeletionPolicy).toBe('Delete');
        expect(table.Properties.DeletionProtectionEnabled).toBe(true);
      }
    });
  });

  describe('Glue catalog', () => {
    it('creates the database named by the stage config, examlake by default', () => {
      template.hasResourceProperties('AWS::Glue::Database', {
        CatalogId: { Ref: 'AWS::AccountId' },
        DatabaseInput: { Name: GLUE_DATABASE.name, Description: GLUE_DATABASE.description },
      });
      const named = Template.fromStack(synthesizeApp({ glueDatabaseName: 'examlake_test' }).stateful);
      named.hasResourceProperties('AWS::Glue::Database', { DatabaseInput: { Name: 'examlake_test' } });
    });

    it('owns each dataset table’s schema through Custom::GlueTableSchema, never as an AWS::Glue::Table', () => {
      const app = synthesizeApp();
      for (const stack of [app.stateful, app.stateless]) {
        expect(resourcesOfType(Template.fromStack(stack), 'AWS::Glue::Table')).toEqual([]);
      }
      const schemas = resourcesOfType(template, TABLE_SCHEMA_RESOURCE_TYPE);
      expect(schemas.map((r) => JSON.parse(r.Properties.TableSchema).Name).sort()).toEqual(
        Object.keys(DATASETS).sort(),
      );
      for (const resource of schemas) {
        const schema = JSON.parse(resource.Properties.TableSchema);
        expect(resource.Properties.DatabaseName).toBe(GLUE_DATABASE.name);
        expect(schema.StorageDescriptor.Columns.length).toBeGreaterThan(0);
        expect(schema.Parameters['projection.enabled']).toBe('true');
      }
    });

    it('writes no table location, location template or data version back on update: only a Create reads them', () => {
      // The job moves these three on every run. The one place the templates carry them is the initial state
      // of a table schema resource, which its handler reads on Create only (test/infra/catalog).
      const app = synthesizeApp();
      const jobOwned = ['examlake.data_version', 'storage.location.template', '"Location"'];
      for (const stack of [app.stateful, app.stateless]) {
        const resources = Template.fromStack(stack).toJSON().Resources as Record<string, TemplateResource>;
        for (const [logicalId, resource] of Object.entries(resources)) {
          const { InitialState, ...written } = resource.Properties ?? {};
          const text = JSON.stringify(written).replace(/\\"/g, '"');
          for (const field of jobOwned)
            expect([logicalId, field, text.includes(field)]).toEqual([logicalId, field, false]);
          if (InitialState !== undefined) expect(resource.Type).toBe(TABLE_SCHEMA_RESOURCE_TYPE);
        }
      }
      for (const resource of resourcesOfType(template, TABLE_SCHEMA_RESOURCE_TYPE)) {
        const initial = JSON.stringify(resource.Properties.InitialState);
        for (const field of ['examlake.data_version', 'storage.location.template', 'location']) {
          expect(initial).toContain(field);
        }
      }
    });
  });

  describe('identity', () => {
    it('creates the four groups of the access design', () => {
      const names = resourcesOfType(template, 'AWS::Cognito::UserPoolGroup').map((g) => g.Properties.GroupName);
      expect(names.sort()).toEqual(['analyst', 'partner', 'school_admin', 'steward']);
      expect(Object.keys(USER_GROUPS).sort()).toEqual(names);
    });

    it('declares the scope attributes as mutable strings that users cannot write themselves', () => {
      const [pool] = resourcesOfType(template, 'AWS::Cognito::UserPool');
      for (const name of Object.keys(CUSTOM_ATTRIBUTES)) {
        expect(pool!.Properties.Schema).toContainEqual(
          expect.objectContaining({ Name: name, AttributeDataType: 'String', Mutable: true }),
        );
      }
      const [client] = resourcesOfType(template, 'AWS::Cognito::UserPoolClient');
      expect(client!.Properties.ReadAttributes).toEqual(
        expect.arrayContaining(['custom:school_ids', 'custom:district_ids', 'custom:partner_id']),
      );
      expect(client!.Properties.WriteAttributes).toEqual(['name']);
    });

    it('lets only administrators create users, with a strong password policy and optional TOTP', () => {
      template.hasResourceProperties('AWS::Cognito::UserPool', {
        AdminCreateUserConfig: { AllowAdminCreateUserOnly: true },
        Policies: {
          PasswordPolicy: {
            MinimumLength: 12,
            RequireLowercase: true,
            RequireUppercase: true,
            RequireNumbers: true,
            RequireSymbols: true,
          },
        },
        MfaConfiguration: 'OPTIONAL',
        EnabledMfas: ['SOFTWARE_TOKEN_MFA'],
        UserPoolTier: 'PLUS',
        UserPoolAddOns: { AdvancedSecurityMode: 'ENFORCED' },
        DeletionProtection: 'INACTIVE',
      });
    });

    it('requires MFA and protects the pool from deletion when the stage says so', () => {
      prodDestroy.hasResourceProperties('AWS::Cognito::UserPool', {
        MfaConfiguration: 'ON',
        DeletionProtection: 'ACTIVE',
      });
    });

    it('retains the user pool unless destroyDataOnRemoval', () => {
      template.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
      prodDestroy.hasResource('AWS::Cognito::UserPool', { DeletionPolicy: 'Delete' });
    });

    it('gives the API a public app client using the authorization-code flow back to Swagger UI and examlake login', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        GenerateSecret: false,
        AllowedOAuthFlows: ['code'],
        AllowedOAuthFlowsUserPoolClient: true,
        AllowedOAuthScopes: ['openid', 'email', 'profile'],
        CallbackURLs: ['http://localhost:3000/docs/oauth2-redirect.html', 'http://localhost:8765/callback'],
        PreventUserExistenceErrors: 'ENABLED',
        SupportedIdentityProviders: ['COGNITO'],
      });
      prodDestroy.hasResourceProperties('AWS::Cognito::UserPoolClient', {
        CallbackURLs: ['https://docs.example.org/docs/oauth2-redirect.html'],
      });
    });

    it('hosts the sign-in pages under the configured prefix, by default one unique to stage and account', () => {
      template.hasResourceProperties('AWS::Cognito::UserPoolDomain', {
        Domain: { 'Fn::Join': ['', ['examlake-dev-', { Ref: 'AWS::AccountId' }]] },
      });
      prodDestroy.hasResourceProperties('AWS::Cognito::UserPoolDomain', { Domain: 'examlake-prod-auth' });
    });
  });

  it('outputs the names operators and the application need', () => {
    const outputs = Object.keys(template.findOutputs('*'));
    expect(outputs).toEqual(
      expect.arrayContaining([
        'RawBucketName',
        'CuratedBucketName',
        'ResultsBucketName',
        'CacheTableName',
        'GrantsTableName',
        'RunsTableName',
        'GlueDatabaseName',
        'UserPoolId',
        'UserPoolClientId',
        'HostedDomainUrl',
      ]),
    );
  });
});
