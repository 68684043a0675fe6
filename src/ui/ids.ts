// Every id the extension shares with package.json, in one place (a unit test checks both agree).

export const VIEW_CONTAINER_ID = 'gitops';
export const ENVIRONMENTS_VIEW_ID = 'gitopsEnvironments.environments';

export const Commands = {
  refresh: 'gitops.refresh',
  createConfig: 'gitops.createConfig',
  openDocs: 'gitops.openDocs',
  showLog: 'gitops.showLog',
  openResource: 'gitops.openResource',
  openCommit: 'gitops.openCommit',
  copyCommitSha: 'gitops.copyCommitSha',
  openEnvironmentFile: 'gitops.openEnvironmentFile',
  openProblem: 'gitops.openProblem',
  revealEnvironment: 'gitops.revealEnvironment',
  retryCluster: 'gitops.retryCluster',
  showDriftReport: 'gitops.showDriftReport',
  compareEnvironments: 'gitops.compareEnvironments',
  showResourceDiff: 'gitops.showResourceDiff',
  syncResource: 'gitops.syncResource',
  syncEnvironment: 'gitops.syncEnvironment',
  acceptLive: 'gitops.acceptLive',
  promote: 'gitops.promote',
  rollback: 'gitops.rollback',
  signInHost: 'gitops.signInHost',
  signOutHost: 'gitops.signOutHost',
  refreshPullRequests: 'gitops.refreshPullRequests',
  openPullRequest: 'gitops.openPullRequest',
  previewImpact: 'gitops.previewImpact',
  argoSync: 'gitops.argoSync',
  argoRefresh: 'gitops.argoRefresh',
  argoHardRefresh: 'gitops.argoHardRefresh',
  fluxReconcile: 'gitops.fluxReconcile',
  fluxSuspend: 'gitops.fluxSuspend',
  fluxResume: 'gitops.fluxResume',
} as const;

export const ContextKeys = {
  /** 'loading' | 'noGit' | 'noEnvironments' | 'ready' — drives the view's welcome content. */
  workspaceState: 'gitops.workspaceState',
  canCreateConfig: 'gitops.canCreateConfig',
} as const;

export const Settings = {
  section: 'gitops',
  kubeconfig: 'kubeconfig',
  renderTimeoutSeconds: 'renderTimeoutSeconds',
  pendingCommitLimit: 'pendingCommitLimit',
  clusterStatus: 'clusterStatus',
  driftEnabled: 'drift.enabled',
  driftMode: 'drift.mode',
  driftProblems: 'drift.problems',
  hostsKind: 'hosts.kind',
  hostsApiUrl: 'hosts.apiUrl',
  promotionRenderPreview: 'promotion.renderPreview',
  promotionHistoryLimit: 'promotion.historyLimit',
  promotionPullRequestRefreshMinutes: 'promotion.pullRequestRefreshMinutes',
} as const;

/** URI scheme of read-only file contents at a Git ref (`gitops-ref:/path?ref=...&repo=...`). */
export const REF_CONTENT_SCHEME = 'gitops-ref';

export const DOCS_URL = 'https://github.com/gitops-environments/gitops-environments#readme';

/** The environments tree gathers model, drift, operator and PR events this long before one repaint. */
export const TREE_REPAINT_MS = 150;
