// The SDK's notice that releases after January 2027 need Node 22 is in the README; keep test output readable
// (workers inherit this process's environment).
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** @type {import('jest').Config} */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  transform: {
    '^.+\\.tsx?$': [
      '@swc/jest',
      { jsc: { target: 'es2022', parser: { syntax: 'typescript' } }, module: { type: 'commonjs' } },
    ],
  },
  maxWorkers: 2,
  testTimeout: 60_000,
  // The local stack, DuckDB and child processes must all be closed by each test file; this makes a leak visible.
  detectOpenHandles: false,
};
