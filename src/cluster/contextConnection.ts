// How requests to one kubeconfig context are made: the server, TLS (CA, client certificate,
// insecure-skip-tls-verify, tls-server-name) and the Authorization header (token, token file,
// basic, exec credential plugin), prepared once per context so each request only copies them.
// A context with a legacy auth-provider (gcp, azure, oidc) or a proxy-url is served by
// @kubernetes/client-node's implementation, loaded only then.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type https from 'node:https';
import { createSecureContext, type SecureContext } from 'node:tls';
import { ClusterError } from './clusterError';
import type { ExecConfig, KubeconfigCluster, KubeconfigDocument, KubeconfigUser } from './kubeconfigModel';

export interface ContextConnection {
  readonly context: string;
  /** The API server's URL as the kubeconfig gives it ('' when the context names no cluster). */
  readonly server: string;
  /** The namespace the context names; null when it names none. */
  readonly namespace: string | null;
  /** Puts TLS and credentials on one request's options (may run an exec plugin or read a token file). */
  apply(options: https.RequestOptions): Promise<void>;
  /** The server refused the credential (401): get it afresh next time (exec plugin, token file). */
  forget?(): void;
}

/** A token file is read again after this long (client-go re-reads it every minute: rotated tokens). */
const TOKEN_FILE_TTL_MS = 60_000;
/** An exec credential is renewed this long before it expires. */
const EXEC_RENEW_BEFORE_MS = 10_000;
const EXEC_TIMEOUT_MS = 60_000;

function readBytes(file: string, what: string, context: string): Buffer {
  try {
    return readFileSync(file);
  } catch (error) {
    throw new ClusterError('config', `Context "${context}": cannot read the ${what} ${file}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
  }
}

function fromData(data: string): Buffer {
  return Buffer.from(data, 'base64');
}

interface ExecResult {
  token?: string;
  cert?: string;
  key?: string;
  /** ms since epoch; undefined when the plugin gave none (valid until a 401). */
  expires?: number;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Runs an exec credential plugin (no shell) and caches what it gives until it expires. */
class ExecCredentials {
  private cached: ExecResult | undefined;
  private pending: Promise<ExecResult> | undefined;

  constructor(
    private readonly exec: ExecConfig,
    private readonly cluster: KubeconfigCluster | undefined,
    private readonly context: string,
  ) {}

  forget(): void {
    this.cached = undefined;
  }

  async get(): Promise<ExecResult> {
    const cached = this.cached;
    if (cached && (cached.expires === undefined || cached.expires - EXEC_RENEW_BEFORE_MS > Date.now())) return cached;
    this.pending ??= this.run().finally(() => {
      this.pending = undefined;
    });
    this.cached = await this.pending;
    return this.cached;
  }

  private run(): Promise<ExecResult> {
    const execConfig = this.exec;
    const spec: Record<string, unknown> = { interactive: false };
    if (execConfig.provideClusterInfo && this.cluster) {
      spec.cluster = {
        server: this.cluster.server,
        ...(this.cluster.tlsServerName ? { 'tls-server-name': this.cluster.tlsServerName } : {}),
        ...(this.cluster.certificateAuthorityData ? { 'certificate-authority-data': this.cluster.certificateAuthorityData } : {}),
        'insecure-skip-tls-verify': this.cluster.insecureSkipTlsVerify,
      };
    }
    const env: NodeJS.ProcessEnv = { ...process.env, KUBERNETES_EXEC_INFO: JSON.stringify({ apiVersion: execConfig.apiVersion, kind: 'ExecCredential', spec }) };
    for (const { name, value } of execConfig.env) env[name] = value;
    return new Promise<ExecResult>((resolve, reject) => {
      const child = execFile(execConfig.command, execConfig.args, { env, timeout: EXEC_TIMEOUT_MS, maxBuffer: 4 * 2 ** 20, encoding: 'utf8', windowsHide: true }, (error, stdout, stderr) => {
        if (error) {
          const code: unknown = (error as { code?: unknown }).code;
          if (code === 'ENOENT') {
            reject(new ClusterError('config', `Context "${this.context}": the credential plugin ${execConfig.command} is not installed${execConfig.installHint ? ` — ${execConfig.installHint.trim()}` : ''}`));
            return;
          }
          const said = stderr.trim() || error.message;
          const exit = typeof code === 'number' ? ` (exit ${String(code)})` : error.killed ? ' (timed out)' : '';
          reject(new ClusterError('unauthorized', `Credentials for context "${this.context}" failed: ${execConfig.command}${exit}: ${said}`));
          return;
        }
        let parsed: unknown;
        try {
          parsed = JSON.parse(stdout);
        } catch {
          reject(new ClusterError('unauthorized', `Credentials for context "${this.context}" failed: ${execConfig.command} printed no ExecCredential JSON`));
          return;
        }
        const status = isRecord(parsed) && isRecord(parsed.status) ? parsed.status : {};
        const result: ExecResult = {};
        if (typeof status.token === 'string' && status.token !== '') result.token = status.token;
        if (typeof status.clientCertificateData === 'string' && typeof status.clientKeyData === 'string') {
          result.cert = status.clientCertificateData;
          result.key = status.clientKeyData;
        }
        if (typeof status.expirationTimestamp === 'string') {
          const expires = Date.parse(status.expirationTimestamp);
          if (!Number.isNaN(expires)) result.expires = expires;
        }
        if (result.token === undefined && result.cert === undefined) {
          reject(new ClusterError('unauthorized', `Credentials for context "${this.context}" failed: ${execConfig.command} gave neither a token nor a client certificate`));
          return;
        }
        resolve(result);
      });
      // Not interactive: a plugin that reads its input gets end-of-file, not a wait until the timeout.
      child.stdin?.end();
    });
  }
}

/** TLS and credentials from the kubeconfig's own fields, computed once. */
class NativeConnection implements ContextConnection {
  private tls: Partial<https.RequestOptions> | undefined;
  /** The TLS context of the last certificate pair given (exec plugins can rotate theirs). */
  private secureContext: { ca?: unknown; cert?: unknown; key?: unknown; context: SecureContext | undefined } | undefined;
  private tokenFile: { token: string; readAt: number } | undefined;
  private readonly execCredentials: ExecCredentials | undefined;

  constructor(
    readonly context: string,
    readonly namespace: string | null,
    private readonly cluster: KubeconfigCluster | undefined,
    private readonly user: KubeconfigUser | undefined,
  ) {
    this.execCredentials = user?.exec ? new ExecCredentials(user.exec, cluster, context) : undefined;
  }

  get server(): string {
    return this.cluster?.server ?? '';
  }

  forget(): void {
    this.execCredentials?.forget();
    this.tokenFile = undefined;
  }

  async apply(options: https.RequestOptions): Promise<void> {
    Object.assign(options, this.staticTls());
    const headers = (options.headers ?? {}) as Record<string, string>;
    options.headers = headers;
    const user = this.user;
    if (user && this.execCredentials) {
      const credential = await this.execCredentials.get();
      if (credential.token !== undefined) headers.Authorization = `Bearer ${credential.token}`;
      if (credential.cert !== undefined && credential.key !== undefined) {
        options.cert = credential.cert;
        options.key = credential.key;
      }
    } else if (user) {
      if (user.token !== undefined) headers.Authorization = `Bearer ${user.token}`;
      else if (user.tokenFile !== undefined) headers.Authorization = `Bearer ${this.fileToken(user.tokenFile)}`;
      else if (user.username !== undefined && user.password !== undefined) headers.Authorization = `Basic ${Buffer.from(`${user.username}:${user.password}`).toString('base64')}`;
    }
    this.shareSecureContext(options);
  }

  /**
   * Each new connection would otherwise build its own TLS context from the PEM text (parsing the CA
   * and the key pair: milliseconds per connection, and a CLI run opens several). One context per
   * certificate pair is built once and handed to every connection. ca/cert/key stay on the options:
   * the agent pools sockets by them, so a connection is never shared across credentials.
   */
  private shareSecureContext(options: https.RequestOptions): void {
    const { ca, cert, key } = options;
    if (ca === undefined && cert === undefined && key === undefined) return;
    const known = this.secureContext;
    if (!known || known.ca !== ca || known.cert !== cert || known.key !== key) {
      let context: SecureContext | undefined;
      try {
        context = createSecureContext({ ca, cert, key });
      } catch {
        // A malformed certificate or key: the connection builds its own and fails there, with the error requests report.
        context = undefined;
      }
      this.secureContext = { ca, cert, key, context };
    }
    // The agent hands the request's options to tls.connect, which takes a ready context.
    if (this.secureContext?.context) (options as https.RequestOptions & { secureContext?: SecureContext }).secureContext = this.secureContext.context;
  }

  private fileToken(file: string): string {
    const now = Date.now();
    if (!this.tokenFile || now - this.tokenFile.readAt > TOKEN_FILE_TTL_MS) this.tokenFile = { token: readBytes(file, 'token file', this.context).toString('utf8').trim(), readAt: now };
    return this.tokenFile.token;
  }

  /** CA, client certificate and server-name checks: files read once per context. */
  private staticTls(): Partial<https.RequestOptions> {
    if (this.tls) return this.tls;
    const tls: Partial<https.RequestOptions> = {};
    const cluster = this.cluster;
    if (cluster) {
      if (cluster.certificateAuthorityData) tls.ca = fromData(cluster.certificateAuthorityData);
      else if (cluster.certificateAuthority) tls.ca = readBytes(cluster.certificateAuthority, 'certificate authority', this.context);
      if (cluster.insecureSkipTlsVerify) tls.rejectUnauthorized = false;
      if (cluster.tlsServerName) tls.servername = cluster.tlsServerName;
    }
    const user = this.user;
    if (user && !user.exec) {
      if (user.clientCertificateData) tls.cert = fromData(user.clientCertificateData);
      else if (user.clientCertificate) tls.cert = readBytes(user.clientCertificate, 'client certificate', this.context);
      if (user.clientKeyData) tls.key = fromData(user.clientKeyData);
      else if (user.clientKey) tls.key = readBytes(user.clientKey, 'client key', this.context);
    }
    this.tls = tls;
    return tls;
  }
}

interface ClientNodeConfig {
  loadFromString(text: string): void;
  setCurrentContext(context: string): void;
  applyToHTTPSOptions(options: https.RequestOptions): Promise<void>;
}

/** A context only client-node can serve (auth-provider, proxy-url): its module is loaded on first use. */
class ClientNodeConnection implements ContextConnection {
  private config: Promise<ClientNodeConfig> | undefined;

  constructor(
    readonly context: string,
    readonly namespace: string | null,
    readonly server: string,
    private readonly document: KubeconfigDocument,
  ) {}

  async apply(options: https.RequestOptions): Promise<void> {
    this.config ??= import('@kubernetes/client-node/dist/config.js').then(async ({ KubeConfig }) => {
      const { stringify } = await import('yaml');
      const config = new KubeConfig();
      config.loadFromString(stringify({ apiVersion: 'v1', kind: 'Config', ...this.document.raw }));
      config.setCurrentContext(this.context);
      return config as ClientNodeConfig;
    });
    await (await this.config).applyToHTTPSOptions(options);
  }
}

/** The connection of `context` in a merged kubeconfig; ClusterError `config` when it has no such context. */
export function contextConnection(document: KubeconfigDocument, context: string, files: readonly string[]): ContextConnection {
  const entry = document.contexts.get(context);
  if (!entry) throw new ClusterError('config', `Context "${context}" is not in ${files.join(', ')}`);
  const cluster = document.clusters.get(entry.cluster);
  const user = document.users.get(entry.user);
  const namespace = entry.namespace ?? null;
  if (user?.authProvider !== undefined || cluster?.proxyUrl !== undefined) return new ClientNodeConnection(context, namespace, cluster?.server ?? '', document);
  return new NativeConnection(context, namespace, cluster, user);
}

/** The pod's service account, as client-go's in-cluster config: token (re-read), CA and namespace files. */
export function serviceAccountConnection(options: { host: string; port: string; tokenFile: string; caFile: string; namespace: string | null }): ContextConnection {
  const host = options.host.includes(':') && !options.host.startsWith('[') ? `[${options.host}]` : options.host;
  const cluster: KubeconfigCluster = { name: 'inCluster', server: `https://${host}:${options.port}`, certificateAuthority: options.caFile, insecureSkipTlsVerify: false };
  const user: KubeconfigUser = { name: 'inClusterUser', tokenFile: options.tokenFile };
  return new NativeConnection('inClusterContext', options.namespace, cluster, user);
}
