// The offline ApplicationSet generator expansion and Kargo expression evaluation, on literal inputs.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { expandGenerator, globToRegExp, pathParams, substituteTemplate, type ExpansionInput, type GeneratorProblem } from '../../src/core/appsetExpansion';
import { evaluateKargoExpression } from '../../src/core/kargoDiscovery';

function input(files: Record<string, string>, goTemplate = false): ExpansionInput {
  const folders = new Set<string>();
  for (const file of Object.keys(files)) {
    const parts = file.split('/');
    for (let i = 1; i < parts.length; i++) folders.add(parts.slice(0, i).join('/'));
  }
  return { goTemplate, files: Object.keys(files), folders, readFile: async (p) => files[p], isThisRepository: (url) => url === null || url.includes('acme/gitops') };
}

describe('globToRegExp', () => {
  const cases: Array<[string, string, boolean]> = [
    ['apps/*', 'apps/web', true],
    ['apps/*', 'apps/web/overlays', false],
    ['apps/*/overlays/*', 'apps/web/overlays/prod', true],
    ['apps/**', 'apps/web/overlays/prod', true],
    ['apps/**/prod', 'apps/web/overlays/prod', true],
    ['envs/prod-?', 'envs/prod-1', true],
    ['envs/[ps]*', 'envs/staging', true],
    ['envs/[!ps]*', 'envs/staging', false],
    ['a.b/*', 'axb/c', false],
  ];
  for (const [glob, path, matches] of cases) {
    it(`${matches ? 'matches' : 'does not match'} ${path} with ${glob}`, () => assert.equal(globToRegExp(glob).test(path), matches));
  }
});

describe('pathParams and substituteTemplate', () => {
  it('gives fasttemplate keys: path, path.basename, path[n], path.basenameNormalized', () => {
    const params = pathParams('apps/Web_App/overlays/prod', false);
    assert.equal(substituteTemplate('{{path}} {{path.basename}} {{path[1]}} {{path.basenameNormalized}}', params), 'apps/Web_App/overlays/prod prod Web_App prod');
    assert.equal(substituteTemplate('{{path[1]}}', pathParams('apps/Web_App', false)), 'Web_App');
  });

  it('gives goTemplate fields: .path.path, .path.basename, index .path.segments n, and lower/upper pipes', () => {
    const params = pathParams('apps/Web/overlays/prod', true);
    assert.equal(substituteTemplate('{{.path.path}}|{{ .path.basename }}|{{index .path.segments 1}}|{{ .path.basename | upper }}|{{ index .path.segments 1 | lower }}', params), 'apps/Web/overlays/prod|prod|Web|PROD|web');
  });

  it('leaves what it cannot evaluate untouched', () => {
    assert.equal(substituteTemplate('{{ .missing }} {{ printf "%s" .x }} {{ .path.basename | title }}', pathParams('a/b', true)), '{{ .missing }} {{ printf "%s" .x }} {{ .path.basename | title }}');
  });
});

describe('expandGenerator', () => {
  it('expands git directories with an exclude, and puts params under pathParamPrefix', async () => {
    const problems: GeneratorProblem[] = [];
    const files = { 'apps/web/overlays/dev/k.yaml': '', 'apps/web/overlays/prod/k.yaml': '', 'apps/old/overlays/prod/k.yaml': '' };
    const generator = { git: { repoURL: 'https://github.com/acme/gitops.git', pathParamPrefix: 'app', directories: [{ path: 'apps/*/overlays/*' }, { path: 'apps/old/**', exclude: true }] } };
    const sets = await expandGenerator(generator, '/spec/generators/0', input(files), problems);
    assert.deepEqual(problems, []);
    assert.deepEqual(
      sets.map((s) => s.params['app.path']),
      ['apps/web/overlays/dev', 'apps/web/overlays/prod'],
    );
  });

  it('expands a git files generator whose file holds a list of elements, with values templated from them', async () => {
    const problems: GeneratorProblem[] = [];
    const files = { 'clusters.yaml': '- { env: dev, region: eu }\n- { env: prod, region: us }\n' };
    const generator = { git: { repoURL: 'https://github.com/acme/gitops.git', files: [{ path: 'clusters.yaml' }], values: { name: '{{env}}-{{region}}' } } };
    const sets = await expandGenerator(generator, '/g', input(files), problems);
    assert.deepEqual(
      sets.map((s) => [s.params.env, s.params['values.name'], s.params['path.filename']]),
      [
        ['dev', 'dev-eu', 'clusters.yaml'],
        ['prod', 'prod-us', 'clusters.yaml'],
      ],
    );
  });

  it('reports what it cannot expand with the generator\'s pointer: another repository, elementsYaml, a plugin, a one-child matrix', async () => {
    const problems: GeneratorProblem[] = [];
    await expandGenerator({ git: { repoURL: 'https://github.com/other/repo.git', directories: [{ path: '*' }] } }, '/a', input({}), problems);
    await expandGenerator({ list: { elementsYaml: '{{ .x }}' } }, '/b', input({}), problems);
    await expandGenerator({ plugin: { configMapRef: { name: 'p' } } }, '/c', input({}), problems);
    await expandGenerator({ matrix: { generators: [{ list: { elements: [{ a: 1 }] } }] } }, '/d', input({}), problems);
    assert.deepEqual(
      problems.map((p) => p.pointer),
      ['/a/git/repoURL', '/b/list', '/c/plugin', '/d/matrix'],
    );
    assert.match(problems[0].message, /reads https:\/\/github\.com\/other\/repo\.git, another repository/);
    assert.match(problems[2].message, /needs the plugin/);
  });

  it('filters generated params with a selector', async () => {
    const sets = await expandGenerator({ list: { elements: [{ env: 'dev', tier: 'x' }, { env: 'prod', tier: 'y' }] }, selector: { matchLabels: { tier: 'y' } } }, '/g', input({}), []);
    assert.deepEqual(
      sets.map((s) => s.params.env),
      ['prod'],
    );
  });
});

describe('evaluateKargoExpression', () => {
  const vars = new Map([['root', 'env']]);
  it('evaluates ctx.stage and vars', () => {
    assert.equal(evaluateKargoExpression('./src/${{ vars.root }}/${{ ctx.stage }}', 'prod', vars), './src/env/prod');
    assert.equal(evaluateKargoExpression("./src/${{ vars['root'] }}", 'prod', vars), './src/env');
  });
  it('gives up on outputs, functions and unknown vars', () => {
    assert.equal(evaluateKargoExpression('${{ outputs.clone.path }}', 'prod', vars), undefined);
    assert.equal(evaluateKargoExpression('${{ vars.missing }}', 'prod', vars), undefined);
    assert.equal(evaluateKargoExpression('${{ quote(ctx.stage) }}', 'prod', vars), undefined);
  });
});
