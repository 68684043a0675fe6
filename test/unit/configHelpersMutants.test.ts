// The name, ladder and remote-URL rules under gitops.yaml: safe environment names and their
// suggestions, branch names (against git's own `git check-ref-format`), repository folders and
// `repo:` values, the promotion ladder (ranks, lanes, default source and target), host detection
// and remote URL parsing (against Node's URL parser), "did you mean" (against an independent
// edit-distance reference), and the model helpers. Written to kill the mutation survivors of
// src/core/safeNames.ts, environmentLadder.ts, hostKind.ts, remoteUrl.ts, model.ts and
// didYouMean.ts (group core-config): each rule is held by its exact output, not by "some problem".
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { closestMatch, editDistance } from '../../src/core/didYouMean';
import { compareByLadder, defaultPromotionSource, defaultPromotionTarget, ladderRank, laneOf } from '../../src/core/environmentLadder';
import { detectHostKind, type HostInfo } from '../../src/core/hostKind';
import { environmentPaths, formatProblem } from '../../src/core/model';
import { parseRemoteUrl, remoteIdentity, stripUrlCredentials } from '../../src/core/remoteUrl';
import {
  branchNameProblem,
  isNamespaceName,
  isSafeEnvironmentName,
  looksLikeSecretUserInfo,
  normalizeRepoPath,
  repoLocationProblem,
  suggestEnvironmentName,
} from '../../src/core/safeNames';
import { seededRandom } from '../support/seededRandom';

function pick<T>(random: () => number, items: readonly T[]): T {
  return items[Math.floor(random() * items.length)];
}

describe('suggestEnvironmentName', () => {
  it('gives the safe name a hint offers, exactly', () => {
    const cases: Array<[string, string | undefined]> = [
      ['prod eu', 'prod-eu'],
      ['-prod', 'prod'],
      ['._prod', 'prod'],
      ['prod.-', 'prod'],
      ['prod!!', 'prod'],
      ['a!-!b', 'a-b'],
      ['a'.repeat(70), 'a'.repeat(63)],
      [`${'a'.repeat(62)}.-x`, 'a'.repeat(62)],
      ['!!!', undefined],
      ['', undefined],
      ['prod', 'prod'],
    ];
    for (const [name, expected] of cases) assert.equal(suggestEnvironmentName(name), expected, JSON.stringify(name));
  });

  it('always suggests a safe name no longer than 63, and returns a safe name unchanged when it has no trailing "." or "-"', () => {
    const random = seededRandom(7101);
    const alphabet = ['a', 'Z', '7', '.', '-', '_', ' ', '!', '/', 'é'];
    for (let run = 0; run < 400; run++) {
      let name = '';
      const length = Math.floor(random() * 80);
      for (let i = 0; i < length; i++) name += pick(random, alphabet);
      const suggestion = suggestEnvironmentName(name);
      if (suggestion === undefined) {
        assert.ok(!/[A-Za-z0-9]/.test(name), `${JSON.stringify(name)} has a letter or digit, so something is left`);
        continue;
      }
      assert.ok(isSafeEnvironmentName(suggestion), JSON.stringify(name));
      assert.ok(!/[-.]$/.test(suggestion), JSON.stringify(suggestion));
      if (isSafeEnvironmentName(name) && !/[-.]$/.test(name) && !/-{2,}/.test(name)) assert.equal(suggestion, name);
    }
  });
});

/** git's own verdict on a branch name (a one-level name is allowed, like `main`). */
function gitAcceptsBranch(name: string): boolean {
  return spawnSync('git', ['check-ref-format', '--allow-onelevel', name], { stdio: 'ignore' }).status === 0;
}

describe('branchNameProblem', () => {
  it('names the rule each refused branch breaks', () => {
    const cases: Array<[string, string | undefined]> = [
      ['', 'is empty'],
      ['-x', 'starts with "-" (git would read it as an option)'],
      ['a b', 'contains a space, a control character or one of ~ ^ : ? * [ \\'],
      ['a\u007fb', 'contains a space, a control character or one of ~ ^ : ? * [ \\'],
      ['a~1', 'contains a space, a control character or one of ~ ^ : ? * [ \\'],
      ['a..b', 'contains ".."'],
      ['a@{b', 'contains "@{"'],
      ['@', 'contains "@{"'],
      ['/a', 'has an empty path segment (leading, trailing or double "/")'],
      ['a/', 'has an empty path segment (leading, trailing or double "/")'],
      ['a//b', 'has an empty path segment (leading, trailing or double "/")'],
      ['a.', 'ends with "." or ".lock"'],
      ['a.lock', 'ends with "." or ".lock"'],
      ['.a', 'has a segment starting with "."'],
      ['a/.b', 'has a segment starting with "."'],
      ['a/b.c', undefined],
      ['a@b', undefined],
      ['env/prod', undefined],
      ['a-', undefined],
      ['lock.a', undefined],
    ];
    for (const [branch, expected] of cases) assert.equal(branchNameProblem(branch), expected, JSON.stringify(branch));
  });

  it('accepts exactly the branch names git check-ref-format accepts (600 seeded names)', () => {
    const random = seededRandom(7102);
    const tokens = ['a', 'b', 'main', '.', '/', '@', '{', '-', 'lock', '.lock', ' ', '~', '^', ':', '?', '*', '[', '\\', '\u007f', '\t', 'é', '_', '..'];
    let compared = 0;
    for (let run = 0; run < 600; run++) {
      let name = '';
      const length = 1 + Math.floor(random() * 6);
      for (let i = 0; i < length; i++) name += pick(random, tokens);
      const problem = branchNameProblem(name);
      if (name.startsWith('-')) {
        // git would take it for an option; we refuse it ourselves.
        assert.equal(problem, 'starts with "-" (git would read it as an option)');
        continue;
      }
      compared++;
      assert.equal(problem === undefined, gitAcceptsBranch(name), `${JSON.stringify(name)}: ${problem ?? 'accepted'}`);
    }
    assert.ok(compared > 400, `compared only ${compared}`);
  });

  it('refuses a segment ending in ".lock" before the last, and "HEAD", as git does', () => {
    assert.equal(gitAcceptsBranch('a.lock/b'), false);
    assert.equal(branchNameProblem('a.lock/b'), 'has a segment ending in ".lock"');
    assert.equal(branchNameProblem('x.lock'), 'ends with "." or ".lock"');
    assert.equal(branchNameProblem('a/.lock.b'), 'has a segment starting with "."');
    assert.equal(branchNameProblem('HEAD'), 'is "HEAD", which git keeps for the checked-out commit');
    assert.equal(branchNameProblem('HEADS'), undefined);
    assert.equal(branchNameProblem('release/HEAD'), undefined);
  });
});

describe('normalizeRepoPath, isNamespaceName', () => {
  it('normalizes a folder and refuses what could leave the checkout', () => {
    assert.deepEqual(normalizeRepoPath('  apps/web/  '), { ok: true, path: 'apps/web' });
    assert.deepEqual(normalizeRepoPath('.\\apps\\web'), { ok: true, path: 'apps/web' });
    assert.deepEqual(normalizeRepoPath('./'), { ok: true, path: null });
    assert.deepEqual(normalizeRepoPath('a\u0001b'), { ok: false, reason: 'contains a control character' });
    assert.deepEqual(normalizeRepoPath('a\u007f'), { ok: false, reason: 'contains a control character' });
    assert.deepEqual(normalizeRepoPath(' /etc'), { ok: false, reason: 'is absolute' });
    assert.deepEqual(normalizeRepoPath('a/../b'), { ok: false, reason: 'contains ".." and could leave the repository' });
  });

  it('accepts DNS-1123 labels only', () => {
    for (const name of ['a', '0', 'a-b', 'a'.repeat(63), 'web1']) assert.equal(isNamespaceName(name), true, name);
    for (const name of ['', 'a_', 'a-', '-a', 'A', 'a.b', 'a'.repeat(64), 'ab_c']) assert.equal(isNamespaceName(name), false, name);
  });
});

describe('repoLocationProblem, looksLikeSecretUserInfo', () => {
  it('names why a repo value is refused, and accepts folders and URLs git can clone', () => {
    const cases: Array<[string, string | undefined]> = [
      ['', 'is empty'],
      ['   ', 'is empty'],
      ['a\u0000b', 'contains a control character'],
      ['-upload-pack=x', 'starts with "-" (git would read it as an option)'],
      ['ext::sh -c x', 'uses a git remote-helper transport ("ext::", "fd::"…), which can run commands'],
      ['ftp://host/r.git', 'uses the unsupported scheme "ftp"'],
      ['https://user:pw@host/r.git', 'contains a password or token'],
      [`https://${'a'.repeat(40)}@host/r.git`, 'contains a password or token'],
      ['repo-', undefined],
      ['../mirrors/ftp://archive', undefined],
      ['https://host/a::b', undefined],
      ['https://host:8443/r.git', undefined],
      ['ssh://git@host:22/r.git', undefined],
      ['https://@host/r.git', undefined],
      ['https://org@dev.azure.com/org/p/_git/r', undefined],
      ['HTTPS://host/r.git', undefined],
      ['git@github.com:o/r.git', undefined],
    ];
    for (const scheme of ['https', 'http', 'ssh', 'git', 'git+ssh', 'ssh+git']) cases.push([`${scheme}://host/r.git`, undefined]);
    cases.push(['file:///srv/r.git', undefined]);
    for (const [repo, expected] of cases) assert.equal(repoLocationProblem(repo), expected, JSON.stringify(repo));
  });

  it('takes a password, a token prefix or a long token-like name for a secret, not a plain user name', () => {
    const secret = ['u:p', ':', 'ghp_x', 'GHO-x', 'github_pat_1', 'glpat-x', 'gldt_x', 'a'.repeat(30), `${'a'.repeat(29)}_`];
    const plain = ['git', 'org', '', 'ghpx', 'myghp_x', 'a'.repeat(29), `!${'a'.repeat(30)}`, `${'a'.repeat(30)}!`, `${'a'.repeat(30)}.b`];
    for (const value of secret) assert.equal(looksLikeSecretUserInfo(value), true, value);
    for (const value of plain) assert.equal(looksLikeSecretUserInfo(value), false, value);
  });
});

describe('the promotion ladder', () => {
  const rungs = [
    ['dev', 'develop', 'development', 'devel', 'sandbox'],
    ['int', 'integration', 'sit'],
    ['test', 'testing', 'qa', 'qas', 'tst'],
    ['perf', 'performance', 'load', 'loadtest', 'stress'],
    ['staging', 'stage', 'stg', 'uat', 'preprod', 'preproduction', 'acc', 'acceptance'],
    ['prod', 'production', 'prd', 'live'],
  ];

  it('ranks every ladder word, with trailing digits and around a lane', () => {
    rungs.forEach((words, rank) => {
      for (const word of words) {
        assert.equal(ladderRank(word), rank, word);
        assert.equal(ladderRank(`${word}2`), rank, `${word}2`);
        assert.equal(ladderRank(`app-${word}-eu`), rank, `app-${word}-eu`);
      }
    });
    assert.equal(ladderRank('pro1d'), null, 'digits inside a word are part of it');
    assert.equal(ladderRank('qa1s'), null);
    assert.equal(ladderRank('product'), null);
  });

  it('gives the lane without the ladder word and "environment" prefixes', () => {
    for (const prefix of ['env', 'envs', 'environment', 'environments', 'deploy']) assert.equal(laneOf(`${prefix}/prod-eu`), 'eu', prefix);
    assert.equal(laneOf('stage-pre-prod'), '', '"stage" before the joined ladder word is a prefix');
    assert.equal(laneOf('-prod-eu'), 'eu');
    assert.equal(laneOf('-a-prod'), 'a', 'no empty word from a leading separator');
    assert.equal(laneOf('/my-app/'), 'my-app');
    assert.equal(laneOf('prod--eu'), 'eu');
    assert.equal(laneOf('my-app'), 'my-app');
    assert.equal(laneOf('eu-env-prod'), 'eu-env', 'a prefix word counts only first');
  });

  it('breaks a tie between names that collate alike by their code units, and gives 0 only for the same name', () => {
    const nfc = 'prod-caf\u00e9';
    const nfd = 'prod-cafe\u0301';
    assert.equal(compareByLadder(nfc, nfd), 1);
    assert.equal(compareByLadder(nfd, nfc), -1);
    assert.equal(compareByLadder(nfc, nfc), 0);
    assert.equal(compareByLadder('zeta', 'zeta'), 0);
  });

  const envs = (...names: string[]): Array<{ name: string }> => names.map((name) => ({ name }));

  it('promotes to the first later environment of the same lane and a rank not below', () => {
    const cases: Array<[string[], string | undefined]> = [
      [['staging-eu', 'uat-eu', 'prod-eu'], 'uat-eu'],
      [['staging-eu', 'dev-eu', 'prod-eu'], 'prod-eu'],
      [['dev-eu', 'eu', 'prod-eu'], 'prod-eu'],
      [['staging-eu', 'prod-us', 'prod'], 'prod'],
      [['staging-eu', 'dev', 'prod'], 'prod'],
      [['staging-eu', 'staging', 'prod'], 'prod'],
      [['dev-eu', '-', 'prod'], 'prod'],
      [['staging', 'prod-eu', 'prod'], 'prod'],
      [['staging-eu', 'prod-us'], 'prod-us'],
      [['prod'], undefined],
    ];
    for (const [names, expected] of cases) {
      const list = envs(...names);
      assert.equal(defaultPromotionTarget(list, list[0])?.name, expected, names.join(' '));
    }
    const list = envs('dev', 'prod');
    assert.equal(defaultPromotionTarget(list, { name: 'dev' }), undefined, 'an environment not in the list');
  });

  it('takes the nearest lower-tier feeder, else any feeder, else the nearest lower tier, else the one before', () => {
    const cases: Array<[string[], string | undefined]> = [
      [['dev', 'staging', 'staging-us'], 'staging'],
      [['dev', 'staging-eu', 'staging'], 'dev'],
      [['dev', 'staging-eu', 'uat-eu'], 'staging-eu'],
      [['dev-us', 'qa-eu', 'prod-us'], 'qa-eu'],
      [['dev', 'staging-eu', 'staging-us'], 'dev'],
      [['alpha', 'beta', 'gamma'], 'beta'],
      [['prod'], undefined],
    ];
    for (const [names, expected] of cases) {
      const list = envs(...names);
      assert.equal(defaultPromotionSource(list, list[list.length - 1])?.name, expected, names.join(' '));
    }
    const list = envs('dev', 'staging', 'prod');
    assert.equal(defaultPromotionSource(list, { name: 'prod' }), undefined, 'an environment not in the list');
  });
});

describe('detectHostKind', () => {
  const none = { webUrl: null, owner: null, repo: null, apiUrl: null };
  const cases: Array<[string, HostInfo]> = [
    ['https://www.github.com/o/r', { kind: 'github', webUrl: 'https://www.github.com/o/r', owner: 'o', repo: 'r', apiUrl: 'https://api.github.com' }],
    ['https://github.com/o/r/tree/main', { kind: 'github', webUrl: 'https://github.com/o/r', owner: 'o', repo: 'r', apiUrl: 'https://api.github.com' }],
    ['https://github.com/o//my.gitops.git', { kind: 'github', webUrl: 'https://github.com/o/my.gitops', owner: 'o', repo: 'my.gitops', apiUrl: 'https://api.github.com' }],
    ['https://github.com/o', { kind: 'github', ...none, apiUrl: 'https://api.github.com' }],
    ['https://www.bitbucket.org/o/r.git', { kind: 'bitbucket', webUrl: 'https://www.bitbucket.org/o/r', owner: 'o', repo: 'r', apiUrl: 'https://api.bitbucket.org/2.0' }],
    ['https://my-github.example.com/o/r', { kind: 'github-enterprise', webUrl: 'https://my-github.example.com/o/r', owner: 'o', repo: 'r', apiUrl: 'https://my-github.example.com/api/v3' }],
    ['ssh://git@gitlab.example.com/scm/r.git', { kind: 'gitlab', webUrl: 'https://gitlab.example.com/scm/r', owner: 'scm', repo: 'r', apiUrl: 'https://gitlab.example.com/api/v4' }],
    ['https://git.example.com/a/b/c.git', { kind: 'unknown', webUrl: 'https://git.example.com/a/b/c', owner: 'a/b', repo: 'c', apiUrl: null }],
    // Azure DevOps
    ['git@vs-ssh.visualstudio.com:v3/org/proj/repo', { kind: 'azure-devops', webUrl: 'https://org.visualstudio.com/proj/_git/repo', owner: 'org/proj', repo: 'repo', apiUrl: 'https://org.visualstudio.com' }],
    ['git@ssh.dev.azure.com:org/proj/repo', { kind: 'azure-devops', webUrl: 'https://dev.azure.com/org/proj/_git/repo', owner: 'org/proj', repo: 'repo', apiUrl: 'https://dev.azure.com/org' }],
    ['git@ssh.dev.azure.com:v3/org', { kind: 'azure-devops', ...none }],
    ['https://dev.azure.com/org//proj/_git/repo', { kind: 'azure-devops', webUrl: 'https://dev.azure.com/org/proj/_git/repo', owner: 'org/proj', repo: 'repo', apiUrl: 'https://dev.azure.com/org' }],
    ['https://dev.azure.com/org/proj/repo', { kind: 'azure-devops', ...none }],
    ['https://dev.azure.com/_git/repo', { kind: 'azure-devops', ...none }],
    ['https://dev.azure.com/org/proj/_git', { kind: 'azure-devops', ...none }],
    ['https://org.visualstudio.com/_git/repo', { kind: 'azure-devops', webUrl: 'https://org.visualstudio.com/repo/_git/repo', owner: 'org/repo', repo: 'repo', apiUrl: 'https://org.visualstudio.com' }],
    // Bitbucket Data Center
    ['ssh://git@bitbucket.corp.example/proj/repo.git', { kind: 'bitbucket-server', webUrl: 'https://bitbucket.corp.example/projects/PROJ/repos/repo', owner: 'PROJ', repo: 'repo', apiUrl: 'https://bitbucket.corp.example/rest/api/1.0' }],
    ['http://bb.example.com/scm/proj/repo.git', { kind: 'bitbucket-server', webUrl: 'http://bb.example.com/projects/PROJ/repos/repo', owner: 'PROJ', repo: 'repo', apiUrl: 'http://bb.example.com/rest/api/1.0' }],
    ['https://bb.example.com/scm/proj//repo.git', { kind: 'bitbucket-server', webUrl: 'https://bb.example.com/projects/PROJ/repos/repo', owner: 'PROJ', repo: 'repo', apiUrl: 'https://bb.example.com/rest/api/1.0' }],
    ['https://host.example/bitbucket/scm/proj/repo.git', { kind: 'bitbucket-server', webUrl: 'https://host.example/bitbucket/projects/PROJ/repos/repo', owner: 'PROJ', repo: 'repo', apiUrl: 'https://host.example/bitbucket/rest/api/1.0' }],
    ['ssh://git@bb.example.com:7999/proj/repo.git', { kind: 'bitbucket-server', webUrl: 'https://bb.example.com/projects/PROJ/repos/repo', owner: 'PROJ', repo: 'repo', apiUrl: 'https://bb.example.com/rest/api/1.0' }],
    ['ssh://git@bb.example.com:7999/scm/tools.git', { kind: 'bitbucket-server', webUrl: 'https://bb.example.com/projects/SCM/repos/tools', owner: 'SCM', repo: 'tools', apiUrl: 'https://bb.example.com/rest/api/1.0' }],
    ['ssh://git@bb.example.com:7999/proj', { kind: 'bitbucket-server', ...none }],
    ['ssh://git@bb.example.com:7999/proj/scm', { kind: 'bitbucket-server', webUrl: 'https://bb.example.com/projects/PROJ/repos/scm', owner: 'PROJ', repo: 'scm', apiUrl: 'https://bb.example.com/rest/api/1.0' }],
    ['https://bitbucket.corp.example/proj/repo.git', { kind: 'bitbucket-server', webUrl: 'https://bitbucket.corp.example/projects/PROJ/repos/repo', owner: 'PROJ', repo: 'repo', apiUrl: 'https://bitbucket.corp.example/rest/api/1.0' }],
  ];

  it('gives kind, pages, owner, repository and API of each remote form, exactly', () => {
    for (const [url, expected] of cases) assert.deepEqual(detectHostKind(url), expected, url);
  });

  it('strips every trailing slash and any credentials from an API override', () => {
    assert.equal(detectHostKind('https://github.com/o/r', { apiUrl: 'https://api.example.com//' }).apiUrl, 'https://api.example.com');
    assert.equal(detectHostKind('https://github.com/o/r', { apiUrl: 'https://u:p@api.example.com/' }).apiUrl, 'https://u@api.example.com');
  });
});

describe('parseRemoteUrl against Node URL', () => {
  it('finds the host, port, user and path Node URL finds (500 seeded URLs)', () => {
    const random = seededRandom(7103);
    const hosts = ['github.com', 'git.example.com', 'gitlab.acme.io', 'h'];
    const users = [null, 'git', 'org', 'al%20ice', 'u:p', `ghp_${'x'.repeat(8)}`];
    const ports = [null, 2222, 7999, 8443];
    const segments = ['o', 'r.git', 'My%20Project', '_git', 'v3', ''];
    for (let run = 0; run < 500; run++) {
      const scheme = pick(random, ['https', 'http', 'ssh', 'git+ssh', 'ssh+git', 'git', 'HTTPS']);
      const user = pick(random, users);
      const host = pick(random, hosts);
      const port = pick(random, ports);
      const path = Array.from({ length: Math.floor(random() * 5) }, () => pick(random, segments)).join('/');
      const url = `${scheme}://${user === null ? '' : `${user}@`}${host}${port === null ? '' : `:${port}`}/${path}${random() < 0.3 ? '/' : ''}`;
      const reference = new URL(url);
      const parsed = parseRemoteUrl(random() < 0.3 ? `  ${url}  ` : url);
      assert.ok(parsed, url);
      const lower = scheme.toLowerCase();
      assert.equal(parsed.scheme, lower === 'git+ssh' || lower === 'ssh+git' ? 'ssh' : lower, url);
      assert.equal(parsed.host, reference.hostname.toLowerCase(), url);
      assert.equal(parsed.port, reference.port === '' ? null : Number(reference.port), url);
      assert.equal(parsed.path, reference.pathname.replace(/^\/+|\/+$/g, ''), url);
      const plainUser = user !== null && !user.includes(':') && !user.startsWith('ghp_');
      assert.equal(parsed.user, plainUser ? decodeURIComponent(reference.username) : null, url);
      assert.equal(parsed.scpLike, false, url);
    }
  });

  it('reads scp-like remotes and refuses local paths and host-less URLs', () => {
    assert.deepEqual(parseRemoteUrl('git@GitHub.com:/o/r.git/'), { scheme: 'ssh', user: 'git', host: 'github.com', port: null, path: 'o/r.git', scpLike: true });
    assert.deepEqual(parseRemoteUrl('github.com:o/r'), { scheme: 'ssh', user: null, host: 'github.com', port: null, path: 'o/r', scpLike: true });
    assert.deepEqual(parseRemoteUrl('https://h//o/r//'), { scheme: 'https', user: null, host: 'h', port: null, path: 'o/r', scpLike: false });
    assert.equal(parseRemoteUrl('https:///o/r'), null);
    assert.equal(parseRemoteUrl('file://server/share/repo'), null);
    assert.equal(parseRemoteUrl('FILE:///srv/repo'), null);
    assert.equal(parseRemoteUrl('C:/repo'), null);
    assert.equal(parseRemoteUrl('/srv/repo'), null);
  });
});

describe('stripUrlCredentials and remoteIdentity', () => {
  it('changes only a URL at the start of the text, and only when it carries a secret', () => {
    assert.equal(stripUrlCredentials('mirror https://u:p@h/x'), 'mirror https://u:p@h/x');
    assert.equal(stripUrlCredentials('https://@h/x'), 'https://@h/x');
    assert.equal(stripUrlCredentials('https://git@h/x'), 'https://git@h/x');
    assert.equal(stripUrlCredentials('https://:tok@h/x'), 'https://h/x');
  });

  it('gives the identity of local and remote spellings exactly', () => {
    const cases: Array<[string, string | null]> = [
      ['  /srv/git/env.git  ', 'file:/srv/git/env'],
      ['/srv/env//', 'file:/srv/env'],
      ['/srv/my.gitops/env', 'file:/srv/my.gitops/env'],
      ['/srv/my repo', null],
      ['https://github.com/o/my.gitops', 'github.com/o/my.gitops'],
      ['https://h.example/o/v3/r', 'h.example/o/v3/r'],
      ['https://xssh.dev.azure.com/o/r', 'xssh.dev.azure.com/o/r'],
      ['https://ssh.dev.azure.com.example/o/r', 'ssh.dev.azure.com.example/o/r'],
      ['git@ssh.dev.azure.com:v3/org/p/r', 'dev.azure.com/org/p/r'],
    ];
    for (const [raw, expected] of cases) assert.equal(remoteIdentity(raw), expected, raw);
  });
});

/** Optimal string alignment distance written from its definition (memoised recursion), the reference. */
function osaReference(a: string, b: string): number {
  const memo = new Map<string, number>();
  const go = (i: number, j: number): number => {
    if (i === 0) return j;
    if (j === 0) return i;
    const key = `${i},${j}`;
    const known = memo.get(key);
    if (known !== undefined) return known;
    let best = Math.min(go(i - 1, j) + 1, go(i, j - 1) + 1, go(i - 1, j - 1) + (a[i - 1] === b[j - 1] ? 0 : 1));
    if (i >= 2 && j >= 2 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, go(i - 2, j - 2) + 1);
    memo.set(key, best);
    return best;
  };
  return go(a.length, b.length);
}

describe('editDistance and closestMatch against a reference', () => {
  it('equals the optimal-string-alignment distance (500 seeded pairs)', () => {
    const random = seededRandom(7104);
    const word = (): string => Array.from({ length: Math.floor(random() * 7) }, () => pick(random, ['a', 'b', 'c'])).join('');
    for (let run = 0; run < 500; run++) {
      const a = word();
      const b = word();
      assert.equal(editDistance(a, b), osaReference(a, b), `${a} ${b}`);
    }
  });

  it('picks the first case-insensitive match, else the first nearest candidate within the allowance (400 seeded lists)', () => {
    const random = seededRandom(7105);
    const word = (): string => Array.from({ length: 1 + Math.floor(random() * 9) }, () => pick(random, ['a', 'b', 'A', 'c'])).join('');
    for (let run = 0; run < 400; run++) {
      const target = word();
      const candidates = Array.from({ length: Math.floor(random() * 5) }, word);
      let expected = candidates.find((c) => c.toLowerCase() === target.toLowerCase());
      if (expected === undefined) {
        let bestDistance = Number.POSITIVE_INFINITY;
        for (const c of candidates) {
          const distance = osaReference(target.toLowerCase(), c.toLowerCase());
          if (distance <= Math.max(2, Math.floor(c.length / 3)) && distance < bestDistance) {
            expected = c;
            bestDistance = distance;
          }
        }
      }
      assert.equal(closestMatch(target, candidates), expected, `${target} in ${candidates.join(',')}`);
    }
  });
});

describe('model helpers', () => {
  it('reads the folders of an environment from paths when it has some, else from path', () => {
    assert.deepEqual(environmentPaths({ path: 'a', paths: [] }), ['a']);
    assert.deepEqual(environmentPaths({ path: 'a', paths: ['b', 'c'] }), ['b', 'c']);
    assert.deepEqual(environmentPaths({ path: null, paths: [] }), []);
    assert.deepEqual(environmentPaths({ path: null }), []);
  });

  it('formats a problem as file:line:column: message — hint', () => {
    const range = { start: { line: 3, column: 7 }, end: { line: 3, column: 9 } };
    assert.equal(formatProblem({ message: 'bad', severity: 'error', location: { file: 'gitops.yaml', range }, hint: 'fix it' }), 'gitops.yaml:3:7: bad — fix it');
    assert.equal(formatProblem({ message: 'bad', severity: 'warning', location: { file: 'gitops.yaml' } }), 'gitops.yaml: bad');
    assert.equal(formatProblem({ message: 'bad', severity: 'error' }), 'bad');
  });
});
