// A cluster's OpenAPI v3 documents (built-in kinds and its CRDs), fetched from /openapi/v3 and kept
// on disk per cluster, so `gitops-env validate` checks against the cluster's own schema and still
// can when the cluster is out of reach. The cache key is the server URL and context (hashed); a
// document is re-fetched only when the index names a new hash for it.
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { KubeClient } from './kubeClient';

interface OpenApiIndex {
  paths?: Record<string, { serverRelativeURL?: string }>;
}

interface CachedSchemas {
  server: string;
  fetchedAt: string;
  /** group-version path → { hash URL, document } */
  documents: Record<string, { url: string; document: unknown }>;
}

/** The user's cache folder for this tool (XDG_CACHE_HOME, else ~/.cache). */
export function userCacheDir(env: NodeJS.ProcessEnv = process.env): string {
  return join(env.XDG_CACHE_HOME || join(env.HOME ?? homedir(), '.cache'), 'gitops-environments');
}

function cacheFile(cacheDir: string, server: string, context: string): string {
  const key = createHash('sha256').update(`${server}\u0000${context}`).digest('hex').slice(0, 24);
  return join(cacheDir, 'openapi', `${key}.json`);
}

function readCache(file: string): CachedSchemas | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as CachedSchemas;
    return parsed && typeof parsed.documents === 'object' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

export interface ClusterSchemas {
  documents: unknown[];
  /** `live` when fetched now, `cache` when the cluster could not be reached and the cache answered. */
  source: 'live' | 'cache';
  fetchedAt: string;
}

/**
 * The cluster's OpenAPI v3 documents; on a connection failure, the last ones cached for it.
 * Throws the connection error when there is no cache either.
 */
export async function clusterOpenApiDocuments(client: KubeClient, cacheDir: string): Promise<ClusterSchemas> {
  const file = cacheFile(cacheDir, client.serverUrl, client.context);
  const cached = readCache(file);
  let index: OpenApiIndex;
  try {
    index = await client.request<OpenApiIndex>('GET', '/openapi/v3', { keepAlive: true });
  } catch (error) {
    if (cached) return { documents: Object.values(cached.documents).map((entry) => entry.document), source: 'cache', fetchedAt: cached.fetchedAt };
    throw error;
  }
  const documents: CachedSchemas['documents'] = {};
  const entries = Object.entries(index.paths ?? {}).filter(([path]) => path.startsWith('api/') || path.startsWith('apis/'));
  await Promise.all(
    entries.map(async ([path, entry]) => {
      const url = entry.serverRelativeURL ?? `/openapi/v3/${path}`;
      const previous = cached?.documents[path];
      if (previous && previous.url === url) {
        documents[path] = previous;
        return;
      }
      const [pathname, query] = url.split('?');
      const params = Object.fromEntries(new URLSearchParams(query ?? ''));
      documents[path] = { url, document: await client.request<unknown>('GET', pathname, { query: params, keepAlive: true }) };
    }),
  );
  const fresh: CachedSchemas = { server: client.serverUrl, fetchedAt: new Date().toISOString(), documents };
  try {
    mkdirSync(join(cacheDir, 'openapi'), { recursive: true });
    const temporary = `${file}.${process.pid}.tmp`;
    writeFileSync(temporary, JSON.stringify(fresh));
    renameSync(temporary, file);
  } catch {
    // A read-only cache folder only costs the offline fallback.
  }
  return { documents: Object.values(documents).map((item) => item.document), source: 'live', fetchedAt: fresh.fetchedAt };
}
