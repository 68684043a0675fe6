// The report webview's HTML shell: the CSP locks everything down and the only script carries this
// render's nonce (ARCHITECTURE.md, "Security rules").
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { contentSecurityPolicy, createNonce, renderWebviewHtml } from '../../src/ui/webview/webviewHtml';

const cspSource = 'https://*.vscode-cdn.net';

function render(nonce = createNonce(), title = 'Drift: prod'): string {
  return renderWebviewHtml({
    scriptUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.js',
    styleUri: 'https://file+.vscode-resource.vscode-cdn.net/ext/dist/webview.css',
    cspSource,
    nonce,
    title,
  });
}

function cspOf(html: string): string {
  const match = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/.exec(html);
  assert.ok(match, 'the page declares a CSP in a meta tag');
  return match[1].replace(/&#39;/g, "'");
}

test('the CSP denies everything by default and allows only our styles, fonts, images and nonce script', () => {
  const nonce = createNonce();
  const csp = cspOf(render(nonce));
  const directives = new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name, values]));
  assert.deepEqual(directives.get('default-src'), ["'none'"]);
  assert.deepEqual(directives.get('style-src'), [cspSource]);
  assert.deepEqual(directives.get('font-src'), [cspSource]);
  assert.deepEqual(directives.get('img-src'), [cspSource, 'data:']);
  assert.deepEqual(directives.get('script-src'), [`'nonce-${nonce}'`]);
  assert.ok(!/unsafe-inline|unsafe-eval|\*\s*;|https?:\s/.test(csp), csp);
  assert.equal(csp, contentSecurityPolicy(cspSource, nonce));
});

test('every <script> carries the nonce and has a src (no inline script)', () => {
  const nonce = createNonce();
  const html = render(nonce);
  const scripts = [...html.matchAll(/<script\b([^>]*)>([\s\S]*?)<\/script>/gi)];
  assert.ok(scripts.length >= 1);
  for (const [, attrs, body] of scripts) {
    assert.match(attrs, new RegExp(`\\bnonce="${nonce.replace(/[+/]/g, (c) => `\\${c}`)}"`));
    assert.match(attrs, /\bsrc="[^"]+"/);
    assert.equal(body.trim(), '', 'no inline script body');
  }
});

test('no inline event handlers, no inline styles, no javascript: URLs', () => {
  const html = render(createNonce(), 'x" onload="alert(1)');
  // Attributes live inside tags; the hostile title must stay text between <title> and </title>.
  const tags = html.match(/<[^>]+>/g) ?? [];
  assert.ok(tags.length > 5);
  for (const tag of tags) {
    assert.ok(!/\son\w+\s*=/i.test(tag), `inline handler in ${tag}`);
    assert.ok(!/\sstyle\s*=/i.test(tag), `inline style in ${tag}`);
  }
  assert.ok(!/<style\b/i.test(html), 'inline style element found');
  assert.ok(!/javascript:/i.test(html));
});

test('the title is escaped, not markup', () => {
  const html = render(createNonce(), '<img src=x onerror=alert(1)>');
  assert.ok(html.includes('&lt;img src=x onerror=alert(1)&gt;'));
  assert.ok(!html.includes('<img'));
});

test('a new nonce for every render, long and base64', () => {
  const nonces = new Set(Array.from({ length: 100 }, () => createNonce()));
  assert.equal(nonces.size, 100);
  for (const n of nonces) assert.match(n, /^[A-Za-z0-9+/]{24}$/);
  const a = cspOf(render());
  const b = cspOf(render());
  assert.notEqual(a, b);
});

test('refuses a nonce or cspSource that could break out of the policy', () => {
  assert.throws(() => render("abc' 'unsafe-inline"));
  assert.throws(() => render('short'));
  assert.throws(() =>
    renderWebviewHtml({ scriptUri: 'a', styleUri: 'b', cspSource: "https://x; script-src 'unsafe-inline'", nonce: createNonce(), title: 't' }),
  );
});

test("accepts the cspSource VS Code in the browser gives ('self' plus a CDN host) and no other keyword", () => {
  const html = renderWebviewHtml({ scriptUri: 'a', styleUri: 'b', cspSource: "'self' https://*.vscode-cdn.net", nonce: createNonce(), title: 't' });
  assert.match(html, /style-src &#39;self&#39; https:\/\/\*\.vscode-cdn\.net/);
  assert.throws(() => renderWebviewHtml({ scriptUri: 'a', styleUri: 'b', cspSource: "'unsafe-inline' https://x", nonce: createNonce(), title: 't' }));
});
