// Holds the exact behaviour of the gitops.yaml reader (src/core/config.ts) and writer
// (src/core/configWriter.ts): every problem with its severity, line:column, message and hint, the
// parsed structures of each section, the size / binary / BOM guards, and the writer's exact text plus
// a seeded writer → reader round trip. It exists to kill the mutation survivors of group core-config
// (hint texts, "where" prefixes, examples, boundaries, regular expressions) that the behaviour tests
// in config.test.ts / configWriter.test.ts did not pin down.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_CONFIG_BYTES, parseGitopsConfig } from '../../src/core/config';
import { renderGitopsConfig } from '../../src/core/configWriter';
import type { Environment, EnvironmentSource, LocatedProblem } from '../../src/core/model';
import { seededRandom } from '../support/seededRandom';

const HEAD = 'apiVersion: gitops-environments/v1\n';
const ONE_ENV = `${HEAD}environments: [{name: dev}]\n`;

/** `severity line:column message | hint`, or `-` for a problem without a range. */
function show(p: LocatedProblem): string {
  const start = p.location?.range?.start;
  return `${p.severity} ${start ? `${start.line}:${start.column}` : '-'} ${p.message} | ${p.hint}`;
}

function problems(text: string): string[] {
  return parseGitopsConfig(text).problems.map(show);
}

const KNOWN_ENV_KEYS = 'name, branch, path, paths, repo, cluster, protected';
const HOST_KINDS = 'github, github-enterprise, gitlab, gitea, azure-devops, bitbucket, bitbucket-server';

describe('gitops.yaml reader: keys of a mapping', () => {
  it('refuses a non-word key and warns about unknown keys, with or without a suggestion', () => {
    const text = `${HEAD}environments:\n  - name: dev\n    1: x\n    brnch: b\n    colour: red\n`;
    assert.deepEqual(problems(text), [
      `error 4:5 environments[0]: keys must be plain words, not the number 1 | use one of: ${KNOWN_ENV_KEYS}`,
      'warning 5:5 environments[0]: unknown key "brnch" — did you mean "branch"?; it is ignored | rename it to "branch"',
      `warning 6:5 environments[0]: unknown key "colour"; it is ignored | known keys here: ${KNOWN_ENV_KEYS}`,
    ]);
  });

  it('names the file as the place of a bad top-level key', () => {
    assert.deepEqual(problems(`${ONE_ENV}[a]: 1\n`), [
      'error 3:1 gitops.yaml: keys must be plain words, not a list | use one of: apiVersion, environments, clusters, promotion, drift, hosts',
    ]);
  });

  it('prefixes unknown keys of promotion, drift and hosts with their section', () => {
    const text = `${ONE_ENV}promotion: { foo: 1 }\ndrift: { bar: 1 }\nhosts: { baz: 1 }\n`;
    assert.deepEqual(problems(text), [
      'warning 3:14 promotion: unknown key "foo"; it is ignored | known keys here: exclude, labels, reviewers, keep',
      'warning 4:10 drift: unknown key "bar"; it is ignored | known keys here: mode, ignoreDifferences, extraSelector',
      'warning 5:10 hosts: unknown key "baz"; it is ignored | known keys here: kind, apiUrl',
    ]);
  });
});

describe('gitops.yaml reader: whole-file guards', () => {
  it('reads a file of exactly the size limit and refuses one byte more, without a range', () => {
    const pad = (size: number): string => {
      const base = `${ONE_ENV}#`;
      return `${base}${'x'.repeat(size - base.length - 1)}\n`;
    };
    const atLimit = parseGitopsConfig(pad(MAX_CONFIG_BYTES));
    assert.deepEqual(atLimit.problems, []);
    assert.deepEqual(atLimit.environments.map((e) => e.name), ['dev']);
    assert.deepEqual(parseGitopsConfig(pad(MAX_CONFIG_BYTES + 1)), {
      config: null,
      environments: [],
      problems: [
        {
          severity: 'error',
          message: 'gitops.yaml is larger than 1024 KB',
          location: { file: 'gitops.yaml' },
          hint: 'a gitops.yaml only lists environments; check that this is the right file',
        },
      ],
    });
  });

  it('tells UTF-16 (two replacement characters first) from other binary content', () => {
    assert.deepEqual(parseGitopsConfig('\uFFFD\uFFFDa\u0000p\u0000', 'x/gitops.yml'), {
      config: null,
      environments: [],
      problems: [{ severity: 'error', message: 'x/gitops.yml is UTF-16, not UTF-8 YAML', location: { file: 'x/gitops.yml' }, hint: 'save it as UTF-8' }],
    });
    assert.deepEqual(problems('ab\u0000c\uFFFD\uFFFD'), ['error - gitops.yaml is binary, not UTF-8 YAML | check that this is the right file']);
  });

  it('only looks for NUL in the first 8000 characters', () => {
    const text = `${ONE_ENV}#${'x'.repeat(8000)}\u0000\n`;
    const result = parseGitopsConfig(text);
    assert.deepEqual(result.problems, []);
    assert.deepEqual(result.environments.map((e) => e.name), ['dev']);
  });

  it('drops a byte-order mark so columns count from the first real character', () => {
    const result = parseGitopsConfig('\uFEFFapiVersion: v2\nenvironments: [{name: dev}]\n');
    assert.deepEqual(result.problems.map(show), ['error 1:13 apiVersion "v2" is not supported | use apiVersion: gitops-environments/v1']);
    assert.deepEqual(result.problems[0].location?.range, { start: { line: 1, column: 13 }, end: { line: 1, column: 15 } });
  });

  it('reports a YAML syntax error with its place and hint', () => {
    assert.deepEqual(problems(`${HEAD}environments: [\n`), [
      'error 3:1 YAML syntax error: Flow sequence in block collection must be sufficiently indented and end with a ] | fix the YAML at this position',
    ]);
  });

  it('says what the root is when it is not a mapping, and that an empty file is empty', () => {
    const start = 'start with "apiVersion: gitops-environments/v1" and an "environments:" list of entries like "- name: dev"';
    assert.deepEqual(problems('- a\n'), [`error 1:1 gitops.yaml must be a mapping with "apiVersion" and "environments", not a list | ${start}`]);
    assert.deepEqual(problems(''), [`error - gitops.yaml is empty | ${start}`]);
  });

  it('never throws, even when given something that is not text', () => {
    assert.deepEqual(parseGitopsConfig(null as unknown as string), {
      config: null,
      environments: [],
      problems: [
        {
          severity: 'error',
          message: "Cannot read gitops.yaml: Cannot read properties of null (reading 'length')",
          location: { file: 'gitops.yaml' },
          hint: 'please report this with the file attached',
        },
      ],
    });
  });
});

describe('gitops.yaml reader: apiVersion', () => {
  it('reports a missing, non-string or unsupported version exactly once', () => {
    assert.deepEqual(problems('environments: [{name: dev}]\n'), ['error 1:1 "apiVersion" is missing | add apiVersion: gitops-environments/v1 as the first line']);
    assert.deepEqual(problems('apiVersion: 1\nenvironments: [{name: dev}]\n'), ['error 1:13 apiVersion: "apiVersion" must be a string, not the number 1 | quote it: apiVersion: "1"']);
    assert.deepEqual(problems('apiVersion: v2\nenvironments: [{name: dev}]\n'), ['error 1:13 apiVersion "v2" is not supported | use apiVersion: gitops-environments/v1']);
  });
});

describe('gitops.yaml reader: clusters', () => {
  it('locates every broken cluster and keeps the valid ones, numbers as names included', () => {
    const text = `${ONE_ENV}clusters:\n  a: { context: "  " }\n  b: { namespace: Bad_NS }\n  1: { context: one }\n  true: { context: t }\n  c: 5\n  d:\n  ok: { context: k, namespace: web }\n`;
    const result = parseGitopsConfig(text);
    assert.deepEqual(result.problems.map(show), [
      'error 4:17 cluster "a": "context" is empty | name a context from your kubeconfig (kubectl config get-contexts)',
      'error 5:19 cluster "b": namespace "Bad_NS" is not a valid Kubernetes namespace name | use lower-case letters, digits and "-", at most 63 characters',
      'error 7:3 clusters: a cluster name must be a word, not the boolean true | name each cluster with a plain word, like east:',
      'error 8:6 cluster "c" must be a mapping, not the number 5 | write c: { context: my-context, namespace: my-namespace }',
      'error 9:5 cluster "d" must be a mapping, not empty | write d: { context: my-context, namespace: my-namespace }',
    ]);
    assert.deepEqual(result.config?.clusters, { 1: { context: 'one', namespace: null }, ok: { context: 'k', namespace: 'web' } });
  });

  it('refuses a cluster without a name (explicit empty key) instead of failing', () => {
    assert.deepEqual(problems(`${ONE_ENV}clusters:\n  ? \n  : { context: x }\n`), [
      'error 4:5 clusters: a cluster name must be a word, not empty | name each cluster with a plain word, like east:',
    ]);
  });

  it('says "clusters" must be a mapping with its example', () => {
    assert.deepEqual(problems(`${ONE_ENV}clusters: 8\n`), [
      'error 3:11 clusters: "clusters" must be a mapping, not the number 8 | write it as "clusters: { east: { context: prod-east, namespace: web } }"',
    ]);
  });
});

describe('gitops.yaml reader: the environments list', () => {
  it('reports a missing, empty or non-list "environments"', () => {
    assert.deepEqual(problems(HEAD), ['error 1:1 "environments" is missing | add "environments:" with one "- name: …" entry per environment, in promotion order']);
    assert.deepEqual(problems(`${HEAD}environments:\n`), ['warning 2:1 no environments are listed | add entries like  - name: dev']);
    assert.deepEqual(problems(`${HEAD}environments: 5\n`), ['error 2:15 "environments" must be a list, not the number 5 | write each environment as a list item ("- name: dev"), in promotion order']);
    assert.deepEqual(problems(`${HEAD}environments: [5]\n`), ['error 2:16 environments[0] must be a mapping, not the number 5 | write  - name: dev  (with optional branch, path, repo, cluster, protected)']);
  });

  it('reports names: missing, unsafe (with or without a suggestion), duplicated in either case, not a string', () => {
    const text = `${HEAD}environments:\n  - branch: x\n  - name: "Bad Name!"\n  - name: "!!!"\n  - name: dev\n  - name: Dev\n  - name: dev\n  - name: 5\n    branch: [x]\n`;
    const rule = 'the name may only contain ASCII letters (a-z, A-Z), digits, ".", "_" and "-", start with a letter or digit, and be at most 63 characters';
    const unique = 'environment names must be unique (ignoring case); rename or remove one of them';
    const result = parseGitopsConfig(text);
    assert.deepEqual(result.problems.map(show), [
      'error 3:5 environments[0] has no "name" | add  name: <environment>  (ASCII letters, digits, ".", "_", "-")',
      `error 4:11 environment "Bad Name!": ${rule} | rename it, e.g. name: Bad-Name`,
      `error 5:11 environment "!!!": ${rule} | rename it, e.g. name: dev`,
      `error 7:11 environment "Dev" is declared twice (first on line 6) as "dev" | ${unique}`,
      `error 8:11 environment "dev" is declared twice (first on line 6) | ${unique}`,
      'error 9:11 environments[6]: "name" must be a string, not the number 5 | quote it: name: "5"',
      'error 10:13 environments[6]: "branch" must be a string, not a list | quote it: branch: "…"',
    ]);
    assert.deepEqual(result.environments.map((e) => [e.name, e.order]), [['dev', 0]]);
  });

  it('reports each field of an environment with its own message and hint', () => {
    const text = [
      HEAD + 'environments:',
      '  - name: a',
      '    branch: "a..b"',
      '    repo: "https://u:ghp_x@h/r"',
      '  - name: b',
      '    repo: "ftp://x"',
      '  - name: d',
      '    cluster: { context: "" }',
      '  - name: e',
      '    cluster: bad',
      '  - name: f',
      '    cluster: eas',
      '  - name: g',
      '    cluster: 5',
      '  - name: h',
      '    protected: "yes"',
      '  - name: l',
      '    cluster: zz',
      'clusters:',
      '  east: { context: e }',
      '  bad: { context: "" }',
      '  west: { context: w }',
      '',
    ].join('\n');
    assert.deepEqual(problems(text), [
      'error 22:19 cluster "bad": "context" is empty | name a context from your kubeconfig (kubectl config get-contexts)',
      'error 4:13 environment "a": branch "a..b" contains ".." | use the branch name as git shows it, e.g. env/dev',
      'error 5:11 environment "a": repo contains a password or token | remove the secret from the URL; git credentials come from your credential helper or VS Code sign-in',
      'error 7:11 environment "b": repo uses the unsupported scheme "ftp" | use a folder path or an https:// / ssh URL',
      'error 9:25 environment "d": cluster: "context" is empty | name a context from your kubeconfig (kubectl config get-contexts)',
      'error 11:14 environment "e": cluster "bad" is defined under "clusters:" but has errors | fix that cluster entry first',
      'error 13:14 environment "f": cluster "eas" is not defined under "clusters:" — did you mean "east"? | use one of: east, west; or write { context: …, namespace: … } inline',
      'error 15:14 environment "g": "cluster" must be a cluster name or a mapping, not the number 5 | write cluster: { context: my-context, namespace: my-namespace }',
      'error 17:16 environment "h": "protected" must be true or false, not the string "yes" | write protected: true (or false) without quotes',
      'error 19:14 environment "l": cluster "zz" is not defined under "clusters:" | use one of: east, west; or write { context: …, namespace: … } inline',
    ]);
  });

  it('hints at adding a cluster when none is defined', () => {
    assert.deepEqual(problems(`${HEAD}environments:\n  - name: f\n    cluster: eas\n`), [
      'error 4:14 environment "f": cluster "eas" is not defined under "clusters:" | add it under clusters:, or write { context: …, namespace: … } inline',
    ]);
  });

  it('trims a repo, ignores an empty or empty-list "paths", and merges "path" into "paths" with warnings', () => {
    const text = `${HEAD}environments:\n  - name: c\n    repo: " ../x "\n  - name: i\n    paths:\n  - name: j\n    paths: []\n  - name: k\n    path: a\n    paths: [b, b, a]\n`;
    const result = parseGitopsConfig(text);
    assert.deepEqual(result.problems.map(show), [
      'warning 11:16 environment "k": folder "b" is listed twice in "paths" | remove the duplicate',
      'warning 11:5 environment "k": both "path" and "paths" are set; "path" is used as the first folder | move the folder of "path" into "paths" and remove "path"',
    ]);
    assert.deepEqual(
      result.environments.map((e) => [e.name, e.repo, e.path, e.paths]),
      [
        ['c', '../x', null, undefined],
        ['i', null, null, undefined],
        ['j', null, null, undefined],
        ['k', null, 'a', ['a', 'b']],
      ],
    );
  });
});

describe('gitops.yaml reader: promotion', () => {
  it('is all empty lists when left out', () => {
    assert.deepEqual(parseGitopsConfig(ONE_ENV).config?.promotion, { exclude: [], labels: [], reviewers: [], keep: [] });
    assert.deepEqual(parseGitopsConfig(`${ONE_ENV}promotion: { exclude:, labels: [a] }\n`).config?.promotion, { exclude: [], labels: ['a'], reviewers: [], keep: [] });
  });

  it('gives each list its own example and says "promotion" must be a mapping', () => {
    assert.deepEqual(problems(`${ONE_ENV}promotion:\n  exclude: 1\n  labels: 2\n  reviewers: 3\n  keep: 4\n`), [
      "error 4:12 promotion: \"exclude\" must be a list of strings, not the number 1 | write exclude: ['**/replicas.yml']",
      'error 5:11 promotion: "labels" must be a list of strings, not the number 2 | write labels: [promotion]',
      'error 6:14 promotion: "reviewers" must be a list of strings, not the number 3 | write reviewers: [alice]',
      'error 7:9 promotion: "keep" must be a list of strings, not the number 4 | write keep: [spec.replicas]',
    ]);
    assert.deepEqual(problems(`${ONE_ENV}promotion: { labels: [a, 1] }\n`), ['error 3:26 promotion: every item of "labels" must be a string, not the number 1 | quote the item']);
    assert.deepEqual(problems(`${ONE_ENV}promotion: 5\n`), [`error 3:12 promotion: "promotion" must be a mapping, not the number 5 | write it as "promotion: { exclude: ['**/replicas.yml'] }"`]);
  });
});

describe('gitops.yaml reader: drift', () => {
  it('reports each drift key with the section as prefix', () => {
    assert.deepEqual(problems(`${ONE_ENV}drift:\n  mode: 5\n  extraSelector: 6\n  ignoreDifferences: 7\n`), [
      'error 4:9 drift: "mode" must be a string, not the number 5 | quote it: mode: "5"',
      'error 5:18 drift: "extraSelector" must be a string, not the number 6 | quote it: extraSelector: "6"',
      'error 6:22 drift: "ignoreDifferences" must be a list, not the number 7 | write  - { kind: Deployment, jsonPointers: [/spec/replicas] }',
    ]);
    assert.deepEqual(problems(`${ONE_ENV}drift: 6\n`), ['error 3:8 drift: "drift" must be a mapping, not the number 6 | write it as "drift: { mode: server }"']);
    assert.deepEqual(problems(`${ONE_ENV}drift: { mode: fast }\n`), [
      'error 3:16 drift: mode "fast" is not one of server, local | server compares with a server-side dry-run; local compares without asking the cluster',
    ]);
  });

  it('checks extraSelector with the environment name filled in', () => {
    // `{environment}` as a key is valid once it stands for a real name.
    const result = parseGitopsConfig(`${ONE_ENV}drift: { extraSelector: "{environment}=on" }\n`);
    assert.deepEqual(result.problems, []);
    assert.equal(result.config?.drift.extraSelector, '{environment}=on');
  });

  it('reads ignoreDifferences rules field by field and reports every broken one', () => {
    const text = [
      `${ONE_ENV}drift:`,
      '  ignoreDifferences:',
      '    - 5',
      '    - { jsonPointers: [/a] }',
      '    - { kind: A, jsonPointers: 1, jqPathExpressions: 2, managedFieldsManagers: 3 }',
      '    - { kind: B, jsonPointers: ["", "..spec.replicas"] }',
      '    - { kind: C }',
      '    - { kind: D, name: a, namespace: b, group: g, jqPathExpressions: [.x] }',
      '    - { kind: E, managedFieldsManagers: [m] }',
      '    - { kind: F, jsonPointers: ["", /x] }',
      '',
    ].join('\n');
    const result = parseGitopsConfig(text);
    assert.deepEqual(result.problems.map(show), [
      'error 5:7 drift.ignoreDifferences[0] must be a mapping, not the number 5 | write  - { kind: Deployment, jsonPointers: [/spec/replicas] }',
      'error 6:7 drift.ignoreDifferences[1] has no "kind" | add  kind: Deployment  (and group: apps for non-core kinds)',
      'error 7:32 drift.ignoreDifferences[2]: "jsonPointers" must be a list of strings, not the number 1 | write jsonPointers: [/spec/replicas]',
      'error 7:54 drift.ignoreDifferences[2]: "jqPathExpressions" must be a list of strings, not the number 2 | write jqPathExpressions: [.spec.replicas]',
      'error 7:80 drift.ignoreDifferences[2]: "managedFieldsManagers" must be a list of strings, not the number 3 | write managedFieldsManagers: [kube-controller-manager]',
      'error 8:32 drift.ignoreDifferences[3]: "..spec.replicas" is not a JSON pointer | JSON pointers start with "/", e.g. /spec/replicas',
      'warning 9:7 drift.ignoreDifferences[4] ignores nothing | add jsonPointers, jqPathExpressions or managedFieldsManagers',
    ]);
    const rule = { group: '', name: null, namespace: null, jsonPointers: [], jqPathExpressions: [], managedFieldsManagers: [] };
    assert.deepEqual(result.config?.drift, {
      mode: null,
      extraSelector: null,
      ignoreDifferences: [
        { ...rule, kind: 'C' },
        { ...rule, kind: 'D', group: 'g', name: 'a', namespace: 'b', jqPathExpressions: ['.x'] },
        { ...rule, kind: 'E', managedFieldsManagers: ['m'] },
        { ...rule, kind: 'F', jsonPointers: ['', '/x'] },
      ],
    });
  });
});

describe('gitops.yaml reader: hosts', () => {
  const hosts = (body: string) => parseGitopsConfig(`${ONE_ENV}hosts: ${body}\n`);
  const secret = "error 3:18 hosts: apiUrl contains a password or token | remove it; tokens are kept in VS Code's secret storage";

  it('reports kinds (with a suggestion when close), non-strings and the section', () => {
    assert.deepEqual(problems(`${ONE_ENV}hosts:\n  kind: gitlb\n  apiUrl: 5\n`), [
      `error 4:9 hosts: kind "gitlb" is not supported — did you mean "gitlab"? | use one of: ${HOST_KINDS}`,
      'error 5:11 hosts: "apiUrl" must be a string, not the number 5 | quote it: apiUrl: "5"',
    ]);
    assert.deepEqual(problems(`${ONE_ENV}hosts: { kind: svn }\n`), [`error 3:16 hosts: kind "svn" is not supported | use one of: ${HOST_KINDS}`]);
    assert.deepEqual(problems(`${ONE_ENV}hosts: 7\n`), ['error 3:8 hosts: "hosts" must be a mapping, not the number 7 | write it as "hosts: { kind: gitlab, apiUrl: https://git.example.com/api/v4 }"']);
  });

  it('takes http and https URLs only when the scheme starts the value, and drops trailing slashes', () => {
    assert.deepEqual(hosts('{ apiUrl: "http://a.example/api//" }').config?.hosts, { kind: null, apiUrl: 'http://a.example/api' });
    assert.deepEqual(hosts('{ kind: gitea, apiUrl: "HTTPS://a.example" }').config?.hosts, { kind: 'gitea', apiUrl: 'HTTPS://a.example' });
    const bad = hosts('{ apiUrl: "xhttps://a.example" }');
    assert.deepEqual(bad.problems.map(show), ['error 3:18 hosts: apiUrl "xhttps://a.example" is not an http(s) URL | write the API base, e.g. https://git.example.com/api/v4']);
    assert.deepEqual(bad.config?.hosts, { kind: null, apiUrl: null });
  });

  it('refuses a password or token before the host, and only there', () => {
    for (const url of ['https://u:p@a.example/api', 'https://ghp_abc@a.example', 'https://u:p@a.example:8443']) {
      const result = hosts(`{ apiUrl: "${url}" }`);
      assert.deepEqual(result.problems.map(show), [secret], url);
      assert.deepEqual(result.config?.hosts, { kind: null, apiUrl: null }, url);
    }
    // A port, a plain user name, a port after a user name, an "@" in the path: no secret.
    for (const url of ['https://a.example:8443/api', 'https://git@a.example/api', 'https://git@a.example:8443/api', 'https://a.example/x@y:z', 'https://abcdefghijklmnopqrstuvwxyz0123456789']) {
      const result = hosts(`{ apiUrl: "${url}" }`);
      assert.deepEqual(result.problems, [], url);
      assert.deepEqual(result.config?.hosts, { kind: null, apiUrl: url }, url);
    }
  });
});

function environment(partial: Partial<Environment> & { name: string; order: number }): Environment {
  return { repo: null, branch: null, path: null, cluster: { context: null, namespace: null }, protected: false, source: 'folders', ...partial };
}

const TAIL = [
  '',
  '# Optional, read by promotion and drift:',
  '# promotion:',
  "#   exclude: ['**/replicas.yaml']   # files a promotion never copies",
  '#   labels: [promotion]             # labels of promotion pull requests',
  '#   reviewers: []                   # reviewers requested on them',
  '# drift:',
  '#   mode: server                    # server: compare with a server-side dry-run; local: without the cluster',
  '#   ignoreDifferences:',
  '#     - { group: apps, kind: Deployment, jsonPointers: [/spec/replicas] }',
  '',
];

describe('gitops.yaml writer', () => {
  it('writes the exact commented file, one source of each kind', () => {
    const longRepo = `../${'a folder with a long name '.repeat(4).trim()}`;
    const text = renderGitopsConfig([
      environment({ name: 'qa', order: 3, source: 'folders', paths: ['apps/web'], path: 'apps/web' }),
      environment({
        name: 'dev',
        order: 0,
        path: 'envs/dev',
        source: 'config',
        declaredAt: { file: 'gitops.yaml', range: { start: { line: 3, column: 5 }, end: { line: 4, column: 1 } } },
      }),
      environment({
        name: 'prod',
        order: 2,
        branch: 'env/prod',
        repo: longRepo,
        cluster: { context: 'c\n2', namespace: 'web' },
        protected: true,
        source: 'kargo',
        declaredAt: { file: 'a\r\n\tb' },
      }),
      environment({ name: 'stage', order: 1, paths: ['apps/a', 'apps/b'], path: 'apps/a', cluster: { context: 'true', namespace: null }, source: 'flux' }),
    ]);
    assert.equal(
      text,
      [
        '# GitOps Environments: the environments of this repository, in promotion order (first → last).',
        '# While this file exists it wins over discovery from Argo CD, Flux, branches and folders.',
        'apiVersion: gitops-environments/v1',
        'environments:',
        '  # Found from gitops.yaml (gitops.yaml:3).',
        '  - name: dev',
        '    # branch: env/name        # omitted: the checked-out branch holds the desired state',
        '    path: envs/dev',
        '    # cluster: { context: my-context, namespace: my-namespace }   # set it to see drift and sync status',
        '    protected: false          # true: promotions into it need its name typed',
        '  # Found from a Flux Kustomization.',
        '  - name: stage',
        '    # branch: env/name        # omitted: the checked-out branch holds the desired state',
        '    paths:                    # every folder of the environment (one per application)',
        '      - apps/a',
        '      - apps/b',
        '    cluster:',
        '      context: "true"      # kubeconfig context',
        '    protected: false          # true: promotions into it need its name typed',
        '  # Found from a Kargo Stage (a b).',
        '  - name: prod',
        '    branch: env/prod',
        '    # path: deploy/name       # omitted: the repository root',
        `    repo: ${longRepo}      # another repository (folder or URL)`,
        '    cluster:',
        '      context: "c\\n2"      # kubeconfig context',
        '      namespace: web   # default namespace of its objects',
        '    protected: true           # true: promotions into it need its name typed',
        '  # Found from a folder.',
        '  - name: qa',
        '    # branch: env/name        # omitted: the checked-out branch holds the desired state',
        '    path: apps/web',
        '    # cluster: { context: my-context, namespace: my-namespace }   # set it to see drift and sync status',
        '    protected: false          # true: promotions into it need its name typed',
        ...TAIL,
      ].join('\n'),
    );
  });

  it('writes an empty list with a hint', () => {
    assert.equal(
      renderGitopsConfig([]),
      [
        '# GitOps Environments: the environments of this repository, in promotion order (first → last).',
        '# While this file exists it wins over discovery from Argo CD, Flux, branches and folders.',
        'apiVersion: gitops-environments/v1',
        'environments: []   # add entries like  - name: dev',
        ...TAIL,
      ].join('\n'),
    );
  });

  it('reads back what it writes: 300 seeded environment lists', () => {
    const random = seededRandom(20261207);
    const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
    const words = ['dev', 'true', '123', 'null', 'on', 'a: b', '#x', "it's", 'ctx "q"', 'x\ny', '  lead', '[x]', '{y}', '1.0', '~'];
    const sources: EnvironmentSource[] = ['config', 'kargo', 'argocd', 'flux', 'branches', 'folders'];
    for (let round = 0; round < 300; round++) {
      const count = Math.floor(random() * 4);
      const envs: Environment[] = [];
      for (let i = 0; i < count; i++) {
        const folders = ['apps/a', 'apps/b b', 'apps/123', 'deploy/true'].filter(() => random() < 0.5);
        envs.push(
          environment({
            name: `${pick(['dev', 'qa', '1', 'true', 'null', 'x_y', 'a.b'])}-${i}`,
            order: i,
            branch: random() < 0.5 ? null : pick(['main', 'env/prod', 'true', '1.0', 'on']),
            path: folders[0] ?? null,
            ...(folders.length > 1 ? { paths: folders } : {}),
            repo: random() < 0.7 ? null : pick(['../r', 'https://h/a b', 'true', '#x']),
            cluster: { context: random() < 0.5 ? null : pick(words.filter((w) => w.trim() !== '')), namespace: random() < 0.5 ? null : pick(['web', 'a-1', 'null', 'true']) },
            protected: random() < 0.5,
            source: pick(sources),
            declaredAt: random() < 0.5 ? undefined : { file: `f\n${pick(words)}` },
          }),
        );
      }
      const result = parseGitopsConfig(renderGitopsConfig(envs));
      assert.deepEqual(result.problems.filter((p) => p.severity === 'error'), [], `round ${round}`);
      assert.deepEqual(
        result.environments.map(({ declaredAt: _d, ...rest }) => rest),
        envs.map(({ declaredAt: _d, source: _s, ...rest }) => ({ ...rest, source: 'config' })),
        `round ${round}`,
      );
    }
  });
});
