import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { detectHostKind, type HostInfo } from '../../src/core/hostKind';
import { remoteIdentity, stripUrlCredentials } from '../../src/core/remoteUrl';

const CASES: Array<[string, HostInfo]> = [
  ['https://github.com/acme/web.git', { kind: 'github', webUrl: 'https://github.com/acme/web', owner: 'acme', repo: 'web', apiUrl: 'https://api.github.com' }],
  ['git@github.com:acme/web.git', { kind: 'github', webUrl: 'https://github.com/acme/web', owner: 'acme', repo: 'web', apiUrl: 'https://api.github.com' }],
  ['ssh://git@ssh.github.com:443/acme/web.git', { kind: 'github', webUrl: 'https://ssh.github.com/acme/web', owner: 'acme', repo: 'web', apiUrl: 'https://api.github.com' }],
  ['https://github.acme.corp/platform/gitops', { kind: 'github-enterprise', webUrl: 'https://github.acme.corp/platform/gitops', owner: 'platform', repo: 'gitops', apiUrl: 'https://github.acme.corp/api/v3' }],
  ['git@github.acme.corp:platform/gitops.git', { kind: 'github-enterprise', webUrl: 'https://github.acme.corp/platform/gitops', owner: 'platform', repo: 'gitops', apiUrl: 'https://github.acme.corp/api/v3' }],
  ['https://octo.ghe.com/acme/web.git', { kind: 'github-enterprise', webUrl: 'https://octo.ghe.com/acme/web', owner: 'acme', repo: 'web', apiUrl: 'https://api.octo.ghe.com' }],
  ['https://gitlab.com/acme/platform/web.git', { kind: 'gitlab', webUrl: 'https://gitlab.com/acme/platform/web', owner: 'acme/platform', repo: 'web', apiUrl: 'https://gitlab.com/api/v4' }],
  ['ssh://git@gitlab.acme.io:2222/ops/gitops.git', { kind: 'gitlab', webUrl: 'https://gitlab.acme.io/ops/gitops', owner: 'ops', repo: 'gitops', apiUrl: 'https://gitlab.acme.io/api/v4' }],
  ['https://gitlab.acme.io:8443/ops/gitops.git', { kind: 'gitlab', webUrl: 'https://gitlab.acme.io:8443/ops/gitops', owner: 'ops', repo: 'gitops', apiUrl: 'https://gitlab.acme.io:8443/api/v4' }],
  ['https://codeberg.org/acme/web.git', { kind: 'gitea', webUrl: 'https://codeberg.org/acme/web', owner: 'acme', repo: 'web', apiUrl: 'https://codeberg.org/api/v1' }],
  ['git@gitea.acme.io:acme/web.git', { kind: 'gitea', webUrl: 'https://gitea.acme.io/acme/web', owner: 'acme', repo: 'web', apiUrl: 'https://gitea.acme.io/api/v1' }],
  ['http://forgejo.local:3000/acme/web', { kind: 'gitea', webUrl: 'http://forgejo.local:3000/acme/web', owner: 'acme', repo: 'web', apiUrl: 'http://forgejo.local:3000/api/v1' }],
  [
    'https://dev.azure.com/acme/Platform%20Team/_git/gitops',
    { kind: 'azure-devops', webUrl: 'https://dev.azure.com/acme/Platform%20Team/_git/gitops', owner: 'acme/Platform Team', repo: 'gitops', apiUrl: 'https://dev.azure.com/acme' },
  ],
  ['https://acme@dev.azure.com/acme/ops/_git/gitops', { kind: 'azure-devops', webUrl: 'https://dev.azure.com/acme/ops/_git/gitops', owner: 'acme/ops', repo: 'gitops', apiUrl: 'https://dev.azure.com/acme' }],
  ['git@ssh.dev.azure.com:v3/acme/ops/gitops', { kind: 'azure-devops', webUrl: 'https://dev.azure.com/acme/ops/_git/gitops', owner: 'acme/ops', repo: 'gitops', apiUrl: 'https://dev.azure.com/acme' }],
  ['https://acme.visualstudio.com/DefaultCollection/ops/_git/gitops', { kind: 'azure-devops', webUrl: 'https://acme.visualstudio.com/ops/_git/gitops', owner: 'acme/ops', repo: 'gitops', apiUrl: 'https://acme.visualstudio.com' }],
  ['https://acme.visualstudio.com/ops/_git/gitops', { kind: 'azure-devops', webUrl: 'https://acme.visualstudio.com/ops/_git/gitops', owner: 'acme/ops', repo: 'gitops', apiUrl: 'https://acme.visualstudio.com' }],
  ['https://dev.azure.com/acme/_git/gitops', { kind: 'azure-devops', webUrl: 'https://dev.azure.com/acme/gitops/_git/gitops', owner: 'acme/gitops', repo: 'gitops', apiUrl: 'https://dev.azure.com/acme' }],
  ['https://bitbucket.org/acme/web.git', { kind: 'bitbucket', webUrl: 'https://bitbucket.org/acme/web', owner: 'acme', repo: 'web', apiUrl: 'https://api.bitbucket.org/2.0' }],
  ['git@bitbucket.org:acme/web.git', { kind: 'bitbucket', webUrl: 'https://bitbucket.org/acme/web', owner: 'acme', repo: 'web', apiUrl: 'https://api.bitbucket.org/2.0' }],
  ['https://git.acme.corp/scm/ops/gitops.git', { kind: 'bitbucket-server', webUrl: 'https://git.acme.corp/projects/OPS/repos/gitops', owner: 'OPS', repo: 'gitops', apiUrl: 'https://git.acme.corp/rest/api/1.0' }],
  [
    'https://acme.corp/bitbucket/scm/OPS/gitops.git',
    { kind: 'bitbucket-server', webUrl: 'https://acme.corp/bitbucket/projects/OPS/repos/gitops', owner: 'OPS', repo: 'gitops', apiUrl: 'https://acme.corp/bitbucket/rest/api/1.0' },
  ],
  ['ssh://git@git.acme.corp:7999/ops/gitops.git', { kind: 'bitbucket-server', webUrl: 'https://git.acme.corp/projects/OPS/repos/gitops', owner: 'OPS', repo: 'gitops', apiUrl: 'https://git.acme.corp/rest/api/1.0' }],
  ['https://git.acme.corp/scm/~alice/scratch.git', { kind: 'bitbucket-server', webUrl: 'https://git.acme.corp/users/alice/repos/scratch', owner: '~alice', repo: 'scratch', apiUrl: 'https://git.acme.corp/rest/api/1.0' }],
  ['https://git.example.com/acme/web.git', { kind: 'unknown', webUrl: 'https://git.example.com/acme/web', owner: 'acme', repo: 'web', apiUrl: null }],
  ['git@git.example.com:acme/web.git', { kind: 'unknown', webUrl: null, owner: 'acme', repo: 'web', apiUrl: null }],
];

describe('detectHostKind', () => {
  for (const [url, expected] of CASES) {
    it(`reads ${url}`, () => assert.deepEqual(detectHostKind(url), expected));
  }

  it('never returns a token or password embedded in the URL', () => {
    const urls = [
      'https://alice:ghp_secretToken123@github.com/acme/web.git',
      'https://x-access-token:s3cr3t@github.acme.corp/acme/web.git',
      'https://oauth2:glpat-s3cr3t@gitlab.com/acme/web.git',
      'https://ghp_abcdefghijklmnopqrstuvwxyz012345@github.com/acme/web.git',
      'https://alice:s3cr3t@dev.azure.com/acme/ops/_git/gitops',
      'https://alice:s3cr3t@git.acme.corp/scm/ops/gitops.git',
      'https://alice:s3cr3t@git.example.com/acme/web.git',
    ];
    for (const url of urls) {
      const info = detectHostKind(url);
      const text = JSON.stringify(info);
      assert.ok(!/s3cr3t|secretToken|ghp_|glpat|alice|oauth2|x-access-token/.test(text), `${url} leaked: ${text}`);
      assert.notEqual(info.webUrl, null, url);
    }
  });

  it('applies overrides: per-host kind first, then the repository-wide kind and API URL', () => {
    assert.equal(detectHostKind('https://git.acme.corp/ops/gitops.git', { hosts: { 'git.acme.corp': 'gitlab' } }).apiUrl, 'https://git.acme.corp/api/v4');
    assert.equal(detectHostKind('https://git.acme.corp/ops/gitops.git', { kind: 'gitea' }).kind, 'gitea');
    assert.equal(detectHostKind('https://git.acme.corp/ops/gitops.git', { kind: 'gitea', hosts: { 'git.acme.corp': 'github-enterprise' } }).kind, 'github-enterprise');
    assert.deepEqual(detectHostKind('https://code.acme.corp/ops/gitops.git', { kind: 'github-enterprise', apiUrl: 'https://u:tok@code.acme.corp/api/v3/' }), {
      kind: 'github-enterprise',
      webUrl: 'https://code.acme.corp/ops/gitops',
      owner: 'ops',
      repo: 'gitops',
      apiUrl: 'https://u@code.acme.corp/api/v3',
    });
  });

  it('gives unknown with every field null for local paths and garbage', () => {
    for (const url of ['', '   ', '/srv/git/repo.git', '../env-repo', 'C:\\repos\\gitops', 'C:/repos/gitops', 'file:///srv/git/repo.git', 'not a url', 'https://']) {
      assert.deepEqual(detectHostKind(url), { kind: 'unknown', webUrl: null, owner: null, repo: null, apiUrl: null }, url);
    }
  });
});

describe('remote URL helpers', () => {
  it('strips passwords and token user names, keeps plain user names', () => {
    assert.equal(stripUrlCredentials('https://alice:pw@github.com/a/b.git'), 'https://alice@github.com/a/b.git');
    assert.equal(stripUrlCredentials('https://ghp_abcdefghijklmnopqrstuvwxyz012345@github.com/a/b'), 'https://github.com/a/b');
    assert.equal(stripUrlCredentials('https://acme@dev.azure.com/acme/p/_git/r'), 'https://acme@dev.azure.com/acme/p/_git/r');
    assert.equal(stripUrlCredentials('git@github.com:a/b.git'), 'git@github.com:a/b.git');
  });

  it('compares https and ssh forms of one repository as equal', () => {
    assert.equal(remoteIdentity('git@github.com:Acme/Web.git'), remoteIdentity('https://github.com/acme/web'));
    assert.equal(remoteIdentity('git@ssh.dev.azure.com:v3/acme/ops/gitops'), remoteIdentity('https://acme@dev.azure.com/acme/ops/_git/gitops'));
    assert.notEqual(remoteIdentity('https://github.com/acme/web'), remoteIdentity('https://github.com/acme/api'));
    assert.equal(remoteIdentity('../local'), null);
  });
});
