// Remote URLs can carry credentials (`https://user:token@host/...`). They must never reach an
// argument list, a log line, an error message or the UI.

/** Schemes whose user part is a login name, not a secret (`ssh://git@host`). */
const LOGIN_SCHEMES = new Set(['ssh', 'git+ssh', 'ssh+git']);

const URL_USERINFO = /\b([a-z][a-z0-9+.-]*):\/\/([^\s/@'"]+)@/gi;

/** Removes the user-info part of every URL in a text (keeps plain ssh login names). */
export function redactCredentials(text: string): string {
  return text.replace(URL_USERINFO, (match: string, scheme: string, userinfo: string) =>
    LOGIN_SCHEMES.has(scheme.toLowerCase()) && !userinfo.includes(':') ? match : `${scheme}://`,
  );
}

/** True when a URL carries a user-info part that may be a secret. */
export function hasCredentials(url: string): boolean {
  return redactCredentials(url) !== url;
}
