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
