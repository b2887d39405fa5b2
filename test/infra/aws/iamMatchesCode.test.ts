import path from 'node:path';
import type { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { CfnRole, IRole } from 'aws-cdk-lib/aws-iam';
import { ATHENA_CALLER_ACTIONS } from '../../../infra/aws/constructs/ApiFunction';
import { LAMBDA_RUNTIME_ACTIONS, PROJECT_ROOT } from '../../../infra/aws/constructs/ExamlakeFunction';
import { GLUE_SERVICE_ACTIONS, TRANSFORM_SCRIPT } from '../../../infra/aws/constructs/TransformJob';
import { boto3CallsIn, boto3CallsOf, type SdkCall, sdkCallsIn, sdkCallsOf } from './support/sdkCallScan';
import { synthesizeApp } from './synthesizeApp';
import { resourcesOfType } from './templateQueries';

/** One principal: the code it runs, its role, and what it may hold beyond its code's calls (with reasons). */
interface Principal {
  readonly name: string;
  /** The stack holding the role. @default the stateless stack */
  readonly stack?: 'stateful';
  readonly calls: () => SdkCall[];
  readonly role: IRole;
  readonly serviceActions: Readonly<Record<string, string>>;
}

/** Actions on every statement of every policy attached to the role (inline or managed by the stack). */
function grantedActions(template: Template, stack: Stack, role: IRole): Set<string> {
  const roleId = stack.getLogicalId(role.node.defaultChild as CfnRole);
  const actions = new Set<string>();
  for (const policy of resourcesOfType(template, 'AWS::IAM::Policy')) {
    if (!(policy.Properties.Roles as { Ref?: string }[]).some((r) => r.Ref === roleId)) continue;
    for (const statement of policy.Properties.PolicyDocument.Statement as { Action: string | string[] }[]) {
      for (const action of ([] as string[]).concat(statement.Action)) actions.add(action);
    }
  }
  return actions;
}

describe('IAM grants match the AWS calls of the code', () => {
  let template: Template;
  let stack: Stack;
  let statefulStack: Stack;
  let statefulTemplate: Template;
  let principals: Principal[];
  const grantsOf = (p: Principal) =>
    p.stack === 'stateful'
      ? grantedActions(statefulTemplate, statefulStack, p.role)
      : grantedActions(template, stack, p.role);

  beforeAll(() => {
    const { stateless, stateful } = synthesizeApp();
    stack = stateless;
    template = Template.fromStack(stateless);
    statefulStack = stateful;
    statefulTemplate = Template.fromStack(stateful);
    principals = [
      {
        name: 'API function (api/handler.ts)',
        calls: () => sdkCallsOf(PROJECT_ROOT, 'api/handler.ts'),
        role: stateless.api.fn.role,
        serviceActions: { ...LAMBDA_RUNTIME_ACTIONS, ...ATHENA_CALLER_ACTIONS },
      },
      {
        name: 'ingest trigger (etl/orchestration/ingestTriggerHandler.ts)',
        calls: () => sdkCallsOf(PROJECT_ROOT, 'etl/orchestration/ingestTriggerHandler.ts'),
        role: stateless.etl.ingest.role,
        serviceActions: LAMBDA_RUNTIME_ACTIONS,
      },
      {
        name: 'job-state recorder (etl/orchestration/jobStateHandler.ts)',
        calls: () => sdkCallsOf(PROJECT_ROOT, 'etl/orchestration/jobStateHandler.ts'),
        role: stateless.etl.jobState.role,
        serviceActions: LAMBDA_RUNTIME_ACTIONS,
      },
      {
        name: `transform job (${path.dirname(TRANSFORM_SCRIPT)}: the script and the package it ships)`,
        calls: () => boto3CallsOf(PROJECT_ROOT, path.dirname(TRANSFORM_SCRIPT)),
        role: stateless.transform.role,
        serviceActions: GLUE_SERVICE_ACTIONS,
      },
      {
        name: 'table schema resource (infra/catalog/tableSchemaHandler.ts)',
        stack: 'stateful',
        calls: () => sdkCallsOf(PROJECT_ROOT, 'infra/catalog/tableSchemaHandler.ts'),
        role: stateful.catalog.schemaFunction.role,
        serviceActions: LAMBDA_RUNTIME_ACTIONS,
      },
    ];
  });

  it('grants every action the code of each function and of the Glue job calls', () => {
    const missing = principals.flatMap((p) => {
      const granted = grantsOf(p);
      return p
        .calls()
        .filter((call) => !granted.has(call.action))
        .map((call) => `${p.name}: ${call.action} (called at ${call.at}) is not granted`);
    });
    expect(missing).toEqual([]);
  });

  it('grants no action that neither the code calls nor the service needs', () => {
    const unused = principals.flatMap((p) => {
      const called = new Set(p.calls().map((call) => call.action));
      return [...grantsOf(p)]
        .filter((action) => !called.has(action) && !(action in p.serviceActions))
        .map((action) => `${p.name}: ${action} is granted but never called`);
    });
    expect(unused).toEqual([]);
  });

  it('finds calls in the code, so an empty scan cannot pass for least privilege', () => {
    for (const p of principals) expect([p.name, p.calls().length > 0]).toEqual([p.name, true]);
  });

  it('gives every role of either stack a principal above, so none escapes the comparison', () => {
    const covered = new Set(
      principals.map((p) =>
        (p.stack === 'stateful' ? statefulStack : stack).getLogicalId(p.role.node.defaultChild as CfnRole),
      ),
    );
    const codeRoles = [
      ...resourcesOfType(template, 'AWS::IAM::Role'),
      ...resourcesOfType(statefulTemplate, 'AWS::IAM::Role'),
    ]
      .filter((r) => !r.logicalId.startsWith('DocsSiteDeployRole'))
      .map((r) => r.logicalId);
    expect(codeRoles.filter((id) => !covered.has(id))).toEqual([]);
  });
});

describe('the SDK call scan', () => {
  it('maps commands, document-client commands, paginators and aliases to IAM actions', () => {
    const source = `
      import { GetObjectCommand, HeadObjectCommand as Head, paginateListObjectsV2 } from '@aws-sdk/client-s3';
      import { GetCommand, BatchWriteCommand } from '@aws-sdk/lib-dynamodb';
      import { type StartQueryExecutionCommandInput, StartQueryExecutionCommand } from '@aws-sdk/client-athena';
      import type { GetTableCommand } from '@aws-sdk/client-glue';
      await s3.send(new GetObjectCommand({}));
      await s3.send(new Head({}));
      for await (const page of paginateListObjectsV2({ client }, {})) {}
      await doc.send(new GetCommand({})); await doc.send(new BatchWriteCommand({}));
      await athena.send(new StartQueryExecutionCommand({}));
    `;
    expect(sdkCallsIn('x.ts', source).map((c) => c.action)).toEqual([
      's3:GetObject',
      's3:GetObject',
      's3:ListBucket',
      'dynamodb:GetItem',
      'dynamodb:BatchWriteItem',
      'athena:StartQueryExecution',
    ]);
  });

  it('maps a Powertools Parameters provider to the calls its get sends', () => {
    const source = `
      import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
      const provider = new SecretsProvider({ awsSdkV3Client: client });
    `;
    expect(sdkCallsIn('keys.ts', source).map((c) => c.action)).toEqual(['secretsmanager:GetSecretValue']);
  });

  it('maps boto3 calls on clients bound in another module by their operation names', () => {
    const source = [
      'table = self._glue.get_table(DatabaseName=d, Name=n)["Table"]',
      'for page in clients["s3"].get_paginator("list_objects_v2").paginate(Bucket=b): pass',
      'pages = self._db.get_paginator("query").paginate(TableName=t)',
      'self._s3.copy_object(Bucket=b, Key=k, CopySource=s)',
      'value = secrets.get_secret_value(SecretId=s)',
      'df.write.parquet(path)',
    ].join('\n');
    expect(boto3CallsIn('core.py', source).map((c) => c.action)).toEqual([
      'glue:GetTable',
      's3:ListBucket',
      'dynamodb:Query',
      's3:GetObject',
      's3:PutObject',
      'secretsmanager:GetSecretValue',
    ]);
  });

  it('maps boto3 client calls, paginators and table resources to IAM actions', () => {
    const source = [
      's3 = boto3.client("s3")',
      'runs = boto3.resource("dynamodb").Table(name)',
      'for page in s3.get_paginator("list_objects_v2").paginate(Bucket=b): pass',
      'body = s3.get_object(Bucket=b, Key=k)',
      'secret = boto3.client("secretsmanager").get_secret_value(SecretId=s)',
      'with runs.batch_writer() as batch: batch.put_item(Item={})',
      'runs.put_item(Item={})',
    ].join('\n');
    expect(boto3CallsIn('job.py', source).map((c) => c.action)).toEqual([
      's3:ListBucket',
      's3:GetObject',
      'secretsmanager:GetSecretValue',
      'dynamodb:BatchWriteItem',
      'dynamodb:PutItem',
    ]);
  });
});
