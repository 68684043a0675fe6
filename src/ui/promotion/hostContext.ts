// The pull-request host of a workspace folder's repository as the settings and gitops.yaml describe
// it: overrides (settings over gitops.yaml `hosts:`), and the hosts the repositories' remotes name
// (the choices "Sign in to Pull Request Host…" offers first).
import * as vscode from 'vscode';
import type { HostConfig } from '../../core/config';
import { detectHostKind, type HostOverrides } from '../../core/hostKind';
import { parseRemoteUrl } from '../../core/remoteUrl';
import type { EnvironmentsModel } from '../environmentsModel';
import { Settings } from '../ids';
import type { Logger } from '../logger';
import { mergeHostOverrides, type SignInKind } from './hostSettings';

/** Problems already reported, so a bad setting is logged once, not on every refresh. */
const reported = new Set<string>();

export function hostOverridesFor(folderUri: string, config: HostConfig | null, log: Logger): HostOverrides {
  const section = vscode.workspace.getConfiguration(Settings.section, vscode.Uri.parse(folderUri));
  const { overrides, problems } = mergeHostOverrides(config, {
    kind: section.get<string>(Settings.hostsKind, ''),
    apiUrl: section.get<string>(Settings.hostsApiUrl, ''),
  });
  for (const problem of problems) {
    if (reported.has(problem)) continue;
    reported.add(problem);
    log.warn(problem);
  }
  return overrides;
}

export interface RemoteHostChoice {
  host: string;
  kind: SignInKind | null;
  /** `demo-gitops (origin)`, for the QuickPick. */
  where: string;
}

/** Hosts named by the remotes of the workspace's repositories, kinds as settings make them. */
export async function remoteHostChoices(model: EnvironmentsModel, log: Logger): Promise<RemoteHostChoice[]> {
  await model.ensureLoaded();
  const out = new Map<string, RemoteHostChoice>();
  for (const status of model.folders()) {
    if (status.kind !== 'ready') continue;
    const overrides = hostOverridesFor(status.folder.uri.toString(), null, log);
    const remotes = await status.data.repo.remotes().catch(() => []);
    for (const remote of remotes) {
      const parsed = parseRemoteUrl(remote.fetchUrl);
      if (!parsed || out.has(parsed.host)) continue;
      const kind = detectHostKind(remote.fetchUrl, overrides).kind;
      out.set(parsed.host, { host: parsed.host, kind: kind === 'unknown' ? null : kind, where: `${status.folder.name} (${remote.name})` });
    }
  }
  return [...out.values()];
}
