import { Duration, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { type ISecret, Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';
import { DATASETS } from '../../../etl/schemas/datasets';
import { API_SETTINGS } from '../../../settings/apiSettings';
import { ATHENA_RESULTS_PREFIX, EXTRACTS_PREFIX } from '../../resources';
import { everyFinding } from '../ExamlakeNagChecks';
import { ExamlakeFunction } from './ExamlakeFunction';

/** Files of `swagger-ui-dist` the API serves under `/docs/` (see `api/operations/metaOperations.ts`). */
const SWAGGER_UI_FILES = [
  'package.json',
  'swagger-ui.css',
  'index.css',
  'swagger-ui-bundle.js',
  'swagger-ui-standalone-preset.js',
  'oauth2-redirect.html',
  'oauth2-redirect.js',
  'favicon-32x32.png',
  'favicon-16x16.png',
] as const;

/** Where the bundle sits inside the asset: the source tree's place of `api/http/openapiDocument.ts`. */
export const API_BUNDLE_DIR = 'api/http';

/**
 * Actions the API's role holds that its own code never calls: Athena performs them with the caller's
 * credentials while it runs the query (reads the catalog and the curated objects, writes the result object).
 * The IAM test allows exactly these beyond the SDK calls it finds in the code.
 */
export const ATHENA_CALLER_ACTIONS = {
  'glue:GetDatabase': 'Athena resolves the database of every query',
  'glue:GetTable': 'Athena reads the table definition (and partition projection) of every table a query names',
  's3:GetBucketLocation': 'Athena checks the region of the data and results buckets',
  's3:ListBucket':
    'Athena lists the objects of each partition it scans (dataset prefixes only); on the results bucket it also makes S3 answer a missing ' +
    'result object with 404 (a cache miss) instead of 403',
  's3:GetObject': 'Athena reads the curated Parquet objects',
  's3:PutObject': 'Athena writes the result CSV and its metadata to the results bucket, and UNLOAD the extract files',
  's3:AbortMultipartUpload': 'Athena aborts its multipart upload of a large result when a query fails',
  's3:ListMultipartUploadParts': 'Athena assembles large results from parts',
} as const;

export interface ApiFunctionProps {
  readonly cacheTable: ITable;
  readonly grantsTable: ITable;
  readonly runsTable: ITable;
  readonly resultsBucket: IBucket;
  readonly curatedBucket: IBucket;
  /** The student-key secret (stateful stack): partner student keys in extracts derive from it. */
  readonly pseudonymKey: ISecret;
  readonly workGroupName: string;
  readonly workGroupArn: string;
  readonly glueDatabaseName: string;
  readonly glueCatalogArn: string;
  readonly glueDatabaseArn: string;
  /** ARN of a table of the database. */
  readonly glueTableArn: (name: string) => string;
  readonly memorySizeMb: number;
  readonly reservedConcurrentExecutions: number | undefined;
  readonly logRetentionDays: number;
  readonly retainLogs: boolean;
  /** The user pool whose ID tokens the API accepts. */
  readonly userPoolId: string;
  /** The app client those tokens must be issued for (`aud`). */
  readonly clientId: string;
  /** Origins whose browsers may read responses (the docs site's); `*` for any. */
  readonly corsAllowOrigins: readonly string[];
  /** @default false (see `ExamlakeFunctionProps.sourceMaps`) */
  readonly sourceMaps?: boolean;
}

/**
 * The API Lambda (`api/handler.ts`): the configuration `api/config.ts` reads, named from `API_SETTINGS`, and
 * exactly the access its query path needs.
 *
 * The bundle is placed at `api/http/index.js` inside the asset, with `openapi.yaml` at the asset root and the
 * Swagger UI files under `node_modules/swagger-ui-dist/`: the same relative layout as the source tree, so the
 * code finds its contract and docs assets the way it does locally.
 */
export class ApiFunction extends Construct {
  readonly fn: ExamlakeFunction;
  /** HMAC key of page tokens and query handles, generated at deployment, rotated by hand, read at run time. */
  readonly signingSecret: Secret;
  /** The role's policy of object-prefix grants (the only wildcards it holds besides X-Ray). */
  objectAccess!: Policy;

  constructor(scope: Construct, id: string, props: ApiFunctionProps) {
    super(scope, id);
    this.signingSecret = new Secret(this, 'SigningSecret', {
      description: 'examlake API: HMAC key signing page tokens and query handles',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(this.signingSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        'Rotated by hand with put-secret-value (docs/deploy.md, "Rotate the signing key"): the function reads ' +
        'AWSCURRENT and AWSPREVIOUS at run time, so no rotation Lambda is needed to keep tokens valid across it.',
    });
    const S = API_SETTINGS;
    this.fn = new ExamlakeFunction(this, 'Api', {
      entry: 'api/handler.ts',
      handler: `${API_BUNDLE_DIR}/index.handler`,
      description: 'examlake REST API: reports and datasets through the query cache and Athena',
      serviceName: 'examlake-api',
      memorySizeMb: props.memorySizeMb,
      // API Gateway gives up after 29 s; the API answers 202 with a handle long before (queryWaitMs).
      timeout: Duration.seconds(29),
      reservedConcurrentExecutions: props.reservedConcurrentExecutions,
      sourceMaps: props.sourceMaps,
      logRetentionDays: props.logRetentionDays,
      retainLogs: props.retainLogs,
      environment: {
        [S.cacheTable.env]: props.cacheTable.tableName,
        [S.grantsTable.env]: props.grantsTable.tableName,
        [S.runsTable.env]: props.runsTable.tableName,
        [S.resultsBucket.env]: props.resultsBucket.bucketName,
        [S.workGroup.env]: props.workGroupName,
        [S.glueDatabase.env]: props.glueDatabaseName,
        // The secret's ARN only: the key itself is read at run time (never in the environment or the template).
        [S.signingKeySecretId.env]: this.signingSecret.secretArn,
        [S.studentKeySecretId.env]: props.pseudonymKey.secretArn,
        [S.authMode.env]: 'cognito',
        [S.userPoolId.env]: props.userPoolId,
        [S.clientId.env]: props.clientId,
        [S.corsAllowOrigins.env]: props.corsAllowOrigins.join(','),
      },
      // Resolved at run time (`require.resolve`) to find the Swagger UI files; copied in below. HiGHS (the open
      // data interval audit) loads its WebAssembly from beside its own script, so it ships as a module too.
      externalModules: ['swagger-ui-dist', 'highs'],
      afterBundling: (inputDir, outputDir) => [
        `mkdir -p "${outputDir}/${API_BUNDLE_DIR}" "${outputDir}/node_modules/swagger-ui-dist" "${outputDir}/node_modules/highs/build"`,
        `cp "${inputDir}/node_modules/highs/package.json" "${outputDir}/node_modules/highs/"`,
        `cp "${inputDir}/node_modules/highs/build/highs.js" "${inputDir}/node_modules/highs/build/highs.wasm" "${outputDir}/node_modules/highs/build/"`,
        `mv "${outputDir}/index.js"${props.sourceMaps ? ` "${outputDir}/index.js.map"` : ''} "${outputDir}/${API_BUNDLE_DIR}/"`,
        `cp "${inputDir}/openapi.yaml" "${outputDir}/openapi.yaml"`,
        `cd "${inputDir}/node_modules/swagger-ui-dist" && cp ${SWAGGER_UI_FILES.join(' ')} "${outputDir}/node_modules/swagger-ui-dist/"`,
      ],
    });
    this.grant(props);
  }

  private grant(props: ApiFunctionProps): void {
    const role = this.fn.role;
    const statement = (sid: string, actions: string[], resources: string[]) =>
      new PolicyStatement({ sid, actions, resources });
    const datasets = Object.keys(DATASETS);
    for (const granted of [
      statement(
        'RunQueriesInTheWorkGroup',
        ['athena:StartQueryExecution', 'athena:GetQueryExecution', 'athena:GetQueryResults'],
        [props.workGroupArn],
      ),
      statement(
        'ReadTheCatalog',
        ['glue:GetDatabase', 'glue:GetTable'],
        [props.glueCatalogArn, props.glueDatabaseArn, ...datasets.map(props.glueTableArn)],
      ),
      statement(
        'FindBuckets',
        ['s3:GetBucketLocation'],
        [props.resultsBucket.bucketArn, props.curatedBucket.bucketArn],
      ),
      // The whole results bucket: S3 then answers a missing (expired) result object with 404, a cache miss.
      statement('ListQueryResults', ['s3:ListBucket'], [props.resultsBucket.bucketArn]),
      // Of the curated bucket, only the datasets' prefixes: `_rejects/` keeps original lines with personal data.
      new PolicyStatement({
        sid: 'ListCuratedDatasets',
        actions: ['s3:ListBucket'],
        resources: [props.curatedBucket.bucketArn],
        conditions: { StringLike: { 's3:prefix': datasets.map((dataset) => `${dataset}/*`) } },
      }),
      statement(
        'UseTheCache',
        ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        [props.cacheTable.tableArn],
      ),
      statement(
        'ManagePartnerGrants',
        ['dynamodb:GetItem', 'dynamodb:PutItem', 'dynamodb:DeleteItem'],
        [props.grantsTable.tableArn],
      ),
      statement('ReadRunSummaries', ['dynamodb:GetItem'], [props.runsTable.tableArn]),
      statement('ReadTheSigningKey', ['secretsmanager:GetSecretValue'], [this.signingSecret.secretArn]),
      statement('ReadThePseudonymKey', ['secretsmanager:GetSecretValue'], [props.pseudonymKey.secretArn]),
    ]) {
      role.addToPrincipalPolicy(granted);
    }

    // Object keys are only known at run time (dataset files, query execution ids): these grants are prefixes.
    // They live in a policy of their own, so the acknowledgment of their wildcards covers nothing else.
    this.objectAccess = new Policy(this, 'ObjectPrefixes', {
      roles: [role],
      statements: [
        // Only the datasets' prefixes: rejects (`_rejects/`) keep original lines with personal data.
        statement(
          'ReadCuratedDatasets',
          ['s3:GetObject'],
          datasets.map((dataset) => props.curatedBucket.arnForObjects(`${dataset}/*`)),
        ),
        statement(
          'ReadAndWriteQueryResults',
          ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          [props.resultsBucket.arnForObjects(`${ATHENA_RESULTS_PREFIX}*`)],
        ),
        // Extracts: Athena UNLOAD writes the files, the API their records; pre-signed URLs read with this role.
        statement(
          'ManageExtracts',
          ['s3:GetObject', 's3:PutObject', 's3:DeleteObject', 's3:AbortMultipartUpload', 's3:ListMultipartUploadParts'],
          [props.resultsBucket.arnForObjects(`${EXTRACTS_PREFIX}*`)],
        ),
      ],
    });
    Validations.of(this.objectAccess).acknowledge({
      id: everyFinding('AwsSolutions-IAM5'),
      reason:
        'Object ARNs under fixed prefixes (curated dataset folders, Athena results, extracts): keys are named at run time. ' +
        'This policy holds nothing else (test/infra/aws/StatelessStack.test.ts checks it).',
    });
  }
}
