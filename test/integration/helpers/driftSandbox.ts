// The sandbox cluster as the drift tests use it: started with its kubeconfig in a temp folder, the
// real kubectl pointed at it, and folders of manifests applied by kubectl (so field managers and
// defaults are those a real cluster would show). Also the `shop` manifests those tests share.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startSandbox, type SandboxHandle } from '../../../src/sandbox/sandboxServer';
import { tempDir, writeFiles } from './tempGitRepo';

const run = promisify(execFile);

export class DriftSandbox {
  private constructor(
    readonly sandbox: SandboxHandle,
    readonly kubeconfig: string,
    private readonly prefix: string,
  ) {}

  /** Starts the sandbox; its temp folders are named `<prefix>…` (the kubeconfig's `<prefix>kc-…`). */
  static async start(prefix: string): Promise<DriftSandbox> {
    const kubeconfig = join(tempDir(`${prefix}kc-`), 'kubeconfig');
    const sandbox = await startSandbox({ kubeconfigPath: kubeconfig, bookmarkIntervalMs: 200 });
    return new DriftSandbox(sandbox, kubeconfig, prefix);
  }

  /** The real kubectl, asynchronously: the sandbox answers from this same process. */
  async kubectl(...args: string[]): Promise<string> {
    const { stdout } = await run('/usr/bin/kubectl', ['--kubeconfig', this.kubeconfig, ...args], { encoding: 'utf8', timeout: 30_000 });
    return stdout;
  }

  /** Creates namespace `ns` straight in the store. */
  namespace(ns: string): void {
    this.sandbox.store.apply({ apiVersion: 'v1', kind: 'Namespace', metadata: { name: ns } } as never);
  }

  /** Writes `files` into a new temp folder and applies it with kubectl into namespace `ns` (created first). */
  async apply(ns: string, files: Record<string, string>): Promise<string> {
    this.namespace(ns);
    const dir = tempDir(this.prefix);
    writeFiles(dir, files);
    await this.kubectl('apply', '-f', dir);
    return dir;
  }

  stop(): Promise<void> {
    return this.sandbox.stop();
  }
}

/** An object of the shop: `kind` `name` in `ns`, labelled part-of=shop, then the `body` lines. */
export function shopObject(apiVersion: string, kind: string, name: string, ns: string, body: readonly string[]): string {
  return [`apiVersion: ${apiVersion}`, `kind: ${kind}`, 'metadata:', `  name: ${name}`, `  namespace: ${ns}`, '  labels:', '    app.kubernetes.io/part-of: shop', ...body, ''].join('\n');
}

/** Deployment `web` of the shop (nginx:1.27) in `ns`. */
export function shopDeployment(ns: string, options: { replicas?: number; containerPort?: number } = {}): string {
  return shopObject('apps/v1', 'Deployment', 'web', ns, [
    'spec:',
    `  replicas: ${options.replicas ?? 2}`,
    '  selector:',
    '    matchLabels:',
    '      app: web',
    '  template:',
    '    metadata:',
    '      labels:',
    '        app: web',
    '    spec:',
    '      containers:',
    '        - name: web',
    '          image: nginx:1.27',
    ...(options.containerPort === undefined ? [] : ['          ports:', `            - containerPort: ${options.containerPort}`]),
  ]);
}

/** A ConfigMap of the shop in `ns`; `data` values are written as given. */
export function shopConfigMap(ns: string, name: string, data: Record<string, string>): string {
  return shopObject('v1', 'ConfigMap', name, ns, ['data:', ...Object.entries(data).map(([key, value]) => `  ${key}: ${value}`)]);
}
