// Writes a gitops.yaml from environments (for "GitOps: Create gitops.yaml from Discovered
// Environments"). The output is meant to be read and edited by people, so every field is commented;
// it parses back (parseGitopsConfig) into the same environments with source 'config'.
import { stringify } from 'yaml';
import { CONFIG_API_VERSION } from './config';
import { environmentPaths, type Environment, type EnvironmentSource } from './model';

const SOURCE_NAMES: Record<EnvironmentSource, string> = {
  config: 'gitops.yaml',
  kargo: 'a Kargo Stage',
  argocd: 'an Argo CD Application',
  flux: 'a Flux Kustomization',
  branches: 'a branch',
  folders: 'a folder',
};

/** A YAML scalar that reads back as the same string (quoted when YAML would see a bool, number…). */
function scalar(value: string): string {
  const plain = stringify(value, { lineWidth: 0 }).trimEnd();
  // Multi-line output (block scalars) cannot sit after a key on one line; JSON strings are valid YAML.
  return plain.includes('\n') ? JSON.stringify(value) : plain;
}

/** Comment text on one line, whatever the input holds. */
function comment(text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f]+/g, ' ');
}

function renderEnvironment(env: Environment): string[] {
  const from = env.declaredAt ? ` (${env.declaredAt.file}${env.declaredAt.range ? `:${env.declaredAt.range.start.line}` : ''})` : '';
  const lines = [`  # Found from ${SOURCE_NAMES[env.source]}${comment(from)}.`, `  - name: ${scalar(env.name)}`];
  lines.push(env.branch !== null ? `    branch: ${scalar(env.branch)}` : '    # branch: env/name        # omitted: the checked-out branch holds the desired state');
  const paths = environmentPaths(env);
  if (paths.length > 1) lines.push('    paths:                    # every folder of the environment (one per application)', ...paths.map((p) => `      - ${scalar(p)}`));
  else lines.push(env.path !== null ? `    path: ${scalar(env.path)}` : '    # path: deploy/name       # omitted: the repository root');
  if (env.repo !== null) lines.push(`    repo: ${scalar(env.repo)}      # another repository (folder or URL)`);
  if (env.cluster.context !== null || env.cluster.namespace !== null) {
    lines.push('    cluster:');
    if (env.cluster.context !== null) lines.push(`      context: ${scalar(env.cluster.context)}      # kubeconfig context`);
    if (env.cluster.namespace !== null) lines.push(`      namespace: ${scalar(env.cluster.namespace)}   # default namespace of its objects`);
  } else {
    lines.push('    # cluster: { context: my-context, namespace: my-namespace }   # set it to see drift and sync status');
  }
  lines.push(`    protected: ${env.protected ? 'true ' : 'false'}          # true: promotions into it need its name typed`);
  return lines;
}

/** Renders environments (in their `order`) as a commented gitops.yaml. */
export function renderGitopsConfig(environments: readonly Environment[]): string {
  const sorted = [...environments].sort((a, b) => a.order - b.order);
  const out = [
    '# GitOps Environments: the environments of this repository, in promotion order (first → last).',
    '# While this file exists it wins over discovery from Argo CD, Flux, branches and folders.',
    `apiVersion: ${CONFIG_API_VERSION}`,
  ];
  if (sorted.length === 0) out.push('environments: []   # add entries like  - name: dev');
  else out.push('environments:', ...sorted.flatMap(renderEnvironment));
  out.push(
    '',
    '# Optional, read by promotion and drift:',
    '# promotion:',
    "#   exclude: ['**/replicas.yaml']   # files a promotion never copies",
    '#   labels: [promotion]             # labels of promotion pull requests',
    '#   reviewers: []                   # reviewers requested on them',
    '# drift:',
    '#   mode: server                    # server: compare with a server-side dry-run; local: without the cluster',
    '#   ignoreDifferences:',
    '#     - { group: apps, kind: Deployment, jsonPointers: [/spec/replicas] }',
    '',
  );
  return out.join('\n');
}
