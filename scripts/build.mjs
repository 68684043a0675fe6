// Bundles the extension host code, the lazily loaded cluster client, the CLI and the webview with esbuild.
// `--production` minifies and drops source maps (what goes into the VSIX).
import { build } from 'esbuild';
import { existsSync, mkdirSync } from 'node:fs';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};
const node = { ...common, platform: 'node', format: 'cjs', target: 'node18' };

mkdirSync('dist', { recursive: true });
const started = Date.now();
const jobs = [
  // The extension must stay small and load fast: the Kubernetes client is a separate bundle
  // that src/ui loads on first use.
  build({ ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode', './cluster.js'] }),
  build({ ...node, entryPoints: ['src/cluster/clusterModule.ts'], outfile: 'dist/cluster.js' }),
  build({ ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', external: ['./cluster.js'] }),
];
if (existsSync('webview-ui/main.ts')) {
  jobs.push(build({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['webview-ui/main.ts'], outfile: 'dist/webview.js' }));
}
if (existsSync('webview-ui/webview.css')) {
  // The webview's own stylesheet (the components style themselves in their shadow roots).
  jobs.push(build({ ...common, entryPoints: ['webview-ui/webview.css'], outfile: 'dist/webview.css' }));
}
if (existsSync('webview-ui/promotion/main.ts')) {
  // The promotion preview: its own bundle and stylesheet, loaded only by that panel.
  jobs.push(build({ ...common, platform: 'browser', format: 'iife', target: 'es2022', entryPoints: ['webview-ui/promotion/main.ts'], outfile: 'dist/promotion.js' }));
  jobs.push(build({ ...common, entryPoints: ['webview-ui/promotion/promotion.css'], outfile: 'dist/promotion.css' }));
}
await Promise.all(jobs);
console.log(`built dist/ in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
