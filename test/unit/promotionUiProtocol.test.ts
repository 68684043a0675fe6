// The promotion preview's message protocol and page: the validators accept every well-formed
// message and reject malformed, unknown and hostile ones in both directions; the saved state the
// serializer reads is validated too; the page is locked down by its CSP; the bundle builds for the
// browser without eval and the stylesheet uses theme colours only.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { build } from 'esbuild';
import { bundleForBrowser } from './helpers/browserBundle';
import { contentSecurityPolicy, createNonce, renderWebviewHtml } from '../../src/ui/webview/webviewHtml';
import { isHostMessage, isPreviewTarget, isWebviewMessage, LIMITS, previewTargetKey, type WebviewToHost } from '../../webview-ui/promotion/protocol';
import { defaultPreviewUiState, isPersistedPreviewState } from '../../webview-ui/promotion/uiState';

const root = join(__dirname, '..', '..');
const FOLDER = 'file:///work/demo-gitops';
const SHA = '0123456789abcdef0123456789abcdef01234567';

const wellFormed: WebviewToHost[] = [
  { type: 'ready' },
  { type: 'refresh' },
  { type: 'openOutcome' },
  { type: 'select', what: 'file', keys: ['deploy/web.yaml'], selected: true },
  { type: 'select', what: 'file', keys: ['a.yaml', 'b/c.yaml'], selected: false },
  { type: 'select', what: 'image', keys: ['deploy/web.yaml#/0/spec/template/spec/containers/0/image'], selected: true },
  { type: 'execute', title: 'Promote staging → prod (abc1234)', body: '## Summary\n' },
  { type: 'execute', title: '', body: '' },
];

describe('webview → host messages', () => {
  it('accepts every well-formed message, also after a JSON round trip', () => {
    for (const message of wellFormed) {
      assert.ok(isWebviewMessage(message), JSON.stringify(message));
      assert.ok(isWebviewMessage(JSON.parse(JSON.stringify(message))), JSON.stringify(message));
    }
  });

  it('rejects values that are not plain message objects', () => {
    class Ready {
      type = 'ready';
    }
    for (const value of [null, undefined, 'ready', 1, [], [{ type: 'ready' }], new Ready(), Object.create({ type: 'ready' }), new Map()]) {
      assert.equal(isWebviewMessage(value), false, String(value));
    }
  });

  it('rejects unknown types, including the host’s own and the drift report’s', () => {
    for (const value of [{}, { type: 'READY' }, { type: 'preview' }, { type: 'busy', text: '' }, { type: 'sync', keys: ['x'] }, { type: 'push', branch: 'prod' }, { type: 'openExternal', url: 'https://evil.test' }]) {
      assert.equal(isWebviewMessage(value), false, JSON.stringify(value));
    }
  });

  it('rejects missing, extra and mistyped fields', () => {
    const bad: unknown[] = [
      { type: 'ready', extra: true },
      { type: 'openOutcome', url: 'https://evil.test' },
      { type: 'select', what: 'file', keys: [], selected: true },
      { type: 'select', what: 'file', keys: [''], selected: true },
      { type: 'select', what: 'file', keys: ['a\u0000b'], selected: true },
      { type: 'select', what: 'file', keys: 'a.yaml', selected: true },
      { type: 'select', what: 'file', keys: [7], selected: true },
      { type: 'select', what: 'commit', keys: ['a'], selected: true },
      { type: 'select', what: 'file', keys: ['a'], selected: 'yes' },
      { type: 'select', what: 'file', keys: ['a'] },
      { type: 'execute', title: 't' },
      { type: 'execute', title: 1, body: '' },
      { type: 'execute', title: 't', body: 'b', base: 'main' },
      { type: 'execute', title: 'x'.repeat(LIMITS.title + 1), body: '' },
      { type: 'execute', title: '', body: 'x'.repeat(LIMITS.body + 1) },
    ];
    for (const value of bad) assert.equal(isWebviewMessage(value), false, JSON.stringify(value).slice(0, 120));
  });

  it('rejects prototype-polluting keys and too many selection keys', () => {
    assert.equal(isWebviewMessage(JSON.parse('{"type":"ready","__proto__":{"polluted":true}}')), false);
    assert.equal(isWebviewMessage({ type: 'select', what: 'file', keys: Array.from({ length: LIMITS.selectKeys + 1 }, (_, i) => `f${i}`), selected: true }), false);
  });
});

describe('host → webview messages', () => {
  it('accepts busy and error, rejects malformed ones and previews that do not match the view model', () => {
    assert.ok(isHostMessage({ type: 'busy', text: '' }));
    assert.ok(isHostMessage({ type: 'error', message: 'Push rejected — nothing was pushed' }));
    for (const value of [{ type: 'busy' }, { type: 'error', message: 3 }, { type: 'preview' }, { type: 'preview', model: {} }, { type: 'preview', model: null }, { type: 'ready' }]) {
      assert.equal(isHostMessage(value), false, JSON.stringify(value));
    }
  });
});

describe('preview targets and saved state', () => {
  it('accepts promotion and rollback targets; a rollback names a full or short hex commit only', () => {
    assert.ok(isPreviewTarget({ kind: 'promotion', folder: FOLDER, from: 'staging', to: 'prod' }));
    assert.ok(isPreviewTarget({ kind: 'rollback', folder: FOLDER, environment: 'prod', commit: SHA }));
    for (const value of [
      { kind: 'rollback', folder: FOLDER, environment: 'prod', commit: '--upload-pack=evil' },
      { kind: 'rollback', folder: FOLDER, environment: 'prod', commit: 'HEAD~1' },
      { kind: 'promotion', folder: FOLDER, from: '', to: 'prod' },
      { kind: 'promotion', folder: FOLDER, from: 'a', to: 'b', extra: 1 },
      { kind: 'drift', environment: 'prod' },
    ]) {
      assert.equal(isPreviewTarget(value), false, JSON.stringify(value));
    }
  });

  it('keys a panel by everything that makes the plan different', () => {
    const a = previewTargetKey({ kind: 'promotion', folder: FOLDER, from: 'staging', to: 'prod' });
    assert.notEqual(a, previewTargetKey({ kind: 'promotion', folder: `${FOLDER}2`, from: 'staging', to: 'prod' }));
    assert.notEqual(a, previewTargetKey({ kind: 'promotion', folder: FOLDER, from: 'dev', to: 'prod' }));
    assert.notEqual(previewTargetKey({ kind: 'rollback', folder: FOLDER, environment: 'prod', commit: SHA }), previewTargetKey({ kind: 'rollback', folder: FOLDER, environment: 'prod', commit: SHA.replace('0', 'f') }));
  });

  it('the serializer only revives state that passes the same validator, edits and all', () => {
    const state = { version: 1, target: { kind: 'promotion', folder: FOLDER, from: 'staging', to: 'prod' }, ui: { ...defaultPreviewUiState(), body: 'my text', expanded: ['deploy/web.yaml'], scrollY: 120 } };
    assert.ok(isPersistedPreviewState(state));
    assert.ok(isPersistedPreviewState({ version: 1, ui: defaultPreviewUiState() }));
    for (const value of [
      { ...state, version: 2 },
      { ...state, target: { kind: 'promotion', folder: FOLDER } },
      { ...state, ui: { ...state.ui, scrollY: -1 } },
      { ...state, ui: { ...state.ui, expanded: [1] } },
      { ...state, ui: { ...state.ui, token: 'x' } },
      { ...state, plan: {} },
    ]) {
      assert.equal(isPersistedPreviewState(value), false, JSON.stringify(value));
    }
  });
});

describe('the preview page', () => {
  it('denies everything by default and runs only its own nonce script and stylesheet', () => {
    const nonce = createNonce();
    const cspSource = 'https://*.vscode-cdn.net';
    const html = renderWebviewHtml({
      scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/promotion.js',
      styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/promotion.css',
      cspSource,
      nonce,
      title: 'Promote staging → prod',
    });
    const csp = contentSecurityPolicy(cspSource, nonce);
    assert.match(csp, /^default-src 'none'; /);
    assert.match(csp, new RegExp(`script-src 'nonce-${nonce.replace(/[+/]/g, '\\$&')}'$`));
    assert.ok(!/unsafe-inline|unsafe-eval/.test(csp));
    const scripts = [...html.matchAll(/<script\b[^>]*>/g)].map((m) => m[0]);
    assert.deepEqual(scripts, [`<script nonce="${nonce}" src="https://file+.vscode-resource.vscode-cdn.net/ext/dist/promotion.js">`]);
    assert.ok(html.includes('dist/promotion.css'));
    assert.ok(!/\son[a-z]+=|style="/i.test(html), 'no inline handlers or styles');
  });

  it('webview-ui/promotion/main.ts bundles for the browser, small, without eval', async () => {
    const { errors, js } = await bundleForBrowser('webview-ui/promotion/main.ts');
    assert.deepEqual(errors, []);
    assert.ok(js.length < 250_000, `bundle is ${js.length} bytes`);
    assert.ok(!/\beval\(|new Function\(/.test(js), 'the CSP has no unsafe-eval');
    assert.ok(js.includes('vscode-checkbox') && js.includes('vscode-textarea') && js.includes('vscode-button'), 'the components are bundled');
    // Lit (inside the components) writes its own templates; our code builds DOM with text nodes only.
    for (const file of readdirSync(join(root, 'webview-ui', 'promotion'))) {
      assert.ok(!/innerHTML|outerHTML|insertAdjacentHTML|document\.write/.test(readFileSync(join(root, 'webview-ui', 'promotion', file), 'utf8')), `${file} writes markup`);
    }
  });

  it('promotion.css uses theme variables, no literal colours', async () => {
    const result = await build({ absWorkingDir: root, entryPoints: ['webview-ui/promotion/promotion.css'], bundle: true, minify: true, write: false, outfile: 'out/promotion.css', logLevel: 'silent' });
    assert.deepEqual(result.errors, []);
    assert.ok(!/#[0-9a-f]{3,8}\b|rgba?\(|hsla?\(/i.test(result.outputFiles[0].text), 'a hard-coded colour');
  });
});
