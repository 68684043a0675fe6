// Which executable renders what: explicit settings first, then PATH.
import { findExecutable } from './findExecutable';
import type { RenderTools } from './renderEnvironment';

/** Untrusted workspaces never start a rendering executable (ARCHITECTURE.md, security rules). */
export const RESTRICTED_MODE_MESSAGE = 'Rendering is off in Restricted Mode: kustomize and helm are not run in an untrusted workspace';

export interface KustomizeCommand {
  executable: string;
  /** Arguments before the folder: `build` for kustomize, `kustomize` for kubectl. */
  args: string[];
  tool: 'kustomize' | 'kubectl';
}

/** `kustomize build` when kustomize is available, else `kubectl kustomize`; null when neither is. */
export async function kustomizeCommand(tools: RenderTools = {}): Promise<KustomizeCommand | null> {
  if (tools.kustomize) return { executable: tools.kustomize, args: ['build'], tool: 'kustomize' };
  const kustomize = tools.kubectl ? null : await findExecutable('kustomize');
  if (kustomize) return { executable: kustomize, args: ['build'], tool: 'kustomize' };
  const kubectl = tools.kubectl ?? (await findExecutable('kubectl'));
  return kubectl ? { executable: kubectl, args: ['kustomize'], tool: 'kubectl' } : null;
}

export async function helmExecutable(tools: RenderTools = {}): Promise<string | null> {
  return tools.helm ?? (await findExecutable('helm'));
}
