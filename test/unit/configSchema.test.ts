import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { CONFIG_API_VERSION, parseGitopsConfig } from '../../src/core/config';
import { ENVIRONMENT_NAME_PATTERN } from '../../src/core/safeNames';
import { unsupportedKeywords, validate, type JsonSchema } from './helpers/miniJsonSchema';

const SCHEMA_PATH = join(__dirname, '..', '..', 'schemas', 'gitops.schema.json');

function loadSchema(): JsonSchema {
  return JSON.parse(readFileSync(SCHEMA_PATH, 'utf8')) as JsonSchema;
}

function at(schema: JsonSchema, ...path: string[]): JsonSchema {
  let node: unknown = schema;
  for (const key of path) node = (node as Record<string, unknown>)[key];
  assert.ok(node && typeof node === 'object', `schema has no ${path.join('/')}`);
  return node as JsonSchema;
}

/** Samples: [label, YAML]. The schema and the parser must agree on whether each one is clean. */
const SAMPLES: Array<[string, string]> = [
  [
    'full valid config',
    `apiVersion: gitops-environments/v1
environments:
  - name: dev
    branch: dev
    path: deploy
    repo: ../env-repo
    cluster: { context: sandbox, namespace: demo-dev }
    protected: false
  - name: prod
    cluster: east
    protected: true
clusters:
  east: { context: prod-east, namespace: web }
promotion: { exclude: ['**/replicas.yml'], labels: [promotion], reviewers: [alice] }
drift:
  mode: server
  ignoreDifferences:
    - { group: apps, kind: Deployment, name: web, namespace: demo, jsonPointers: [/spec/replicas], jqPathExpressions: [.spec.x], managedFieldsManagers: [kcm] }
hosts: { kind: bitbucket-server, apiUrl: https://bb.example.com/rest/api/1.0 }
`,
  ],
  ['minimal', 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: dev\n'],
  ['several folders in paths', 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: prod\n    paths: [apps/web/overlays/prod, apps/api/overlays/prod]\n'],
  ['a path traversal in paths', 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: a\n    paths: [apps/web, ../x]\n'],
  ['the repository root in paths', 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: a\n    paths: [apps/web, .]\n'],
  ['paths as a string', 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: a\n    paths: apps/web\n'],
  [
    'empty optional sections',
    'apiVersion: gitops-environments/v1\nenvironments:\n  - name: dev\n    branch:\n    cluster:\n    protected:\nclusters:\npromotion:\n  exclude:\ndrift:\n  ignoreDifferences:\nhosts:\n',
  ],
  ['protected as a string', 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: dev\n    protected: "yes"\n'],
  ['environments as a mapping', 'apiVersion: gitops-environments/v1\nenvironments: {}\n'],
  ['missing name', 'apiVersion: gitops-environments/v1\nenvironments:\n  - branch: dev\n'],
  ['unsafe name', 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: "a b"\n'],
  ['path traversal', 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: a\n    path: ../x\n'],
  ['absolute path', 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: a\n    path: /etc\n'],
  ['wrong apiVersion', 'apiVersion: v1\nenvironments: []\n'],
  ['missing apiVersion', 'environments: []\n'],
  ['missing environments', 'apiVersion: gitops-environments/v1\n'],
  ['unknown top-level key', 'apiVersion: gitops-environments/v1\nenvironments: []\nenviroments: []\n'],
  ['unknown environment key', 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: a\n    brnach: x\n'],
  ['unknown drift mode', 'apiVersion: gitops-environments/v1\nenvironments: []\ndrift: { mode: remote }\n'],
  ['unknown host kind', 'apiVersion: gitops-environments/v1\nenvironments: []\nhosts: { kind: sourcehut }\n'],
  ['apiUrl not http', 'apiVersion: gitops-environments/v1\nenvironments: []\nhosts: { apiUrl: "git.example.com" }\n'],
  ['invalid namespace', 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: a\n    cluster: { namespace: Web }\n'],
  ['cluster of the wrong type', 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: a\n    cluster: 3\n'],
  ['ignore rule without kind', 'apiVersion: gitops-environments/v1\nenvironments: []\ndrift: { ignoreDifferences: [ { jsonPointers: [/a] } ] }\n'],
  ['labels not a list', 'apiVersion: gitops-environments/v1\nenvironments: []\npromotion: { labels: promotion }\n'],
];

describe('schemas/gitops.schema.json', () => {
  it('is well-formed draft-07 JSON using only keywords the checker understands', () => {
    const schema = loadSchema();
    assert.equal(schema.$schema, 'http://json-schema.org/draft-07/schema#');
    assert.deepEqual(unsupportedKeywords(schema), []);
  });

  it('describes every property', () => {
    const missing: string[] = [];
    const walk = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object' || Array.isArray(node)) return;
      const schema = node as JsonSchema;
      if (typeof schema.description !== 'string' && typeof schema.$ref !== 'string') missing.push(path || '/');
      for (const key of ['properties', 'definitions'] as const) {
        for (const [name, sub] of Object.entries((schema[key] as Record<string, unknown> | undefined) ?? {})) walk(sub, `${path}/${key}/${name}`);
      }
      if (schema.items) walk(schema.items, `${path}/items`);
      if (typeof schema.additionalProperties === 'object') walk(schema.additionalProperties, `${path}/additionalProperties`);
      if (Array.isArray(schema.oneOf)) schema.oneOf.forEach((sub, i) => walk(sub, `${path}/oneOf/${i}`));
    };
    walk(loadSchema(), '');
    assert.deepEqual(missing, []);
  });

  it('uses the parser\'s name pattern, apiVersion and enums', () => {
    const schema = loadSchema();
    assert.equal(at(schema, 'definitions', 'environment', 'properties', 'name').pattern, ENVIRONMENT_NAME_PATTERN.source);
    assert.deepEqual(at(schema, 'properties', 'apiVersion').enum, [CONFIG_API_VERSION]);
    for (const kind of at(schema, 'properties', 'hosts', 'properties', 'kind').enum as string[]) {
      const r = parseGitopsConfig(`apiVersion: gitops-environments/v1\nenvironments: []\nhosts: { kind: ${kind} }\n`);
      assert.deepEqual(r.problems, [], `parser refuses host kind ${kind}`);
      assert.equal(r.config?.hosts?.kind, kind);
    }
    for (const mode of at(schema, 'properties', 'drift', 'properties', 'mode').enum as string[]) {
      const r = parseGitopsConfig(`apiVersion: gitops-environments/v1\nenvironments: []\ndrift: { mode: ${mode} }\n`);
      assert.deepEqual(r.problems, [], `parser refuses drift mode ${mode}`);
    }
  });

  it('names exactly the keys the parser knows', () => {
    const schema = loadSchema();
    const keysOf = (...path: string[]): string[] => Object.keys(at(schema, ...path, 'properties'));
    const sections: Array<[string[], (key: string) => string]> = [
      [[], (key) => `${key}: null`],
      [['definitions', 'environment'], (key) => `environments:\n  - { name: a, ${key}: null }`],
      [['definitions', 'cluster'], (key) => `environments:\n  - { name: a, cluster: { ${key}: null } }`],
      [['properties', 'promotion'], (key) => `promotion: { ${key}: null }`],
      [['properties', 'drift'], (key) => `drift: { ${key}: null }`],
      [['properties', 'hosts'], (key) => `hosts: { ${key}: null }`],
      [['definitions', 'ignoreDifference'], (key) => `drift: { ignoreDifferences: [ { kind: K, jsonPointers: [/a], ${key}: null } ] }`],
    ];
    for (const [path, snippet] of sections) {
      const keys = keysOf(...path);
      assert.ok(keys.length > 0);
      for (const key of [...keys, 'notAKey']) {
        const body = snippet(key);
        const text = `apiVersion: gitops-environments/v1\n${body.startsWith('environments') ? '' : 'environments: []\n'}${key === 'environments' || key === 'apiVersion' ? '' : body}\n`;
        const unknown = parseGitopsConfig(text).problems.filter((p) => p.message.includes('unknown key'));
        if (key === 'notAKey') assert.equal(unknown.length, 1, `parser accepts an unknown key in ${path.join('/') || 'root'}`);
        else assert.deepEqual(unknown, [], `parser does not know ${path.join('/') || 'root'}/${key}`);
      }
    }
  });

  for (const [label, text] of SAMPLES) {
    it(`agrees with the parser on: ${label}`, () => {
      const schemaErrors = validate(loadSchema(), parse(text));
      const problems = parseGitopsConfig(text).problems;
      assert.equal(
        schemaErrors.length === 0,
        problems.length === 0,
        `schema: ${JSON.stringify(schemaErrors)}\nparser: ${JSON.stringify(problems.map((p) => p.message))}`,
      );
    });
  }

  it('has clean samples and broken samples (so the agreement test can fail)', () => {
    const clean = SAMPLES.filter(([, text]) => validate(loadSchema(), parse(text)).length === 0).length;
    assert.equal(clean, 4);
  });
});
