// The report webview's HTML shell. Pure (no `vscode`), so the CSP is tested in plain Node. Locked
// down: nothing loads unless the CSP names it, the one script runs only with this render's nonce,
// styles and fonts only from the extension's own webview resources, and there is no inline script,
// inline style or inline handler for an injected string to hijack.
import { randomBytes } from 'node:crypto';

export interface WebviewHtmlInput {
  /** `webview.asWebviewUri(dist/webview.js)`, as a string. */
  scriptUri: string;
  /** `webview.asWebviewUri(dist/webview.css)`, as a string. */
  styleUri: string;
  /** `webview.cspSource`. */
  cspSource: string;
  /** Fresh per render: `createNonce()`. */
  nonce: string;
  title: string;
}

/** 18 random bytes as base64 (24 characters, no padding): a new one for every render. */
export function createNonce(): string {
  return randomBytes(18).toString('base64');
}

/** Escapes text for an HTML text node or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c);
}

/** A CSP nonce is base64 (RFC 4648, either alphabet); anything else could break out of the policy. */
const NONCE = /^[A-Za-z0-9+/_-]{16,}={0,2}$/;
/**
 * `webview.cspSource`: scheme-and-host sources such as `https://*.vscode-cdn.net`; VS Code in the
 * browser (code-server) also gives the keyword `'self'`. Never `;`, `"`, `<` or a line break.
 */
const CSP_SOURCE = /^(?:'self'|[A-Za-z0-9+.:/*-]+)(?: (?:'self'|[A-Za-z0-9+.:/*-]+))*$/;

export function contentSecurityPolicy(cspSource: string, nonce: string): string {
  return [
    "default-src 'none'",
    `style-src ${cspSource}`,
    `font-src ${cspSource}`,
    `img-src ${cspSource} data:`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
}

export function renderWebviewHtml(input: WebviewHtmlInput): string {
  if (!NONCE.test(input.nonce)) throw new Error('renderWebviewHtml: the nonce must be base64 of at least 12 random bytes');
  if (!CSP_SOURCE.test(input.cspSource)) throw new Error('renderWebviewHtml: unexpected characters in cspSource');
  const csp = contentSecurityPolicy(input.cspSource, input.nonce);
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${escapeHtml(csp)}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(input.styleUri)}">
<title>${escapeHtml(input.title)}</title>
</head>
<body>
<div id="app"></div>
<script nonce="${escapeHtml(input.nonce)}" src="${escapeHtml(input.scriptUri)}"></script>
</body>
</html>
`;
}
