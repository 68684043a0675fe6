// Our own kubeconfig reading (kubeconfigModel.ts) and per-context connections
// (contextConnection.ts), which replaced @kubernetes/client-node's KubeConfig on every request
// path: kubectl's merge and path rules, each credential kind, exec plugins (caching, cluster info,
// failures that say what to do), and — as the referee — the same TLS and Authorization as
// client-node's applyToHTTPSOptions for every combination of the fields both read.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import { KubeConfig } from '@kubernetes/client-node/dist/config.js';
import { ClusterError } from '../../src/cluster/clusterError';
import { contextConnection, serviceAccountConnection } from '../../src/cluster/contextConnection';
import { KubeClient } from '../../src/cluster/kubeClient';
import { loadKubeconfig } from '../../src/cluster/kubeconfigLoader';
import { parseKubeconfig, readKubeconfigFiles } from '../../src/cluster/kubeconfigModel';
import { createSandboxCertificates } from '../../src/sandbox/tlsCertificates';
import { seededRandom } from '../support/seededRandom';
import { removeTempDirs, tempDir } from '../integration/helpers/tempGitRepo';

test.after(() => removeTempDirs());

const PEM = '-----BEGIN CERTIFICATE-----\nMIIBfake\n-----END CERTIFICATE-----\n';
const b64 = (text: string): string => Buffer.from(text).toString('base64');

function kubeconfig(clusters: object[], users: object[], contexts: object[], current?: string): string {
  return stringify({ apiVersion: 'v1', kind: 'Config', clusters, users, contexts, ...(current ? { 'current-context': current } : {}) });
}

async function applied(connection: { apply(o: https.RequestOptions): Promise<void> }): Promise<https.RequestOptions & { headers: Record<string, string> }> {
  const options: https.RequestOptions = { method: 'GET', headers: { Accept: 'application/json' } };
  await connection.apply(options);
  return options as https.RequestOptions & { headers: Record<string, string> };
}

test('KUBECONFIG merge: the first file to name a cluster, user or context wins, and the first current-context', () => {
  const dir = tempDir('gitops-kc-merge-');
  const a = join(dir, 'a');
  const b = join(dir, 'b');
  writeFileSync(a, kubeconfig([{ name: 'c1', cluster: { server: 'https://a.example:6443' } }], [{ name: 'u1', user: { token: 'from-a' } }], [{ name: 'dev', context: { cluster: 'c1', user: 'u1', namespace: 'team-a' } }]));
  writeFileSync(
    b,
    kubeconfig(
      [{ name: 'c1', cluster: { server: 'https://b.example:6443' } }, { name: 'c2', cluster: { server: 'https://c2.example' } }],
      [{ name: 'u1', user: { token: 'from-b' } }],
      [{ name: 'dev', context: { cluster: 'c2', user: 'u1' } }, { name: 'prod', context: { cluster: 'c2', user: 'u1' } }],
      'prod',
    ),
  );
  const loaded = loadKubeconfig({ env: { KUBECONFIG: `${a}:${join(dir, 'missing')}:${b}` } });
  assert.deepEqual(loaded.files, [a, b]);
  assert.deepEqual(loaded.contexts, ['dev', 'prod']);
  assert.equal(loaded.currentContext, 'prod', 'a has none, so b sets it');
  const dev = loaded.forContext('dev');
  assert.equal(dev.server, 'https://a.example:6443');
  assert.equal(dev.namespace, 'team-a');
  assert.equal(loaded.forContext('prod').server, 'https://c2.example');
  assert.equal(loaded.forContext('prod').namespace, null);
  assert.throws(() => loaded.forContext('staging'), (e: unknown) => e instanceof ClusterError && e.code === 'config' && /Context "staging" is not in .*\/a, .*\/b/.test(e.message));
});

test('relative paths are read against the kubeconfig folder; an exec command with a slash too, a bare one is left to PATH', () => {
  const dir = tempDir('gitops-kc-paths-');
  mkdirSync(join(dir, 'certs'));
  const file = join(dir, 'config');
  writeFileSync(
    file,
    kubeconfig(
      [{ name: 'c', cluster: { server: 'https://x', 'certificate-authority': 'certs/ca.pem' } }],
      [
        { name: 'files', user: { 'client-certificate': 'certs/me.pem', 'client-key': '/abs/me.key', tokenFile: './token' } },
        { name: 'plugin', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1', command: 'bin/login', args: ['get-token'] } } },
        { name: 'onpath', user: { exec: { command: 'aws', args: [] } } },
      ],
      [],
    ),
  );
  const doc = readKubeconfigFiles([file]);
  assert.equal(doc.clusters.get('c')?.certificateAuthority, join(dir, 'certs/ca.pem'));
  assert.equal(doc.users.get('files')?.clientCertificate, join(dir, 'certs/me.pem'));
  assert.equal(doc.users.get('files')?.clientKey, '/abs/me.key');
  assert.equal(doc.users.get('files')?.tokenFile, join(dir, 'token'));
  assert.equal(doc.users.get('plugin')?.exec?.command, join(dir, 'bin/login'));
  assert.equal(doc.users.get('plugin')?.exec?.apiVersion, 'client.authentication.k8s.io/v1');
  assert.equal(doc.users.get('onpath')?.exec?.command, 'aws');
});

test('a malformed or non-kubeconfig file is a config error naming the file', () => {
  const dir = tempDir('gitops-kc-bad-');
  const broken = join(dir, 'broken');
  writeFileSync(broken, 'clusters: [\n  - name: x\n');
  assert.throws(() => readKubeconfigFiles([broken]), (e: unknown) => e instanceof ClusterError && e.code === 'config' && e.message.startsWith(`Cannot read kubeconfig ${broken}:`));
  const list = join(dir, 'list');
  writeFileSync(list, '- a\n- b\n');
  assert.throws(() => readKubeconfigFiles([list]), /Cannot read kubeconfig .*list: not a kubeconfig/);
  const clusters = join(dir, 'clusters');
  writeFileSync(clusters, 'clusters: oops\n');
  assert.throws(() => readKubeconfigFiles([clusters]), /"clusters" is not a list/);
  assert.throws(() => readKubeconfigFiles([join(dir, 'none')]), /Cannot read kubeconfig .*none: ENOENT/);
});

test('a context without a cluster makes no client; a missing CA file is a config error naming the file', async () => {
  const doc = readKubeconfigFiles(['x'], () => kubeconfig([{ name: 'c', cluster: { server: 'https://x', 'certificate-authority': '/nonexistent/ca.pem' } }], [], [{ name: 'lost', context: { cluster: 'gone', user: 'u' } }, { name: 'ca', context: { cluster: 'c', user: 'u' } }]));
  assert.throws(() => new KubeClient(contextConnection(doc, 'lost', ['x']), 'lost'), /Context "lost" names no cluster/);
  await assert.rejects(applied(contextConnection(doc, 'ca', ['x'])), (e: unknown) => e instanceof ClusterError && e.code === 'config' && /certificate authority \/nonexistent\/ca.pem: ENOENT/.test(e.message));
});

test('the same TLS and Authorization as client-node for every combination of CA, client certificate, token, token file, basic auth, insecure and server name', async () => {
  const dir = tempDir('gitops-kc-referee-');
  writeFileSync(join(dir, 'ca.pem'), PEM);
  writeFileSync(join(dir, 'me.pem'), 'CERT-FILE');
  writeFileSync(join(dir, 'me.key'), 'KEY-FILE');
  writeFileSync(join(dir, 'token'), 'file-token\n');
  const clusterVariants: Array<Record<string, unknown>> = [
    { server: 'https://k.example:6443' },
    { server: 'https://k.example:6443', 'certificate-authority-data': b64(PEM) },
    { server: 'https://k.example:6443', 'certificate-authority': 'ca.pem' },
    { server: 'https://k.example:6443', 'insecure-skip-tls-verify': true },
    { server: 'https://k.example:6443', 'certificate-authority-data': b64(PEM), 'tls-server-name': 'api.internal' },
  ];
  const userVariants: Array<Record<string, unknown>> = [
    {},
    { token: 'inline-token' },
    { tokenFile: 'token' },
    { username: 'admin', password: 's3cret' },
    { 'client-certificate-data': b64('CERT-DATA'), 'client-key-data': b64('KEY-DATA') },
    { 'client-certificate': 'me.pem', 'client-key': 'me.key' },
    { 'client-certificate-data': b64('CERT-DATA'), 'client-key-data': b64('KEY-DATA'), token: 'both' },
  ];
  let compared = 0;
  for (const [c, cluster] of clusterVariants.entries()) {
    for (const [u, user] of userVariants.entries()) {
      const file = join(dir, `config-${c}-${u}`);
      writeFileSync(file, kubeconfig([{ name: 'c', cluster }], [{ name: 'u', user }], [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }], 'ctx'));
      const ours = await applied(loadKubeconfig({ path: file }).forContext('ctx'));
      const reference = new KubeConfig();
      reference.loadFromFile(file);
      const theirs: https.RequestOptions & { headers: Record<string, string> } = { method: 'GET', headers: { Accept: 'application/json' } };
      await reference.applyToHTTPSOptions(theirs);
      const what = `cluster ${JSON.stringify(cluster)}, user ${JSON.stringify(user)}`;
      const text = (value: unknown): string | undefined => (value === undefined ? undefined : Buffer.isBuffer(value) ? value.toString('utf8') : String(value));
      assert.equal(text(ours.ca), text(theirs.ca), `ca: ${what}`);
      assert.equal(text(ours.cert), text(theirs.cert), `cert: ${what}`);
      assert.equal(text(ours.key), text(theirs.key), `key: ${what}`);
      // client-node ignores a user's tokenFile (kubectl reads it): there kubectl is the reference.
      // client-node gives basic credentials as options.auth, which Node sends as this same header.
      const theirHeader = theirs.headers.Authorization ?? (theirs.auth ? `Basic ${b64(theirs.auth)}` : undefined);
      const expectedAuthorization = 'tokenFile' in user ? 'Bearer file-token' : theirHeader;
      assert.equal(ours.headers.Authorization, expectedAuthorization, `Authorization: ${what}`);
      assert.equal(ours.rejectUnauthorized === false, theirs.rejectUnauthorized === false, `rejectUnauthorized: ${what}`);
      assert.equal(ours.servername, theirs.servername, `servername: ${what}`);
      compared++;
    }
  }
  assert.equal(compared, clusterVariants.length * userVariants.length);
});

function execPlugin(dir: string, body: string): string {
  const script = join(dir, `plugin-${Math.random().toString(36).slice(2)}.mjs`);
  writeFileSync(script, body);
  chmodSync(script, 0o755);
  return script;
}

function execDocument(exec: Record<string, unknown>, cluster: Record<string, unknown> = { server: 'https://k.example' }) {
  return readKubeconfigFiles(['x'], () => kubeconfig([{ name: 'c', cluster }], [{ name: 'u', user: { exec } }], [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }]));
}

test('an exec plugin: its token is used and kept until it nearly expires; the plugin sees its env and, when asked, the cluster', async () => {
  const dir = tempDir('gitops-kc-exec-');
  const runs = join(dir, 'runs');
  writeFileSync(runs, '');
  const script = execPlugin(
    dir,
    `import { appendFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(runs)}, 'x');
const info = JSON.parse(process.env.KUBERNETES_EXEC_INFO);
const expiry = process.env.EXPIRES_IN_MS ? new Date(Date.now() + Number(process.env.EXPIRES_IN_MS)).toISOString() : undefined;
process.stdout.write(JSON.stringify({ apiVersion: info.apiVersion, kind: 'ExecCredential', status: { token: process.env.TOKEN + ':' + (info.spec.cluster ? info.spec.cluster.server : 'no-cluster') + ':' + info.spec.interactive, ...(expiry ? { expirationTimestamp: expiry } : {}) } }));
`,
  );
  const longLived = contextConnection(execDocument({ command: process.execPath, args: [script], env: [{ name: 'TOKEN', value: 'tok' }, { name: 'EXPIRES_IN_MS', value: '3600000' }], provideClusterInfo: true }), 'ctx', ['x']);
  assert.equal((await applied(longLived)).headers.Authorization, 'Bearer tok:https://k.example:false');
  await Promise.all([applied(longLived), applied(longLived)]);
  assert.equal(readFileSync(runs, 'utf8').length, 1, 'one run while the credential is valid');

  // A credential about to expire (inside the renewal margin) is fetched again on the next request.
  const shortLived = contextConnection(execDocument({ command: process.execPath, args: [script], env: [{ name: 'TOKEN', value: 'short' }, { name: 'EXPIRES_IN_MS', value: '5000' }] }), 'ctx', ['x']);
  assert.equal((await applied(shortLived)).headers.Authorization, 'Bearer short:no-cluster:false');
  await applied(shortLived);
  assert.equal(readFileSync(runs, 'utf8').length, 3);
});

test('an exec plugin may give a client certificate instead of a token', async () => {
  const dir = tempDir('gitops-kc-exec-cert-');
  const script = execPlugin(dir, `process.stdout.write(JSON.stringify({ kind: 'ExecCredential', status: { clientCertificateData: 'PEM-CERT', clientKeyData: 'PEM-KEY' } }));\n`);
  const options = await applied(contextConnection(execDocument({ command: process.execPath, args: [script] }), 'ctx', ['x']));
  assert.equal(options.cert, 'PEM-CERT');
  assert.equal(options.key, 'PEM-KEY');
  assert.equal(options.headers.Authorization, undefined);
});

test('exec plugin failures say what happened: not installed (with its hint), its own error text, no credential in its output', async () => {
  const dir = tempDir('gitops-kc-exec-fail-');
  const missing = contextConnection(execDocument({ command: join(dir, 'no-such-login'), args: [], installHint: 'Install acme-login from https://example.com/login' }), 'ctx', ['x']);
  await assert.rejects(applied(missing), (e: unknown) => e instanceof ClusterError && e.code === 'config' && /no-such-login is not installed — Install acme-login/.test(e.message));
  const failing = execPlugin(dir, `process.stderr.write('error: refresh token expired; run "acme login"\\n'); process.exit(3);\n`);
  await assert.rejects(
    applied(contextConnection(execDocument({ command: process.execPath, args: [failing] }), 'ctx', ['x'])),
    (e: unknown) => e instanceof ClusterError && e.code === 'unauthorized' && /\(exit 3\): error: refresh token expired; run "acme login"/.test(e.message),
  );
  const silent = execPlugin(dir, `process.stdout.write('{"kind":"ExecCredential","status":{}}');\n`);
  await assert.rejects(applied(contextConnection(execDocument({ command: process.execPath, args: [silent] }), 'ctx', ['x'])), /gave neither a token nor a client certificate/);
  const garbage = execPlugin(dir, `process.stdout.write('not json');\n`);
  await assert.rejects(applied(contextConnection(execDocument({ command: process.execPath, args: [garbage] }), 'ctx', ['x'])), /printed no ExecCredential JSON/);
});

test('a context with a proxy-url or a legacy auth-provider is served by client-node (proxy agent, its token handling)', async () => {
  const doc = readKubeconfigFiles(['x'], () =>
    kubeconfig(
      [{ name: 'c', cluster: { server: 'https://k.example', 'proxy-url': 'http://127.0.0.1:3128' } }],
      [{ name: 'u', user: { token: 'via-proxy' } }],
      [{ name: 'ctx', context: { cluster: 'c', user: 'u', namespace: 'ns1' } }],
    ),
  );
  const connection = contextConnection(doc, 'ctx', ['x']);
  assert.equal(connection.namespace, 'ns1');
  const options = await applied(connection);
  assert.equal(options.headers.Authorization, 'Bearer via-proxy');
  assert.ok(options.agent !== undefined && Object.getPrototypeOf(options.agent) !== https.Agent.prototype, 'a proxy agent');
});

test('the service account: token from its file (read again after a refusal: a rotated token), CA file, namespace, IPv6 host in brackets', async () => {
  const dir = tempDir('gitops-kc-sa-');
  writeFileSync(join(dir, 'token'), 'sa-token\n');
  writeFileSync(join(dir, 'ca.crt'), PEM);
  const connection = serviceAccountConnection({ host: 'fd00::1', port: '443', tokenFile: join(dir, 'token'), caFile: join(dir, 'ca.crt'), namespace: 'ci' });
  assert.equal(connection.server, 'https://[fd00::1]:443');
  assert.equal(connection.namespace, 'ci');
  const options = await applied(connection);
  assert.equal(options.headers.Authorization, 'Bearer sa-token');
  assert.equal(String(options.ca), PEM);
  writeFileSync(join(dir, 'token'), 'rotated\n');
  assert.equal((await applied(connection)).headers.Authorization, 'Bearer sa-token', 'kept within its minute');
  connection.forget?.();
  assert.equal((await applied(connection)).headers.Authorization, 'Bearer rotated');
});

test('a 401 makes the next request fetch the credential again (an exec token revoked before its expiry)', async () => {
  const dir = tempDir('gitops-kc-401-');
  const runs = join(dir, 'runs');
  writeFileSync(runs, '');
  const script = execPlugin(
    dir,
    `import { appendFileSync, readFileSync } from 'node:fs';
appendFileSync(${JSON.stringify(runs)}, 'x');
const n = readFileSync(${JSON.stringify(runs)}, 'utf8').length;
process.stdout.write(JSON.stringify({ kind: 'ExecCredential', status: { token: 'token-' + n, expirationTimestamp: new Date(Date.now() + 3600e3).toISOString() } }));
`,
  );
  const seen: string[] = [];
  const server = (await import('node:http')).createServer((req, res) => {
    seen.push(String(req.headers.authorization));
    const ok = req.headers.authorization === 'Bearer token-2';
    res.writeHead(ok ? 200 : 401, { 'Content-Type': 'application/json' });
    res.end(ok ? '{"gitVersion":"v1.32.0"}' : '{"kind":"Status","message":"Unauthorized"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as { port: number }).port;
    const doc = readKubeconfigFiles(['x'], () => kubeconfig([{ name: 'c', cluster: { server: `http://127.0.0.1:${port}` } }], [{ name: 'u', user: { exec: { command: process.execPath, args: [script] } } }], [{ name: 'ctx', context: { cluster: 'c', user: 'u' } }]));
    const client = new KubeClient(contextConnection(doc, 'ctx', ['x']), 'ctx');
    await assert.rejects(client.request('GET', '/version'), (e: unknown) => e instanceof ClusterError && e.code === 'unauthorized');
    const version = await client.request<{ gitVersion: string }>('GET', '/version');
    assert.equal(version.gitVersion, 'v1.32.0');
    assert.deepEqual(seen, ['Bearer token-1', 'Bearer token-2']);
    assert.equal(readFileSync(runs, 'utf8').length, 2);
  } finally {
    server.close();
  }
});

test('an exec plugin that reads its input gets end-of-file (not interactive) instead of waiting for the timeout', async () => {
  const dir = tempDir('gitops-kc-stdin-');
  const script = execPlugin(dir, `process.stdin.resume(); process.stdin.on('end', () => process.stdout.write(JSON.stringify({ kind: 'ExecCredential', status: { token: 'after-eof' } })));\n`);
  const started = Date.now();
  const options = await applied(contextConnection(execDocument({ command: process.execPath, args: [script] }), 'ctx', ['x']));
  assert.equal(options.headers.Authorization, 'Bearer after-eof');
  assert.ok(Date.now() - started < 30_000);
});

test('a kubeconfig is read as the yaml package reads it, whether the fast reader takes it or not (fixed texts and 300 seeded ones)', () => {
  const same = (text: string, why: string): void => {
    let expected: unknown;
    let expectedError: string | undefined;
    try {
      expected = parse(text) ?? {};
      if (typeof expected !== 'object' || Array.isArray(expected)) expectedError = 'not a kubeconfig';
    } catch (error) {
      expectedError = (error as Error).message;
    }
    if (expectedError !== undefined) {
      assert.throws(() => parseKubeconfig(text, 'kc'), ClusterError, `${why}: refused like yaml refuses it`);
      return;
    }
    assert.deepEqual(parseKubeconfig(text, 'kc'), expected, `${why}: ${JSON.stringify(text)}`);
  };
  const fixed = [
    'apiVersion: v1\nkind: Config\nclusters:\n  - name: c\n    cluster:\n      server: https://k:6443\n      insecure-skip-tls-verify: true\ncurrent-context: ctx\n',
    '\ufeffapiVersion: v1\nkind: Config\n',
    'clusters: [{name: c, cluster: {server: "https://k"}}]\n',
    'base: &b\n  server: https://k\nclusters:\n  - name: c\n    cluster: *b\n',
    'a: 1\na: 2\n',
    'a: 1\n---\nb: 2\n',
    '# only a comment\n',
    '',
    'users:\n  - name: u\n    user:\n      token: "0123"\n      username: 0123\n      password: null\n      exec:\n        args: ["--x", y]\n',
    'preferences: {}\ncontexts:\n- name: "a: b"\n  context: {cluster: c, user: u, namespace: ns}\n',
    '- not\n- a mapping\n',
    'key: "unterminated\n',
  ];
  fixed.forEach((text, i) => same(text, `fixed text ${i}`));
  const scalars: unknown[] = ['https://k.example:6443', 'true', true, 0, '0x1F', '1.0', null, 'with: colon', ' spaced ', 'ünïcode', '#hash', "it's", '- dash', '', 123456789012, 'yes', '~'];
  for (let seed = 1; seed <= 300; seed++) {
    const random = seededRandom(seed);
    const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)];
    const entry = (kind: string): Record<string, unknown> => ({ name: String(pick(scalars)), [kind]: Object.fromEntries(Array.from({ length: Math.floor(random() * 4) }, (_, i) => [`${kind}-field-${i}`, random() < 0.2 ? [pick(scalars), pick(scalars)] : pick(scalars)])) });
    const config = {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: Array.from({ length: Math.floor(random() * 3) }, () => entry('cluster')),
      users: Array.from({ length: Math.floor(random() * 3) }, () => entry('user')),
      contexts: Array.from({ length: Math.floor(random() * 3) }, () => entry('context')),
      'current-context': pick(scalars),
    };
    same(stringify(config, { defaultStringType: pick(['PLAIN', 'QUOTE_DOUBLE', 'QUOTE_SINGLE'] as const), collectionStyle: random() < 0.2 ? 'flow' : 'block' }), `seed ${seed}`);
  }
});

test('one TLS context per certificate set, built once and shared by its connections; a context with another CA never rides on it, through the keep-alive agent or without it', async () => {
  const served = createSandboxCertificates('k.test');
  const stranger = createSandboxCertificates('k.test');
  const server = https.createServer({ cert: served.serverCertPem, key: served.serverKeyPem }, (_req, res) => {
    res.writeHead(200, { 'Content-Type': 'application/json' });
    res.end('{"gitVersion":"v1.32.0"}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    const port = (server.address() as { port: number }).port;
    const cluster = (ca: string): Record<string, unknown> => ({ server: `https://127.0.0.1:${port}`, 'certificate-authority-data': b64(ca) });
    const doc = readKubeconfigFiles(['x'], () =>
      kubeconfig(
        [
          { name: 'ours', cluster: cluster(served.caCertPem) },
          { name: 'other', cluster: cluster(stranger.caCertPem) },
        ],
        [{ name: 'u', user: { token: 't' } }],
        [
          { name: 'trusted', context: { cluster: 'ours', user: 'u' } },
          { name: 'untrusted', context: { cluster: 'other', user: 'u' } },
        ],
      ),
    );
    const trusted = contextConnection(doc, 'trusted', ['x']);
    const first = (await applied(trusted)) as https.RequestOptions & { secureContext?: unknown };
    const second = (await applied(trusted)) as https.RequestOptions & { secureContext?: unknown };
    assert.ok(first.secureContext, 'a context with a CA gets a ready TLS context');
    assert.equal(second.secureContext, first.secureContext, 'built once per certificate set');
    const untrusted = contextConnection(doc, 'untrusted', ['x']);
    assert.notEqual(((await applied(untrusted)) as { secureContext?: unknown }).secureContext, first.secureContext);
    const good = new KubeClient(trusted, 'trusted');
    const bad = new KubeClient(untrusted, 'untrusted');
    for (const keepAlive of [true, false, true]) {
      const versions = await Promise.all([0, 1, 2].map(() => good.request<{ gitVersion: string }>('GET', '/version', { keepAlive })));
      assert.deepEqual(versions.map((v) => v.gitVersion), ['v1.32.0', 'v1.32.0', 'v1.32.0']);
      // The same server, host and port: only its CA differs, and the server's certificate is not signed by it.
      await assert.rejects(bad.request('GET', '/version', { keepAlive }), (e: unknown) => e instanceof ClusterError && /certificate/i.test(e.message), `keepAlive ${String(keepAlive)}`);
    }
  } finally {
    server.closeAllConnections();
    server.close();
  }
});
