import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { AthenaClient } from '@aws-sdk/client-athena';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GlueClient } from '@aws-sdk/client-glue';
import { S3Client } from '@aws-sdk/client-s3';
import type { Caller } from '../../../api/access/Caller';
import type { ApiConfig } from '../../../api/config';
import { apiConfig } from '../../../api/config';
import { type Api, type AwsClients, createApi } from '../../../api/createApi';
import { UnauthenticatedError } from '../../../api/errors';
import { LOCAL_RESOURCE_NAMES } from '../../../infra/local/bootstrap';
import { LocalGateway } from '../../../infra/local/gateway/LocalGateway';
import { TABLES } from '../../../infra/resources';
import { startTestStack, type TestStack } from '../../support/localStack';
import { caller } from './callers';

/**
 * The local stack and API for access tests. Identity is the identity issue's part: here a token is simply the
 * base64url JSON of the caller it names (`tokenFor`), accepted by the gateway and the handler alike, so these
 * tests exercise scopes, grants, audit and throttling, not token verification.
 */
export interface AccessTestApi {
  readonly stack: TestStack;
  readonly api: Api;
  readonly clients: AwsClients;
  readonly url: string;
  /** Every audit record written so far. */
  readonly audit: Record<string, unknown>[];
  stop(): Promise<void>;
}

export function tokenFor(role: Caller['role'], extra: Partial<Caller> = {}): string {
  return Buffer.from(JSON.stringify(caller(role, extra))).toString('base64url');
}

export function bearer(role: Caller['role'], extra: Partial<Caller> = {}): Record<string, string> {
  return { authorization: `Bearer ${tokenFor(role, extra)}` };
}

function decode(token: string): Caller {
  try {
    return JSON.parse(Buffer.from(token, 'base64url').toString('utf8')) as Caller;
  } catch (err) {
    throw new UnauthenticatedError('Not a test token.', err);
  }
}

export async function startAccessTestApi(settings: Partial<ApiConfig> = {}): Promise<AccessTestApi> {
  const stack = await startTestStack();
  const audit: Record<string, unknown>[] = [];
  // Powertools writes JSON lines to process.stdout: capture the audit records from the stream, pass the rest on.
  const write = process.stdout.write.bind(process.stdout);
  const capture = jest.spyOn(process.stdout, 'write').mockImplementation(((chunk: unknown, ...rest: unknown[]) => {
    const text = String(chunk);
    if (!text.includes('"audit":{')) return (write as (...a: unknown[]) => boolean)(chunk, ...rest);
    for (const line of text.split('\n').filter(Boolean)) audit.push(JSON.parse(line).audit);
    return true;
  }) as typeof process.stdout.write);
  const auditLogger = new Logger({ serviceName: 'examlake-api', logLevel: 'INFO' });
  // INTERIM: the local stack's DynamoDB is a shell on main until issue 2 lands; until then the API's DynamoDB
  // client talks to dynalite (the engine the local stack embeds) on its own port. Switch to the stack endpoint then.
  // biome-ignore lint/suspicious/noExplicitAny: dynalite ships no types
  const dynalite: Server = (require('dynalite') as (o: object) => any)({ createTableMs: 0 });
  await new Promise<void>((resolve) => dynalite.listen(0, '127.0.0.1', () => resolve()));
  const dynamoEndpoint = `http://127.0.0.1:${(dynalite.address() as AddressInfo).port}`;
  const clients: AwsClients = {
    athena: new AthenaClient(stack.clientConfig),
    dynamodb: new DynamoDBClient({ ...stack.clientConfig, endpoint: dynamoEndpoint }),
    glue: new GlueClient(stack.clientConfig),
    s3: new S3Client(stack.clientConfig),
  };
  const closeAll = async () => {
    capture.mockRestore();
    for (const client of Object.values(clients)) client.destroy();
    await new Promise((resolve) => dynalite.close(resolve));
    await stack.stop();
  };
  try {
    await clients.dynamodb.send(
      new CreateTableCommand({
        TableName: LOCAL_RESOURCE_NAMES.grantsTable,
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [{ AttributeName: TABLES.grants.partitionKey, KeyType: 'HASH' }],
        AttributeDefinitions: [{ AttributeName: TABLES.grants.partitionKey, AttributeType: 'S' }],
      }),
    );
    const config = apiConfig({
      cacheTable: LOCAL_RESOURCE_NAMES.cacheTable,
      runsTable: LOCAL_RESOURCE_NAMES.runsTable,
      grantsTable: LOCAL_RESOURCE_NAMES.grantsTable,
      resultsBucket: LOCAL_RESOURCE_NAMES.resultsBucket,
      workGroup: LOCAL_RESOURCE_NAMES.workGroup,
      glueDatabase: LOCAL_RESOURCE_NAMES.glueDatabase,
      signingSecret: 'access-tests-signing-secret-0123456789',
      ...settings,
    });
    const api = await createApi(config, {
      clients,
      authenticator: { authenticate: async (token) => decode(token) },
      telemetry: {
        logger: new Logger({ serviceName: 'examlake-api', logLevel: 'ERROR' }),
        metrics: new Metrics({ namespace: 'examlake', serviceName: 'examlake-api' }),
        tracer: new Tracer({ serviceName: 'examlake-api', enabled: false }),
        audit: auditLogger,
      },
    });
    const gateway = await LocalGateway.listen({
      port: 0,
      handler: api.handler,
      document: api.contract.document,
      checkToken: async (token) => ({ ...decode(token) }),
    });
    return {
      stack,
      api,
      clients,
      url: gateway.url,
      audit,
      async stop() {
        await gateway.close();
        await closeAll();
      },
    };
  } catch (err) {
    await closeAll();
    throw err;
  }
}
