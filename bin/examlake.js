#!/usr/bin/env node
// Entry for `npx examlake <command>` and the npm scripts. The project runs from TypeScript sources through tsx,
// so there is no build step between `npm ci` and `npm start`.
require('tsx/cjs');
require('../infra/cli/main.ts')
  .main(process.argv)
  .catch((err) => {
    console.error(err instanceof Error ? err.message : err);
    process.exitCode = 1;
  });
