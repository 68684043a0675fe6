// Preview Impact on a pull request row: the host names the base and head branches, the clone may
// not have the head yet and may hold a stale local branch of the base's name. With a real bare
// remote: the remote-tracking base wins over a stale local branch, an unseen head is fetched (into
// its remote-tracking ref, nothing checked out), the pull request's own commit wins when present,
// and the refs found give the same preview the CLI makes.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GitRepository } from '../../src/git/gitRepository';
import { nonInteractiveEnvironment } from '../../src/git/gitEnvironment';
import { resolveChangeRefs } from '../../src/git/preview/changeRefs';
import { previewChange } from '../../src/git/preview/changePreview';
import { renderAt } from '../../src/cli/environmentRender';
import { hostedRepo } from './helpers/hostServers/promotionRepos';
import { commitAll, git, removeTempDirs, tempDir, writeFiles } from './helpers/tempGitRepo';

after(() => removeTempDirs());

const FILES = {
  'gitops.yaml': 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: dev\n    path: envs/dev\n  - name: prod\n    path: envs/prod\n',
  'envs/dev/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: dev\ndata:\n  mode: fast\n',
  'envs/prod/settings.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: prod\ndata:\n  mode: safe\n',
};

/** A colleague's clone pushes `feature` (dev changed) and moves main on; ours has seen neither. */
function scenario() {
  const remote = hostedRepo(FILES);
  const colleague = tempDir('gitops-colleague-');
  git(colleague, 'clone', '--quiet', remote.bare, '.');
  writeFiles(colleague, { 'README.md': 'main moved on\n' });
  commitAll(colleague, 'main moves on');
  git(colleague, 'push', '--quiet', 'origin', 'main');
  git(colleague, 'switch', '--quiet', '-c', 'feature');
  writeFiles(colleague, { 'envs/dev/settings.yaml': FILES['envs/dev/settings.yaml'].replace('fast', 'slow') });
  const featureSha = commitAll(colleague, 'dev: slow mode');
  git(colleague, 'push', '--quiet', 'origin', 'feature');
  // Our clone knows origin/main as it was, then fetches main only: local main is stale.
  git(remote.work, 'fetch', '--quiet', 'origin', 'main');
  return { remote, featureSha };
}

test('the remote-tracking base wins over a stale local branch; an unseen head is fetched; the preview is the CLI’s', async () => {
  const { remote, featureSha } = scenario();
  const repo = await GitRepository.open(remote.work);
  try {
    assert.equal(await repo.resolve('origin/feature'), null, 'the clone has not seen the head yet');
    const refs = await resolveChangeRefs(repo, { base: 'main', head: 'feature' });
    assert.deepEqual(refs, { base: 'origin/main', head: 'origin/feature' });
    assert.equal(await repo.resolve('origin/feature'), featureSha);
    assert.notEqual(await repo.resolve('main'), await repo.resolve('origin/main'), 'local main stays as it was: nothing merged or checked out');
    const preview = await previewChange(repo, { ...refs, render: (environment, commit) => renderAt({ envRepo: repo, environment }, commit) });
    assert.deepEqual(
      preview.environments.map((e) => [e.name, e.objects.map((o) => `${o.change} ${o.kind} ${o.name} ${o.fields.map((f) => `${f.path}:${String(f.before)}→${String(f.after)}`).join(',')}`)]),
      [['dev', ['modified ConfigMap settings data.mode:fast→slow']]],
    );
  } finally {
    repo.dispose();
  }
});

test("the pull request's own commit wins when the clone has it; a head that cannot be fetched is a clear error", async () => {
  const { remote, featureSha } = scenario();
  const repo = await GitRepository.open(remote.work);
  try {
    git(remote.work, 'fetch', '--quiet', 'origin', 'feature');
    assert.deepEqual(await resolveChangeRefs(repo, { base: 'main', head: 'feature', headSha: featureSha }), { base: 'origin/main', head: featureSha });
    await assert.rejects(resolveChangeRefs(repo, { base: 'main', head: 'gone-branch' }), /head branch gone-branch cannot be fetched/);
    await assert.rejects(resolveChangeRefs(repo, { base: 'no-such-base', head: 'feature' }), /base branch no-such-base/);
  } finally {
    repo.dispose();
  }
});

/** A git remote over HTTP that wants a password, and an askpass program that records each time git asks. */
async function passwordRemote(): Promise<{ url: string; askpass: string; asked: () => string[]; close: () => Promise<void> }> {
  const requests: string[] = [];
  const server = createServer((request, response) => {
    requests.push(`${request.method ?? ''} ${request.url ?? ''} ${request.headers.authorization ? 'with credentials' : 'anonymous'}`);
    response.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' });
    response.end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  const dir = tempDir('gitops-askpass-');
  const log = join(dir, 'asked.log');
  const askpass = join(dir, 'askpass.sh');
  writeFileSync(askpass, `#!/bin/sh\necho "$1" >> '${log}'\necho secret\n`, { mode: 0o755 });
  return {
    url: `http://127.0.0.1:${port}/shop.git`,
    askpass,
    asked: () => (existsSync(log) ? readFileSync(log, 'utf8').trim().split('\n') : []),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

test('a fetch nobody asked for (placing pull requests on a refresh) never asks for a password; one the user started may', async () => {
  const { remote } = scenario();
  const server = await passwordRemote();
  const saved = { GIT_ASKPASS: process.env.GIT_ASKPASS };
  // The user's environment names an askpass program (VS Code's git extension does).
  process.env.GIT_ASKPASS = server.askpass;
  const repo = await GitRepository.open(remote.work);
  try {
    git(remote.work, 'remote', 'set-url', 'origin', server.url);
    await assert.rejects(resolveChangeRefs(repo, { base: 'main', head: 'feature' }, { interactive: false }), /head branch feature cannot be fetched/);
    assert.deepEqual(server.asked(), [], 'no password prompt in the background');
    await assert.rejects(resolveChangeRefs(repo, { base: 'main', head: 'feature' }), /head branch feature cannot be fetched/);
    assert.ok(server.asked().some((prompt) => /Username|Password/i.test(prompt)), `asked when the user started it: ${server.asked().join(' | ')}`);
  } finally {
    repo.dispose();
    await server.close();
    for (const [key, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[key];
      else process.env[key] = value;
    }
  }
});

test('the non-interactive settings append to the user’s own GIT_CONFIG_COUNT entries', () => {
  assert.deepEqual(nonInteractiveEnvironment({}), {
    GIT_ASKPASS: '',
    SSH_ASKPASS_REQUIRE: 'never',
    GCM_INTERACTIVE: 'never',
    GIT_CONFIG_COUNT: '1',
    GIT_CONFIG_KEY_0: 'credential.interactive',
    GIT_CONFIG_VALUE_0: 'false',
  });
  const appended = nonInteractiveEnvironment({ GIT_CONFIG_COUNT: '2', GIT_CONFIG_KEY_0: 'http.proxy', GIT_CONFIG_VALUE_0: 'x', GIT_CONFIG_KEY_1: 'a.b', GIT_CONFIG_VALUE_1: 'y' });
  assert.equal(appended.GIT_CONFIG_COUNT, '3');
  assert.equal(appended.GIT_CONFIG_KEY_2, 'credential.interactive');
  assert.equal(nonInteractiveEnvironment({ GIT_CONFIG_COUNT: 'junk' }).GIT_CONFIG_KEY_0, 'credential.interactive');
});
