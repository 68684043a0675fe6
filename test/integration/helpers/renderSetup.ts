// Render test setup: a fixture committed into a temp repository, read at a ref the way the
// extension reads it (refView + materializeRef), plus fake tool executables.
import { chmodSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitRepository } from '../../../src/git/gitRepository';
import { materializeRef } from '../../../src/git/materialize';
import { refView } from '../../../src/git/repoViews';
import type { RenderInput } from '../../../src/render/renderEnvironment';
import { repoFromFixture, tempDir } from './tempGitRepo';

export const FIXTURES = join(__dirname, '..', '..', 'fixtures', 'render');

export interface RenderRepo {
  root: string;
  repo: GitRepository;
  /** A RenderInput for `path` at `main`; override anything. */
  input(path: string | null, overrides?: Partial<RenderInput>): RenderInput;
}

export async function renderRepo(fixtureDir: string): Promise<RenderRepo> {
  const root = repoFromFixture(fixtureDir);
  const repo = await GitRepository.open(root);
  const cache = tempDir('gitops-render-');
  return {
    root,
    repo,
    input: (path, overrides = {}) => ({
      view: refView(repo, 'main'),
      path,
      trusted: true,
      materialize: () => materializeRef(repo, 'main', cache),
      ...overrides,
    }),
  };
}

/** An executable shell script in a fresh folder; returns its path. */
export function fakeTool(name: string, body: string, dir = tempDir('gitops-tool-')): string {
  const path = join(dir, name);
  writeFileSync(path, `#!/bin/sh\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/** `file:line` of a location, for compact assertions. */
export function at(location: { file: string; range?: { start: { line: number } } } | undefined): string {
  return location ? `${location.file}:${location.range?.start.line ?? '-'}` : '-';
}
