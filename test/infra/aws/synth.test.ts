import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { API_BUNDLE_DIR } from '../../../infra/aws/constructs/ApiFunction';
import { bootstrapSecrets, LOCAL_RESOURCE_NAMES } from '../../../infra/local/bootstrap';
import { startTestStack } from '../../support/localStack';
import { synthesizeApp } from './synthesizeApp';

const run = promisify(execFile);

/** A minimal API Gateway REST proxy event, as the stage delivers it. */
function proxyEvent(method: string, requestPath: string) {
  return {
    httpMethod: method,
    path: requestPath,
    resource: requestPath,
    headers: { Accept: 'application/json' },
    multiValueHeaders: {},
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: null,
    stageVariables: null,
    body: null,
    isBase64Encoded: false,
    requestContext: { requestId: 'synth-test', path: `/api${requestPath}`, stage: 'api' },
  };
}

/**
 * What `npm run synth` does (`cdk synth` runs `infra/aws/app.ts`), in process: the whole app with its functions
 * bundled by esbuild on this machine. No AWS credentials and no Docker are involved: the environment of this
 * process has neither, and the assembly is written all the same.
 */
describe('synthesis of the whole app', () => {
  let outdir: string;
  let apiAsset: string;

  beforeAll(() => {
    outdir = mkdtempSync(path.join(os.tmpdir(), 'examlake-cdk-out-'));
    const { app } = synthesizeApp({}, { bundle: true, outdir });
    app.synth();
    const assetDirs = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    const api = assetDirs.find((dir) => existsSync(path.join(outdir, dir, API_BUNDLE_DIR, 'index.js')));
    if (!api) throw new Error(`No asset holds ${API_BUNDLE_DIR}/index.js among ${assetDirs.join(', ')}`);
    apiAsset = path.join(outdir, api);
  });

  afterAll(() => {
    rmSync(outdir, { recursive: true, force: true });
  });

  it('writes both stacks and their asset manifests (synthesis would throw on any cdk-nag finding)', () => {
    const manifest = JSON.parse(readFileSync(path.join(outdir, 'manifest.json'), 'utf8'));
    const stacks = Object.entries(manifest.artifacts as Record<string, { type: string }>)
      .filter(([, artifact]) => artifact.type === 'aws:cloudformation:stack')
      .map(([id]) => id)
      .sort();
    expect(stacks).toEqual(['examlake-dev-stateful', 'examlake-dev-stateless']);
    for (const stack of stacks) {
      expect(existsSync(path.join(outdir, `${stack}.template.json`))).toBe(true);
      expect(existsSync(path.join(outdir, `${stack}.assets.json`))).toBe(true);
    }
  });

  it('bundles each function into one file, with the SDK inside and no source map (sourceMaps is off by default)', () => {
    const bundles = readdirSync(outdir)
      .filter((name) => name.startsWith('asset.'))
      .map((dir) => path.join(outdir, dir))
      .filter(
        (dir) => existsSync(path.join(dir, 'index.js')) || existsSync(path.join(dir, API_BUNDLE_DIR, 'index.js')),
      );
    expect(bundles).toHaveLength(4);
    for (const dir of bundles) {
      const file = existsSync(path.join(dir, 'index.js'))
        ? path.join(dir, 'index.js')
        : path.join(dir, API_BUNDLE_DIR, 'index.js');
      expect([file, existsSync(`${file}.map`)]).toEqual([file, false]);
      // Clients are inside the bundle, not required from the runtime's copy of the SDK.
      const requiresRuntimeSdk = /require\("@aws-sdk\/(client|lib)-/.test(readFileSync(file, 'utf8'));
      expect([file, requiresRuntimeSdk]).toEqual([file, false]);
    }
  });

  it("bundles the web app into the docs site's asset under app/, built by esbuild at synth", () => {
    const web = readdirSync(outdir)
      .filter((name) => name.startsWith('asset.'))
      .map((dir) => path.join(outdir, dir, 'app'))
      .filter((dir) => existsSync(path.join(dir, 'index.html')));
    expect(web).toHaveLength(1);
    expect(readdirSync(web[0]!).sort()).toEqual(['index.html', 'main.css', 'main.js']);
    expect(readFileSync(path.join(web[0]!, 'index.html'), 'utf8')).toContain('/app/main.js');
  });

  it('ships the Glue script and the schema document the script reads', () => {
    const files = readdirSync(outdir).filter((name) => name.startsWith('asset.'));
    const script = files.find((name) => name.endsWith('.py'));
    const schema = files.find((name) => name.endsWith('.json'));
    expect(script).toBeDefined();
    expect(readFileSync(path.join(outdir, script!), 'utf8')).toContain('getResolvedOptions');
    expect(JSON.parse(readFileSync(path.join(outdir, schema!), 'utf8')).formatVersion).toBe(1);
  });

  it('runs the bundled API handler: health, the contract and the docs assets from the asset alone', async () => {
    // The handler reads its signing key from Secrets Manager at start: a local stack's, through AWS_ENDPOINT_URL.
    const stack = await startTestStack();
    await bootstrapSecrets(stack.clientConfig);
    const script = `
      const { handler } = require('./${API_BUNDLE_DIR}/index.js');
      (async () => {
        const out = [];
        for (const event of JSON.parse(process.argv[1])) {
          const r = await handler(event, undefined);
          out.push({ statusCode: r.statusCode, type: r.headers['Content-Type'] ?? r.headers['content-type'], length: r.body.length });
        }
        process.stdout.write(JSON.stringify(out));
      })().catch((err) => { console.error(err); process.exit(1); });
    `;
    const events = [
      proxyEvent('GET', '/v1/health'),
      proxyEvent('GET', '/openapi.yaml'),
      proxyEvent('GET', '/docs/swagger-ui.css'),
    ];
    const { stdout } = await run(process.execPath, ['-e', script, JSON.stringify(events)], {
      cwd: apiAsset,
      env: {
        PATH: process.env.PATH,
        AWS_REGION: 'eu-west-1',
        AWS_ENDPOINT_URL: stack.endpoint,
        AWS_ACCESS_KEY_ID: stack.clientConfig.credentials.accessKeyId,
        AWS_SECRET_ACCESS_KEY: stack.clientConfig.credentials.secretAccessKey,
        EXAMLAKE_CACHE_TABLE: 'cache',
        EXAMLAKE_RUNS_TABLE: 'runs',
        EXAMLAKE_GRANTS_TABLE: 'grants',
        EXAMLAKE_RESULTS_BUCKET: 'results',
        EXAMLAKE_WORKGROUP: 'workgroup',
        EXAMLAKE_SIGNING_KEY_SECRET_ID: LOCAL_RESOURCE_NAMES.signingKeySecret,
        EXAMLAKE_AUTH_MODE: 'cognito',
        EXAMLAKE_USER_POOL_ID: 'eu-west-1_AbCdEf123',
        EXAMLAKE_CLIENT_ID: 'client',
        POWERTOOLS_LOG_LEVEL: 'SILENT',
        POWERTOOLS_METRICS_NAMESPACE: 'examlake',
        POWERTOOLS_DEV: 'true',
      },
    }).finally(() => stack.stop());
    const [health, contract, css] = JSON.parse(stdout);
    expect(health).toMatchObject({ statusCode: 200, type: expect.stringContaining('json') });
    expect(contract).toMatchObject({ statusCode: 200, type: expect.stringContaining('yaml') });
    expect(contract.length).toBe(readFileSync(path.join(apiAsset, 'openapi.yaml'), 'utf8').length);
    expect(css).toMatchObject({ statusCode: 200, type: expect.stringContaining('text/css') });
  });

  it('ships HiGHS with its WebAssembly beside the bundle, so the open-data audit solves from the asset alone', async () => {
    const script = `
      const loadHighs = require(require.resolve('highs', { paths: ['./${API_BUNDLE_DIR}'] }));
      loadHighs().then((h) => {
        const r = h.solve('Maximize\\n obj: x\\nSubject To\\n c: x + y = 11\\nBounds\\n 1 <= y\\nEnd', { output_flag: false });
        process.stdout.write(JSON.stringify([r.Status, r.ObjectiveValue]));
      });
    `;
    const { stdout } = await run(process.execPath, ['-e', script], { cwd: apiAsset, env: { PATH: process.env.PATH } });
    expect(JSON.parse(stdout)).toEqual(['Optimal', 10]);
    expect(existsSync(path.join(apiAsset, 'node_modules', 'highs', 'build', 'highs.wasm'))).toBe(true);
  });
});
