import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseGitopsConfig } from '../../src/core/config';
import { renderGitopsConfig } from '../../src/core/configWriter';
import type { Environment } from '../../src/core/model';
import { validate, type JsonSchema } from './helpers/miniJsonSchema';

function env(partial: Partial<Environment> & { name: string; order: number }): Environment {
  return { repo: null, branch: null, path: null, cluster: { context: null, namespace: null }, protected: false, source: 'folders', ...partial };
}

/** What must survive the round trip: everything but where it was declared and how it was found. */
function comparable(environments: readonly Environment[]): unknown[] {
  return environments.map(({ declaredAt: _d, source: _s, ...rest }) => rest);
}

const DISCOVERED: Environment[] = [
  env({ name: 'prod', order: 3, branch: 'env/prod', protected: true, source: 'branches' }),
  env({ name: 'dev', order: 0, path: 'envs/dev', source: 'folders', declaredAt: { file: 'envs/dev/kustomization.yaml' } }),
  env({
    name: 'staging',
    order: 1,
    repo: 'https://github.com/acme/config.git',
    branch: 'main',
    path: 'apps/staging',
    cluster: { context: 'staging-ctx', namespace: 'web' },
    source: 'argocd',
    declaredAt: { file: 'argocd/staging.yaml', range: { start: { line: 4, column: 1 }, end: { line: 20, column: 1 } } },
  }),
  env({ name: 'qa', order: 2, cluster: { context: null, namespace: 'qa-ns' }, source: 'flux' }),
  env({ name: 'perf', order: 4, path: 'apps/api/overlays/perf', paths: ['apps/api/overlays/perf', 'apps/web/overlays/perf'], source: 'kargo' }),
];

describe('renderGitopsConfig', () => {
  it('round-trips discovered environments into the same environments from config', () => {
    const text = renderGitopsConfig(DISCOVERED);
    const result = parseGitopsConfig(text);
    assert.deepEqual(result.problems, []);
    const expected = [...DISCOVERED].sort((a, b) => a.order - b.order);
    assert.deepEqual(comparable(result.environments), comparable(expected));
    assert.ok(result.environments.every((e) => e.source === 'config'));
  });

  it('quotes values YAML would otherwise read as booleans, numbers or null', () => {
    const tricky = [
      env({ name: 'yes', order: 0, branch: 'true', path: '123', cluster: { context: 'null', namespace: 'on' } }),
      env({ name: '1.0', order: 1, branch: 'a#b', path: 'my dir/a: b', repo: '[x]: {y}', cluster: { context: 'ctx #1', namespace: null } }),
      env({ name: 'n', order: 2, cluster: { context: "it's \"quoted\"", namespace: null }, repo: 'https://host/a b' }),
    ];
    const result = parseGitopsConfig(renderGitopsConfig(tricky));
    assert.deepEqual(comparable(result.environments), comparable(tricky));
  });

  it('writes comments that say where each environment was found', () => {
    const text = renderGitopsConfig(DISCOVERED);
    assert.match(text, /^# GitOps Environments/);
    assert.match(text, /# Found from an Argo CD Application \(argocd\/staging\.yaml:4\)\./);
    assert.match(text, /# Found from a branch\./);
    assert.match(text, /# cluster: \{ context: my-context, namespace: my-namespace \}/);
  });

  it('keeps a newline in a source file name from breaking out of its comment', () => {
    const text = renderGitopsConfig([env({ name: 'dev', order: 0, declaredAt: { file: 'a\nenvironments: evil' } })]);
    assert.deepEqual(parseGitopsConfig(text).problems, []);
  });

  it('writes an empty list that still parses', () => {
    const result = parseGitopsConfig(renderGitopsConfig([]));
    assert.ok(result.config);
    assert.deepEqual(result.environments, []);
    assert.ok(result.problems.every((p) => p.severity === 'warning'));
  });

  it('produces a file the JSON schema accepts', () => {
    const schema = JSON.parse(readFileSync(join(__dirname, '..', '..', 'schemas', 'gitops.schema.json'), 'utf8')) as JsonSchema;
    assert.deepEqual(validate(schema, parse(renderGitopsConfig(DISCOVERED))), []);
  });
});
