// Masks credentials in free text (URLs with userinfo, bearer tokens, common token shapes) before
// it reaches a log, a message or the CLI output.

const PATTERNS: Array<[RegExp, string]> = [
  // https://user:token@host → https://user:***@host ; https://token@host → https://***@host
  [/(\b[a-z][a-z0-9+.-]*:\/\/)([^/\s:@]+):([^/\s@]+)@/gi, '$1$2:***@'],
  [/(\b[a-z][a-z0-9+.-]*:\/\/)([^/\s:@]{20,})@/gi, '$1***@'],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{8,}/g, '$1 ***'],
  [/\b(gh[pousr]_[A-Za-z0-9]{20,}|github_pat_[A-Za-z0-9_]{20,}|glpat-[A-Za-z0-9_-]{16,})\b/g, '***'],
  [/\b(token|password|passwd|secret|client-key-data|client-certificate-data)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1$2***'],
];

export function maskSecrets(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
