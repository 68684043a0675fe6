// What `gitops-env --help` and `gitops-env <command> --help` print: one entry per command with its
// forms and every flag it accepts. Kept apart from the commands so help never loads a command's
// code (the drift engine, the cluster client). A test checks that every flag a command accepts is
// listed here.

export interface FlagHelp {
  /** `--name` or `--name VALUE` as the user types it. */
  flag: string;
  text: string;
}

export interface CommandHelp {
  /** One line per form of the command, without the leading `gitops-env`. */
  forms: string[];
  summary: string;
  flags: FlagHelp[];
  /** Exit codes and other notes, one line each. */
  notes?: string[];
}

const JSON_FLAG: FlagHelp = { flag: '--json', text: 'print JSON (the shapes are stable; see the README)' };
const REPO_FLAG: FlagHelp = { flag: '--repo DIR', text: 'the repository (default: the current folder)' };
const HOST_FLAGS: FlagHelp[] = [
  { flag: '--provider KIND', text: 'pull-request host when the remote URL does not tell: github, gitlab, gitea, azure, bitbucket' },
  { flag: '--api-url URL', text: 'REST API base of a self-hosted host (e.g. https://git.example.com/api/v4)' },
];
const CLUSTER_FLAGS: FlagHelp[] = [
  { flag: '--kubeconfig FILE', text: 'kubeconfig (default: KUBECONFIG, then ~/.kube/config)' },
  { flag: '--context NAME', text: 'kubeconfig context (default: the environment\'s, else the current one)' },
];

export const COMMAND_HELP: Readonly<Record<string, CommandHelp>> = {
  envs: {
    forms: ['envs [--repo DIR] [--json]'],
    summary: 'the environments of a repository in promotion order, with their branches, folders and clusters',
    flags: [REPO_FLAG, JSON_FLAG],
    notes: ['Exit code: 0, or 2 when gitops.yaml has errors (each printed as file:line:column).'],
  },
  drift: {
    forms: [
      'drift --desired FILE --live FILE [--json] [--ignore-aggregated-roles]',
      'drift --repo DIR --env NAME [--kubeconfig FILE] [--context NAME] [--mode server|local] [--dry-run-all] [--json]',
      'drift -f FILE|DIR [--kubeconfig FILE] [--context NAME] [--namespace NS] [--mode server|local] [--dry-run-all] [--json]',
    ],
    summary: 'what differs between Git and the cluster, field by field, with the file and line that set each value',
    flags: [
      { flag: '--desired FILE', text: 'objects from Git (offline form, with --live)' },
      { flag: '--live FILE', text: 'live objects, e.g. from kubectl get -o yaml (offline form)' },
      { flag: '--repo DIR', text: 'the repository holding the environment (with --env)' },
      { flag: '--env NAME', text: 'the environment to compare with its cluster' },
      { flag: '-f, --filename FILE|DIR', text: 'manifests or a kustomization, like kubectl diff -f' },
      ...CLUSTER_FLAGS,
      { flag: '--namespace NS', text: 'namespace for objects that declare none (-f form)' },
      { flag: '--mode server|local', text: 'server: a server-side-apply dry-run predicts the result (default); local: no cluster write at all' },
      { flag: '--dry-run-all', text: 'server mode: dry-run every object, not only those a local comparison finds different' },
      { flag: '--selector SELECTOR', text: 'live objects with these labels and not in Git are reported as Extra' },
      { flag: '--request-timeout SECONDS', text: 'per cluster request (default 10)' },
      { flag: '--ignore-aggregated-roles', text: 'leave out the rules of aggregated ClusterRoles (offline form)' },
      JSON_FLAG,
    ],
    notes: ['Exit code: 0 in sync, 1 drift found (drifted, missing or extra), 2 error, a resource that could not be compared, or an Invalid one (Git\'s object is refused by the API server\'s dry-run or the schema: an error in Git that a sync cannot fix, listed with its problems and their lines).'],
  },
  health: {
    forms: ['health FILE... [--json]'],
    summary: 'the health of the objects in manifest files, by Argo CD\'s rules',
    flags: [JSON_FLAG],
    notes: ['Exit code: 0, or 2 when a file cannot be read.'],
  },
  promote: {
    forms: ['promote --from A [--to B] [--repo DIR] [--images] [--render] [--allow-identity-change] [--dry-run] [--json] [--provider KIND] [--api-url URL]'],
    summary: 'open (or update) the pull request that promotes environment A into B; without --to, the next environment in A\'s lane',
    flags: [
      { flag: '--from A', text: 'the environment to promote from' },
      { flag: '--to B', text: 'the environment to promote into (default: the next tier in A\'s lane, e.g. staging-eu → prod-eu)' },
      REPO_FLAG,
      { flag: '--images', text: 'change only image names, tags and digests in B\'s files' },
      { flag: '--render', text: 'render B before and after and list the objects added, removed and changed' },
      { flag: '--allow-identity-change', text: 'open the pull request even though B\'s objects would change name or namespace' },
      { flag: '--dry-run', text: 'print the plan; push nothing, open nothing' },
      JSON_FLAG,
      ...HOST_FLAGS,
    ],
    notes: [
      'Folder promotions go value by value: identity (namespace, name prefix, names with the environment\'s words) and the environment\'s own values (sizing, promotion.keep, values that never flowed) stay; the rest flows.',
      'Exit code: 0 planned or opened, 2 usage, configuration, Git or host error, 3 refused: B\'s objects would change name or namespace (see --allow-identity-change).',
      'Tokens: GITHUB_TOKEN, GITLAB_TOKEN, GITEA_TOKEN, AZURE_DEVOPS_TOKEN or BITBUCKET_TOKEN; without one, the compare URL is printed.',
      'Your checkout is never touched: the branch is built in a temporary worktree and pushed without force.',
    ],
  },
  rollback: {
    forms: ['rollback --env NAME --to COMMIT [--repo DIR] [--render] [--dry-run] [--json] [--provider KIND] [--api-url URL]'],
    summary: 'open the pull request that returns an environment to the content it had at COMMIT',
    flags: [
      { flag: '--env NAME', text: 'the environment to roll back' },
      { flag: '--to COMMIT', text: 'the commit whose content the environment returns to' },
      REPO_FLAG,
      { flag: '--render', text: 'render the environment before and after and list the objects that change' },
      { flag: '--dry-run', text: 'print the plan; push nothing, open nothing' },
      JSON_FLAG,
      ...HOST_FLAGS,
    ],
  },
  sync: {
    forms: ['sync --repo DIR --env NAME [--kubeconfig FILE] [--context NAME] [--prune] [--wait] [--timeout SECONDS] [--dry-run] [--confirm NAME] [--on-failure rollback] [--json]'],
    summary: 'apply an environment to its cluster (server-side apply, one ApplySet per environment): the push model for a pipeline',
    flags: [
      { flag: '--repo DIR', text: 'the repository holding the environment (default: the current folder)' },
      { flag: '--env NAME', text: 'the environment to apply, rendered at its branch\'s commit' },
      { flag: '--kubeconfig FILE', text: 'kubeconfig (default: KUBECONFIG, then ~/.kube/config; inside a pod without one, the service account)' },
      { flag: '--context NAME', text: 'kubeconfig context (default: the environment\'s, else the current one)' },
      { flag: '--prune', text: 'delete live members of the environment\'s ApplySet that Git no longer has (never objects it did not apply)' },
      { flag: '--wait', text: 'wait until every applied object is healthy by Argo CD\'s rules; progress on stderr' },
      { flag: '--timeout SECONDS', text: 'how long --wait (and the whole sync) may take (default 300)' },
      { flag: '--dry-run', text: 'server-side dry-run: print what would be created, changed and pruned; change nothing' },
      { flag: '--confirm NAME', text: 'the environment\'s name, required to apply a protected environment' },
      { flag: '--on-failure rollback', text: 'with --wait: when health fails, re-apply the last revision that synced healthy' },
      JSON_FLAG,
    ],
    notes: ['Exit code: 0 applied (and healthy with --wait), 1 apply error, unreachable cluster or not healthy, 2 usage or configuration error.'],
  },
  preview: {
    forms: ['preview --repo DIR --base REF --head REF [--kubeconfig FILE] [--format markdown|json]'],
    summary: 'what a change (base → head) does to each environment it touches, field by field, and what applying it would change live',
    flags: [
      { flag: '--repo DIR', text: 'the repository (default: the current folder)' },
      { flag: '--base REF', text: 'the commit or branch the change starts from (a pull request\'s target)' },
      { flag: '--head REF', text: 'the commit or branch with the change (a pull request\'s source)' },
      { flag: '--kubeconfig FILE', text: 'kubeconfig for the live part (default: KUBECONFIG, then ~/.kube/config); without one, no cluster is asked' },
      { flag: '--format markdown|json', text: 'markdown for a pull-request comment (default), or JSON' },
    ],
    notes: ['Exit code: 0 preview made, 1 a render or dry-run failed, 2 usage error. Secret values are never shown.'],
  },
  validate: {
    forms: ['validate FILE|DIR... [--kubeconfig FILE] [--context NAME] [--kubernetes-version V] [--json]'],
    summary: 'check manifests as the API server would (schema, unknown fields, its own rules; with a cluster its OpenAPI and a server dry-run), each problem at its line',
    flags: [
      { flag: '--kubeconfig FILE', text: 'validate against this cluster: its /openapi/v3 (cached for offline use) and a server-side dry-run of each object' },
      { flag: '--context NAME', text: 'kubeconfig context of that cluster (default: the current one); either flag turns the cluster check on' },
      { flag: '--kubernetes-version V', text: 'the Kubernetes version the manifests target, e.g. 1.32 (recorded in --json; only Kubernetes 1.34 schemas are bundled: another version gets a note on stderr)' },
      JSON_FLAG,
    ],
    notes: [
      'Without a cluster: bundled built-in schemas, and CRD schemas from CustomResourceDefinitions among the same files and folders.',
      'Exit code: 0 no problem, 1 problems found, 2 usage or read error.',
    ],
  },
  'set-image': {
    forms: ['set-image --env NAME --image NAME:TAG|NAME@DIGEST [--repo DIR] [--dry-run] [--json] [--provider KIND] [--api-url URL]'],
    summary: 'open the pull request that sets an image in an environment (what an application repository\'s build runs after pushing the image)',
    flags: [
      { flag: '--env NAME', text: 'the environment whose manifests change (every folder of it; a branch environment gets the pull request into its branch)' },
      { flag: '--image NAME:TAG|NAME@DIGEST', text: 'the image the build pushed; NAME as the environment\'s files name it (docker.io/library/ may be left out)' },
      REPO_FLAG,
      { flag: '--dry-run', text: 'print the plan; write nothing, push nothing, open nothing' },
      { flag: '--json', text: 'print JSON, the same shape as promote --json (changes, images, warnings, pullRequest, …)' },
      ...HOST_FLAGS,
    ],
    notes: [
      'Where a folder\'s kustomization has an images: entry for NAME, that entry\'s newTag / digest is set; otherwise the container image: fields (and Helm values image.repository + image.tag) naming it are set in place. Comments and formatting stay.',
      'A protected environment gets the pull request too, with no confirmation: a pull request is a proposal, reviewed before it merges.',
      'Exit code: 0 planned (--dry-run) or pushed, 1 the environment does not use the image (the ones it uses are listed), 2 usage or configuration error.',
    ],
  },
  sandbox: {
    forms: ['sandbox --kubeconfig FILE [--port N] [--seed DIR] [--context NAME] [--namespace NS] [--no-controllers] [--operators]'],
    summary: 'start the sandbox Kubernetes API server (for tests, demos and benchmarks); prints "ready <url>" and runs until stopped',
    flags: [
      { flag: '--kubeconfig FILE', text: 'where to write the kubeconfig that points at the sandbox (required)' },
      { flag: '--port N', text: 'port to listen on (default: any free port)' },
      { flag: '--seed DIR', text: 'apply the manifests of this folder at start' },
      { flag: '--context NAME', text: 'context name in the written kubeconfig' },
      { flag: '--namespace NS', text: 'the context\'s default namespace' },
      { flag: '--no-controllers', text: 'do not emulate the workload controllers (Deployments stay unavailable)' },
      { flag: '--operators', text: 'emulate Argo CD and Flux status for their objects' },
    ],
  },
};

/** The flag names a help entry lists (`--repo DIR` → `repo`; `-f, --filename` → `filename`). */
export function documentedFlags(help: CommandHelp): string[] {
  return help.flags.flatMap((f) => [...f.flag.matchAll(/--([a-z0-9-]+)/g)].map((m) => m[1]));
}

/** `gitops-env <command> --help`. */
export function commandHelpText(command: string): string | undefined {
  const help = COMMAND_HELP[command];
  if (!help) return undefined;
  const width = Math.max(...help.flags.map((f) => f.flag.length));
  const lines = [`gitops-env ${command} — ${help.summary}`, '', 'Usage:', ...help.forms.map((form) => `  gitops-env ${form}`), '', 'Options:'];
  for (const f of help.flags) lines.push(`  ${f.flag.padEnd(width)}  ${f.text}`);
  if (help.notes?.length) lines.push('', ...help.notes);
  return `${lines.join('\n')}\n`;
}

/** `gitops-env --help`: every command with its forms. */
export function usageText(version: string): string {
  const lines = [`gitops-env ${version} — GitOps environments from the command line`, '', 'Usage:'];
  for (const help of Object.values(COMMAND_HELP)) {
    for (const form of help.forms) lines.push(`  gitops-env ${form}`);
    lines.push(`      ${help.summary}`);
  }
  lines.push('  gitops-env --help | --version', '', 'gitops-env <command> --help lists every option of a command.');
  return `${lines.join('\n')}\n`;
}
