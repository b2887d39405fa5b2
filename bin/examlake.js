#!/usr/bin/env node
// Entry for `npx examlake <command>` and the npm scripts. The project runs from TypeScript sources through tsx,
// so there is no build step between `npm ci` and `npm start`.
// The SDK's notice that releases after January 2027 need Node 22 is in the README; keep CLI output readable.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
require('tsx/cjs');
require('../infra/cli/main.ts')
  .main(process.argv)
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
