// One small folder promotion (staging → prod, one modified file, one commit, a GitHub host), the
// input the pull request body and plan output tests vary field by field.
import type { PlanInput } from '../../../src/core/promotion/buildPlan';
import { planFolderChanges } from '../../../src/core/promotion/fileChanges';

export function folderPromotionInput(overrides: Partial<PlanInput> = {}): PlanInput {
  return {
    kind: 'promotion',
    layout: 'folder',
    source: { environment: 'staging', ref: 'origin/main', commit: 'a'.repeat(40), shortCommit: 'aaaaaaa', branch: 'main', folder: 'envs/staging', tree: 't1', remote: 'origin' },
    target: { environment: 'prod', ref: 'origin/main', commit: 'b'.repeat(40), shortCommit: 'bbbbbbb', branch: 'release', folder: 'envs/prod', tree: 't2', remote: 'origin' },
    commits: [{ sha: 'c'.repeat(40), shortSha: 'ccccccc', subject: 'bump web', authorName: 'Ann', authorEmail: 'a@x', date: '2024-01-01T00:00:00Z' }],
    commitTotal: 1,
    files: planFolderChanges({
      sourceFiles: [{ path: 'envs/staging/f0.yaml', blob: 's0', mode: '100644' }],
      targetFiles: [{ path: 'envs/prod/f0.yaml', blob: 't0', mode: '100644' }],
      sourceFolder: 'envs/staging',
      targetFolder: 'envs/prod',
      exclude: [],
      selectDeletions: false,
    }),
    blobs: new Map([
      ['s0', 'a: next\n'],
      ['t0', 'a: current\n'],
    ]),
    host: { kind: 'github', webUrl: 'https://github.com/acme/gitops' },
    chain: [],
    ...overrides,
  };
}
