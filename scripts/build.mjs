// Bundles the extension host code, the lazily loaded cluster client, the CLI and the webview with esbuild.
// `--production` minifies and drops source maps (what goes into the VSIX).
import { build } from 'esbuild';
import { existsSync, mkdirSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { execFile } from 'node:child_process';

const production = process.argv.includes('--production');
const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  logLevel: 'warning',
  legalComments: 'none',
};
const node = { ...common, platform: 'node', format: 'cjs', target: 'node18' };

/** Every `src/cli/<name>Command.ts` (and the sandbox's) with the bundle name it gets. */
function cliCommands() {
  const commands = readdirSync('src/cli')
    .filter((file) => file.endsWith('Command.ts'))
    .map((file) => ({ name: file.slice(0, -'Command.ts'.length), entry: `src/cli/${file}` }));
  return [...commands, { name: 'sandbox', entry: 'src/sandbox/sandboxCommand.ts' }];
}

/**
 * In the dispatcher, `import('./driftCommand')` becomes a load of the separate dist/cli-drift.js
 * through src/cli/bundleCache.ts, which compiles it from V8's code cache when it can.
 */
const commandBundles = {
  name: 'command-bundles',
  setup(b) {
    b.onResolve({ filter: /Command$/ }, (args) => {
      if (!args.importer.endsWith(join('src', 'cli', 'main.ts'))) return undefined;
      const name = basename(args.path).slice(0, -'Command'.length);
      return { path: `cli-${name}.js`, namespace: 'command-bundle' };
    });
    b.onLoad({ filter: /.*/, namespace: 'command-bundle' }, (args) => ({
      contents: `const { loadBundle } = require('./bundleCache');\nmodule.exports = loadBundle(require('node:path').join(__dirname, ${JSON.stringify(args.path)})).exports;\n`,
      resolveDir: join(process.cwd(), 'src', 'cli'),
      loader: 'js',
    }));
  },
};

/**
 * One `vscode` import for the whole extension bundle: esbuild wraps every module's
 * `import * as vscode from 'vscode'` in its own interop copy of the API object (33 of them, each
 * walking every export at load); routing them through one shim module builds it once.
 */
const vscodeOnce = {
  name: 'vscode-once',
  setup(b) {
    b.onResolve({ filter: /^vscode$/ }, (args) => (args.namespace === 'vscode-once' ? { path: 'vscode', external: true } : { path: 'vscode', namespace: 'vscode-once' }));
    b.onLoad({ filter: /.*/, namespace: 'vscode-once' }, () => ({ contents: "export * from 'vscode';", loader: 'js' }));
  },
};

/**
 * @kubernetes/client-node serves only kubeconfigs with a proxy-url or a legacy auth-provider
 * (src/cluster/contextConnection.ts imports it on demand). Inlined, it and what it pulls in were
 * half of every command bundle (1.5 of 2.8 MB) that each CLI run reads, hashes and decodes; as its
 * own bundle, dist/cli-kube-client.js, it is read only by a run that needs it (and the models,
 * dist/cli-schema-models.js, only when the schema asset is missing).
 */
const KUBE_CLIENT_CONFIG = '@kubernetes/client-node/dist/config.js';
const kubeClientApart = {
  name: 'kube-client-apart',
  setup(b) {
    b.onResolve({ filter: /^@kubernetes\/client-node\/dist\/config\.js$/ }, () => ({ path: './cli-kube-client.js', external: true }));
    // The same for the 700 models builtinSchemas falls back to when the schema asset is missing.
    b.onResolve({ filter: /\/sandbox\/bundledSchemas$/ }, (args) => (args.importer.endsWith(join('src', 'cluster', 'builtinSchemas.ts')) ? { path: './cli-schema-models.js', external: true } : undefined));
  },
};

mkdirSync('dist', { recursive: true });
const started = Date.now();
const jobs = [
  // The extension must stay small and load fast: the Kubernetes client is a separate bundle
  // that src/ui loads on first use. dist/extension.js is a small entry (src/ui/extensionEntry.ts)
  // that loads the real bundle, dist/extension-main.js, through V8's code cache; it runs as a
  // vm.Script, where a real `import()` would throw, so dynamic imports become requires.
  build({ ...node, entryPoints: ['src/extension.ts'], outfile: 'dist/extension-main.js', external: ['vscode', './cluster.js'], plugins: [vscodeOnce], supported: { 'dynamic-import': false } }),
  build({ ...node, entryPoints: ['src/ui/extensionEntry.ts'], outfile: 'dist/extension.js', external: ['vscode', './extension-main.js'] }),
  build({ ...node, entryPoints: ['src/cluster/clusterModule.ts'], outfile: 'dist/cluster.js' }),
  // The CLI: a small dispatcher (dist/cli.js) and one bundle per command (dist/cli-<command>.js),
  // loaded only when that command runs, so `--help` and `envs` do not compile the drift engine
  // and the Kubernetes client.
  // `import()` of a command becomes a plain require: the ESM loader would pre-parse the whole
  // CommonJS bundle (~100 ms for the drift command) just to list its exports.
  build({ ...node, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', external: ['./cluster.js'], plugins: [commandBundles], supported: { 'dynamic-import': false } }),
  ...cliCommands().map(({ name, entry }) => build({ ...node, entryPoints: [entry], outfile: `dist/cli-${name}.js`, external: ['./cluster.js'], plugins: [kubeClientApart] })),
  build({ ...node, entryPoints: [KUBE_CLIENT_CONFIG], outfile: 'dist/cli-kube-client.js' }),
  build({ ...node, entryPoints: ['src/sandbox/bundledSchemas.ts'], outfile: 'dist/cli-schema-models.js' }),
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
// The built-in kinds' schemas and descriptions for the editor's validation and hover, generated from
// @kubernetes/client-node's models (the extension bundle must not carry the package itself).
jobs.push(
  new Promise((resolve, reject) => {
    execFile(process.execPath, ['--import', 'tsx', 'scripts/generateSchemaAsset.ts', 'dist/kubernetes-schemas.json'], (error) => (error ? reject(error) : resolve()));
  }),
);
await Promise.all(jobs);
console.log(`built dist/ in ${Date.now() - started} ms${production ? ' (production)' : ''}`);
