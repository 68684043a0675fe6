// Image mode end to end: only image names, tags and digests move from staging to prod; prod's
// replicas, resources and comments stay exactly as they were, in the pushed commit.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { GitRepository } from '../../src/git/gitRepository';
import { executePlan } from '../../src/git/promotion/executePlan';
import { planPromotion } from '../../src/git/promotion/planPromotion';
import { loadPromotionContext } from '../../src/git/promotion/promotionContext';
import { hostedRepo, remoteFile, userState } from './helpers/hostServers/promotionRepos';
import { removeTempDirs } from './helpers/tempGitRepo';

after(removeTempDirs);

const CONFIG = 'apiVersion: gitops-environments/v1\nenvironments:\n  - name: staging\n    path: overlays/staging\n  - name: prod\n    path: overlays/prod\n';

const kustomization = (tag: string, digest: string | null, comment: string): string =>
  `apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
resources:
  - ../../base
# ${comment}
images:
  - name: ghcr.io/acme/web
    newTag: "${tag}"   # bumped by CI
${digest ? `    digest: ${digest}\n` : ''}  - name: ghcr.io/acme/worker
    newTag: "7"
`;

const patch = (image: string, replicas: number): string => `apiVersion: apps/v1
kind: Deployment
metadata:
  name: api
spec:
  replicas: ${replicas} # per environment
  template:
    spec:
      containers:
        - name: api
          image: ${image}
          resources:
            limits: {memory: ${replicas * 128}Mi}
`;

const values = (tag: string, replicas: number): string => `# Helm values for the chart
replicaCount: ${replicas}
image:
  repository: ghcr.io/acme/api
  tag: ${tag}
`;

describe('image-mode promotion', () => {
  it('plans and pushes only the image edits, in place', async () => {
    const remote = hostedRepo({
      'gitops.yaml': CONFIG,
      'overlays/staging/kustomization.yaml': kustomization('1.5.0', 'sha256:1111', 'staging'),
      'overlays/prod/kustomization.yaml': kustomization('1.4.0', null, 'prod pins: do not touch'),
      'overlays/staging/api.yaml': patch('ghcr.io/acme/api:2.1', 1),
      'overlays/prod/api.yaml': patch('ghcr.io/acme/api:2.0', 6),
      'overlays/staging/values.yaml': values('2.1', 1),
      'overlays/prod/values.yaml': values('2.0', 6),
      'overlays/staging/only-staging.yaml': 'debug: true\n',
      'overlays/prod/config.yaml': 'level: warn\n',
      'overlays/staging/config.yaml': 'level: debug\n',
    });
    const before = userState(remote.work);
    const repo = await GitRepository.open(remote.work);
    const context = await loadPromotionContext(repo);
    const plan = await planPromotion(repo, { environments: context.environments, from: 'staging', to: 'prod', imagesOnly: true });
    assert.equal(plan.layout, 'image');
    assert.deepEqual(
      plan.images.map((i) => [i.file, i.field, i.from, i.to]),
      [
        ['overlays/prod/api.yaml', 'image', 'ghcr.io/acme/api:2.0', 'ghcr.io/acme/api:2.1'],
        ['overlays/prod/kustomization.yaml', 'newTag', '1.4.0', '1.5.0'],
        ['overlays/prod/kustomization.yaml', 'digest', null, 'sha256:1111'],
        ['overlays/prod/values.yaml', 'tag', '2.0', '2.1'],
      ],
    );
    assert.deepEqual(
      plan.files.map((f) => f.path),
      ['overlays/prod/api.yaml', 'overlays/prod/kustomization.yaml', 'overlays/prod/values.yaml'],
      'config.yaml differs but holds no image: not part of an image promotion',
    );
    const result = await executePlan(repo, plan, {});
    repo.dispose();
    assert.deepEqual(userState(remote.work), before);
    const head = result.headBranch;
    assert.equal(remoteFile(remote, head, 'overlays/prod/api.yaml'), patch('ghcr.io/acme/api:2.1', 6));
    assert.equal(remoteFile(remote, head, 'overlays/prod/values.yaml'), values('2.1', 6).replace('tag: 2.1', 'tag: "2.1"'), 'a tag that plain YAML reads as a number is quoted');
    assert.equal(
      remoteFile(remote, head, 'overlays/prod/kustomization.yaml'),
      kustomization('1.5.0', null, 'prod pins: do not touch').replace('newTag: "1.5.0"   # bumped by CI\n', 'newTag: "1.5.0"   # bumped by CI\n    digest: "sha256:1111"\n'),
    );
    assert.equal(remoteFile(remote, head, 'overlays/prod/config.yaml'), 'level: warn\n');
    assert.equal(remoteFile(remote, head, 'overlays/prod/only-staging.yaml'), undefined);
  });

  it('says "already in sync" when every image matches even though other settings differ', async () => {
    const remote = hostedRepo({ 'gitops.yaml': CONFIG, 'overlays/staging/api.yaml': patch('ghcr.io/acme/api:2.1', 1), 'overlays/prod/api.yaml': patch('ghcr.io/acme/api:2.1', 6) });
    const repo = await GitRepository.open(remote.work);
    const context = await loadPromotionContext(repo);
    const plan = await planPromotion(repo, { environments: context.environments, from: 'staging', to: 'prod', imagesOnly: true });
    repo.dispose();
    assert.equal(plan.alreadyInSync, true);
    assert.match(plan.syncReason ?? '', /prod already uses the same images as staging/);
  });
});
