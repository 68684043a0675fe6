// A webview entry point bundled in memory as scripts/build.mjs bundles it for the VSIX (browser,
// IIFE, es2022, minified as in production), for tests of size and of what the CSP allows.
import { join } from 'node:path';
import { build } from 'esbuild';

export const ROOT = join(__dirname, '..', '..', '..');

export async function bundleForBrowser(entryPoint: string): Promise<{ errors: readonly unknown[]; js: string }> {
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: [entryPoint],
    bundle: true,
    minify: true,
    platform: 'browser',
    format: 'iife',
    target: 'es2022',
    legalComments: 'none',
    write: false,
    outfile: 'out/bundle.js',
    logLevel: 'silent',
  });
  return { errors: result.errors, js: result.outputFiles[0]?.text ?? '' };
}
