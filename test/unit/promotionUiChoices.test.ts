// The pure pieces behind the promotion commands and tree rows: which source → target pairs
// "Promote…" offers (and preselects), host names and overrides for sign-in, which environment a
// pull request belongs to and how its state reads, and the target's drift in a sentence.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { formatMetadataBlock } from '../../src/core/promotion/promotionMetadata';
import { driftSentence } from '../../src/ui/promotion/driftSentence';
import { githubSessionProvider, isSignInKind, mergeHostOverrides, normalizeHostInput, tokenSecretKey } from '../../src/ui/promotion/hostSettings';
import { defaultPair, pairInto, promotionPairs, type LadderEnvironment } from '../../src/ui/promotion/pairChoices';
import { checksText, environmentOfPullRequest, pullRequestDescription, pullRequestKind } from '../../src/ui/promotion/pullRequestMatching';

const LADDER: LadderEnvironment[] = [
  { name: 'prod', order: 2, pending: { from: 'staging', total: 2 }, protected: true },
  { name: 'dev', order: 0, pending: null, protected: false },
  { name: 'staging', order: 1, pending: { from: 'dev', total: 0 }, protected: false },
];

describe('promotion pairs', () => {
  it('lists neighbours first in promotion order with what waits, then pairs that skip', () => {
    const pairs = promotionPairs(LADDER);
    assert.deepEqual(
      pairs.map((p) => [p.label, p.description]),
      [
        ['dev → staging', 'up to date'],
        ['staging → prod', '2 commits to promote · protected'],
        ['dev → prod', 'skips staging · protected'],
      ],
    );
    assert.deepEqual(
      pairs.map((p) => p.adjacent),
      [true, true, false],
    );
  });

  it('does not show a count that belongs to another pair', () => {
    const odd = promotionPairs([
      { name: 'a', order: 0, pending: null, protected: false },
      { name: 'b', order: 1, pending: { from: 'x', total: 4 }, protected: false },
    ]);
    assert.equal(odd[0].pending, null);
    assert.equal(odd[0].description, '');
  });

  it('preselects the pair into or out of the environment asked for, else the next step with work waiting', () => {
    const pairs = promotionPairs(LADDER);
    assert.equal(defaultPair(pairs)?.label, 'staging → prod');
    assert.equal(defaultPair(pairs, { into: 'staging' })?.label, 'dev → staging');
    assert.equal(defaultPair(pairs, { from: 'dev' })?.label, 'dev → staging');
    const idle = promotionPairs(LADDER.map((e) => ({ ...e, pending: e.pending ? { ...e.pending, total: 0 } : null })));
    assert.equal(defaultPair(idle)?.label, 'dev → staging');
    assert.equal(defaultPair([]), undefined);
  });

  it('promoting into an environment comes from the one before it; the first has none', () => {
    assert.deepEqual(pairInto(LADDER, 'prod'), { from: 'staging', to: 'prod' });
    assert.deepEqual(pairInto(LADDER, 'staging'), { from: 'dev', to: 'staging' });
    assert.equal(pairInto(LADDER, 'dev'), null);
    assert.equal(pairInto(LADDER, 'qa'), null);
  });
});

describe('promotion pairs across lanes', () => {
  const laned = (names: string[]): LadderEnvironment[] => names.map((name, order) => ({ name, order, pending: null, protected: name.startsWith('prod') }));
  const envs = laned(['dev', 'staging-eu', 'staging-us', 'prod-eu', 'prod-us']);

  it('the usual promotions follow each lane: staging-eu → prod-eu and staging-us → prod-us, never staging-eu → staging-us', () => {
    const usual = promotionPairs(envs).filter((c) => c.adjacent).map((c) => c.label);
    assert.ok(usual.includes('staging-eu → prod-eu'));
    assert.ok(usual.includes('staging-us → prod-us'));
    assert.ok(!usual.includes('staging-eu → staging-us'));
    assert.ok(!usual.includes('staging-us → prod-eu'));
  });

  it('a pair into another lane says so; the preselection into prod-us comes from staging-us', () => {
    const choices = promotionPairs(envs);
    assert.match(choices.find((c) => c.label === 'staging-eu → prod-us')?.description ?? '', /^into another lane \(eu → us\)/);
    assert.equal(defaultPair(choices, { into: 'prod-us' })?.from, 'staging-us');
    assert.equal(defaultPair(choices, { from: 'staging-eu' })?.to, 'prod-eu');
    assert.deepEqual(pairInto(envs, 'prod-us'), { from: 'staging-us', to: 'prod-us' });
    assert.deepEqual(pairInto(envs, 'prod-eu'), { from: 'staging-eu', to: 'prod-eu' });
  });
});

describe('hosts', () => {
  it('keeps tokens under the bare host name, from a name, URL or remote the user typed', () => {
    assert.equal(normalizeHostInput('git.example.com'), 'git.example.com');
    assert.equal(normalizeHostInput('  GIT.Example.com  '), 'git.example.com');
    assert.equal(normalizeHostInput('git.example.com:8443'), 'git.example.com');
    assert.equal(normalizeHostInput('https://user:secret@git.example.com/group/repo.git'), 'git.example.com');
    assert.equal(normalizeHostInput('git@github.test:acme/demo.git'), 'github.test');
    for (const bad of ['', '   ', 'not a host', 'a/b', 'file:///tmp/x', '-x.com']) assert.equal(normalizeHostInput(bad), null, bad);
    assert.equal(tokenSecretKey('github.test'), 'gitops.hostToken/github.test');
  });

  it('VS Code’s GitHub sessions go only to the server that issued them', () => {
    assert.equal(githubSessionProvider({ host: 'github.com', apiUrl: 'https://api.github.com' }, ''), 'github');
    assert.equal(githubSessionProvider({ host: 'github.com', apiUrl: 'https://api.github.com/' }, ''), 'github');
    // A remote that says github.com but an API override elsewhere: never github.com's token.
    assert.equal(githubSessionProvider({ host: 'github.com', apiUrl: 'http://127.0.0.1:4000' }, ''), null);
    assert.equal(githubSessionProvider({ host: 'github.test', apiUrl: 'https://github.test/api/v3' }, ''), null);
    assert.equal(githubSessionProvider({ host: 'ghe.corp.example', apiUrl: 'https://ghe.corp.example/api/v3' }, 'https://ghe.corp.example'), 'github-enterprise');
    assert.equal(githubSessionProvider({ host: 'other.example', apiUrl: 'https://other.example/api/v3' }, 'https://ghe.corp.example'), null);
    assert.equal(githubSessionProvider({ host: 'x', apiUrl: 'https://x/api/v3' }, 'not a url'), null);
  });

  it('settings win over gitops.yaml hosts; bad settings are reported and ignored', () => {
    const config = { kind: 'gitlab' as const, apiUrl: 'https://git.example.com/api/v4' };
    assert.deepEqual(mergeHostOverrides(config, { kind: '', apiUrl: '' }), { overrides: { kind: 'gitlab', apiUrl: 'https://git.example.com/api/v4' }, problems: [] });
    assert.deepEqual(mergeHostOverrides(config, { kind: 'github', apiUrl: 'http://127.0.0.1:4000/' }).overrides, { kind: 'github', apiUrl: 'http://127.0.0.1:4000' });
    const bad = mergeHostOverrides(null, { kind: 'githab', apiUrl: 'https://me:token@git.example.com' });
    assert.deepEqual(bad.overrides, { kind: null, apiUrl: null });
    assert.equal(bad.problems.length, 2);
    assert.ok(bad.problems.every((p) => !p.includes('token@')), 'a problem never repeats a credential');
    assert.equal(isSignInKind('unknown'), false);
    assert.equal(isSignInKind('bitbucket-server'), true);
  });
});

describe('pull requests in the tree', () => {
  const envs = [
    { name: 'dev', branch: 'dev' },
    { name: 'staging', branch: 'staging' },
    { name: 'prod', branch: 'prod' },
  ];
  const metadata = formatMetadataBlock({ v: 1, kind: 'promotion', from: 'staging', to: 'prod', layout: 'branch', sourceCommit: 'a'.repeat(40), targetCommit: 'b'.repeat(40), headBranch: 'gitops/promote-staging-to-prod-aaaaaaa', chain: [], rollbackTo: null });

  it('belongs to the environment its metadata block names, even when the base branch is shared', () => {
    const folders = [
      { name: 'staging', branch: null },
      { name: 'prod', branch: null },
    ];
    assert.equal(environmentOfPullRequest({ head: 'gitops/promote-staging-to-prod-aaaaaaa', base: 'main', body: `text\n${metadata}` }, folders), 'prod');
  });

  it('falls back to the head branch name, then to a base branch only one environment uses', () => {
    assert.equal(environmentOfPullRequest({ head: 'gitops/rollback-staging-to-1234567', base: 'main', body: 'edited' }, envs), 'staging');
    assert.equal(environmentOfPullRequest({ head: 'gitops/promote-dev-to-staging-1234567', base: 'main', body: '' }, envs), 'staging');
    assert.equal(environmentOfPullRequest({ head: 'gitops/something', base: 'prod', body: '' }, envs), 'prod');
    assert.equal(environmentOfPullRequest({ head: 'gitops/something', base: 'main', body: '' }, envs), null);
    assert.equal(environmentOfPullRequest({ head: 'gitops/something', base: 'main', body: '' }, [{ name: 'a', branch: 'main' }, { name: 'b', branch: 'main' }]), null);
  });

  it('tells promotion from rollback, and reads state and checks in words', () => {
    assert.equal(pullRequestKind({ head: 'gitops/rollback-prod-to-1234567', body: '' }), 'rollback');
    assert.equal(pullRequestKind({ head: 'gitops/promote-staging-to-prod-1234567', body: metadata }), 'promotion');
    assert.equal(pullRequestDescription({ number: 12, state: 'open', draft: false }, { state: 'success', total: 3, passed: 3, failed: 0, pending: 0 }), '#12 · open · checks passing');
    assert.equal(pullRequestDescription({ number: 4, state: 'open', draft: true }, null), '#4 · draft');
    assert.equal(pullRequestDescription({ number: 5, state: 'merged', draft: false }, null), '#5 · merged');
    assert.equal(checksText({ state: 'failure', total: 3, passed: 2, failed: 1, pending: 0 }), '1 of 3 checks failing');
    assert.equal(checksText({ state: 'pending', total: 2, passed: 1, failed: 0, pending: 1 }), '1 check pending');
    assert.equal(checksText({ state: 'none', total: 0, passed: 0, failed: 0, pending: 0 }), '');
  });
});

describe('drift in a sentence', () => {
  const counts = (c: Partial<Record<'InSync' | 'Drifted' | 'Missing' | 'Extra' | 'Unknown', number>>) => ({ InSync: 0, Drifted: 0, Missing: 0, Extra: 0, Unknown: 0, Invalid: 0, ...c });

  it('says nothing when drift is not known', () => {
    assert.equal(driftSentence('prod', undefined), null);
    assert.equal(driftSentence('prod', { stale: false, computing: true }), null);
  });

  it('says whether the cluster matches, what differs, and when it was last seen', () => {
    assert.equal(driftSentence('prod', { drift: { counts: counts({ InSync: 4 }) }, stale: false, computing: false }), "prod's cluster matches Git.");
    assert.equal(driftSentence('prod', { drift: { counts: counts({ Drifted: 1, Missing: 2 }) }, stale: false, computing: false }), "prod's cluster differs from Git: 1 drifted, 2 missing in the cluster.");
    assert.match(driftSentence('prod', { drift: { counts: counts({}) }, stale: true, computing: false, asOf: 0 }, 3 * 60_000) ?? '', /last checked 3 minutes ago/);
  });
});
