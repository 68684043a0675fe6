// GitHub and GitHub Enterprise tokens come from VS Code's own sign-in (vscode.authentication), with
// no personal token: the session of the provider that issued it, silently for background reads and
// with a sign-in prompt only when a pull request is about to be opened; a stored token wins; other
// hosts never ask GitHub; a provider that is missing (VS Code in a browser) means "no token".
import assert from 'node:assert/strict';
import Module from 'node:module';
import { describe, it } from 'node:test';
import type { TokenRequest } from '../../src/hosts/tokenSource';
import { FakeEmitter as Emitter } from './helpers/fakeEmitter';


const calls: Array<{ provider: string; scopes: readonly string[]; options: Record<string, unknown> }> = [];
const sessions = new Map<string, string>();
let enterpriseUri = '';
let providerMissing = false;
const sessionChanges = new Emitter<{ provider: { id: string } }>();
const fake = {
  EventEmitter: Emitter,
  authentication: {
    getSession: async (provider: string, scopes: readonly string[], options: Record<string, unknown>) => {
      calls.push({ provider, scopes, options });
      if (providerMissing) throw new Error(`No authentication provider '${provider}' is currently registered.`);
      const token = sessions.get(provider);
      return token ? { accessToken: token, account: { label: 'alice', id: '1' }, id: 's', scopes } : undefined;
    },
    onDidChangeSessions: sessionChanges.event,
  },
  workspace: { getConfiguration: (section: string) => ({ get: (key: string, fallback: string) => (section === 'github-enterprise' && key === 'uri' ? enterpriseUri : fallback) }) },
};
const loader = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const original = loader._load;
loader._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fake : original(request, ...rest));

function secretStorage(initial: Record<string, string> = {}) {
  const values = new Map(Object.entries(initial));
  const changed = new Emitter<{ key: string }>();
  return { get: async (key: string) => values.get(key), store: async (key: string, value: string) => void values.set(key, value), delete: async (key: string) => void values.delete(key), onDidChange: changed.event, keys: async () => [...values.keys()] };
}
const memento = { get: <T>(_key: string, fallback: T) => fallback, update: async () => undefined, keys: () => [] };
const log = { info: () => undefined, warn: () => undefined, error: () => undefined, debug: () => undefined, child: () => log, show: () => undefined };

const GITHUB: TokenRequest = { kind: 'github', host: 'github.com', apiUrl: 'https://api.github.com' };
const ENTERPRISE: TokenRequest = { kind: 'github-enterprise', host: 'ghe.example.com', apiUrl: 'https://ghe.example.com/api/v3' };

describe('GitHub tokens from VS Code sign-in', async () => {
  const { HostTokens } = await import('../../src/ui/promotion/hostTokens');
  const { tokenSecretKey } = await import('../../src/ui/promotion/hostSettings');
  const tokensWith = (secrets = secretStorage()) => new HostTokens(secrets as never, memento as never, log as never);

  it('asks the github provider silently for background reads, and with a prompt only when interactive', async () => {
    calls.length = 0;
    sessions.set('github', 'gho_session');
    const tokens = tokensWith();
    assert.equal(await tokens.source(false).getToken(GITHUB), 'gho_session');
    assert.equal(await tokens.source(true).getToken(GITHUB), 'gho_session');
    assert.deepEqual(calls.map((c) => [c.provider, c.scopes, c.options]), [
      ['github', ['repo'], { silent: true }],
      ['github', ['repo'], { createIfNone: true }],
    ]);
    tokens.dispose();
  });

  it('a token stored for the host wins over the session; other hosts never ask GitHub', async () => {
    calls.length = 0;
    const tokens = tokensWith(secretStorage({ [tokenSecretKey('github.com')]: 'ghp_stored' }));
    assert.equal(await tokens.source(true).getToken(GITHUB), 'ghp_stored');
    assert.equal(await tokens.source(true).getToken({ kind: 'gitlab', host: 'gitlab.com', apiUrl: 'https://gitlab.com/api/v4' }), null);
    assert.equal(calls.length, 0);
    tokens.dispose();
  });

  it('GitHub Enterprise uses the github-enterprise provider, only for the server set in github-enterprise.uri', async () => {
    calls.length = 0;
    sessions.set('github-enterprise', 'ghe_session');
    const tokens = tokensWith();
    enterpriseUri = '';
    assert.equal(await tokens.source(false).getToken(ENTERPRISE), null, 'no enterprise server configured: no session is borrowed');
    enterpriseUri = 'https://ghe.example.com';
    assert.equal(await tokens.source(false).getToken(ENTERPRISE), 'ghe_session');
    assert.equal(await tokens.source(false).getToken({ ...ENTERPRISE, host: 'other.example.com', apiUrl: 'https://other.example.com/api/v3' }), null, "another server's requests never get this session");
    assert.deepEqual(calls.map((c) => c.provider), ['github-enterprise']);
    tokens.dispose();
  });

  it('no provider (VS Code in a browser) or a declined sign-in means no token, not an error', async () => {
    providerMissing = true;
    const tokens = tokensWith();
    assert.equal(await tokens.source(true).getToken(GITHUB), null);
    providerMissing = false;
    sessions.delete('github');
    assert.equal(await tokens.source(false).getToken(GITHUB), null);
    tokens.dispose();
  });

  it('a change of GitHub sessions tells the pull-request views to read again', async () => {
    const tokens = tokensWith();
    let fired = 0;
    tokens.onDidChange(() => fired++);
    sessionChanges.fire({ provider: { id: 'github' } });
    sessionChanges.fire({ provider: { id: 'microsoft' } });
    sessionChanges.fire({ provider: { id: 'github-enterprise' } });
    assert.equal(fired, 2);
    tokens.dispose();
  });
});
