#!/usr/bin/env node
// `npm run lint:api`: `redocly lint openapi.yaml`, without the boxed banner Redocly CLI prints on every run under
// Node 20 ("Node.js 20 reached end-of-life…"; the README states the Node versions). Everything else it prints, and
// its exit status, pass through unchanged.
const { spawn } = require('node:child_process');
const { createInterface } = require('node:readline');

const cli = require.resolve('@redocly/cli/bin/cli.js');
const child = spawn(process.execPath, [cli, 'lint', ...process.argv.slice(2)], {
  stdio: ['ignore', 'inherit', 'pipe'],
});
let inBanner = false;
createInterface({ input: child.stderr }).on('line', (line) => {
  if (/^\s*╔/.test(line)) inBanner = true;
  if (!inBanner) process.stderr.write(`${line}\n`);
  if (/^\s*╚/.test(line)) inBanner = false;
});
child.on('close', (code) => {
  process.exitCode = code ?? 1;
});
