// What a promotion needs to know about a repository before planning: its environments (gitops.yaml
// or discovery, from the working tree), the `promotion` and `hosts` sections of gitops.yaml, and
// any errors that make the environment list unreliable.
import { emptyPromotionConfig } from '../../core/promotion/promotionDefaults';
import { parseGitopsConfig, type HostConfig, type PromotionConfig } from '../../core/config';
import { discoverEnvironments } from '../../core/discovery';
import type { Environment, LocatedProblem } from '../../core/model';
import type { GitRepository } from '../gitRepository';
import { workingTreeView } from '../repoViews';

export interface PromotionContext {
  environments: Environment[];
  promotion: PromotionConfig;
  hosts: HostConfig | null;
  problems: LocatedProblem[];
}

export async function loadPromotionContext(repo: GitRepository): Promise<PromotionContext> {
  const view = workingTreeView(repo);
  const remoteUrls = (await repo.remotes()).map((r) => r.fetchUrl);
  const discovery = await discoverEnvironments(view, { remoteUrls });
  let promotion = emptyPromotionConfig();
  let hosts: HostConfig | null = null;
  if (discovery.configFile) {
    const text = await view.readFile(discovery.configFile);
    const config = text === undefined ? null : parseGitopsConfig(text, discovery.configFile).config;
    if (config) {
      promotion = config.promotion;
      hosts = config.hosts;
    }
  }
  return { environments: discovery.environments, promotion, hosts, problems: discovery.problems };
}
