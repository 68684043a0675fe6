// Git over HTTP for push tests: `git http-backend` (git's own CGI program) behind a Node server
// that demands Basic authentication, so a push must present the token the way a hosted remote
// would — here through our askpass helper, never in the URL.
import { spawn } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { commitAll, git, initRepo, writeFiles } from '../tempGitRepo';

export interface GitHttpRequest {
  method: string;
  path: string;
  /** The user name of a request that authenticated, or null. */
  user: string | null;
  /** True when the Authorization header was present but wrong. */
  rejected: boolean;
}

export class GitHttpServer {
  readonly requests: GitHttpRequest[] = [];

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  /** Serves the bare repositories under `projectRoot`; only `username`/`token` may fetch or push. */
  static async start(projectRoot: string, username: string, token: string): Promise<GitHttpServer> {
    const expected = `Basic ${Buffer.from(`${username}:${token}`).toString('base64')}`;
    const holder: { instance?: GitHttpServer } = {};
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://localhost');
      const auth = req.headers.authorization;
      const ok = auth === expected;
      holder.instance?.requests.push({ method: req.method ?? 'GET', path: url.pathname, user: ok ? username : null, rejected: auth !== undefined && !ok });
      if (!ok) {
        res.writeHead(401, { 'www-authenticate': 'Basic realm="git"', 'content-type': 'text/plain' });
        res.end('authentication required\n');
        return;
      }
      const cgi = spawn('git', ['http-backend'], {
        env: {
          PATH: process.env.PATH ?? '',
          GIT_PROJECT_ROOT: projectRoot,
          GIT_HTTP_EXPORT_ALL: '1',
          PATH_INFO: url.pathname,
          QUERY_STRING: url.search.replace(/^\?/, ''),
          REQUEST_METHOD: req.method ?? 'GET',
          CONTENT_TYPE: req.headers['content-type'] ?? '',
          HTTP_CONTENT_ENCODING: String(req.headers['content-encoding'] ?? ''),
          HTTP_GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
          REMOTE_USER: username,
          REMOTE_ADDR: '127.0.0.1',
        },
        stdio: ['pipe', 'pipe', 'ignore'],
      });
      req.pipe(cgi.stdin);
      const chunks: Buffer[] = [];
      cgi.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
      cgi.on('close', () => {
        const output = Buffer.concat(chunks);
        const split = output.indexOf('\r\n\r\n');
        const head = output.subarray(0, split < 0 ? 0 : split).toString('utf8');
        const body = output.subarray(split < 0 ? 0 : split + 4);
        let status = 200;
        const headers: Record<string, string> = {};
        for (const line of head.split('\r\n')) {
          const colon = line.indexOf(':');
          if (colon < 0) continue;
          const name = line.slice(0, colon).trim();
          const value = line.slice(colon + 1).trim();
          if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10) || 200;
          else headers[name] = value;
        }
        res.writeHead(status, headers);
        res.end(body);
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as AddressInfo;
    const instance = new GitHttpServer(server, `http://127.0.0.1:${port}`);
    holder.instance = instance;
    return instance;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * A two-environment folder repository (staging → prod) whose `origin` is a new bare repository
 * under `projectRoot`, served by `server`: seeded through the file system, then pointed at the
 * authenticated HTTP URL, so later fetches and pushes must authenticate.
 */
export function stagingProdRepoOverHttp(server: GitHttpServer, projectRoot: string): { work: string; bare: string } {
  const bare = join(projectRoot, `acme-${Math.random().toString(36).slice(2)}.git`);
  git(projectRoot, 'init', '--bare', '--quiet', '--initial-branch=main', bare);
  const work = initRepo();
  writeFiles(work, {
    'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    path: envs/staging\n  - name: prod\n    path: envs/prod\n',
    'envs/staging/app.yaml': 'image: web:2\n',
    'envs/prod/app.yaml': 'image: web:1\n',
  });
  commitAll(work, 'init');
  git(work, 'push', '--quiet', bare, 'main');
  git(work, 'remote', 'add', 'origin', `${server.origin}/${bare.slice(projectRoot.length + 1)}`);
  git(work, 'update-ref', 'refs/remotes/origin/main', 'main');
  return { work, bare };
}
