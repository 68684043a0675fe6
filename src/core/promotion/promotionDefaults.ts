// Defaults shared by the planners when gitops.yaml says nothing.
import type { PromotionConfig } from '../config';

export function emptyPromotionConfig(): PromotionConfig {
  return { exclude: [], labels: [], reviewers: [], keep: [] };
}
