// `gitops-env sandbox` as a process: prints `ready <url>`, writes a kubeconfig kubectl can use,
// applies --seed manifests (Namespaces and CRDs first), stops cleanly on SIGTERM with exit 0, and
// exits 2 with a message on bad arguments or a bad seed.

import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parse } from 'yaml';
import { at, list, record, runKubectl } from '../fixtures/sandbox/sandboxTestKit';

const repoRoot = resolve(__dirname, '../..');
const seedDir = join(repoRoot, 'test/fixtures/sandbox/seed');
// Loaded through a dynamic import of TypeScript compiled as CommonJS: the exports may sit under `default`.
const entry = `import(${JSON.stringify(join(repoRoot, 'src/sandbox/sandboxCommand.ts'))}).then((m) => (m.runSandboxCommand ?? m.default.runSandboxCommand)(process.argv.slice(1))).then((code) => process.exit(code))`;

interface Finished {
  code: number | null;
  stdout: string;
  stderr: string;
}

interface Command {
  child: ChildProcessWithoutNullStreams;
  output: () => { stdout: string; stderr: string; exited: boolean };
  finished: Promise<Finished>;
}

function startCommand(args: string[]): Command {
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', entry, '--', ...args], { cwd: repoRoot, env: { ...process.env, NODE_OPTIONS: '' } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let exited = false;
  const finished = new Promise<Finished>((resolveFinished) =>
    child.on('close', (code) => {
      exited = true;
      resolveFinished({ code, stdout, stderr });
    }),
  );
  return { child, output: () => ({ stdout, stderr, exited }), finished };
}

async function waitForReady(output: Command['output'], timeoutMs = 15_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = /^ready (https:\/\/127\.0\.0\.1:\d+)$/m.exec(output().stdout);
    if (match) return match[1];
    if (Date.now() > deadline || output().exited) throw new Error(`no ready line; stdout: ${output().stdout} stderr: ${output().stderr}`);
    await new Promise((resolveWait) => setTimeout(resolveWait, 25));
  }
}

describe('gitops-env sandbox command', () => {
  let dir: string;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'gitops-sandbox-cli-'));
    mkdirSync(join(dir, 'home'));
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints ready, serves the seeded objects to kubectl and exits 0 on SIGTERM', async () => {
    const kubeconfig = join(dir, 'config', 'kubeconfig.yaml');
    const started = Date.now();
    const command = startCommand(['--kubeconfig', kubeconfig, '--seed', seedDir, '--context', 'demo']);
    let stopped = false;
    try {
      const url = await waitForReady(command.output);
      const startupMs = Date.now() - started;
      assert.ok(startupMs < 10_000, `ready after ${startupMs} ms`);
      assert.equal(command.output().stdout, `ready ${url}\n`, 'the ready line is all that is printed');

      const config = record(parse(readFileSync(kubeconfig, 'utf8')));
      assert.equal(config['current-context'], 'demo');
      assert.equal(at(config, 'clusters', 0, 'cluster', 'server'), url);
      assert.match(Buffer.from(String(at(config, 'clusters', 0, 'cluster', 'certificate-authority-data')), 'base64').toString('utf8'), /^-----BEGIN CERTIFICATE-----/);
      assert.match(String(at(config, 'users', 0, 'user', 'token')), /^[A-Za-z0-9_-]{20,}$/);
      assert.deepEqual(at(config, 'contexts', 0, 'context'), { cluster: 'demo', user: 'demo-user', namespace: 'default' });

      const deployment = await runKubectl(kubeconfig, dir, ['get', 'deployment', 'web', '-n', 'demo-app', '-o', 'json', '--show-managed-fields']);
      assert.equal(deployment.code, 0, deployment.stderr);
      const seeded = record(JSON.parse(deployment.stdout));
      assert.equal(at(seeded, 'spec', 'replicas'), 3);
      assert.deepEqual(list(at(seeded, 'metadata', 'managedFields')).map((managed) => at(managed, 'manager')).filter((manager) => manager === 'sandbox-seed'), ['sandbox-seed']);
      const namespace = await runKubectl(kubeconfig, dir, ['get', 'namespace', 'demo-app', '-o', 'jsonpath={.metadata.labels.team}']);
      assert.equal(namespace.stdout, 'demo');
      const gadget = await runKubectl(kubeconfig, dir, ['get', 'gadgets', 'g1', '-n', 'demo-app', '-o', 'jsonpath={.spec.size}']);
      assert.equal(gadget.stdout, '2', gadget.stderr);
      const defaults = await runKubectl(kubeconfig, dir, ['get', 'configmap', 'defaults', '-o', 'jsonpath={.data.greeting}']);
      assert.equal(defaults.stdout, 'hello', 'objects without a namespace land in the context namespace');
      const application = await runKubectl(kubeconfig, dir, ['get', 'applications', '-n', 'argocd']);
      assert.match(application.stdout, /^NAME\s+SYNC STATUS\s+HEALTH STATUS$/m);
      assert.match(application.stdout, /^demo\s+Synced\s+Healthy$/m);

      command.child.kill('SIGTERM');
      const finished = await command.finished;
      stopped = true;
      assert.equal(finished.code, 0, finished.stderr);
      const afterStop = await runKubectl(kubeconfig, dir, ['get', 'namespaces', '--request-timeout=2s']);
      assert.notEqual(afterStop.code, 0, 'nothing listens after the stop');
    } finally {
      if (!stopped) command.child.kill('SIGKILL');
    }
  });

  it('keeps other entries of an existing kubeconfig and adds its own context', async () => {
    const kubeconfig = join(dir, 'shared.yaml');
    writeFileSync(
      kubeconfig,
      'apiVersion: v1\nkind: Config\nclusters:\n- name: prod\n  cluster: {server: "https://prod.example.com"}\nusers:\n- name: prod-admin\n  user: {token: abc}\ncontexts:\n- name: prod\n  context: {cluster: prod, user: prod-admin}\ncurrent-context: prod\n',
    );
    const command = startCommand(['--kubeconfig', kubeconfig, '--context=staging', '--port', '0']);
    try {
      await waitForReady(command.output);
      const config = record(parse(readFileSync(kubeconfig, 'utf8')));
      assert.equal(config['current-context'], 'prod');
      assert.deepEqual(list(config.contexts).map((context) => at(context, 'name')), ['prod', 'staging']);
      const staging = await runKubectl(kubeconfig, dir, ['--context', 'staging', 'get', 'namespace', 'default', '-o', 'name']);
      assert.equal(staging.stdout.trim(), 'namespace/default', staging.stderr);
    } finally {
      command.child.kill('SIGINT');
      assert.equal((await command.finished).code, 0);
    }
  });

  it('exits 2 with a message on bad arguments and on a seed it cannot apply', async () => {
    const missing = await startCommand(['--port', '0']).finished;
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /--kubeconfig is required/);
    assert.equal(missing.stdout, '');

    const unknown = await startCommand(['--kubeconfig', join(dir, 'x.yaml'), '--bogus']).finished;
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /unknown argument "--bogus"/);

    const blocker = createServer();
    await new Promise<void>((resolveListen) => blocker.listen(0, '127.0.0.1', () => resolveListen()));
    const address = blocker.address();
    const takenPort = typeof address === 'object' && address ? address.port : 0;
    try {
      const portTaken = await startCommand(['--kubeconfig', join(dir, 'z.yaml'), '--port', String(takenPort)]).finished;
      assert.equal(portTaken.code, 2);
      assert.match(portTaken.stderr, /could not start: .*EADDRINUSE/);
    } finally {
      blocker.close();
    }

    const badSeed = join(dir, 'bad-seed');
    mkdirSync(badSeed);
    writeFileSync(join(badSeed, 'bad.yaml'), 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: lost, namespace: nowhere}\n');
    const seedFailure = await startCommand(['--kubeconfig', join(dir, 'y.yaml'), '--seed', badSeed]).finished;
    assert.equal(seedFailure.code, 2);
    assert.match(seedFailure.stderr, /seed bad\.yaml: ConfigMap lost: namespaces "nowhere" not found/);
  });
});
