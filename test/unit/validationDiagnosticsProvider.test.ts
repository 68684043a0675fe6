// The editor side of validation, driven through a stand-in `vscode` module: diagnostics appear for
// an environment's files (and follow edits), never for files of no environment, disappear when
// `gitops.validation.enabled` is off; the hover reads the cluster's schema once it arrives, and
// custom resources are checked against CRDs found in the environment's folder; a file a
// kustomization names as a patch is checked as one, and its configuration files not at all.

import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import Module from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { FakeEmitter } from './helpers/fakeEmitter';
import { demoDeployment } from './helpers/bigManifest';

// ---- a stand-in for the parts of `vscode` the validation uses ----

class Range {
  constructor(
    readonly startLine: number,
    readonly startCharacter: number,
    readonly endLine: number,
    readonly endCharacter: number,
  ) {}
}

class Diagnostic {
  source = '';
  constructor(
    readonly range: Range,
    readonly message: string,
    readonly severity: number,
  ) {}
}

class MarkdownString {
  value = '';
  appendMarkdown(text: string): this {
    this.value += text;
    return this;
  }
  appendText(text: string): this {
    this.value += text.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, (c) => `\\${c}`);
    return this;
  }
}

class Uri {
  static file(path: string): FakeDocument['uri'] {
    return { scheme: 'file', path, fsPath: path, toString: () => `file://${path}` };
  }
}

class Hover {
  constructor(
    readonly contents: MarkdownString,
    readonly range: Range,
  ) {}
}

interface FakeDocument {
  uri: { scheme: string; path: string; fsPath: string; toString(): string };
  isClosed: boolean;
  text: string;
  getText(): string;
  readonly lineCount: number;
  lineAt(line: number): { range: { end: { character: number } } };
}

function document(path: string, text: string): FakeDocument {
  const doc: FakeDocument = {
    uri: { scheme: 'file', path, fsPath: path, toString: () => `file://${path}` },
    isClosed: false,
    text,
    getText: () => doc.text,
    get lineCount() {
      return doc.text.split('\n').length;
    },
    lineAt: (line: number) => ({ range: { end: { character: doc.text.split('\n')[line]?.length ?? 0 } } }),
  };
  return doc;
}

const diagnostics = new Map<string, Diagnostic[]>();
const settings = new Map<string, unknown>();
const events = {
  open: new FakeEmitter<FakeDocument>(),
  change: new FakeEmitter<{ document: FakeDocument; contentChanges: unknown[] }>(),
  close: new FakeEmitter<FakeDocument>(),
  save: new FakeEmitter<FakeDocument>(),
};
const openDocuments: FakeDocument[] = [];
/** The kustomization watcher's events (the test fires them after writing a kustomization). */
const kustomizationEvents = {
  create: new FakeEmitter<FakeDocument['uri']>(),
  change: new FakeEmitter<FakeDocument['uri']>(),
  delete: new FakeEmitter<FakeDocument['uri']>(),
};

const fakeVscode = {
  Range,
  Diagnostic,
  DiagnosticSeverity: { Error: 0 },
  MarkdownString,
  Hover,
  Uri,
  EventEmitter: FakeEmitter,
  workspace: {
    fs: { readFile: (uri: FakeDocument['uri']) => readFile(uri.fsPath) },
    createFileSystemWatcher: () => ({
      onDidCreate: kustomizationEvents.create.event,
      onDidChange: kustomizationEvents.change.event,
      onDidDelete: kustomizationEvents.delete.event,
      dispose: () => undefined,
    }),
    textDocuments: openDocuments,
    onDidOpenTextDocument: events.open.event,
    onDidChangeTextDocument: events.change.event,
    onDidCloseTextDocument: events.close.event,
    onDidSaveTextDocument: events.save.event,
    getConfiguration: () => ({ get: <T>(key: string, fallback: T): T => (settings.has(key) ? (settings.get(key) as T) : fallback) }),
  },
  languages: {
    createDiagnosticCollection: () => ({
      set: (uri: { toString(): string }, list: Diagnostic[]) => diagnostics.set(uri.toString(), list),
      delete: (uri: { toString(): string }) => diagnostics.delete(uri.toString()),
      clear: () => diagnostics.clear(),
      dispose: () => diagnostics.clear(),
    }),
  },
};

const moduleWithLoad = Module as unknown as { _load: (request: string, ...rest: unknown[]) => unknown };
const originalLoad = moduleWithLoad._load;
moduleWithLoad._load = (request: string, ...rest: unknown[]) => (request === 'vscode' ? fakeVscode : originalLoad(request, ...rest));

type ManifestValidationModule = typeof import('../../src/ui/validation/manifestValidation');

// ---- a repository with a dev environment (folder envs/dev, cluster dev-cluster) ----

const root = mkdtempSync(join(tmpdir(), 'gitops-validation-'));
mkdirSync(join(root, 'envs', 'dev'), { recursive: true });
mkdirSync(join(root, 'ci'), { recursive: true });
const crd = [
  'apiVersion: apiextensions.k8s.io/v1',
  'kind: CustomResourceDefinition',
  'metadata: { name: widgets.example.com }',
  'spec:',
  '  group: example.com',
  '  names: { kind: Widget, plural: widgets }',
  '  scope: Namespaced',
  '  versions:',
  '    - name: v1',
  '      served: true',
  '      storage: true',
  '      schema:',
  '        openAPIV3Schema:',
  '          type: object',
  '          properties:',
  '            spec: { type: object, properties: { size: { type: string } } }',
].join('\n');
writeFileSync(join(root, 'envs', 'dev', 'crds.yaml'), `${crd}\n`);

// The cluster's schema: a Deployment whose imagePullPolicy carries an enum and a description.
const clusterDocument = {
  components: {
    schemas: {
      'io.k8s.api.apps.v1.Deployment': {
        type: 'object',
        'x-kubernetes-group-version-kind': [{ group: 'apps', version: 'v1', kind: 'Deployment' }],
        properties: { apiVersion: { type: 'string' }, kind: { type: 'string' }, metadata: { type: 'object' }, spec: { type: 'object', properties: { replicas: { type: 'integer', format: 'int32', description: 'Replicas, as this cluster says.' } } } },
      },
    },
  },
};
let releaseCluster: () => void = () => undefined;
const clusterArrived = new Promise<void>((resolve) => (releaseCluster = resolve));
let catalogChanges = 0;

const changed = new FakeEmitter<void>();
const model = {
  onDidChange: changed.event,
  ensureLoaded: () => Promise.resolve(),
  allStates: () => [
    {
      folder: { uri: { toString: () => `file://${root}` } },
      state: { checkedOut: true, environment: { name: 'dev', repo: null, path: 'envs/dev', cluster: { context: 'dev-cluster', namespace: null } } },
      data: { repo: { root } },
    },
  ],
};

let validation: InstanceType<ManifestValidationModule['ManifestValidation']> | undefined;

before(async () => {
  // After the stand-in is installed: these modules require 'vscode'.
  const { ManifestValidation } = await import('../../src/ui/validation/manifestValidation');
  const { ValidationCatalogs } = await import('../../src/ui/validation/validationCatalogs');
  const { ValidationEngine } = await import('../../src/ui/validation/validationEngine');
  const { environmentCrds } = await import('../../src/ui/validation/environmentCrds');
  const { bundledCatalog } = await import('../../src/sandbox/bundledSchemas');
  const catalogs = new ValidationCatalogs(
  {
    builtin: () => ({ catalog: bundledCatalog() }),
    clusterDocuments: async () => {
      await clusterArrived;
      return [clusterDocument];
    },
    environmentCrds,
  },
  () => {
    catalogChanges++;
    validation?.validateAll();
  },
);
  validation = new ManifestValidation(model as never, new ValidationEngine(catalogs), catalogs, () => settings.get('validation.enabled') !== false);
});
after(() => validation?.dispose());

async function until(condition: () => boolean, what: string): Promise<void> {
  // Generous: this is about the outcome, the bench measures the time.
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) assert.fail(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

/** The hover's Markdown (the stand-in's MarkdownString). */
function hoverText(hover: unknown): string {
  return ((hover as { contents?: MarkdownString } | undefined)?.contents?.value) ?? '';
}

function messagesOf(doc: FakeDocument): string[] {
  return (diagnostics.get(doc.uri.toString()) ?? []).map((d) => d.message);
}

function open(doc: FakeDocument): void {
  openDocuments.push(doc);
  events.open.fire(doc);
}

function edit(doc: FakeDocument, text: string): void {
  doc.text = text;
  events.change.fire({ document: doc, contentChanges: [{}] });
}

const clean = demoDeployment(1, { replicas: 2, namespace: 'shop' });

describe('editor validation in VS Code (stand-in)', () => {
  const manifest = document(join(root, 'envs', 'dev', 'app.yaml'), clean);
  const outside = document(join(root, 'ci', 'app.yaml'), clean.replace('          image:', '          imagePullPolicy: Sometimes\n          image:'));

  it('reports the problems of an environment file on their lines, after an edit', async () => {
    open(manifest);
    await until(() => diagnostics.has(manifest.uri.toString()), 'the first validation');
    assert.deepEqual(messagesOf(manifest), []);
    edit(manifest, clean.replace('          image:', '          imagePullPolicy: Sometimes\n          image:'));
    await until(() => messagesOf(manifest).length > 0, 'diagnostics after the edit');
    assert.deepEqual(messagesOf(manifest), ['spec.template.spec.containers[0].imagePullPolicy: Unsupported value: "Sometimes": supported values: "Always", "IfNotPresent", "Never"']);
    const [diagnostic] = diagnostics.get(manifest.uri.toString()) ?? [];
    const lines = manifest.text.split('\n');
    assert.equal(lines[diagnostic.range.startLine].slice(diagnostic.range.startCharacter).startsWith('imagePullPolicy: Sometimes'), true);
  });

  it('stays quiet for a file of no environment', async () => {
    open(outside);
    edit(outside, `${outside.text}\n`);
    // The environment file's next edit is validated after this one: by then the other was decided.
    edit(manifest, clean.replace('\n          ports:', '\n          portz:'));
    await until(() => messagesOf(manifest).some((m) => m.includes('portz')), 'the environment file');
    assert.equal(diagnostics.has(outside.uri.toString()), false);
    assert.deepEqual(messagesOf(manifest), ['unknown field "spec.template.spec.containers[0].portz"; did you mean "ports"?']);
  });

  it('checks custom resources against the CRDs of the environment folder', async () => {
    const widget = document(join(root, 'envs', 'dev', 'widget.yaml'), ['apiVersion: example.com/v1', 'kind: Widget', 'metadata:', '  name: w', 'spec:', '  size: 3', '  colour: red'].join('\n'));
    open(widget);
    await until(() => messagesOf(widget).length === 2, 'the CRD scan');
    assert.deepEqual(messagesOf(widget).sort(), ['spec.size: Invalid value: "integer": spec.size in body must be of type string: "integer"', 'unknown field "spec.colour"'].sort());
  });

  // Before the cluster's schema arrives: its Deployment declares no required field.
  it('checks a file the kustomization names as a patch without required fields, the same text as a resource with them, and a transformer config not at all', async () => {
    const overlay = join(root, 'envs', 'dev', 'overlay');
    mkdirSync(overlay, { recursive: true });
    const kustomization = join(overlay, 'kustomization.yaml');
    writeFileSync(kustomization, 'resources:\n  - web.yaml\npatches:\n  - path: replicas-patch.yaml\ntransformers:\n  - prefix.yaml\n');
    const patchText = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 3\n';
    const patch = document(join(overlay, 'replicas-patch.yaml'), patchText);
    const resource = document(join(overlay, 'web.yaml'), patchText);
    // Valid for kustomize; as a manifest its name breaks the API server's rule.
    const transformer = document(join(overlay, 'prefix.yaml'), 'apiVersion: builtin\nkind: PrefixSuffixTransformer\nmetadata:\n  name: notImportantHere\nprefix: qa-\n');
    for (const doc of [patch, resource, transformer]) open(doc);
    await until(() => [patch, resource, transformer].every((doc) => diagnostics.has(doc.uri.toString())), 'the three files validated');
    assert.deepEqual(messagesOf(patch), []);
    assert.ok(messagesOf(resource).some((m) => m.includes('Required value')), messagesOf(resource).join('\n'));
    assert.deepEqual(messagesOf(transformer), []);

    // What the patch sets is still checked, on its line.
    edit(patch, patchText.replace('replicas: 3', 'replicas: three'));
    await until(() => messagesOf(patch).length > 0, 'the wrong type in the patch');
    assert.equal(messagesOf(patch).length, 1, messagesOf(patch).join('\n'));
    assert.match(messagesOf(patch)[0], /^spec\.replicas: /);
    assert.equal(diagnostics.get(patch.uri.toString())?.[0].range.startLine, 5);

    // The kustomization changes on disk: the file is now a resource, and told what it lacks.
    edit(patch, patchText);
    await until(() => messagesOf(patch).length === 0, 'the fixed patch');
    writeFileSync(kustomization, 'resources:\n  - web.yaml\n  - replicas-patch.yaml\n');
    kustomizationEvents.change.fire(Uri.file(kustomization));
    await until(() => messagesOf(patch).some((m) => m.includes('Required value')), 'the role change');
    for (const doc of [patch, resource, transformer]) {
      openDocuments.splice(openDocuments.indexOf(doc), 1);
      doc.isClosed = true;
      events.close.fire(doc);
    }
  });

  it('hovers with the bundled schema, then the cluster schema once it arrives', async () => {
    const lines = manifest.text.split('\n');
    const line = lines.findIndex((text) => text.includes('replicas:'));
    const position = { line, character: lines[line].indexOf('replicas') + 2 };
    const before = validation?.provideHover(manifest as never, position as never);
    assert.match(hoverText(before), /\*\*replicas\*\* `integer \(int32\)`/);
    assert.match(hoverText(before), /bundled Kubernetes schema/);
    const changes = catalogChanges;
    releaseCluster();
    await until(() => catalogChanges > changes, 'the cluster schema');
    const afterwards = validation?.provideHover(manifest as never, position as never);
    assert.match(hoverText(afterwards), /Replicas, as this cluster says\\\./);
    assert.match(hoverText(afterwards), /schema of cluster dev\\-cluster/);
    // The cluster's Deployment declares no template: every field under spec but replicas is unknown to it.
    assert.ok(messagesOf(manifest).some((m) => m.startsWith('unknown field "spec.selector"')), messagesOf(manifest).join('\n'));
    assert.equal(validation?.provideHover(outside as never, position as never), undefined);
  });

  it('clears everything when gitops.validation.enabled is off, and comes back when on', async () => {
    assert.ok(diagnostics.size > 0);
    settings.set('validation.enabled', false);
    validation?.validateAll();
    assert.equal(diagnostics.size, 0);
    edit(manifest, `${manifest.text}\n`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(diagnostics.size, 0, 'no diagnostics while off, edits included');
    const lines = manifest.text.split('\n');
    const line = lines.findIndex((text) => text.includes('replicas:'));
    assert.equal(validation?.provideHover(manifest as never, { line, character: lines[line].indexOf('replicas') + 2 } as never), undefined);
    settings.set('validation.enabled', true);
    validation?.validateAll();
    assert.ok(messagesOf(manifest).length > 0);
  });
});
