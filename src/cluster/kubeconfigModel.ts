// The kubeconfig as kubectl reads it, without @kubernetes/client-node: the files parsed, merged
// in KUBECONFIG order (the first file to name a cluster, user or context wins, as does the first
// current-context), and file paths made absolute against the file that names them. Loading
// client-node's config module evaluated its 700 generated models and auth providers: about 35 ms
// of every command's start, and its per-request credential step showed in a 1,000-object sync.
import { readFileSync } from 'node:fs';
import { dirname, isAbsolute, resolve } from 'node:path';
import { parse } from 'yaml';
import { readFastDocuments } from '../core/fastManifest';
import { ClusterError } from './clusterError';

type Raw = Record<string, unknown>;

export interface KubeconfigCluster {
  name: string;
  server: string;
  certificateAuthorityData?: string;
  certificateAuthority?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
}

export interface ExecConfig {
  apiVersion: string;
  command: string;
  args: string[];
  env: Array<{ name: string; value: string }>;
  installHint?: string;
  provideClusterInfo: boolean;
}

export interface KubeconfigUser {
  name: string;
  token?: string;
  tokenFile?: string;
  clientCertificateData?: string;
  clientCertificate?: string;
  clientKeyData?: string;
  clientKey?: string;
  username?: string;
  password?: string;
  exec?: ExecConfig;
  /** A legacy auth provider (gcp, azure, oidc): client-node's implementation serves it. */
  authProvider?: Raw;
}

export interface KubeconfigContext {
  name: string;
  cluster: string;
  user: string;
  namespace?: string;
}

export interface KubeconfigDocument {
  clusters: Map<string, KubeconfigCluster>;
  users: Map<string, KubeconfigUser>;
  contexts: Map<string, KubeconfigContext>;
  currentContext: string | null;
  /** The merged configuration as kubeconfig YAML data (absolute paths), for client-node when a context needs it. */
  raw: { clusters: Raw[]; users: Raw[]; contexts: Raw[]; 'current-context'?: string };
}

function isRecord(value: unknown): value is Raw {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}

/** A path the file names, absolute: kubectl reads relative paths against the kubeconfig's folder. */
function pathFrom(base: string, value: unknown): string | undefined {
  const path = text(value);
  if (path === undefined) return undefined;
  return isAbsolute(path) ? path : resolve(base, path);
}

/** An exec command with a path separator is relative to the kubeconfig's folder; a bare name is looked up on PATH. */
function commandFrom(base: string, value: string): string {
  return !isAbsolute(value) && value.includes('/') ? resolve(base, value) : value;
}

function named(list: unknown, what: string, file: string): Array<{ name: string; body: Raw }> {
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) throw new ClusterError('config', `Cannot read kubeconfig ${file}: "${what}" is not a list`);
  const out: Array<{ name: string; body: Raw }> = [];
  for (const item of list) {
    if (!isRecord(item) || typeof item.name !== 'string') continue;
    const key = what === 'clusters' ? 'cluster' : what === 'users' ? 'user' : 'context';
    out.push({ name: item.name, body: isRecord(item[key]) ? item[key] : {} });
  }
  return out;
}

function readCluster(name: string, body: Raw, base: string): { entry: KubeconfigCluster; raw: Raw } {
  const certificateAuthority = pathFrom(base, body['certificate-authority']);
  const entry: KubeconfigCluster = {
    name,
    server: typeof body.server === 'string' ? body.server : '',
    insecureSkipTlsVerify: body['insecure-skip-tls-verify'] === true,
  };
  const data = text(body['certificate-authority-data']);
  if (data) entry.certificateAuthorityData = data;
  if (certificateAuthority) entry.certificateAuthority = certificateAuthority;
  const serverName = text(body['tls-server-name']);
  if (serverName) entry.tlsServerName = serverName;
  const proxy = text(body['proxy-url']);
  if (proxy) entry.proxyUrl = proxy;
  return { entry, raw: { name, cluster: { ...body, ...(certificateAuthority ? { 'certificate-authority': certificateAuthority } : {}) } } };
}

function readExec(body: Raw, base: string): ExecConfig | undefined {
  const command = text(body.command);
  if (!command) return undefined;
  const env = Array.isArray(body.env) ? body.env.filter(isRecord).map((e) => ({ name: String(e.name ?? ''), value: String(e.value ?? '') })).filter((e) => e.name !== '') : [];
  return {
    apiVersion: text(body.apiVersion) ?? 'client.authentication.k8s.io/v1beta1',
    command: commandFrom(base, command),
    args: Array.isArray(body.args) ? body.args.map(String) : [],
    env,
    installHint: text(body.installHint),
    provideClusterInfo: body.provideClusterInfo === true,
  };
}

function readUser(name: string, body: Raw, base: string): { entry: KubeconfigUser; raw: Raw } {
  const entry: KubeconfigUser = { name };
  const rawBody: Raw = { ...body };
  const strings: Array<[keyof KubeconfigUser, string]> = [
    ['token', 'token'],
    ['clientCertificateData', 'client-certificate-data'],
    ['clientKeyData', 'client-key-data'],
    ['username', 'username'],
    ['password', 'password'],
  ];
  for (const [field, key] of strings) {
    const value = text(body[key]);
    if (value !== undefined) (entry as unknown as Record<string, string>)[field] = value;
  }
  const files: Array<[keyof KubeconfigUser, string]> = [
    ['tokenFile', 'tokenFile'],
    ['clientCertificate', 'client-certificate'],
    ['clientKey', 'client-key'],
  ];
  for (const [field, key] of files) {
    const path = pathFrom(base, body[key]);
    if (path === undefined) continue;
    (entry as unknown as Record<string, string>)[field] = path;
    rawBody[key] = path;
  }
  if (isRecord(body.exec)) {
    const exec = readExec(body.exec, base);
    if (exec) {
      entry.exec = exec;
      rawBody.exec = { ...body.exec, command: exec.command };
    }
  }
  if (isRecord(body['auth-provider'])) entry.authProvider = body['auth-provider'];
  return { entry, raw: { name, user: rawBody } };
}

/** Parses one kubeconfig file's text; `file` names it in errors and anchors its relative paths. */
export function parseKubeconfig(content: string, file: string): Raw {
  // The fast reader takes the plain YAML kubeconfigs are written in (a tenth of the time of a cold
  // `yaml` parser, which was 12 ms of a CLI drift run); it gives up on anything else — anchors,
  // flow collections, duplicate keys, several documents — and `yaml` reads it as before.
  const fast = readFastDocuments(content.charCodeAt(0) === 0xfeff ? content.slice(1) : content);
  if (fast && fast.length === 1 && fast[0].value) return fast[0].value;
  let parsed: unknown;
  try {
    parsed = parse(content);
  } catch (error) {
    throw new ClusterError('config', `Cannot read kubeconfig ${file}: ${(error as Error).message}`);
  }
  if (parsed === null || parsed === undefined) return {};
  if (!isRecord(parsed)) throw new ClusterError('config', `Cannot read kubeconfig ${file}: not a kubeconfig (a mapping with clusters, users and contexts)`);
  return parsed;
}

/** Reads and merges `files` in order (kubectl's rules: the first to name an entry wins). */
export function readKubeconfigFiles(files: readonly string[], read: (file: string) => string = (file) => readFileSync(file, 'utf8')): KubeconfigDocument {
  const doc: KubeconfigDocument = { clusters: new Map(), users: new Map(), contexts: new Map(), currentContext: null, raw: { clusters: [], users: [], contexts: [] } };
  for (const file of files) {
    let content: string;
    try {
      content = read(file);
    } catch (error) {
      throw new ClusterError('config', `Cannot read kubeconfig ${file}: ${(error as Error).message}`);
    }
    const config = parseKubeconfig(content, file);
    const base = dirname(resolve(file));
    for (const { name, body } of named(config.clusters, 'clusters', file)) {
      if (doc.clusters.has(name)) continue;
      const { entry, raw } = readCluster(name, body, base);
      doc.clusters.set(name, entry);
      doc.raw.clusters.push(raw);
    }
    for (const { name, body } of named(config.users, 'users', file)) {
      if (doc.users.has(name)) continue;
      const { entry, raw } = readUser(name, body, base);
      doc.users.set(name, entry);
      doc.raw.users.push(raw);
    }
    for (const { name, body } of named(config.contexts, 'contexts', file)) {
      if (doc.contexts.has(name)) continue;
      const context: KubeconfigContext = { name, cluster: String(body.cluster ?? ''), user: String(body.user ?? '') };
      if (typeof body.namespace === 'string' && body.namespace !== '') context.namespace = body.namespace;
      doc.contexts.set(name, context);
      doc.raw.contexts.push({ name, context: body });
    }
    const current = text(config['current-context']);
    if (doc.currentContext === null && current !== undefined) {
      doc.currentContext = current;
      doc.raw['current-context'] = current;
    }
  }
  return doc;
}
