import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CONFIG_FILE_NAMES, parseGitopsConfig } from '../../src/core/config';
import type { LocatedProblem } from '../../src/core/model';

/** The one problem whose message contains `text`; fails when there is none or more than one. */
function problem(problems: readonly LocatedProblem[], text: string): LocatedProblem {
  const found = problems.filter((p) => p.message.includes(text));
  assert.equal(found.length, 1, `expected one problem containing "${text}", got:\n${problems.map((p) => p.message).join('\n')}`);
  return found[0];
}

function at(p: LocatedProblem): string {
  return `${p.location?.file}:${p.location?.range?.start.line}:${p.location?.range?.start.column}`;
}

const VALID = `apiVersion: gitops-environments/v1
environments:            # promotion order
  - name: dev
    branch: dev
    path: ./deploy/dev/
    repo: ../env-repo
    cluster: { context: sandbox, namespace: demo-dev }
    protected: false
  - name: staging
    cluster: east
  - name: prod
    branch: env/prod
    repo: https://github.com/acme/prod-config.git
    cluster:
      context: prod-east
    protected: true
clusters:
  east: { context: prod-east, namespace: web }
promotion:
  exclude: ['**/replicas.yml']
  labels: [promotion]
  reviewers: [alice]
drift:
  mode: local
  ignoreDifferences:
    - group: apps
      kind: Deployment
      jsonPointers: [/spec/replicas]
      jqPathExpressions: ['.spec.template.spec.containers[].image']
      managedFieldsManagers: [kube-controller-manager]
hosts: { kind: gitlab, apiUrl: 'https://git.example.com/api/v4/' }
`;

describe('parseGitopsConfig: a valid file', () => {
  const result = parseGitopsConfig(VALID);

  it('reports no problems', () => {
    assert.deepEqual(result.problems, []);
  });

  it('returns the environments in list order with every field', () => {
    assert.deepEqual(
      result.environments.map(({ declaredAt: _d, ...env }) => env),
      [
        { name: 'dev', order: 0, repo: '../env-repo', branch: 'dev', path: 'deploy/dev', cluster: { context: 'sandbox', namespace: 'demo-dev' }, protected: false, source: 'config' },
        { name: 'staging', order: 1, repo: null, branch: null, path: null, cluster: { context: 'prod-east', namespace: 'web' }, protected: false, source: 'config' },
        { name: 'prod', order: 2, repo: 'https://github.com/acme/prod-config.git', branch: 'env/prod', path: null, cluster: { context: 'prod-east', namespace: null }, protected: true, source: 'config' },
      ],
    );
  });

  it('records where each entry is declared', () => {
    assert.deepEqual(
      result.environments.map((e) => [e.declaredAt?.file, e.declaredAt?.range?.start.line, e.declaredAt?.range?.start.column]),
      [
        ['gitops.yaml', 3, 5],
        ['gitops.yaml', 9, 5],
        ['gitops.yaml', 11, 5],
      ],
    );
  });

  it('reads clusters, promotion, drift and hosts', () => {
    const config = result.config;
    assert.ok(config);
    assert.equal(config.apiVersion, 'gitops-environments/v1');
    assert.deepEqual(config.clusters, { east: { context: 'prod-east', namespace: 'web' } });
    assert.deepEqual(config.promotion, { exclude: ['**/replicas.yml'], labels: ['promotion'], reviewers: ['alice'], keep: [] });
    assert.deepEqual(config.drift, {
      mode: 'local',
      ignoreDifferences: [
        {
          group: 'apps',
          kind: 'Deployment',
          name: null,
          namespace: null,
          jsonPointers: ['/spec/replicas'],
          jqPathExpressions: ['.spec.template.spec.containers[].image'],
          managedFieldsManagers: ['kube-controller-manager'],
        },
      ],
      extraSelector: null,
    });
    assert.deepEqual(config.hosts, { kind: 'gitlab', apiUrl: 'https://git.example.com/api/v4' });
    assert.equal(config.environments, result.environments);
  });

  it('gives an environment copied from a named cluster its own object', () => {
    const staging = result.environments[1];
    staging.cluster.namespace = 'changed';
    assert.equal(result.config?.clusters.east.namespace, 'web');
  });

  it('uses the file name it is given in locations', () => {
    const r = parseGitopsConfig('apiVersion: gitops-environments/v1\nenvironments:\n  - name: 1bad/\n', 'gitops.yml');
    assert.equal(r.problems[0].location?.file, 'gitops.yml');
  });

  it('looks for gitops.yaml first, then gitops.yml', () => {
    assert.deepEqual([...CONFIG_FILE_NAMES], ['gitops.yaml', 'gitops.yml']);
  });
});

describe('parseGitopsConfig: located problems', () => {
  it('reports a YAML syntax error at its line, with no environments', () => {
    const r = parseGitopsConfig('apiVersion: gitops-environments/v1\nenvironments:\n  - name: dev\n   branch: dev\n  - name: prod\n');
    assert.equal(r.config, null);
    assert.deepEqual(r.environments, []);
    assert.equal(r.problems.length, 1);
    assert.match(r.problems[0].message, /^YAML syntax error: Sequence item without - indicator/);
    assert.equal(r.problems[0].severity, 'error');
    assert.equal(at(r.problems[0]), 'gitops.yaml:4:1');
  });

  it('reports an unclosed flow list where the parser notices it (the next line)', () => {
    const r = parseGitopsConfig('apiVersion: gitops-environments/v1\nenvironments:\n  - name: dev\n    branch: [dev\n  - name: prod\n');
    assert.equal(r.problems.length, 1);
    assert.equal(at(r.problems[0]), 'gitops.yaml:5:3');
  });

  it('reports a duplicate key as a syntax error on the second key', () => {
    const r = parseGitopsConfig('apiVersion: gitops-environments/v1\nenvironments: []\nenvironments: []\n');
    assert.equal(r.problems.length, 1);
    assert.equal(r.problems[0].location?.range?.start.line, 3);
  });

  it('rejects protected: "yes" on its value, and skips only that entry', () => {
    const r = parseGitopsConfig(
      ['apiVersion: gitops-environments/v1', 'environments:', '  - name: dev', '  - name: prod', '    protected: "yes"', '  - name: qa', '    protected: yes'].join('\n'),
    );
    assert.deepEqual(
      r.environments.map((e) => [e.name, e.order]),
      [['dev', 0]],
    );
    const quoted = problem(r.problems, 'environment "prod": "protected" must be true or false');
    assert.equal(at(quoted), 'gitops.yaml:5:16');
    assert.match(quoted.message, /the string "yes"/);
    // YAML 1.2: a bare `yes` is a string too, not a boolean.
    assert.equal(at(problem(r.problems, 'environment "qa"')), 'gitops.yaml:7:16');
  });

  it('rejects environments: {} on its value', () => {
    const r = parseGitopsConfig('apiVersion: gitops-environments/v1\nenvironments: {}\n');
    const p = problem(r.problems, '"environments" must be a list, not a mapping');
    assert.equal(at(p), 'gitops.yaml:2:15');
    assert.equal(p.severity, 'error');
    assert.ok(r.config);
    assert.deepEqual(r.environments, []);
  });

  it('warns about unknown keys with a suggestion, and keeps the entry', () => {
    const r = parseGitopsConfig(
      ['apiVersion: gitops-environments/v1', 'enviroments: []', 'environments:', '  - name: dev', '    brnach: dev', '    protect: true', '    colour: blue'].join('\n'),
    );
    const top = problem(r.problems, 'unknown key "enviroments"');
    assert.equal(top.severity, 'warning');
    assert.match(top.message, /did you mean "environments"/);
    assert.equal(at(top), 'gitops.yaml:2:1');
    assert.equal(at(problem(r.problems, 'unknown key "brnach"')), 'gitops.yaml:5:5');
    assert.match(problem(r.problems, 'unknown key "brnach"').message, /did you mean "branch"/);
    assert.match(problem(r.problems, 'unknown key "protect"').message, /did you mean "protected"/);
    const colour = problem(r.problems, 'unknown key "colour"');
    assert.doesNotMatch(colour.message, /did you mean/);
    assert.match(colour.hint ?? '', /name, branch, path/);
    assert.deepEqual(
      r.environments.map((e) => [e.name, e.branch, e.protected]),
      [['dev', null, false]],
    );
  });

  it('reports a missing name at the entry and keeps the other entries', () => {
    const r = parseGitopsConfig(['apiVersion: gitops-environments/v1', 'environments:', '  - branch: dev', '  - name: prod', '  - name:', '    branch: x'].join('\n'));
    const missing = r.problems.filter((p) => p.message.includes('has no "name"'));
    assert.deepEqual(missing.map(at), ['gitops.yaml:3:5', 'gitops.yaml:5:10']);
    assert.deepEqual(
      r.environments.map((e) => [e.name, e.order]),
      [['prod', 0]],
    );
  });

  it('reports a duplicate name (ignoring case) on the second one, naming the first line', () => {
    const r = parseGitopsConfig(['apiVersion: gitops-environments/v1', 'environments:', '  - name: dev', '  - name: prod', '  - name: Dev'].join('\n'));
    const p = problem(r.problems, 'declared twice');
    assert.equal(at(p), 'gitops.yaml:5:11');
    assert.match(p.message, /first on line 3/);
    assert.deepEqual(
      r.environments.map((e) => e.name),
      ['dev', 'prod'],
    );
  });

  it('rejects hostile and malformed names, suggesting a safe one', () => {
    const names = ['prod; rm -rf /', '$(reboot)', 'a b', 'env/prod', '../etc', '-rf', '.hidden', 'x'.repeat(64), '`id`', 'dev|cat', 'é'];
    const text = ['apiVersion: gitops-environments/v1', 'environments:', ...names.map((n) => `  - name: ${JSON.stringify(n)}`), '  - name: ok.name_1-2'].join('\n');
    const r = parseGitopsConfig(text);
    assert.deepEqual(
      r.environments.map((e) => e.name),
      ['ok.name_1-2'],
    );
    const nameProblems = r.problems.filter((p) => p.message.includes('the name may only contain'));
    assert.equal(nameProblems.length, names.length);
    assert.deepEqual(
      nameProblems.map((p) => p.location?.range?.start.line),
      names.map((_, i) => i + 3),
    );
    assert.match(nameProblems[0].hint ?? '', /name: prod-rm-rf$/);
    assert.match(nameProblems[2].hint ?? '', /name: a-b$/);
  });

  it('accepts a 63-character name and rejects a numeric one', () => {
    const r = parseGitopsConfig(`apiVersion: gitops-environments/v1\nenvironments:\n  - name: ${'a'.repeat(63)}\n  - name: 42\n`);
    assert.deepEqual(
      r.environments.map((e) => e.name.length),
      [63],
    );
    assert.equal(at(problem(r.problems, '"name" must be a string, not the number 42')), 'gitops.yaml:4:11');
  });

  it('rejects paths that leave the repository and normalizes the others', () => {
    const bad = ['../other', 'deploy/../../x', '/etc', 'C:\\deploy', '~/deploy', 'a/..'];
    const good: Array<[string, string | null]> = [
      ['./deploy/', 'deploy'],
      ['deploy//dev/./x/', 'deploy/dev/x'],
      ['deploy\\win', 'deploy/win'],
      ['.', null],
      ['./', null],
    ];
    const text = [
      'apiVersion: gitops-environments/v1',
      'environments:',
      ...bad.map((p, i) => `  - name: bad${i}\n    path: ${JSON.stringify(p)}`),
      ...good.map(([p], i) => `  - name: good${i}\n    path: ${JSON.stringify(p)}`),
    ].join('\n');
    const r = parseGitopsConfig(text);
    assert.deepEqual(
      r.environments.map((e) => e.path),
      good.map(([, normalized]) => normalized),
    );
    const pathProblems = r.problems.filter((p) => p.message.includes('path "'));
    assert.equal(pathProblems.length, bad.length);
    assert.equal(at(pathProblems[0]), 'gitops.yaml:4:11');
    assert.match(pathProblems[0].message, /contains "\.\." and could leave the repository/);
    assert.match(pathProblems[2].message, /is absolute/);
  });

  it('rejects option-looking branches and remote-helper or credential-bearing repos', () => {
    const r = parseGitopsConfig(
      [
        'apiVersion: gitops-environments/v1',
        'environments:',
        '  - name: a',
        '    branch: --upload-pack=evil',
        '  - name: b',
        '    branch: "feature..x"',
        '  - name: c',
        '    repo: "ext::sh -c touch% /tmp/pwned"',
        '  - name: d',
        '    repo: https://alice:s3cret@github.com/acme/x.git',
        '  - name: e',
        '    repo: https://ghp_abcdefghijklmnopqrstuvwxyz0123456789@github.com/acme/x.git',
        '  - name: f',
        '    repo: git@github.com:acme/x.git',
        '  - name: g',
        '    repo: https://org@dev.azure.com/org/p/_git/r',
      ].join('\n'),
    );
    assert.deepEqual(
      r.environments.map((e) => [e.name, e.repo]),
      [
        ['f', 'git@github.com:acme/x.git'],
        ['g', 'https://org@dev.azure.com/org/p/_git/r'],
      ],
    );
    assert.equal(at(problem(r.problems, 'branch "--upload-pack=evil"')), 'gitops.yaml:4:13');
    assert.match(problem(r.problems, 'branch "feature..x"').message, /contains "\.\."/);
    assert.match(problem(r.problems, 'environment "c": repo').message, /remote-helper/);
    assert.match(problem(r.problems, 'environment "d": repo').message, /password or token/);
    assert.match(problem(r.problems, 'environment "e": repo').message, /password or token/);
    // The secret itself never appears in a message or hint.
    assert.ok(r.problems.every((p) => !`${p.message} ${p.hint}`.includes('s3cret') && !`${p.message} ${p.hint}`.includes('ghp_')));
  });

  it('reports a cluster name missing from clusters:, suggesting the close one', () => {
    const r = parseGitopsConfig(
      ['apiVersion: gitops-environments/v1', 'clusters:', '  east: { context: prod-east }', '  west: { context: "" }', 'environments:', '  - name: prod', '    cluster: eats', '  - name: dr', '    cluster: west', '  - name: ok', '    cluster: east'].join('\n'),
    );
    const unknown = problem(r.problems, 'cluster "eats" is not defined');
    assert.equal(at(unknown), 'gitops.yaml:7:14');
    assert.match(unknown.message, /did you mean "east"/);
    assert.equal(at(problem(r.problems, 'cluster "west": "context" is empty')), 'gitops.yaml:4:20');
    assert.match(problem(r.problems, 'cluster "west" is defined under "clusters:" but has errors').message, /has errors/);
    assert.deepEqual(
      r.environments.map((e) => [e.name, e.cluster.context]),
      [['ok', 'prod-east']],
    );
  });

  it('does not resolve cluster names through the object prototype', () => {
    const r = parseGitopsConfig('apiVersion: gitops-environments/v1\nenvironments:\n  - name: dev\n    cluster: constructor\n');
    assert.deepEqual(r.environments, []);
    assert.ok(problem(r.problems, 'cluster "constructor" is not defined'));
  });

  it('rejects an invalid namespace and a cluster of the wrong type', () => {
    const r = parseGitopsConfig(['apiVersion: gitops-environments/v1', 'environments:', '  - name: a', '    cluster: { namespace: Demo_Dev }', '  - name: b', '    cluster: [x]'].join('\n'));
    assert.equal(at(problem(r.problems, 'namespace "Demo_Dev"')), 'gitops.yaml:4:27');
    assert.equal(at(problem(r.problems, '"cluster" must be a cluster name or a mapping, not a list')), 'gitops.yaml:6:14');
    assert.deepEqual(r.environments, []);
  });

  it('reports a wrong apiVersion but still returns the environments', () => {
    const r = parseGitopsConfig('apiVersion: gitops-environments/v2\nenvironments:\n  - name: dev\n');
    assert.equal(at(problem(r.problems, 'apiVersion "gitops-environments/v2" is not supported')), 'gitops.yaml:1:13');
    assert.deepEqual(
      r.environments.map((e) => e.name),
      ['dev'],
    );
  });

  it('requires apiVersion and environments', () => {
    const r = parseGitopsConfig('clusters: {}\n');
    assert.equal(problem(r.problems, '"apiVersion" is missing').severity, 'error');
    assert.equal(problem(r.problems, '"environments" is missing').severity, 'error');
  });

  it('checks the types of promotion, drift and hosts', () => {
    const r = parseGitopsConfig(
      [
        'apiVersion: gitops-environments/v1',
        'environments: []',
        'promotion:',
        '  exclude: "**/replicas.yml"',
        '  labels: [ok, 3]',
        'drift:',
        '  mode: remote',
        '  ignoreDifferences:',
        '    - jsonPointers: [spec.replicas]',
        '    - { kind: Service }',
        'hosts: { kind: gitlba, apiUrl: "ftp://x" }',
      ].join('\n'),
    );
    assert.equal(at(problem(r.problems, '"exclude" must be a list of strings')), 'gitops.yaml:4:12');
    assert.equal(at(problem(r.problems, 'every item of "labels" must be a string, not the number 3')), 'gitops.yaml:5:16');
    assert.equal(at(problem(r.problems, 'mode "remote"')), 'gitops.yaml:7:9');
    assert.equal(at(problem(r.problems, 'drift.ignoreDifferences[0] has no "kind"')), 'gitops.yaml:9:7');
    assert.match(problem(r.problems, '"spec.replicas" is not a JSON pointer').hint ?? '', /\/spec\/replicas/);
    assert.equal(problem(r.problems, 'drift.ignoreDifferences[1] ignores nothing').severity, 'warning');
    assert.match(problem(r.problems, 'kind "gitlba"').message, /did you mean "gitlab"/);
    assert.equal(at(problem(r.problems, 'apiUrl "ftp://x"')), 'gitops.yaml:11:32');
    assert.deepEqual(r.config?.promotion, { exclude: [], labels: ['ok'], reviewers: [], keep: [] });
    assert.equal(r.config?.drift.mode, null);
    assert.deepEqual(
      r.config?.drift.ignoreDifferences.map((d) => d.kind),
      ['Service'],
    );
  });

  it('gives every problem a located file, line, column and a hint', () => {
    const r = parseGitopsConfig(
      ['apiVersion: 1', 'environments:', '  - 3', '  - name: x', '    path: ../y', 'hosts: { apiUrl: "https://u:p@h" }', 'drift: []', 'promotion: { exclude: [1] }'].join('\n'),
    );
    assert.ok(r.problems.length >= 5);
    for (const p of r.problems) {
      assert.ok(p.location?.range, `unlocated: ${p.message}`);
      assert.ok(p.location.range.start.line >= 1 && p.location.range.start.column >= 1);
      assert.ok(p.hint && p.hint.length > 0, `no hint: ${p.message}`);
    }
    assert.ok(r.problems.every((p) => !`${p.message} ${p.hint}`.includes('u:p@')));
  });
});

describe('parseGitopsConfig: never throws', () => {
  const inputs: Array<[string, string]> = [
    ['empty', ''],
    ['only a comment', '# nothing\n'],
    ['a scalar', 'hello'],
    ['a list', '- a\n- b\n'],
    ['a binary blob', '\u0000\u0001\u0002'],
    ['a BOM', '\ufeffapiVersion: gitops-environments/v1\nenvironments: [{ name: dev }]\n'],
    ['two documents', 'apiVersion: gitops-environments/v1\n---\nenvironments: []\n'],
    ['an alias bomb', `a: &a ["x","x","x","x","x","x","x","x","x"]\nb: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\nc: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\nd: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\nenvironments: *d\n`],
    ['complex keys', '? [a, b]\n: c\nenvironments:\n  - { ? [x] : y, name: dev }\n'],
    ['aliases to environments', 'apiVersion: gitops-environments/v1\nbase: &e { name: dev }\nenvironments: [*e]\n'],
    ['huge', `apiVersion: gitops-environments/v1\n#${'x'.repeat(1024 * 1024)}\n`],
  ];
  for (const [label, text] of inputs) {
    it(`handles ${label}`, () => {
      const r = parseGitopsConfig(text);
      assert.ok(Array.isArray(r.environments));
      assert.ok(Array.isArray(r.problems));
    });
  }

  it('reads an environment through an alias', () => {
    const r = parseGitopsConfig('apiVersion: gitops-environments/v1\nbase: &e { name: dev }\nenvironments: [*e]\n');
    assert.deepEqual(
      r.environments.map((e) => e.name),
      ['dev'],
    );
  });

  it('reads a file starting with a byte-order mark', () => {
    const r = parseGitopsConfig('\ufeffapiVersion: gitops-environments/v1\nenvironments: [{ name: dev }]\n');
    assert.deepEqual(r.problems, []);
    assert.equal(r.environments.length, 1);
  });

  it('refuses an empty file with a located hint', () => {
    const r = parseGitopsConfig('');
    assert.equal(r.config, null);
    assert.match(r.problems[0].message, /is empty/);
  });

  it('reads drift.extraSelector with the {environment} placeholder, and locates a selector that does not parse', async () => {
    const ok = parseGitopsConfig('environments:\n  - name: dev\n    path: dev\ndrift:\n  extraSelector: "part-of=shop,env={environment}"\n', 'gitops.yaml');
    assert.equal(ok.config?.drift.extraSelector, 'part-of=shop,env={environment}');
    const { extraSelectorFor } = await import('../../src/core/config');
    assert.equal(extraSelectorFor('part-of=shop,env={environment}', 'prod'), 'part-of=shop,env=prod');
    const bad = parseGitopsConfig('environments:\n  - name: dev\n    path: dev\ndrift:\n  extraSelector: "a in (b"\n', 'gitops.yaml');
    assert.equal(bad.config?.drift.extraSelector, null);
    const found = problem(bad.problems, 'extraSelector');
    assert.equal(at(found), 'gitops.yaml:5:18');
    assert.match(found.hint ?? '', /environment=\{environment\}/);
  });
});

describe('parseGitopsConfig: paths (an environment of several folders)', () => {
  const file = (entry: string): string => `apiVersion: gitops-environments/v1\nenvironments:\n  - name: prod\n${entry}  - name: dev\n    path: envs/dev\n`;

  it('reads every folder, normalized, the first one as path', () => {
    const result = parseGitopsConfig(file('    paths:\n      - ./apps/web/overlays/prod/\n      - apps/api/overlays/prod\n'));
    assert.deepEqual(result.problems, []);
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.path, e.paths ?? null]),
      [
        ['prod', 'apps/web/overlays/prod', ['apps/web/overlays/prod', 'apps/api/overlays/prod']],
        ['dev', 'envs/dev', null],
      ],
    );
  });

  it('reads a one-folder list like path', () => {
    const result = parseGitopsConfig(file('    paths: [apps/web/overlays/prod]\n'));
    assert.deepEqual(result.problems, []);
    assert.deepEqual([result.environments[0].path, result.environments[0].paths], ['apps/web/overlays/prod', undefined]);
  });

  it('merges path and paths (path first) with a located warning', () => {
    const result = parseGitopsConfig(file('    path: apps/api/overlays/prod\n    paths: [apps/web/overlays/prod, apps/api/overlays/prod]\n'));
    assert.deepEqual(result.environments[0].paths, ['apps/api/overlays/prod', 'apps/web/overlays/prod']);
    assert.equal(result.problems.length, 1);
    assert.equal(result.problems[0].severity, 'warning');
    assert.match(result.problems[0].message, /both "path" and "paths" are set/);
    assert.equal(result.problems[0].location?.range?.start.line, 5);
  });

  it('rejects a folder leaving the repository, the root, and a non-list, each on its line, keeping the other environments', () => {
    const cases: Array<[string, RegExp, number]> = [
      ['    paths:\n      - apps/web\n      - ../secrets\n', /path "\.\.\/secrets"/, 6],
      ['    paths:\n      - apps/web\n      - .\n', /cannot hold the repository root/, 6],
      ['    paths: apps/web\n', /"paths" must be a list of folders/, 4],
      ['    paths:\n      - 3\n', /every item of "paths" must be a folder/, 5],
    ];
    for (const [entry, message, line] of cases) {
      const result = parseGitopsConfig(file(entry));
      const errors = result.problems.filter((p) => p.severity === 'error');
      assert.equal(errors.length, 1, entry);
      assert.match(errors[0].message, message);
      assert.equal(errors[0].location?.range?.start.line, line, entry);
      assert.ok(errors[0].hint);
      assert.deepEqual(result.environments.map((e) => e.name), ['dev'], 'the broken entry is left out, the others kept');
    }
  });

  it('warns about a folder listed twice and keeps one', () => {
    const result = parseGitopsConfig(file('    paths: [apps/web, apps/api, ./apps/web]\n'));
    assert.deepEqual(result.environments[0].paths, ['apps/web', 'apps/api']);
    assert.match(result.problems[0].message, /"apps\/web" is listed twice/);
  });
});
