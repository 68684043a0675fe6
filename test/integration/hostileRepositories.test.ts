// Issue 6 §2, repositories: hostile gitops.yaml files, kustomizations (remote bases, exec plugins,
// escapes, cycles, a backtracking patch target), helm-ish folders (no helm, hostile output),
// symlinks out of the repository, folders and branches named with shell metacharacters — through
// discovery, rendering (trusted and untrusted), drift, `gitops-env envs` and promotion planning.
// Each stage yields a located error or a correct result within 2 s, with bounded memory, no crash,
// no plugin run and nothing from outside the repository shown; the table is printed and saved to
// test-results/hostile-repositories.txt.
import { describe } from 'node:test';
import { CONFIG_CASES, FOLDER_CASES } from '../hostile/corpus';
import { hostileCorpusTests } from '../hostile/suite';

describe('hostile gitops.yaml, kustomizations, charts and repository layouts', () => {
  hostileCorpusTests({ tableTitle: 'Hostile repositories', tableFile: 'hostile-repositories.txt', cases: [...CONFIG_CASES, ...FOLDER_CASES] });
});
