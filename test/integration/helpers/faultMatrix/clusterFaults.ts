// The cluster rows of the fault matrix: one sandbox API server shared by every cell (cells run one
// after another and remove their faults), a second kubeconfig whose user gets its token from an
// exec plugin that starts failing when a flag file exists, and each fault as "inject, return the
// undo" with the words the user must be shown (what happened, what to do).
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';
import type { FaultRule } from '../../../../src/sandbox/faultInjection';
import { startSandbox, type SandboxHandle } from '../../../../src/sandbox/sandboxServer';
import type { Fault, Feature } from './matrix';
import { tempDir } from '../tempGitRepo';

export const EXEC_CONTEXT = 'exec-sandbox';

export interface ClusterRig {
  sandbox: SandboxHandle;
  kubeconfig: string;
  /** Same cluster; the user authenticates through an exec plugin. */
  execKubeconfig: string;
  /** While this file exists the exec plugin fails like an expired SSO login. */
  execFailFlag: string;
  stop(): Promise<void>;
}

export async function startClusterRig(): Promise<ClusterRig> {
  const dir = tempDir('gitops-faults-cluster-');
  const kubeconfig = join(dir, 'kubeconfig');
  const sandbox = await startSandbox({ kubeconfigPath: kubeconfig, bookmarkIntervalMs: 200, controllers: false });
  const execFailFlag = join(dir, 'sso-expired');
  const plugin = join(dir, 'exec-plugin.mjs');
  // Tokens live 300 ms, so a failing plugin is noticed on the next reconnect rather than after an hour.
  writeFileSync(
    plugin,
    [
      `import { existsSync } from 'node:fs';`,
      `if (existsSync(${JSON.stringify(execFailFlag)})) { process.stderr.write('error: refresh token for acme-sso expired; run "acme login"\\n'); process.exit(1); }`,
      `process.stdout.write(JSON.stringify({ apiVersion: 'client.authentication.k8s.io/v1beta1', kind: 'ExecCredential', status: { token: ${JSON.stringify(sandbox.token)}, expirationTimestamp: new Date(Date.now() + 300).toISOString() } }));`,
    ].join('\n'),
  );
  const config = parse(readFileSync(kubeconfig, 'utf8')) as {
    clusters: Array<{ name: string }>;
    users: Array<Record<string, unknown>>;
    contexts: Array<Record<string, unknown>>;
  };
  config.users.push({ name: 'exec-user', user: { exec: { apiVersion: 'client.authentication.k8s.io/v1beta1', command: process.execPath, args: [plugin], interactiveMode: 'Never' } } });
  config.contexts.push({ name: EXEC_CONTEXT, context: { cluster: config.clusters[0].name, user: 'exec-user' } });
  const execKubeconfig = join(dir, 'kubeconfig-exec');
  writeFileSync(execKubeconfig, stringify(config));
  return {
    sandbox,
    kubeconfig,
    execKubeconfig,
    execFailFlag,
    stop: () => sandbox.stop(),
  };
}

export interface ClusterFaultSpec {
  fault: Fault;
  /** Cluster features the fault can reach (the others print "—"). */
  features: readonly Feature[];
  /**
   * Installs the fault for requests whose path matches `scope` and makes open watches go back to
   * the server so they meet it; returns what removes it.
   */
  inject(rig: ClusterRig, scope: RegExp): Promise<() => Promise<void>>;
  /** What happened, in the words the user sees. */
  cause: RegExp;
  /** What to do (or that it is being retried). */
  action: RegExp;
  /** False when the fault only hits writes (dry-runs): the live caches stay current. */
  staleLive: boolean;
  /** Scope for the operator view: omitted = every request of the cluster. */
  operatorScope?: RegExp;
  /** The context the feature must use (the exec-plugin user). */
  execContext?: boolean;
}

function rules(rules: FaultRule[], drop: 'close' | 'reset' | 'hang' = 'close'): ClusterFaultSpec['inject'] {
  return async (rig, scope) => {
    const ids = rules.map((rule) => rig.sandbox.faults.add({ ...rule, path: scope }));
    rig.sandbox.faults.dropWatches(drop, scope);
    return async () => {
      for (const id of ids) rig.sandbox.faults.remove(id);
    };
  };
}

const CLUSTER: readonly Feature[] = ['live cache/watch', 'drift report', 'operator status'];
const RETRIED = /retried|try again/i;

export const CLUSTER_FAULTS: readonly ClusterFaultSpec[] = [
  { fault: '401 Unauthorized', features: CLUSTER, inject: rules([{ status: 401 }]), cause: /401|unauthori[sz]ed/i, action: /log in|sign in|credentials/i, staleLive: true },
  { fault: '403 Forbidden', features: CLUSTER, inject: rules([{ status: 403 }]), cause: /403|forbidden/i, action: /permission|access/i, staleLive: true },
  // The kind's requests answer 404 (a namespace deleted, a CRD being reinstalled); for operators, Argo CD's Applications.
  { fault: '404 Not Found', features: CLUSTER, inject: rules([{ status: 404 }]), cause: /404|not ?found|does not serve/i, action: /CRD|install|namespace/i, staleLive: true, operatorScope: /argoproj\.io\/v1alpha1\/(namespaces\/[^/]+\/)?applications/ },
  // Only writes conflict: the drift report's server-side dry-runs.
  {
    fault: '409 Conflict',
    features: ['drift report'],
    inject: rules([{ method: 'PATCH', status: 409, message: 'Operation cannot be fulfilled on configmaps "a": the object has been modified; please apply your changes to the latest version and try again' }]),
    cause: /409|conflict|has been modified/i,
    action: /again|refresh/i,
    staleLive: false,
  },
  { fault: '410 Gone on watch', features: CLUSTER, inject: rules([{ watch: true, status: 410, message: 'too old resource version: 1 (2)' }]), cause: /410|too old|expired/i, action: /list|out of date|retried/i, staleLive: true },
  { fault: '429 with Retry-After', features: CLUSTER, inject: rules([{ status: 429, retryAfterSeconds: 1 }]), cause: /429|too many requests/i, action: RETRIED, staleLive: true },
  { fault: '500 Internal Server Error', features: CLUSTER, inject: rules([{ status: 500, message: 'etcdserver: request timed out' }]), cause: /500|etcdserver/i, action: RETRIED, staleLive: true },
  { fault: '503 Service Unavailable', features: CLUSTER, inject: rules([{ status: 503 }]), cause: /503|unavailable/i, action: RETRIED, staleLive: true },
  { fault: '10 s latency', features: CLUSTER, inject: rules([{ delayMs: 10_000 }]), cause: /no answer|silent|timed out/i, action: /slow|retried|reachable/i, staleLive: true },
  { fault: 'connection reset', features: CLUSTER, inject: rules([{ reset: true }], 'reset'), cause: /ECONNRESET|socket hang up|reset|aborted/i, action: /reachable|network/i, staleLive: true },
  { fault: 'watch stops sending', features: CLUSTER, inject: rules([{ watch: true, hang: true }], 'hang'), cause: /silent|no answer/i, action: /retried|slow|out of date/i, staleLive: true },
  {
    fault: 'cluster goes away and comes back',
    features: CLUSTER,
    inject: async (rig) => {
      await rig.sandbox.faults.goAway();
      return () => rig.sandbox.faults.comeBack();
    },
    cause: /ECONNREFUSED|refused/i,
    action: /running and reachable|network/i,
    staleLive: true,
  },
  {
    fault: 'kubeconfig exec plugin fails',
    features: CLUSTER,
    inject: async (rig, scope) => {
      writeFileSync(rig.execFailFlag, 'expired\n');
      // Let the last good token expire, then make the watches reconnect (and run the plugin).
      await new Promise((resolve) => setTimeout(resolve, 350));
      rig.sandbox.faults.dropWatches('close', scope);
      return async () => rmSync(rig.execFailFlag, { force: true });
    },
    cause: /acme-sso expired/i,
    action: /log in/i,
    staleLive: true,
    execContext: true,
  },
];
