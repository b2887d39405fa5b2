import { Logger } from '@aws-lambda-powertools/logger';
import { Metrics } from '@aws-lambda-powertools/metrics';
import { Tracer } from '@aws-lambda-powertools/tracer';
import { apiConfig } from '../../api/config';
import { type Api, createApi } from '../../api/createApi';
import { UnauthenticatedError } from '../../api/errors';

/** The X-Ray SDK's middleware on a captured AWS SDK v3 client (aws-xray-sdk-core, patchers/aws3_p). */
const XRAY_MIDDLEWARE = 'XRaySDKInstrumentation';

const config = apiConfig({
  cacheTable: 'cache',
  runsTable: 'runs',
  grantsTable: 'grants',
  resultsBucket: 'results',
  workGroup: 'wg',
  signingKeySecretId: 'examlake/api-signing-key',
});

/** The composition root as the Lambda runs it (no clients given), with a tracer that traces. */
async function lambdaApi(tracer: Tracer): Promise<Api> {
  return createApi(config, {
    authenticator: {
      authenticate: async () => {
        throw new UnauthenticatedError('no caller in this test');
      },
    },
    telemetry: {
      logger: new Logger({ serviceName: 'examlake-api', logLevel: 'ERROR' }),
      metrics: new Metrics({ namespace: 'examlake', serviceName: 'examlake-api' }),
      tracer,
    },
    // The one port that would call AWS while the API is built; every adapter is still the real one.
    ports: { signingKeys: { keyRing: async () => ({ current: 'k'.repeat(32), previous: undefined }) } },
  });
}

describe('the composition root and X-Ray', () => {
  it('captures every SDK client it builds with the tracer, so each AWS call is a subsegment', async () => {
    // Powertools traces only inside Lambda, which it recognises by AWS_EXECUTION_ENV when the tracer is built.
    process.env.AWS_EXECUTION_ENV = 'AWS_Lambda_nodejs24.x';
    let tracer: Tracer;
    try {
      tracer = new Tracer({ serviceName: 'examlake-api' });
    } finally {
      delete process.env.AWS_EXECUTION_ENV;
    }
    expect(tracer.isTracingEnabled()).toBe(true);
    const api = await lambdaApi(tracer);
    try {
      for (const [name, client] of Object.entries(api.clients)) {
        const middleware = client.middlewareStack.identify().join(' ');
        expect([name, middleware.includes(XRAY_MIDDLEWARE)]).toEqual([name, true]);
      }
    } finally {
      api.close();
    }
  });

  it('leaves clients untraced outside Lambda, where the tracer does not trace', async () => {
    const api = await lambdaApi(new Tracer({ serviceName: 'examlake-api' }));
    try {
      expect(api.clients.s3.middlewareStack.identify().join(' ')).not.toContain(XRAY_MIDDLEWARE);
    } finally {
      api.close();
    }
  });
});
