import { chromium, type BrowserContext } from 'playwright-core';
import { tempDir } from './tmp.js';

/**
 * Debian's real Chromium, headless, driven by playwright-core (which never downloads a browser).
 * `--no-sandbox` because tests run as root; a fresh profile per test file, nothing from the network.
 */
export const CHROMIUM = '/usr/bin/chromium';

export async function launchChromium(): Promise<BrowserContext> {
  return chromium.launchPersistentContext(tempDir('gopherpress-chromium-'), {
    executablePath: CHROMIUM,
    headless: true,
    timeout: 20_000,
    viewport: { width: 1000, height: 760 },
    args: [
      '--no-sandbox',
      '--headless',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}
