import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { LOCAL_CREDENTIALS, type LocalStackConfig, localStackConfig } from '../../infra/local/config';
import { LocalStack } from '../../infra/local/LocalStack';

/** A local stack on a free port with a fresh data dir, for one test file. */
export interface TestStack {
  readonly stack: LocalStack;
  readonly endpoint: string;
  readonly dataDir: string;
  /** Client configuration for any AWS SDK v3 client: the same three settings a user sets through the environment. */
  readonly clientConfig: {
    endpoint: string;
    region: string;
    credentials: { accessKeyId: string; secretAccessKey: string };
  };
  /** Closes the stack and, unless `keepData`, deletes the data dir. */
  stop(options?: { keepData?: boolean }): Promise<void>;
  /** Closes the stack and starts a new one on the same data dir (restart persistence). */
  restart(): Promise<TestStack>;
}

export async function startTestStack(overrides: Partial<LocalStackConfig> = {}): Promise<TestStack> {
  const dataDir = overrides.dataDir ?? (await mkdtemp(path.join(os.tmpdir(), 'examlake-test-')));
  const config = localStackConfig({ port: 0, duckdbMemoryLimit: '512MB', ...overrides, dataDir });
  const stack = await LocalStack.create(config);
  const endpoint = stack.endpoint;
  const self: TestStack = {
    stack,
    endpoint,
    dataDir,
    clientConfig: { endpoint, region: config.region, credentials: { ...LOCAL_CREDENTIALS } },
    async stop(options = {}) {
      await stack.close();
      if (!options.keepData) await rm(dataDir, { recursive: true, force: true });
    },
    async restart() {
      await stack.close();
      return startTestStack({ ...overrides, dataDir });
    },
  };
  return self;
}
