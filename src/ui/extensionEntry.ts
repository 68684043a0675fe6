// The extension's entry (dist/extension.js): loads the real bundle (dist/extension-main.js) from
// V8's code cache when there is a valid one (compiling is the largest share of activation). The
// cache is written a few seconds after activate(), off the activation path.
import { join } from 'node:path';
import type * as Extension from '../extension';
import { extensionCodeCacheDir, loadWithCodeCache } from './codeCache';

type ExtensionModule = typeof Extension;

/** After activate(): late enough to include what the first views compiled, never on the activation path. */
const WRITE_DELAY_MS = 10_000;

const main = loadWithCodeCache<ExtensionModule>(join(__dirname, 'extension-main.js'), extensionCodeCacheDir());

export function activate(context: Parameters<ExtensionModule['activate']>[0]): ReturnType<ExtensionModule['activate']> {
  const api = main.exports.activate(context);
  setTimeout(() => main.writeCache(), WRITE_DELAY_MS).unref();
  return api;
}

export function deactivate(): void {
  main.exports.deactivate();
}

/** Writes the code cache now instead of after the delay (the activation bench primes it this way). */
export function flushCodeCache(): void {
  main.writeCache();
}
