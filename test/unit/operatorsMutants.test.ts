// Holds the rules of the core-operators modules that no other unit test pinned down: which commit an
// operator deployed against the branch head (deployedVsHead), revision parsing, lenient field reads,
// Argo CD / Flux status mapping, preview reports, accepting a live value and ApplicationSet
// expansion. It exists to kill mutation survivors of the core-operators group (issue 14): each test
// asserts exact outcomes, mostly table-driven or over seeded generated inputs.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { CommitInfo, Environment } from '../../src/core/model';
import { compareDeployedToHead, type CommitHistoryReader } from '../../src/core/operators/deployedVsHead';
import { parseRevision, revisionSha } from '../../src/core/operators/revision';
import { conditionsOf, metadataOf, oneLine, records, text, appliedByOf } from '../../src/core/operators/lenientFields';
import { readOperatorStatuses } from '../../src/core/operators/operatorStatus';
import { fluxObjectStatus, type FluxObjectLookup } from '../../src/core/operators/fluxStatus';
import { argoApplicationStatus } from '../../src/core/operators/argoStatus';
import { recentWarningEvents } from '../../src/core/operators/warningEvents';
import { mapOperatorsToEnvironments } from '../../src/core/operators/operatorMapping';
import type { OperatorSource, OperatorStatus } from '../../src/core/operators/operatorTypes';
import { seededRandom } from '../support/seededRandom';

// ---------------------------------------------------------------------------------------------
// deployedVsHead: a fake history with a real commit graph, so pendingCommits answers like git.

interface FakeCommit {
  sha: string;
  parents: string[];
  /** Files the commit touches. */
  files: string[];
}

interface PendingCall {
  fromRef: string;
  toRef: string | null;
  options: { paths?: readonly string[]; limit?: number } | undefined;
}

function sha(n: number): string {
  return (n + 0xa0).toString(16).repeat(20);
}

function info(c: FakeCommit): CommitInfo {
  return { sha: c.sha, shortSha: c.sha.slice(0, 7), subject: `commit ${c.sha.slice(0, 4)}`, authorName: 'a', authorEmail: 'a@x', date: '2026-01-01T00:00:00Z' };
}

class FakeHistory implements CommitHistoryReader {
  readonly calls: PendingCall[] = [];
  readonly resolved: string[] = [];
  private readonly commits = new Map<string, FakeCommit>();
  private readonly order: string[] = [];
  constructor(
    commits: FakeCommit[],
    private readonly refs: Record<string, string>,
  ) {
    for (const c of commits) {
      this.commits.set(c.sha, c);
      this.order.push(c.sha);
    }
  }
  resolve(ref: string): Promise<string | null> {
    this.resolved.push(ref);
    if (this.refs[ref]) return Promise.resolve(this.refs[ref]);
    const matches = this.order.filter((s) => s.startsWith(ref));
    return Promise.resolve(matches.length === 1 ? matches[0] : null);
  }
  private reachable(start: string | null): Set<string> {
    const out = new Set<string>();
    if (start === null) return out;
    const first = this.refs[start] ?? start;
    const stack = [first];
    while (stack.length > 0) {
      const s = stack.pop()!;
      if (out.has(s) || !this.commits.has(s)) continue;
      out.add(s);
      stack.push(...this.commits.get(s)!.parents);
    }
    return out;
  }
  pendingCommits(fromRef: string, toRef: string | null, options?: { paths?: readonly string[]; limit?: number }): Promise<{ commits: CommitInfo[]; total: number }> {
    this.calls.push({ fromRef, toRef, options });
    const from = this.reachable(fromRef);
    const to = this.reachable(toRef);
    const paths = options?.paths;
    const list = this.order
      .filter((s) => from.has(s) && !to.has(s))
      .reverse()
      .map((s) => this.commits.get(s)!)
      .filter((c) => !paths || c.files.some((f) => paths.some((p) => f.startsWith(`${p}/`))));
    const limit = options?.limit ?? list.length;
    return Promise.resolve({ commits: list.slice(0, limit).map(info), total: list.length });
  }
}

function env(overrides: Partial<Environment> = {}): Environment {
  return {
    name: 'prod',
    order: 1,
    repo: null,
    branch: 'main',
    path: 'envs/prod',
    cluster: { context: 'kind' },
    protected: false,
    source: 'config',
    ...overrides,
  } as Environment;
}

/** A linear history 1 ← 2 ← … ← n; commit i touches the files given for it (default envs/prod/x). */
function linear(n: number, files: (i: number) => string[] = () => ['envs/prod/x.yaml']): FakeCommit[] {
  const out: FakeCommit[] = [];
  for (let i = 1; i <= n; i++) out.push({ sha: sha(i), parents: i > 1 ? [sha(i - 1)] : [], files: files(i) });
  return out;
}

describe('deployedVsHead: the deployed revision against the branch head', () => {
  it('counts the commits not yet deployed, singular and plural, newest first', async () => {
    for (const [deployedIndex, expected] of [
      [4, '1 commit'],
      [3, '2 commits'],
      [1, '4 commits'],
    ] as const) {
      const history = new FakeHistory(linear(5), { main: sha(5) });
      const result = await compareDeployedToHead(history, { environment: env(), ref: 'main' }, sha(deployedIndex));
      assert.equal(result.status, 'behind');
      assert.equal(result.total, 5 - deployedIndex);
      assert.deepEqual(
        result.notDeployed.map((c) => c.sha),
        [5, 4, 3, 2].slice(0, 5 - deployedIndex).map(sha),
      );
      assert.equal(result.message, `deployed ${sha(deployedIndex).slice(0, 7)}, branch at ${sha(5).slice(0, 7)}: ${expected} not yet deployed`);
      assert.equal(result.deployed, sha(deployedIndex).slice(0, 7));
      assert.equal(result.deployedSha, sha(deployedIndex));
      assert.equal(result.head, sha(5).slice(0, 7));
      assert.equal(result.headSha, sha(5));
    }
  });

  it('asks for the commits touching the environment folders, 50 by default, and for the deployed-only commits without listing them', async () => {
    const history = new FakeHistory(linear(3), { main: sha(3) });
    await compareDeployedToHead(history, { environment: env({ paths: ['apps/a', 'apps/b'] }), ref: 'main' }, sha(1));
    assert.deepEqual(history.calls, [
      { fromRef: 'main', toRef: sha(1), options: { paths: ['apps/a', 'apps/b'], limit: 50 } },
      { fromRef: sha(1), toRef: sha(3), options: { limit: 0 } },
    ]);
    const limited = new FakeHistory(linear(6), { main: sha(6) });
    const result = await compareDeployedToHead(limited, { environment: env(), ref: 'main' }, sha(1), { limit: 2 });
    assert.deepEqual(limited.calls[0].options, { paths: ['envs/prod'], limit: 2 });
    assert.equal(result.total, 5);
    assert.deepEqual(result.notDeployed.map((c) => c.sha), [sha(6), sha(5)]);
  });

  it('asks for every commit of the repository when the environment is its root', async () => {
    const history = new FakeHistory(linear(3, () => ['README.md']), { main: sha(3) });
    const result = await compareDeployedToHead(history, { environment: env({ path: null }), ref: 'main' }, sha(1));
    assert.deepEqual(history.calls[0].options, { paths: undefined, limit: 50 });
    assert.equal(result.status, 'behind');
    assert.equal(result.total, 2);
  });

  it('is up to date when deployed is the head, or when no commit since touched the folder', async () => {
    const same = new FakeHistory(linear(2), { main: sha(2) });
    const r1 = await compareDeployedToHead(same, { environment: env(), ref: 'main' }, sha(2));
    assert.deepEqual(r1, {
      status: 'upToDate',
      deployed: sha(2).slice(0, 7),
      deployedSha: sha(2),
      head: sha(2).slice(0, 7),
      headSha: sha(2),
      notDeployed: [],
      total: 0,
      message: `deployed ${sha(2).slice(0, 7)}, branch at ${sha(2).slice(0, 7)}: up to date`,
    });
    assert.equal(same.calls.length, 0);
    const untouched = new FakeHistory(linear(4, (i) => (i === 1 ? ['envs/prod/a.yaml'] : ['envs/dev/a.yaml'])), { main: sha(4) });
    const r2 = await compareDeployedToHead(untouched, { environment: env(), ref: 'main' }, sha(1));
    assert.equal(r2.status, 'upToDate');
    assert.equal(r2.message, `deployed ${sha(1).slice(0, 7)}, branch at ${sha(4).slice(0, 7)}: up to date (no change to envs/prod since)`);
  });

  it('reports a deployed commit outside the branch history as diverged, with both counts', async () => {
    // main: 1 ← 2 ← 3 ← 4; other: 2 ← 10 (deployed), or 2 ← 10 ← 11.
    const cases: [FakeCommit[], string][] = [
      [[{ sha: sha(10), parents: [sha(2)], files: ['envs/prod/z'] }], '1 commit'],
      [
        [
          { sha: sha(10), parents: [sha(2)], files: ['envs/prod/z'] },
          { sha: sha(11), parents: [sha(10)], files: ['envs/prod/z'] },
        ],
        '2 commits',
      ],
    ];
    for (const [extra, only] of cases) {
      const deployed = extra[extra.length - 1].sha;
      const history = new FakeHistory([...linear(4), ...extra], { main: sha(4) });
      const result = await compareDeployedToHead(history, { environment: env(), ref: 'main' }, deployed);
      assert.equal(result.status, 'diverged');
      assert.equal(result.total, 2);
      assert.deepEqual(result.notDeployed.map((c) => c.sha), [sha(4), sha(3)]);
      assert.equal(
        result.message,
        `deployed ${deployed.slice(0, 7)}, which is not in the history of main (${only} only there); branch at ${sha(4).slice(0, 7)}: 2 commits not in the deployed revision`,
      );
    }
    const single = new FakeHistory([...linear(3), { sha: sha(10), parents: [sha(2)], files: [] }], { main: sha(3) });
    const r = await compareDeployedToHead(single, { environment: env({ branch: null }), ref: 'main' }, sha(10));
    assert.equal(r.message, `deployed ${sha(10).slice(0, 7)}, which is not in the history of the branch (1 commit only there); branch at ${sha(3).slice(0, 7)}: 1 commit not in the deployed revision`);
  });

  it('compares from the head SHA when the state names no ref but the head resolved', async () => {
    // Reachable only through a resolve of the ref; with ref null headSha is null, so noHead.
    const history = new FakeHistory(linear(2), { main: sha(2) });
    const result = await compareDeployedToHead(history, { environment: env(), ref: null }, sha(1));
    assert.equal(result.status, 'noHead');
    assert.equal(result.message, `deployed ${sha(1).slice(0, 7)}; the head of main is unknown (ref not resolved not found)`);
    assert.deepEqual(history.resolved, []);
    const missing = await compareDeployedToHead(history, { environment: env({ branch: null }), ref: 'gone' }, sha(1));
    assert.equal(missing.message, `deployed ${sha(1).slice(0, 7)}; the head of the branch is unknown (ref gone not found)`);
    assert.equal(missing.deployed, sha(1).slice(0, 7));
    assert.equal(missing.deployedSha, sha(1));
  });

  it('names a commit from a short hexadecimal revision, trimmed and lower-cased, and nothing else', async () => {
    const cases: [string, string | null][] = [
      [` ${sha(1).slice(0, 7).toUpperCase()} `, sha(1)],
      [sha(1).slice(0, 12), sha(1)],
      [sha(1).slice(0, 39), sha(1)],
      [sha(1).slice(0, 6), null],
      [`x${sha(1).slice(0, 8)}`, null],
      [`${sha(1).slice(0, 8)}x`, null],
      ['v1.2.3', null],
      [`main@sha1:${sha(1)}`, sha(1)],
      [`main/${sha(1)}`, sha(1)],
    ];
    for (const [revision, expected] of cases) {
      const history = new FakeHistory(linear(2), { main: sha(2) });
      const result = await compareDeployedToHead(history, { environment: env(), ref: 'main' }, revision);
      if (expected === null) {
        assert.equal(result.status, 'noDeployedRevision', revision);
        assert.equal(result.message, `deployed ${revision}, which names no commit; branch at ${sha(2).slice(0, 7)}`);
        assert.equal(result.deployed, null);
        assert.equal(result.deployedSha, null);
      } else {
        assert.equal(result.status, 'behind', revision);
        assert.equal(result.deployedSha, expected, revision);
        assert.equal(history.resolved[1], revision.includes('sha1:') || revision.includes('/') ? sha(1) : revision.trim().toLowerCase(), revision);
      }
    }
  });

  it('says when no revision is reported, with or without a head', async () => {
    const history = new FakeHistory(linear(2), { main: sha(2) });
    for (const revision of [null, '']) {
      const withHead = await compareDeployedToHead(history, { environment: env(), ref: 'main' }, revision);
      assert.equal(withHead.message, `no deployed revision reported yet; branch at ${sha(2).slice(0, 7)}`);
      assert.equal(withHead.status, 'noDeployedRevision');
      const noHead = await compareDeployedToHead(history, { environment: env(), ref: null }, revision);
      assert.equal(noHead.message, 'no deployed revision reported yet');
    }
  });

  it('reports a commit missing from the local clone as unknown, keeping the head', async () => {
    const history = new FakeHistory(linear(2), { main: sha(2) });
    const result = await compareDeployedToHead(history, { environment: env(), ref: 'main' }, sha(9));
    assert.deepEqual(result, {
      status: 'unknownRevision',
      deployed: sha(9).slice(0, 7),
      deployedSha: sha(9),
      head: sha(2).slice(0, 7),
      headSha: sha(2),
      notDeployed: [],
      total: 0,
      message: `deployed ${sha(9).slice(0, 7)}, which is not in the local history (fetch to compare); branch at ${sha(2).slice(0, 7)}`,
    });
  });
});

// ---------------------------------------------------------------------------------------------
// revision

describe('revision parsing: exact ref and commit for every form', () => {
  const A = 'a'.repeat(40);
  const table: [string | null | undefined, { ref: string | null; sha: string | null }][] = [
    [null, { ref: null, sha: null }],
    [undefined, { ref: null, sha: null }],
    ['   ', { ref: null, sha: null }],
    [`  ${A}  `, { ref: null, sha: A }],
    [`${A}x`, { ref: `${A}x`, sha: null }],
    [`x${A}`, { ref: `x${A}`, sha: null }],
    [`@sha1:${A}`, { ref: null, sha: A }],
    [`@${A}`, { ref: null, sha: null }],
    [`main@${A}`, { ref: 'main', sha: null }],
    [`main@xsha1:${A}`, { ref: 'main', sha: null }],
    [`main@sha1:${A}x`, { ref: 'main', sha: null }],
    [`main@sha1:${A}a`, { ref: 'main', sha: null }],
    [`main@sha1:${A}`, { ref: 'main', sha: A }],
    [`sha1:${A}`, { ref: null, sha: A }],
    [`main/${A}`, { ref: 'main', sha: A }],
    [`main/${A}x`, { ref: `main/${A}x`, sha: null }],
    [`/main/${A}`, { ref: '/main', sha: A }],
    [`x/main/${A}`, { ref: 'x/main', sha: A }],
    [`a@b/${A}`, { ref: 'a', sha: null }],
    [`@m/${A}`, { ref: null, sha: null }],
    ['1.2.3', { ref: '1.2.3', sha: null }],
  ];
  for (const [input, expected] of table) {
    it(`reads ${JSON.stringify(input)}`, () => {
      assert.deepEqual(parseRevision(input), expected);
    });
  }

  it('takes a legacy branch/sha apart only when the SHA closes the text', () => {
    assert.deepEqual(parseRevision(`x${'b'.repeat(41)}`), { ref: `x${'b'.repeat(41)}`, sha: null });
    assert.deepEqual(parseRevision(`m/${'b'.repeat(41)}`), { ref: `m/${'b'.repeat(41)}`, sha: null });
  });

  it('names a sha256 commit only when asked to', () => {
    const D = 'd'.repeat(64);
    assert.equal(revisionSha(`main@sha256:${D}`), null);
    assert.equal(revisionSha(`main@sha256:${D}`, { sha256IsCommit: true }), D);
    assert.equal(revisionSha(`main@SHA1:${'E'.repeat(40)}`), 'e'.repeat(40));
  });
});

// ---------------------------------------------------------------------------------------------
// lenientFields

describe('lenient field reads', () => {
  it('trims strings and treats blank or non-string values as absent', () => {
    const object = { a: '  x  ', b: '   ', c: 5, d: { e: ' y' } };
    assert.equal(text(object, 'a'), 'x');
    assert.equal(text(object, 'b'), null);
    assert.equal(text(object, 'c'), null);
    assert.equal(text(object, 'd', 'e'), 'y');
    assert.equal(text(object, 'd', 'e', 'f'), null);
  });

  it('keeps only the records of an array', () => {
    assert.deepEqual(records({ s: [{ a: 1 }, 'x', null, [1], { b: 2 }] }, 's'), [{ a: 1 }, { b: 2 }]);
    assert.deepEqual(records({ s: 'x' }, 's'), []);
  });

  it('reads conditions with empty strings for absent fields', () => {
    assert.deepEqual(conditionsOf({ status: { conditions: [{ type: 'Ready' }, { status: 'True', reason: ' R ', message: ' m ', lastTransitionTime: 't' }] } }), [
      { type: 'Ready', status: '', reason: '', message: '', lastTransitionTime: null },
      { type: '', status: 'True', reason: 'R', message: 'm', lastTransitionTime: 't' },
    ]);
  });

  it('reads metadata with an empty name when it is absent', () => {
    assert.deepEqual(metadataOf({ metadata: { labels: { a: 'b', n: 1 } } }), { name: '', namespace: null, annotations: {}, labels: { a: 'b' } });
  });

  it('points at the applying Kustomization only when its name label is set', () => {
    assert.equal(appliedByOf({ metadata: { labels: { 'kustomize.toolkit.fluxcd.io/namespace': 'flux-system' } } }), null);
    assert.equal(appliedByOf({ metadata: { labels: { 'kustomize.toolkit.fluxcd.io/name': '' } } }), null);
    assert.deepEqual(appliedByOf({ metadata: { labels: { 'kustomize.toolkit.fluxcd.io/name': 'apps' } } }), { kind: 'Kustomization', namespace: null, name: 'apps' });
  });

  it('joins lines with one space and cuts at the maximum with an ellipsis', () => {
    assert.equal(oneLine('  a \n  b\t\t c  \n\n d  '), 'a b c d');
    assert.equal(oneLine('abcdef', 6), 'abcdef');
    assert.equal(oneLine('abcdefg', 6), 'abcde…');
    assert.equal(oneLine('a'.repeat(401)), `${'a'.repeat(399)}…`);
    assert.equal(oneLine('a'.repeat(400)), 'a'.repeat(400));
    const random = seededRandom(7);
    for (let i = 0; i < 50; i++) {
      const words = Array.from({ length: 1 + Math.floor(random() * 6) }, () => 'w'.repeat(1 + Math.floor(random() * 4)));
      const seps = [' ', '  ', '\n', ' \n\t ', '\t\t'];
      const joined = words.map((w) => w + seps[Math.floor(random() * seps.length)]).join('');
      assert.equal(oneLine(joined), words.join(' '));
    }
  });
});

describe('operator statuses: Flux lookups by kind, namespace and name', () => {
  const copy = [{ from: '@mono/apps/**', to: '@artifact/' }];
  const generatorOf = (apiVersion: string, kind: string): Obj => ({
    apiVersion,
    kind,
    metadata: { name: 'gen', namespace: 'flux-system' },
    spec: { sources: [{ alias: 'mono', name: 'repo' }], artifacts: [{ name: 'art', copy }] },
  });
  const ksArt = kustomization({ path: 'web', sourceRef: { kind: 'ExternalArtifact', name: 'art' } });
  const repoFs = gitRepository('repo', 'flux-system', { url: 'https://example.com/org/repo.git' });

  it('follows ExternalArtifacts only through ArtifactGenerators of source.extensions.fluxcd.io', () => {
    const table: [Obj, string | null][] = [
      [generatorOf('source.extensions.fluxcd.io/v1beta1', 'ArtifactGenerator'), 'apps/web'],
      [generatorOf('example.com/v1', 'ArtifactGenerator'), null],
      [generatorOf('source.extensions.fluxcd.io/v1beta1', 'OtherGenerator'), null],
      [generatorOf('v1', 'ArtifactGenerator'), null],
    ];
    for (const [generator, path] of table) {
      const [status] = readOperatorStatuses([ksArt, generator, repoFs]);
      assert.equal(status.sources[0].origin ? status.sources[0].path : null, path, JSON.stringify(generator.apiVersion) + String(generator.kind));
    }
  });

  it('finds a source object without a namespace when the referring object has none either', () => {
    const ks = { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps' }, spec: { path: 'x', sourceRef: { kind: 'GitRepository', name: 'repo' } } };
    const repo = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'repo' }, spec: { url: 'https://example.com/r.git' } };
    const statuses = readOperatorStatuses([ks, repo]);
    assert.equal(statuses[0].sources[0].url, 'https://example.com/r.git');
    assert.equal(statuses[1].ref.kind, 'GitRepository');
  });

  it('finds the GitRepository a Kustomization reads from, namespaced or not, and no ArtifactGenerator of another group', () => {
    const ks = {
      apiVersion: 'kustomize.toolkit.fluxcd.io/v1',
      kind: 'Kustomization',
      metadata: { name: 'apps', namespace: 'flux-system' },
      spec: { path: './apps', sourceRef: { kind: 'GitRepository', name: 'repo' } },
      status: {},
    };
    const repo = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name: 'repo', namespace: 'flux-system' }, spec: { url: 'https://example.com/r.git' } };
    const statuses = readOperatorStatuses([ks, repo]);
    assert.equal(statuses.length, 2);
    const withoutRepo = readOperatorStatuses([ks]);
    assert.notDeepEqual(statuses[0], withoutRepo[0]);
  });
});

// ---------------------------------------------------------------------------------------------
// fluxStatus

type Obj = Record<string, unknown>;

function lookupOf(objects: Obj[]): FluxObjectLookup {
  return {
    get: (kind, namespace, name) =>
      objects.find((o) => o.kind === kind && (o.metadata as Obj).name === name && ((o.metadata as Obj).namespace ?? null) === namespace),
    artifactGenerators: () => objects.filter((o) => o.kind === 'ArtifactGenerator'),
  };
}

function gitRepository(name: string, namespace: string, spec: Obj): Obj {
  return { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'GitRepository', metadata: { name, namespace }, spec };
}

function kustomization(spec: Obj, status: Obj = {}, metadata: Obj = {}): Obj {
  return { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', metadata: { name: 'apps', namespace: 'flux-system', ...metadata }, spec, status };
}

const SHA1 = 'c'.repeat(40);

describe('fluxStatus: what a GitRepository follows', () => {
  const table: [unknown, string | null, string | null][] = [
    [undefined, 'master', 'master'],
    ['not a record', 'master', 'master'],
    [{}, null, null],
    [{ name: 'refs/heads/feature/x' }, 'refs/heads/feature/x', 'feature/x'],
    [{ name: ' refs/heads/dev ', branch: 'other' }, 'refs/heads/dev', 'dev'],
    [{ name: 'refs/tags/v1' }, 'refs/tags/v1', null],
    [{ name: 'x/refs/heads/dev' }, 'x/refs/heads/dev', null],
    [{ name: 'refs/heads/bad..name' }, 'refs/heads/bad..name', null],
    [{ name: 'refs/heads/' }, 'refs/heads/', null],
    [{ tag: 'v1.0', branch: 'main' }, 'v1.0', null],
    [{ semver: '>=1.0', branch: 'main' }, '>=1.0', null],
    [{ commit: SHA1, branch: 'main' }, SHA1, null],
    [{ tag: ' ', semver: '1.x' }, '1.x', null],
    [{ semver: ' ', commit: 'abc' }, 'abc', null],
    [{ branch: 'dev' }, 'dev', 'dev'],
    [{ branch: 'bad..x' }, 'bad..x', null],
    [{ branch: ' ' }, null, null],
  ];
  for (const [ref, revision, branch] of table) {
    it(`ref ${JSON.stringify(ref)} follows ${String(revision)} on branch ${String(branch)}`, () => {
      const spec: Obj = { url: 'https://user:token@example.com/org/repo.git' }; // the password goes, the user stays
      if (ref !== undefined) spec.ref = ref;
      const status = fluxObjectStatus('GitRepository', gitRepository('repo', 'flux-system', spec), lookupOf([]));
      assert.deepEqual(status.sources, [{ url: 'https://user@example.com/org/repo.git', repoIdentity: 'example.com/org/repo', revision, branch, path: null }]);
    });
  }
});

describe('fluxStatus: where a Kustomization reads its manifests', () => {
  const repo = gitRepository('repo', 'flux-system', { url: 'https://example.com/org/repo.git', ref: { branch: 'main' } });
  const otherNs = gitRepository('repo', 'shared', { url: 'https://example.com/org/shared.git', ref: { branch: 'prod' } });

  it('finds its GitRepository in its own namespace unless the ref names another, and cleans the path', () => {
    const own = fluxObjectStatus('Kustomization', kustomization({ path: './apps/prod/', sourceRef: { kind: 'GitRepository', name: 'repo' } }), lookupOf([repo, otherNs]));
    assert.deepEqual(own.sources, [
      { url: 'https://example.com/org/repo.git', repoIdentity: 'example.com/org/repo', revision: 'main', branch: 'main', path: 'apps/prod', sourceRef: { kind: 'GitRepository', namespace: 'flux-system', name: 'repo' } },
    ]);
    const other = fluxObjectStatus('Kustomization', kustomization({ path: 'apps', sourceRef: { kind: 'GitRepository', name: 'repo', namespace: 'shared' } }), lookupOf([repo, otherNs]));
    assert.equal(other.sources[0].url, 'https://example.com/org/shared.git');
    assert.equal(other.sources[0].branch, 'prod');
    const defaultKind = fluxObjectStatus('Kustomization', kustomization({ path: 'apps', sourceRef: { name: 'repo' } }), lookupOf([repo]));
    assert.equal(defaultKind.sources[0].url, 'https://example.com/org/repo.git');
    assert.deepEqual(defaultKind.sources[0].sourceRef, { kind: 'GitRepository', namespace: 'flux-system', name: 'repo' });
  });

  it('keeps the reference when the source object is missing, and has no source without a named sourceRef', () => {
    const missing = fluxObjectStatus('Kustomization', kustomization({ path: '../escape', sourceRef: { kind: 'GitRepository', name: 'gone' } }), lookupOf([repo]));
    assert.deepEqual(missing.sources, [{ url: null, repoIdentity: null, revision: null, branch: null, path: null, sourceRef: { kind: 'GitRepository', namespace: 'flux-system', name: 'gone' } }]);
    assert.deepEqual(fluxObjectStatus('Kustomization', kustomization({ sourceRef: { kind: 'GitRepository' } }), lookupOf([repo])).sources, []);
    assert.deepEqual(fluxObjectStatus('Kustomization', kustomization({}), lookupOf([repo])).sources, []);
    const bucket = fluxObjectStatus('Kustomization', kustomization({ path: 'x', sourceRef: { kind: 'Bucket', name: 'repo' } }), lookupOf([repo]));
    assert.deepEqual(bucket.sources, [{ url: null, repoIdentity: null, revision: null, branch: null, path: 'x', sourceRef: { kind: 'Bucket', namespace: 'flux-system', name: 'repo' } }]);
  });

  it('reads an OCIRepository tag, then semver, then digest, never a branch', () => {
    for (const [ref, revision] of [
      [{ tag: 'v1', semver: '1.x', digest: 'sha256:d' }, 'v1'],
      [{ semver: '1.x', digest: 'sha256:d' }, '1.x'],
      [{ digest: 'sha256:d' }, 'sha256:d'],
      [{}, null],
    ] as const) {
      const oci = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository', metadata: { name: 'oci', namespace: 'flux-system' }, spec: { url: 'oci://ghcr.io/org/manifests', ref } };
      const viaKs = fluxObjectStatus('Kustomization', kustomization({ path: 'p', sourceRef: { kind: 'OCIRepository', name: 'oci' } }), lookupOf([oci]));
      assert.deepEqual(viaKs.sources, [{ url: 'oci://ghcr.io/org/manifests', repoIdentity: viaKs.sources[0].repoIdentity, revision, branch: null, path: 'p', sourceRef: { kind: 'OCIRepository', namespace: 'flux-system', name: 'oci' } }]);
      const self = fluxObjectStatus('OCIRepository', oci, lookupOf([]));
      assert.equal(self.sources[0].revision, revision);
      assert.equal(self.sources[0].url, 'oci://ghcr.io/org/manifests');
      assert.deepEqual(self.sources[0].sourceRef, { kind: 'OCIRepository', namespace: 'flux-system', name: 'oci' });
    }
  });

  it('follows an ExternalArtifact to the GitRepository its ArtifactGenerator copies from', () => {
    const generator = (namespace: string, sources: Obj[], artifacts: Obj[]): Obj => ({
      apiVersion: 'source.extensions.fluxcd.io/v1beta1',
      kind: 'ArtifactGenerator',
      metadata: { name: `gen-${namespace}`, namespace },
      spec: { sources, artifacts },
    });
    const copy = [{ from: '@mono/apps/staging/**', to: '@artifact/staging/' }];
    const ks = kustomization({ path: './staging/web', sourceRef: { kind: 'ExternalArtifact', name: 'art' } });
    const here = generator('flux-system', [{ alias: 'mono', kind: 'GitRepository', name: 'repo' }], [{ name: 'other' }, { name: 'art', copy }]);
    const elsewhere = generator('elsewhere', [{ alias: 'mono', name: 'repo', namespace: 'shared' }], [{ name: 'art', copy }]);
    const expectedHere = {
      url: 'https://example.com/org/repo.git',
      repoIdentity: 'example.com/org/repo',
      revision: 'main',
      branch: 'main',
      path: 'apps/staging/web',
      sourceRef: { kind: 'ExternalArtifact', namespace: 'flux-system', name: 'art' },
      origin: { kind: 'GitRepository', namespace: 'flux-system', name: 'repo' },
    };
    // The generator in the Kustomization's namespace wins over one listed first elsewhere.
    assert.deepEqual(fluxObjectStatus('Kustomization', ks, lookupOf([elsewhere, here, repo, otherNs])).sources, [expectedHere]);
    // Alone, another namespace's generator is used, with its source's own namespace.
    const viaElsewhere = fluxObjectStatus('Kustomization', ks, lookupOf([elsewhere, repo, otherNs])).sources[0];
    assert.equal(viaElsewhere.url, 'https://example.com/org/shared.git');
    assert.deepEqual(viaElsewhere.origin, { kind: 'GitRepository', namespace: 'shared', name: 'repo' });
    // The source falls back to the generator's namespace.
    const nsDefault = generator('shared', [{ alias: 'mono', name: 'repo' }], [{ name: 'art', copy }]);
    assert.deepEqual(fluxObjectStatus('Kustomization', ks, lookupOf([nsDefault, repo, otherNs])).sources[0].origin, { kind: 'GitRepository', namespace: 'shared', name: 'repo' });
    // A generator of the Kustomization's namespace that does not produce the artifact is passed over.
    const notProducing = generator('flux-system', [{ alias: 'mono', name: 'repo' }], [{ name: 'other', copy }]);
    assert.equal(fluxObjectStatus('Kustomization', ks, lookupOf([notProducing, elsewhere, repo, otherNs])).sources[0].url, 'https://example.com/org/shared.git');
    // Without a path the artifact's root is mapped.
    const rootCopy = generator('flux-system', [{ alias: 'mono', name: 'repo' }], [{ name: 'art', copy: [{ from: '@mono/apps/**', to: '@artifact/' }] }]);
    const noPath = kustomization({ sourceRef: { kind: 'ExternalArtifact', name: 'art' } });
    assert.equal(fluxObjectStatus('Kustomization', noPath, lookupOf([rootCopy, repo])).sources[0].path, 'apps');
    // Only an ExternalArtifact is followed through a generator.
    const bucket = kustomization({ path: './staging/web', sourceRef: { kind: 'Bucket', name: 'art' } });
    assert.equal(fluxObjectStatus('Kustomization', bucket, lookupOf([here, repo])).sources[0].url, null);
    const unresolved = { url: null, repoIdentity: null, revision: null, branch: null, path: 'staging/web', sourceRef: { kind: 'ExternalArtifact', namespace: 'flux-system', name: 'art' } };
    for (const broken of [
      generator('flux-system', [{ alias: 'mono', name: 'repo' }], [{ name: 'nope', copy }]),
      generator('flux-system', [{ alias: 'mono', name: 'repo' }], [{ name: 'art' }]),
      generator('flux-system', [{ alias: 'mono', name: 'repo' }], [{ name: 'art', copy: [{ from: '@mono/x/**', to: '@artifact/other/' }] }]),
      generator('flux-system', [{ alias: 'other', name: 'repo' }], [{ name: 'art', copy }]),
      generator('flux-system', [{ alias: 'mono' }], [{ name: 'art', copy }]),
      generator('flux-system', [{ alias: 'mono', kind: 'OCIRepository', name: 'repo' }], [{ name: 'art', copy }]),
    ]) {
      assert.deepEqual(fluxObjectStatus('Kustomization', ks, lookupOf([broken, repo])).sources, [unresolved], JSON.stringify(broken.spec));
    }
  });
});

describe('fluxStatus: HelmRelease chart sources', () => {
  const helmRepo = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'HelmRepository', metadata: { name: 'charts', namespace: 'apps' }, spec: { url: 'https://charts.example.com' } };
  const repo = gitRepository('repo', 'apps', { url: 'https://example.com/org/repo.git', ref: { branch: 'main' } });
  const oci = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository', metadata: { name: 'chart', namespace: 'apps' }, spec: { url: 'oci://ghcr.io/org/chart', ref: { tag: '1.2.3' } } };
  const release = (spec: Obj, status: Obj = {}): Obj => ({ apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'web', namespace: 'apps' }, spec, status });

  it('reads a chart from a HelmRepository with its version, from a GitRepository folder, or from a chartRef', () => {
    const fromRepo = fluxObjectStatus('HelmRelease', release({ chart: { spec: { chart: 'web', version: '1.x', sourceRef: { name: 'charts' } } } }), lookupOf([helmRepo]));
    assert.deepEqual(fromRepo.sources, [
      { url: 'https://charts.example.com', repoIdentity: fromRepo.sources[0].repoIdentity, revision: '1.x', branch: null, path: null, chart: 'web', sourceRef: { kind: 'HelmRepository', namespace: 'apps', name: 'charts' } },
    ]);
    const noChart = fluxObjectStatus('HelmRelease', release({ chart: { spec: { sourceRef: { kind: 'HelmRepository', name: 'charts' } } } }), lookupOf([helmRepo]));
    assert.equal('chart' in noChart.sources[0], false);
    const fromGit = fluxObjectStatus('HelmRelease', release({ chart: { spec: { chart: './charts/web/', sourceRef: { kind: 'GitRepository', name: 'repo' } } } }), lookupOf([repo]));
    assert.deepEqual(fromGit.sources, [
      { url: 'https://example.com/org/repo.git', repoIdentity: 'example.com/org/repo', revision: 'main', branch: 'main', path: 'charts/web', sourceRef: { kind: 'GitRepository', namespace: 'apps', name: 'repo' } },
    ]);
    const fromBucket = fluxObjectStatus('HelmRelease', release({ chart: { spec: { chart: 'c', sourceRef: { kind: 'Bucket', name: 'b' } } } }), lookupOf([]));
    assert.deepEqual(fromBucket.sources, [{ url: null, repoIdentity: null, revision: null, branch: null, path: 'c', sourceRef: { kind: 'Bucket', namespace: 'apps', name: 'b' } }]);
    const fromRef = fluxObjectStatus('HelmRelease', release({ chartRef: { name: 'chart' } }), lookupOf([oci]));
    assert.deepEqual(fromRef.sources, [{ url: 'oci://ghcr.io/org/chart', repoIdentity: fromRef.sources[0].repoIdentity, revision: '1.2.3', branch: null, path: null, sourceRef: { kind: 'OCIRepository', namespace: 'apps', name: 'chart' } }]);
    assert.deepEqual(fluxObjectStatus('HelmRelease', release({ chart: { spec: { chart: 'x' } } }), lookupOf([])).sources, []);
  });

  it('takes the deployed chart version from the newest history entry, else lastAppliedRevision', () => {
    const table: [Obj, string | null, string | null, string | null][] = [
      [{ history: [{ chartVersion: '2.0.0', lastDeployed: 't2' }, { chartVersion: '1.0.0', lastDeployed: 't1' }], lastAttemptedRevision: '2.1.0' }, '2.0.0', '2.1.0', 't2'],
      [{ history: [{ chartVersion: '2.0.0' }] }, '2.0.0', '2.0.0', 'tr'],
      [{ lastAppliedRevision: '0.9.0' }, '0.9.0', '0.9.0', 'tr'],
      [{}, null, null, 'tr'],
    ];
    for (const [status, deployed, attempted, lastSync] of table) {
      const s = fluxObjectStatus('HelmRelease', release({}, { ...status, conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: 'tr' }] }), lookupOf([]));
      assert.equal(s.deployedRevision, deployed);
      assert.equal(s.targetRevision, attempted);
      assert.equal(s.lastSyncTime, lastSync);
      assert.equal(s.sync, deployed !== attempted ? 'OutOfSync' : 'Synced');
    }
  });
});

describe('fluxStatus: sync, error, time and pending', () => {
  const ready = (status: string, extra: Obj = {}): Obj => ({ type: 'Ready', status, ...extra });

  it('maps Ready and the applied against attempted revision to a sync status', () => {
    const table: [Obj[], string | undefined, string | undefined, string][] = [
      [[], 'a', 'a', 'Unknown'],
      [[{ type: 'Reconciling', status: 'True' }], 'a', 'a', 'Unknown'],
      [[ready('False')], 'a', 'a', 'OutOfSync'],
      [[ready('Unknown')], 'a', 'b', 'Unknown'],
      [[ready('True')], 'a', 'a', 'Synced'],
      [[ready('True')], 'a', 'b', 'OutOfSync'],
      [[ready('True')], undefined, 'b', 'Synced'],
      [[ready('True')], 'a', undefined, 'Synced'],
    ];
    for (const [conditions, applied, attempted, sync] of table) {
      const s = fluxObjectStatus('Kustomization', kustomization({}, { conditions, lastAppliedRevision: applied, lastAttemptedRevision: attempted }), lookupOf([]));
      assert.equal(s.sync, sync, JSON.stringify([conditions, applied, attempted]));
      assert.equal(s.deployedRevision, applied ?? null);
      assert.equal(s.targetRevision, attempted ?? null);
    }
  });

  it('says the last error: Stalled first, then Ready False, then a *Failed condition', () => {
    const table: [Obj[], string | null][] = [
      [[{ type: 'Stalled', status: 'True', reason: 'BadSpec', message: 'm1' }, ready('False', { reason: 'R', message: 'm2' })], 'Stalled (BadSpec): m1'],
      [[{ type: 'Stalled', status: 'True', message: 'm1' }], 'Stalled: m1'],
      [[{ type: 'Stalled', status: 'False', message: 'm1' }, ready('False', { reason: 'R', message: 'm2' })], 'R: m2'],
      [[ready('False', { message: 'm2' })], 'Not ready: m2'],
      [[ready('True'), { type: 'HealthCheckFailed', status: 'True', reason: 'Timeout', message: 'm3' }], 'HealthCheckFailed (Timeout): m3'],
      [[ready('True'), { type: 'HealthCheckFailed', status: 'True', message: 'm3' }], 'HealthCheckFailed: m3'],
      [[ready('True'), { type: 'HealthCheckFailed', status: 'False', message: 'm3' }], null],
      [[ready('True'), { type: 'FailedHealthCheck', status: 'True', message: 'm3' }], null],
      [[ready('True'), { type: 'Failed', status: 'True', message: 'm4' }], 'Failed: m4'],
      [[ready('Unknown')], null],
      [[], null],
    ];
    for (const [conditions, error] of table) {
      assert.equal(fluxObjectStatus('Kustomization', kustomization({}, { conditions }), lookupOf([])).lastError, error, JSON.stringify(conditions));
    }
  });

  it('takes the last sync time from the artifact for sources and from Ready otherwise', () => {
    const conditions = [ready('True', { lastTransitionTime: 'ready-time' })];
    const artifact = { revision: `main@sha1:${SHA1}`, lastUpdateTime: 'artifact-time' };
    assert.equal(fluxObjectStatus('GitRepository', { ...gitRepository('r', 'ns', {}), status: { conditions, artifact } }, lookupOf([])).lastSyncTime, 'artifact-time');
    assert.equal(fluxObjectStatus('GitRepository', { ...gitRepository('r', 'ns', {}), status: { conditions, artifact: { revision: 'x' } } }, lookupOf([])).lastSyncTime, 'ready-time');
    assert.equal(fluxObjectStatus('GitRepository', { ...gitRepository('r', 'ns', {}), status: {} }, lookupOf([])).lastSyncTime, null);
    const oci = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository', metadata: { name: 'o', namespace: 'ns' }, spec: {}, status: { conditions, artifact } };
    assert.equal(fluxObjectStatus('OCIRepository', oci, lookupOf([])).lastSyncTime, 'artifact-time');
    assert.equal(fluxObjectStatus('Kustomization', kustomization({}, { conditions, artifact }), lookupOf([])).lastSyncTime, 'ready-time');
    assert.equal(fluxObjectStatus('Kustomization', kustomization({}, {}), lookupOf([])).lastSyncTime, null);
    const gitStatus = fluxObjectStatus('GitRepository', { ...gitRepository('r', 'ns', {}), status: { conditions, artifact } }, lookupOf([]));
    assert.equal(gitStatus.deployedRevision, `main@sha1:${SHA1}`);
    assert.equal(gitStatus.targetRevision, `main@sha1:${SHA1}`);
    assert.equal(gitStatus.deployedSha, SHA1);
  });

  it('counts a sha256 revision as a commit only for Git sources', () => {
    const D = 'd'.repeat(64);
    const rev = `main@sha256:${D}`;
    const repo = gitRepository('repo', 'flux-system', { url: 'https://example.com/r.git' });
    const oci = { apiVersion: 'source.toolkit.fluxcd.io/v1', kind: 'OCIRepository', metadata: { name: 'oci', namespace: 'flux-system' }, spec: { url: 'oci://x/y' } };
    const table: [string, Obj, string | null][] = [
      ['Kustomization', kustomization({ sourceRef: { kind: 'GitRepository', name: 'repo' } }, { lastAppliedRevision: rev, lastAttemptedRevision: rev }), D],
      ['Kustomization', kustomization({}, { lastAppliedRevision: rev, lastAttemptedRevision: rev }), D],
      ['Kustomization', kustomization({ sourceRef: { kind: 'OCIRepository', name: 'oci' } }, { lastAppliedRevision: rev, lastAttemptedRevision: rev }), null],
      ['GitRepository', { ...repo, status: { artifact: { revision: rev } } }, D],
      ['OCIRepository', { ...oci, status: { artifact: { revision: rev } } }, null],
      ['HelmRelease', { apiVersion: 'helm.toolkit.fluxcd.io/v2', kind: 'HelmRelease', metadata: { name: 'h', namespace: 'flux-system' }, spec: {}, status: { lastAppliedRevision: rev } }, null],
    ];
    for (const [kind, object, expected] of table) {
      const s = fluxObjectStatus(kind as 'Kustomization', object, lookupOf([repo, oci]));
      assert.equal(s.deployedSha, expected, kind);
      assert.equal(s.targetSha, expected, kind);
    }
  });

  it('reports a reconcile request until the controller echoes it, suspension, the apiVersion and the context', () => {
    const at = '2026-01-01T00:00:00Z';
    const pending = (annotation: string | undefined, handled: string | undefined): Obj =>
      fluxObjectStatus('Kustomization', kustomization({}, { lastHandledReconcileAt: handled }, annotation === undefined ? {} : { annotations: { 'reconcile.fluxcd.io/requestedAt': annotation } }), lookupOf([])).pending as Obj;
    assert.deepEqual(pending(at, undefined), { reconcileRequestedAt: at });
    assert.deepEqual(pending(at, 'earlier'), { reconcileRequestedAt: at });
    assert.deepEqual(pending(at, at), {});
    assert.deepEqual(pending(undefined, undefined), {});
    const suspended = fluxObjectStatus('Kustomization', kustomization({ suspend: true }), lookupOf([]), 'ctx');
    assert.equal(suspended.suspended, true);
    assert.equal(suspended.autoSync, false);
    assert.equal(suspended.context, 'ctx');
    assert.deepEqual(suspended.ref, { apiVersion: 'kustomize.toolkit.fluxcd.io/v1', kind: 'Kustomization', namespace: 'flux-system', name: 'apps' });
    const truthy = fluxObjectStatus('Kustomization', kustomization({ suspend: 'true' }), lookupOf([]));
    assert.equal(truthy.suspended, false);
    assert.equal(truthy.autoSync, true);
    const noApi = fluxObjectStatus('Kustomization', { kind: 'Kustomization', metadata: { name: 'n' } }, lookupOf([]));
    assert.equal(noApi.ref.apiVersion, '');
    assert.equal(noApi.operationPhase, null);
    assert.equal(noApi.generatedBy, null);
    assert.equal(noApi.destination, null);
  });
});

// ---------------------------------------------------------------------------------------------
// argoStatus

function application(spec: Obj, status: Obj = {}, extra: Obj = {}): Obj {
  return { apiVersion: 'argoproj.io/v1alpha1', kind: 'Application', metadata: { name: 'web', namespace: 'argocd' }, spec, status, ...extra };
}

describe('argoStatus: which source holds the manifests', () => {
  const git = (name: string, extra: Obj = {}): Obj => ({ repoURL: `https://example.com/${name}.git`, targetRevision: 'main', ...extra });
  const table: [string, Obj[], string[]][] = [
    ['a folder before a chart', [git('chart', { chart: 'c', path: 'p' }), git('app', { path: 'apps/web' })], ['app', 'chart']],
    ['a folder before a values-only ref', [git('values', { ref: 'values' }), git('app', { path: 'apps/web' })], ['app', 'values']],
    ['a ref that also has a path is a folder', [git('chart', { chart: 'c' }), git('both', { ref: 'v', path: 'p' })], ['both', 'chart']],
    ['a folder with a path before one without', [git('root'), git('app', { path: 'apps/web' })], ['app', 'root']],
    ['a root folder before a chart', [git('chart', { chart: 'c' }), git('root')], ['root', 'chart']],
    ['a root folder before a values-only ref', [git('values', { ref: 'v' }), git('root')], ['root', 'values']],
    ['the first of several folders with a path', [git('one', { path: 'a' }), git('two', { path: 'b' })], ['one', 'two']],
    ['the first when no source is a folder', [git('c1', { chart: 'a' }), git('c2', { chart: 'b' }), git('v', { ref: 'x' })], ['c1', 'c2', 'v']],
    ['a single source', [git('only', { path: 'x' })], ['only']],
  ];
  for (const [what, sources, order] of table) {
    it(`puts ${what} first`, () => {
      const status = argoApplicationStatus(application({ sources }));
      assert.deepEqual(
        status.sources.map((s) => s.url),
        order.map((n) => `https://example.com/${n}.git`),
      );
    });
  }

  it('reads the revision of the primary source from the multi-source lists', () => {
    const sources = [git('chart', { chart: 'c' }), git('values', { ref: 'v' }), git('app', { path: 'p' })];
    const status = argoApplicationStatus(application({ sources }, { sync: { status: 'Synced', revisions: ['1.0.0', SHA1.replace(/c/g, 'e'), SHA1] } }));
    assert.equal(status.deployedRevision, SHA1);
    assert.equal(status.targetRevision, SHA1);
    assert.equal(status.deployedSha, SHA1);
    for (const revisions of [['1', 'x', ''], ['1', 'x', 5], ['1', 'x']]) {
      const s = argoApplicationStatus(application({ sources }, { sync: { status: 'Synced', revisions } }));
      assert.equal(s.targetRevision, null, JSON.stringify(revisions));
      assert.equal(s.deployedRevision, null, JSON.stringify(revisions));
    }
    assert.equal(argoApplicationStatus(application({ sources }, { sync: { status: 'Synced', revisions: 'abc' } })).targetRevision, null);
  });

  it('reads one source: spec.source, or spec.sources when it has entries', () => {
    assert.equal(argoApplicationStatus(application({ source: git('single', { path: 'x' }), sources: [] })).sources[0].url, 'https://example.com/single.git');
    assert.deepEqual(argoApplicationStatus(application({ source: git('single'), sources: [git('multi')] })).sources.map((s) => s.url), ['https://example.com/multi.git']);
    assert.deepEqual(argoApplicationStatus(application({})).sources, []);
  });

  it('describes a source: credentials stripped, branch only for Git, chart when set, path cleaned', () => {
    const [a] = argoApplicationStatus(application({ source: { repoURL: 'https://u:p@example.com/r.git', targetRevision: 'release', path: './apps/web/' } })).sources;
    assert.deepEqual(a, { url: 'https://u@example.com/r.git', repoIdentity: 'example.com/r', revision: 'release', branch: 'release', path: 'apps/web' });
    const [chart] = argoApplicationStatus(application({ source: { repoURL: 'https://charts.example.com', targetRevision: 'release', chart: 'web' } })).sources;
    assert.deepEqual(chart, { url: 'https://charts.example.com', repoIdentity: chart.repoIdentity, revision: 'release', branch: null, path: null, chart: 'web' });
    const [bare] = argoApplicationStatus(application({ source: { path: '../x' } })).sources;
    assert.deepEqual(bare, { url: null, repoIdentity: null, revision: null, branch: null, path: null });
  });
});

describe('argoStatus: the deployed revision, time and error', () => {
  const R1 = '1'.repeat(40);
  const R2 = '2'.repeat(40);
  const R3 = '3'.repeat(40);
  const table: [string, Obj, string | null][] = [
    ['Synced: the sync revision', { sync: { status: 'Synced', revision: R1 }, history: [{ revision: R2 }] }, R1],
    ['Synced without a revision: the history', { sync: { status: 'Synced' }, history: [{ revision: R2 }] }, R2],
    ['OutOfSync: the newest history entry', { sync: { status: 'OutOfSync', revision: R1 }, history: [{ revision: R3 }, { revision: R2 }] }, R2],
    ['Unknown: the history', { sync: { status: 'Weird', revision: R1 }, history: [{ revision: R2 }] }, R2],
    ['a history entry without revision: the operation', { sync: { status: 'OutOfSync', revision: R1 }, history: [{ revision: R3 }, {}], operationState: { phase: 'Succeeded', syncResult: { revision: R2 } } }, R2],
    ['no history: a succeeded operation', { sync: { status: 'OutOfSync', revision: R1 }, operationState: { phase: 'Succeeded', syncResult: { revision: R3 } } }, R3],
    ['a dry run is not deployed', { sync: { status: 'OutOfSync' }, operationState: { phase: 'Succeeded', operation: { sync: { dryRun: true } }, syncResult: { revision: R3 } } }, null],
    ['a dry run flag that is not true', { sync: { status: 'OutOfSync' }, operationState: { phase: 'Succeeded', operation: { sync: { dryRun: 'true' } }, syncResult: { revision: R3 } } }, R3],
    ['a failed operation is not deployed', { sync: { status: 'OutOfSync' }, operationState: { phase: 'Failed', syncResult: { revision: R3 } } }, null],
    ['nothing', { sync: { status: 'OutOfSync', revision: R1 } }, null],
  ];
  for (const [what, status, deployed] of table) {
    it(`deployed revision — ${what}`, () => {
      assert.equal(argoApplicationStatus(application({}, status)).deployedRevision, deployed);
    });
  }

  it('takes the last sync time from the operation, else the newest history entry', () => {
    assert.equal(argoApplicationStatus(application({}, { operationState: { finishedAt: 'op' }, history: [{ deployedAt: 'h' }] })).lastSyncTime, 'op');
    assert.equal(argoApplicationStatus(application({}, { history: [{ deployedAt: 'h1' }, { deployedAt: 'h2' }] })).lastSyncTime, 'h2');
    assert.equal(argoApplicationStatus(application({}, { history: [] })).lastSyncTime, null);
    assert.equal(argoApplicationStatus(application({}, {})).lastSyncTime, null);
  });

  const errors: [string, Obj, string | null][] = [
    ['a failed sync with its message', { operationState: { phase: 'Failed', message: 'boom' }, conditions: [{ type: 'ComparisonError', message: 'c' }] }, 'Sync failed: boom'],
    ['a sync error without message', { operationState: { phase: 'Error' } }, 'Sync error'],
    ['a failed sync without message', { operationState: { phase: 'Failed' } }, 'Sync failed'],
    ['an error condition', { operationState: { phase: 'Running' }, conditions: [{ type: 'SyncWarning', message: 'w' }, { type: 'ComparisonError', message: 'c' }] }, 'ComparisonError: c'],
    ['an error condition without message', { conditions: [{ type: 'InvalidSpecError' }] }, 'InvalidSpecError:'],
    ['degraded health', { health: { status: 'Degraded', message: 'pods crash' }, conditions: [{ type: 'SyncWarning', message: 'w' }] }, 'Degraded: pods crash'],
    ['missing health', { health: { status: 'Missing', message: 'gone' } }, 'Missing: gone'],
    ['degraded without message: a warning', { health: { status: 'Degraded' }, conditions: [{ type: 'SyncWarning', message: 'w' }] }, 'SyncWarning: w'],
    ['healthy with a message: a warning', { health: { status: 'Healthy', message: 'fine' }, conditions: [{ type: 'OrphanedResourceWarning', message: 'o' }] }, 'OrphanedResourceWarning: o'],
    ['progressing with a message', { health: { status: 'Progressing', message: 'p' } }, null],
    ['nothing', { conditions: [{ type: 'Other', message: 'x' }] }, null],
  ];
  for (const [what, status, error] of errors) {
    it(`last error — ${what}`, () => {
      assert.equal(argoApplicationStatus(application({}, status)).lastError, error);
    });
  }
});

describe('argoStatus: ownership, automation, requests and destination', () => {
  it('names the ApplicationSet that owns the Application', () => {
    const owners = (refs: Obj[]): unknown => argoApplicationStatus(application({}, {}, { metadata: { name: 'web', namespace: 'argocd', ownerReferences: refs } })).generatedBy;
    assert.deepEqual(owners([{ kind: 'Other', name: 'o' }, { kind: 'ApplicationSet', name: 'set' }]), { kind: 'ApplicationSet', namespace: 'argocd', name: 'set' });
    assert.equal(owners([{ kind: 'ApplicationSet' }]), null);
    assert.equal(owners([{ kind: 'Other', name: 'o' }]), null);
  });

  it('is automated when the automated block is a record not switched off', () => {
    const auto = (automated: unknown): boolean => argoApplicationStatus(application({ syncPolicy: { automated } })).autoSync;
    assert.equal(auto({}), true);
    assert.equal(auto({ enabled: true }), true);
    assert.equal(auto({ enabled: false }), false);
    assert.equal(auto(true), false);
    assert.equal(auto(undefined), false);
  });

  it('reports refresh and operation requests and the operation phase', () => {
    const withAnnotation = (value: string): unknown =>
      argoApplicationStatus(application({}, {}, { metadata: { name: 'w', namespace: 'argocd', annotations: { 'argocd.argoproj.io/refresh': value } } })).pending;
    assert.deepEqual(withAnnotation('normal'), { refresh: 'normal' });
    assert.deepEqual(withAnnotation('hard'), { refresh: 'hard' });
    assert.deepEqual(withAnnotation('soft'), {});
    const requested = argoApplicationStatus(application({}, {}, { operation: { sync: {} } }));
    assert.deepEqual(requested.pending, { operation: true });
    assert.equal(requested.operationPhase, 'Requested');
    const running = argoApplicationStatus(application({}, { operationState: { phase: 'Running' } }, { operation: { sync: {} } }));
    assert.equal(running.operationPhase, 'Running');
    const idle = argoApplicationStatus(application({}, {}, { operation: 'x' }));
    assert.equal(idle.operationPhase, null);
    assert.deepEqual(idle.pending, {});
  });

  it('reads the destination and defaults the apiVersion', () => {
    const s = argoApplicationStatus({ kind: 'Application', metadata: { name: 'w' }, spec: { destination: { server: 'https://k', namespace: 'ns' } } }, 'ctx');
    assert.deepEqual(s.destination, { server: 'https://k', name: null, namespace: 'ns' });
    assert.equal(s.ref.apiVersion, 'argoproj.io/v1alpha1');
    assert.equal(s.context, 'ctx');
    assert.equal(s.suspended, false);
    assert.equal(s.appliedBy, null);
    assert.equal(argoApplicationStatus(application({})).destination, null);
    assert.deepEqual(argoApplicationStatus(application({ destination: { name: 'in-cluster' } })).destination, { server: null, name: 'in-cluster', namespace: null });
    assert.equal(argoApplicationStatus({ ...application({}), apiVersion: 'argoproj.io/v1beta1' }).ref.apiVersion, 'argoproj.io/v1beta1');
    assert.equal(argoApplicationStatus(application({}, { sync: { status: 'Synced' } })).sync, 'Synced');
    assert.equal(argoApplicationStatus(application({}, { sync: { status: 'OutOfSync' } })).sync, 'OutOfSync');
    assert.equal(argoApplicationStatus(application({}, { sync: { status: 'Weird' } })).sync, 'Unknown');
  });
});

// ---------------------------------------------------------------------------------------------
// operatorMapping

const REPO = 'https://example.com/org/env.git';
const REPO_ID = 'example.com/org/env';

function src(overrides: Partial<OperatorSource> = {}): OperatorSource {
  return { url: REPO, repoIdentity: REPO_ID, revision: 'main', branch: 'main', path: 'envs/prod', ...overrides };
}

function st(kind: OperatorStatus['ref']['kind'], name: string, sources: OperatorSource[], extra: Partial<OperatorStatus> = {}): OperatorStatus {
  return {
    operator: kind === 'Application' ? 'argocd' : 'flux',
    ref: { apiVersion: 'x/v1', kind, namespace: 'flux-system', name },
    context: 'kind',
    sync: 'Synced',
    health: { status: 'Healthy' } as OperatorStatus['health'],
    deployedRevision: null,
    deployedSha: null,
    targetRevision: null,
    targetSha: null,
    lastSyncTime: null,
    lastError: null,
    suspended: false,
    autoSync: true,
    operationPhase: null,
    sources,
    generatedBy: null,
    appliedBy: null,
    destination: null,
    pending: {},
    ...extra,
  };
}

function mapped(statuses: OperatorStatus[], environments: Environment[], options = {}): { envs: Record<string, string[]>; other: Record<string, string> } {
  const result = mapOperatorsToEnvironments(statuses, environments, options);
  const envs: Record<string, string[]> = {};
  for (const [name, list] of result.byEnvironment) envs[name] = list.map((m) => `${m.status.ref.name}:${m.match}`);
  return { envs, other: Object.fromEntries(result.other.map((o) => [o.status.ref.name, o.reason])) };
}

describe('operator mapping: why an object is another application', () => {
  const prod = env({ repo: REPO });
  const table: [string, OperatorSource[], string][] = [
    ['a Helm chart', [src({ chart: 'web', url: 'https://charts.example.com', repoIdentity: 'charts.example.com', path: null })], 'deploys Helm chart web from https://charts.example.com'],
    ['an unknown source object', [src({ url: null, repoIdentity: null, sourceRef: { kind: 'GitRepository', namespace: 'ns', name: 'repo' } })], 'reads GitRepository repo, whose repository is unknown'],
    ['no source object', [src({ url: null, repoIdentity: null })], 'reads no source, whose repository is unknown'],
    ['a URL that is not Git', [src({ url: 'oci://ghcr.io/x', repoIdentity: null })], 'reads oci://ghcr.io/x, which is not a Git repository URL'],
    ['another repository', [src({ url: 'https://example.com/other.git', repoIdentity: 'example.com/other' })], 'reads another repository (https://example.com/other.git)'],
    ['an undeclared folder', [src({ path: 'apps/x' })], 'reads folder apps/x at main, which no environment declares'],
    ['the root at a revision', [src({ path: null, branch: null, revision: 'v1' })], 'reads the repository root at v1, which no environment declares'],
    ['the root at nothing', [src({ path: null, branch: null, revision: null })], 'reads the repository root, which no environment declares'],
    ['another branch', [src({ branch: 'dev' })], 'reads folder envs/prod at dev, which no environment declares'],
    ['nothing', [], 'has no source'],
    ['a chart without a URL', [src({ chart: 'web', url: null, repoIdentity: null, path: null })], 'reads no source, whose repository is unknown'],
    ['the first of several failing sources', [src({ path: 'a' }), src({ path: 'b' })], 'reads folder a at main, which no environment declares'],
  ];
  for (const [what, sources, reason] of table) {
    it(`explains ${what}`, () => {
      assert.deepEqual(mapped([st('Application', 'app', sources)], [prod]), { envs: {}, other: { app: reason } });
    });
  }

  it('maps through a later source when the first one fails', () => {
    assert.deepEqual(mapped([st('Application', 'app', [src({ path: 'a' }), src()])], [prod]).envs, { prod: ['app:path'] });
    assert.deepEqual(mapped([st('Application', 'chart', [src({ chart: 'web' })])], [prod]).envs, { prod: ['chart:path'] });
    assert.deepEqual(mapped([st('OCIRepository', 'oci', [src()])], [prod]), { envs: {}, other: { oci: 'a source no environment reads' } });
  });
});

describe('operator mapping: which environment wins', () => {
  it('matches by folder or by any of the environment folders, on any branch when either has none', () => {
    const e = env({ name: 'multi', branch: null, path: 'apps/a', paths: ['apps/a', 'apps/b'] });
    assert.deepEqual(mapped([st('Application', 'a', [src({ path: 'apps/b', branch: 'x' })])], [e]).envs, { multi: ['a:path'] });
    const root = env({ name: 'root', path: null });
    assert.deepEqual(mapped([st('Application', 'r', [src({ path: null, branch: null })])], [root]).envs, { root: ['r:path'] });
    assert.deepEqual(mapped([st('Application', 'r', [src({ path: null, branch: 'dev' })])], [root]).envs, {});
  });

  it('prefers a folder match over a cluster folder, the same branch, then the same cluster, then input order', () => {
    const flux = (name: string, extra: Partial<Environment> = {}): Environment => env({ name, source: 'flux', path: 'other', declaredAt: { file: 'clusters/prod/apps.yaml' }, ...extra } as Partial<Environment>);
    const table: [Environment[], OperatorSource, string, string][] = [
      [[flux('cf'), env({ name: 'p', path: 'clusters/prod' })], src({ path: 'clusters/prod' }), 'p', 'path'],
      [[flux('cf')], src({ path: 'clusters/prod' }), 'cf', 'clusterFolder'],
      [[flux('cf', { declaredAt: { file: 'apps.yaml' } } as Partial<Environment>)], src({ path: 'clusters/prod' }), '', ''],
      [[flux('cf', { source: 'config' })], src({ path: 'clusters/prod' }), '', ''],
      [[env({ name: 'any', branch: null }), env({ name: 'same', branch: 'main' })], src(), 'same', 'path'],
      [[env({ name: 'same', branch: 'main' }), env({ name: 'any', branch: null })], src(), 'same', 'path'],
      [[env({ name: 'first', branch: null }), env({ name: 'second', branch: null })], src(), 'first', 'path'],
      [[env({ name: 'elsewhere', branch: null, cluster: { context: 'other', namespace: null } }), env({ name: 'here', branch: null, cluster: { context: 'kind', namespace: null } })], src(), 'here', 'path'],
      [[env({ name: 'sameBranch', branch: 'main', cluster: { context: 'other', namespace: null } }), env({ name: 'sameCluster', branch: null, cluster: { context: 'kind', namespace: null } })], src(), 'sameCluster', 'path'],
      [[env({ name: 'dev', branch: 'dev' })], src({ branch: 'main' }), '', ''],
      [[env({ name: 'dev', branch: 'dev' })], src({ branch: null }), 'dev', 'path'],
    ];
    for (const [environments, source, expected, match] of table) {
      const r = mapped([st('Application', 'app', [source])], environments);
      assert.deepEqual(r.envs, expected ? { [expected]: [`app:${match}`] } : {}, JSON.stringify(environments.map((e) => e.name)));
    }
    const noContext = mapped([st('Application', 'app', [src()], { context: null })], [env({ name: 'b', branch: null }), env({ name: 'a', branch: null, cluster: { context: null, namespace: null } as Environment['cluster'] })]);
    assert.deepEqual(noContext.envs, { b: ['app:path'] });
    const ties: [Environment[], string][] = [
      [[env({ name: 'A', branch: null }), env({ name: 'B', branch: 'main' })], 'A'],
      [[env({ name: 'A', branch: 'x' }), env({ name: 'B', branch: null })], 'A'],
      [[env({ name: 'A', branch: null }), env({ name: 'B', branch: 'dev' })], 'A'],
    ];
    for (const [environments, winner] of ties) {
      assert.deepEqual(mapped([st('Application', 'app', [src({ branch: null })])], environments).envs, { [winner]: ['app:path'] }, environments.map((e) => e.branch).join());
    }
  });

  it('compares repositories by identity: the local remotes for an environment without repo', () => {
    const local = env({ name: 'local', repo: null });
    const other = src({ url: 'https://example.com/other.git', repoIdentity: 'example.com/other' });
    assert.deepEqual(mapped([st('Application', 'a', [other])], [local], { localRemoteUrls: ['git@example.com:org/env.git', 'not a url'] }).other, { a: 'reads another repository (https://example.com/other.git)' });
    assert.deepEqual(mapped([st('Application', 'a', [src()])], [local], { localRemoteUrls: ['git@example.com:org/env.git'] }).envs, { local: ['a:path'] });
    assert.deepEqual(mapped([st('Application', 'a', [other])], [local], { localRemoteUrls: ['not a url'] }).envs, { local: ['a:path'] });
    assert.deepEqual(mapped([st('Application', 'a', [other])], [local]).envs, { local: ['a:path'] });
    assert.deepEqual(mapped([st('Application', 'a', [other])], [env({ name: 'folder', repo: '../other' })]).envs, { folder: ['a:path'] });
  });
});

describe('operator mapping: what a mapped object applied, and the sources read', () => {
  const prod = env({ name: 'prod', repo: REPO });
  const ks = (name: string, extra: Partial<OperatorStatus> = {}): OperatorStatus => st('Kustomization', name, [src({ sourceRef: { kind: 'GitRepository', namespace: null, name: 'repo' } })], extra);
  const applied = (name: string, by: string, extra: Partial<OperatorStatus> = {}): OperatorStatus =>
    st('Kustomization', name, [src({ chart: 'c', url: 'https://charts', repoIdentity: 'charts', path: null })], { appliedBy: { kind: 'Kustomization', namespace: 'flux-system', name: by }, ...extra });

  it('gives objects applied by a mapped Kustomization its environment, down a chain listed in any order', () => {
    const chain = [applied('d', 'c'), applied('c', 'b'), applied('b', 'a'), ks('a')];
    const r = mapped(chain, [prod]);
    assert.deepEqual(r.envs, { prod: ['d:appliedBy', 'c:appliedBy', 'b:appliedBy', 'a:path'] });
    const long = [...Array.from({ length: 20 }, (_, i) => applied(`h${i}`, i === 19 ? 'root' : `h${i + 1}`)), ks('root')];
    assert.equal(mapped(long, [prod]).envs.prod.length, 17);
  });

  it('does not cross clusters, nor follow a parent that is not among the objects', () => {
    const r = mapped([ks('a'), applied('x', 'a', { context: 'other' }), applied('y', 'missing')], [prod]);
    assert.deepEqual(r.envs, { prod: ['a:path'] });
    assert.deepEqual(r.other, { x: 'deploys Helm chart c from https://charts', y: 'deploys Helm chart c from https://charts' });
  });

  it('gives a source every environment whose objects read it, in its namespace, in the same cluster', () => {
    const dev = env({ name: 'dev', repo: REPO, path: 'envs/dev' });
    const repo = st('GitRepository', 'repo', [src({ path: null })]);
    const devKs = st('Kustomization', 'dev-ks', [src({ path: 'envs/dev', sourceRef: { kind: 'GitRepository', namespace: 'flux-system', name: 'repo' } })]);
    const viaOrigin = st('Kustomization', 'art', [src({ path: 'envs/dev', sourceRef: { kind: 'ExternalArtifact', namespace: 'flux-system', name: 'x' }, origin: { kind: 'GitRepository', namespace: 'flux-system', name: 'repo2' } })]);
    const repo2 = st('GitRepository', 'repo2', [src({ path: null })]);
    const r = mapped([repo, ks('a'), devKs, viaOrigin, repo2], [prod, dev]);
    assert.deepEqual(r.envs, { prod: ['repo:source', 'a:path'], dev: ['repo:source', 'dev-ks:path', 'art:path', 'repo2:source'] });
    const reader = st('Kustomization', 'k', [src({ sourceRef: { kind: 'GitRepository', namespace: 'flux-system', name: 'repo' }, origin: { kind: 'GitRepository', namespace: 'flux-system', name: 'repo2' } })]);
    const otherNs = st('GitRepository', 'repo', [src({ path: null })], { ref: { apiVersion: 'x', kind: 'GitRepository', namespace: 'other', name: 'repo' } });
    const otherCluster = st('GitRepository', 'repo2', [src({ path: null })], { context: 'other' });
    const oci = st('OCIRepository', 'repo', [src({ path: null })], { ref: { apiVersion: 'x', kind: 'OCIRepository', namespace: 'flux-system', name: 'repo' } });
    const result = mapOperatorsToEnvironments([otherNs, otherCluster, oci, reader], [prod]);
    assert.deepEqual([...result.byEnvironment.get('prod')!].map((m) => m.status.ref.name), ['k']);
    assert.deepEqual(result.other.map((o) => [o.status.ref.kind, o.status.ref.namespace, o.reason]), [
      ['GitRepository', 'other', 'a source no environment reads'],
      ['GitRepository', 'flux-system', 'a source no environment reads'],
      ['OCIRepository', 'flux-system', 'a source no environment reads'],
    ]);
    // A reference without a namespace means the source's own.
    const loose = st('Kustomization', 'loose', [src({ sourceRef: { kind: 'GitRepository', namespace: null, name: 'repo' } })]);
    assert.deepEqual(mapped([otherNs, loose], [prod]).envs, { prod: ['repo:source', 'loose:path'] });
  });

  it('says why a source goes nowhere: no reader, another repository, or no URL', () => {
    const elsewhere = st('GitRepository', 'far', [src({ url: 'https://example.com/far.git', repoIdentity: 'example.com/far' })]);
    const bare = st('GitRepository', 'bare', []);
    const noId = st('OCIRepository', 'noid', [src({ url: 'oci://x', repoIdentity: null })]);
    const unread = st('GitRepository', 'unread', [src()]);
    assert.deepEqual(mapped([elsewhere, bare, noId, unread], [prod]).other, {
      far: 'reads another repository (https://example.com/far.git)',
      bare: 'reads another repository (unknown URL)',
      noid: 'reads another repository (oci://x)',
      unread: 'a source no environment reads',
    });
    assert.deepEqual(mapped([elsewhere], [env({ name: 'any', repo: null })]).other, { far: 'a source no environment reads' });
    assert.deepEqual(mapped([unread], [env({ name: 'x', repo: 'https://example.com/x.git' }), prod]).other, { unread: 'a source no environment reads' });
  });

  it('keeps a source a mapped Kustomization applied with that environment only, and finds a reader through any of its sources', () => {
    const dev = env({ name: 'dev', repo: REPO, path: 'envs/dev' });
    const appliedRepo = st('GitRepository', 'repo', [src({ path: null })], { appliedBy: { kind: 'Kustomization', namespace: 'flux-system', name: 'a' } });
    const devReader = st('Kustomization', 'dev-ks', [src({ path: 'envs/dev', sourceRef: { kind: 'GitRepository', namespace: 'flux-system', name: 'repo' } })]);
    assert.deepEqual(mapped([appliedRepo, ks('a'), devReader], [prod, dev]).envs, { prod: ['repo:appliedBy', 'a:path'], dev: ['dev-ks:path'] });
    const repo = st('GitRepository', 'repo', [src({ path: null })]);
    const twoSources = st('Application', 'two', [src({ path: 'envs/dev' }), src({ path: 'x', sourceRef: { kind: 'GitRepository', namespace: 'flux-system', name: 'repo' } })]);
    assert.deepEqual(mapped([repo, twoSources], [dev]).envs, { dev: ['repo:source', 'two:path'] });
  });
});

// ---------------------------------------------------------------------------------------------
// warningEvents

describe('warning events: core/v1 and events.k8s.io/v1 shapes', () => {
  it('reads every field from either shape, with empty strings and nulls for absent ones', () => {
    const coreV1 = {
      type: 'Warning',
      metadata: { name: 'e1', namespace: 'apps', creationTimestamp: '2026-01-01T00:00:01Z' },
      reason: 'BackOff',
      message: 'restarting\n  failed container',
      involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'apps' },
      count: 4,
      lastTimestamp: '2026-01-01T00:00:05Z',
      eventTime: '2026-01-01T00:00:04Z',
      source: { component: 'kubelet' },
      reportingComponent: 'other',
    };
    const eventsV1 = {
      type: 'Warning',
      metadata: { name: 'e2', namespace: 'apps', creationTimestamp: '2026-01-01T00:00:01Z' },
      note: 'pull failed',
      regarding: { kind: 'Pod', name: 'web-2', namespace: 'apps' },
      series: { count: 7, lastObservedTime: '2026-01-01T00:00:09Z' },
      count: 2,
      eventTime: '2026-01-01T00:00:03Z',
      reportingController: 'kubelet-ctl',
    };
    const bare = { type: 'Warning', metadata: { name: 'e3' }, count: 0 };
    const eventTimeOnly = { type: 'Warning', metadata: { name: 'e4', creationTimestamp: '2026-01-01T00:00:00Z' }, eventTime: '2026-01-01T00:00:02Z', reportingComponent: 'rc', series: { count: 'x' } };
    const created = { type: 'Warning', metadata: { name: 'e5', creationTimestamp: '2026-01-01T00:00:01Z' }, count: -3 };
    assert.deepEqual(recentWarningEvents([bare, coreV1, { type: 'Normal', metadata: { name: 'n' } }, eventsV1, eventTimeOnly, created]), [
      { namespace: 'apps', reason: '', message: 'pull failed', involvedObject: { kind: 'Pod', name: 'web-2', namespace: 'apps' }, count: 7, lastSeen: '2026-01-01T00:00:09Z', source: 'kubelet-ctl' },
      { namespace: 'apps', reason: 'BackOff', message: 'restarting failed container', involvedObject: { kind: 'Pod', name: 'web-1', namespace: 'apps' }, count: 4, lastSeen: '2026-01-01T00:00:05Z', source: 'kubelet' },
      { namespace: null, reason: '', message: '', involvedObject: { kind: '', name: '', namespace: null }, count: 1, lastSeen: '2026-01-01T00:00:02Z', source: 'rc' },
      { namespace: null, reason: '', message: '', involvedObject: { kind: '', name: '', namespace: null }, count: 1, lastSeen: '2026-01-01T00:00:01Z', source: null },
      { namespace: null, reason: '', message: '', involvedObject: { kind: '', name: '', namespace: null }, count: 1, lastSeen: null, source: null },
    ]);
  });

  it('keeps the listed namespaces only, the newest first, at most the limit', () => {
    const events = ['a', 'b', 'c', null].flatMap((ns, i) => [{ type: 'Warning', metadata: { name: `e${i}`, ...(ns ? { namespace: ns } : {}) }, lastTimestamp: `2026-01-01T00:00:0${i}Z` }]);
    assert.deepEqual(recentWarningEvents(events, { namespaces: ['a', 'c'] }).map((e) => e.namespace), ['c', 'a']);
    assert.deepEqual(recentWarningEvents(events, { namespaces: [''] }).map((e) => e.namespace), [null]);
    assert.deepEqual(recentWarningEvents(events, { limit: 2 }).map((e) => e.lastSeen), ['2026-01-01T00:00:03Z', '2026-01-01T00:00:02Z']);
    assert.deepEqual(recentWarningEvents(events, { limit: -1 }), []);
    assert.equal(recentWarningEvents(Array.from({ length: 25 }, () => events[0])).length, 20);
  });
});
