import { existsSync } from 'node:fs';
import { type Browser, chromium } from 'playwright-core';

/** Debian's Chromium, or `EXAMLAKE_CHROMIUM`. */
export const CHROMIUM = process.env['EXAMLAKE_CHROMIUM'] ?? '/usr/bin/chromium';

/**
 * Headless Chromium for browser tests. A missing browser fails the test with what to install: a browser test that
 * skipped itself would pass on exactly the machines where nobody looked.
 */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `No Chromium at ${CHROMIUM}: install it (apt-get install chromium, as .ci/run does) or set EXAMLAKE_CHROMIUM ` +
        'to a Chromium or Chrome executable.',
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
}
