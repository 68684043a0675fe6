// Debian's Chromium driven by playwright-core (no browser download: the package's own build is used).

import { existsSync } from 'node:fs';
import { aptInstall } from './codeServer.mjs';

export const CHROMIUM_PATH = process.env.GITOPS_ENV_CHROMIUM || '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** apt-get install -y chromium when the binary is missing. */
export async function ensureChromium({ log = console.log } = {}) {
  if (existsSync(CHROMIUM_PATH)) return CHROMIUM_PATH;
  await aptInstall(['chromium'], { log });
  if (!existsSync(CHROMIUM_PATH)) throw new Error(`chromium was installed but ${CHROMIUM_PATH} does not exist`);
  return CHROMIUM_PATH;
}

/**
 * Launches Chromium through playwright-core.
 * Playwright's own signal handlers are off: on SIGTERM it would close the browser and re-raise
 * the signal, killing the caller before it stops its other processes. Callers close the browser
 * in their own cleanup (Playwright still kills it if the process exits without that).
 * @param {{ headless?: boolean, args?: string[] }} [options]
 */
export async function launchBrowser({ headless = true, args = [] } = {}) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless,
    args: [...CHROMIUM_ARGS, ...args],
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
