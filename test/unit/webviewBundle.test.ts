// The webview bundle builds for the browser with the same esbuild settings as scripts/build.mjs,
// stays small, and needs nothing the CSP forbids (no eval: script-src has only the nonce).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { build } from 'esbuild';
import { bundleForBrowser, ROOT as root } from './helpers/browserBundle';

test('webview-ui/main.ts bundles for the browser, under 200 KB minified, without eval', async () => {
  const { errors, js } = await bundleForBrowser('webview-ui/main.ts');
  assert.deepEqual(errors, []);
  assert.ok(js.length < 200_000, `bundle is ${js.length} bytes`);
  assert.ok(!/\beval\(|new Function\(/.test(js), 'the CSP has no unsafe-eval');
  assert.ok(js.includes('vscode-single-select') && js.includes('vscode-button'), 'the components are bundled');
});

test('webview-ui/webview.css bundles', async () => {
  const result = await build({ absWorkingDir: root, entryPoints: ['webview-ui/webview.css'], bundle: true, minify: true, write: false, outfile: 'out/webview.css', logLevel: 'silent' });
  assert.deepEqual(result.errors, []);
  const css = result.outputFiles[0].text;
  // Theme variables only: no literal colours (a fallback to `transparent` is fine).
  assert.ok(!/#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/i.test(css), 'a hard-coded colour');
});
