// Rules of the promotion value modules that the mutation run (group core-promotion-values) found
// unheld: how image tags and chart versions are ordered (versionOrder.ts: release numbering,
// pre-releases before their release as semver.org rule 11 says, tags that carry no order), which
// words name an environment side (environmentWords.ts), and which environments a promotion is
// between with the exact error and hint shown when it cannot be (environmentPair.ts), and what
// `gitops-env set-image` edits (setImagePlan.ts: the reference grammar, which files and fields
// change, the kustomize entry it adds, the includes it follows, the branch name), and which folder
// promotion files go value by value (fieldLevelFiles.ts). Exists to kill
// mutation survivors of those modules; each test names the rule it holds.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Environment } from '../../src/core/model';
import { fieldFileChange, fieldLevelFiles, fieldLevelText, mergedValues } from '../../src/core/promotion/fieldLevelFiles';
import { fieldContext } from '../../src/core/promotion/fieldPlan';
import type { FileChangeDraft } from '../../src/core/promotion/fileChanges';
import type { PlanSide, ValueChange } from '../../src/core/promotion/promotionTypes';
import { chooseLayout, resolvePromotionPair, resolveRollbackEnvironment } from '../../src/core/promotion/environmentPair';
import { namesSide, pairWords, tokenize, withoutSideWords, type PairWords } from '../../src/core/promotion/environmentWords';
import { PromotionError } from '../../src/core/promotion/promotionError';
import {
  addedKustomizeEntry,
  canonicalImageName,
  filesUseImage,
  imageReferenceText,
  imagesUsed,
  imageVersionLabel,
  ImageNotUsedError,
  isKustomizationFile,
  kustomizationIncludes,
  parseRequestedImage,
  planFolderEdits,
  setImageBranchName,
  setImageReference,
  TRAILER_SET_IMAGE,
  withKustomizeImageEntry,
  type RequestedImage,
} from '../../src/core/promotion/setImagePlan';
import { compareVersions, imageTag } from '../../src/core/promotion/versionOrder';
import { seededRandom } from '../support/seededRandom';

describe('versionOrder: compareVersions', () => {
  it('the same tag is the same version, even a tag that carries no order', () => {
    assert.equal(compareVersions('latest', 'latest'), 0);
    assert.equal(compareVersions('deadbeef1', 'deadbeef1'), 0);
  });

  it('a missing trailing number counts as 0, so 1.0.1 is newer than 1.0 and 1.0.0 equals 1.0', () => {
    assert.equal(compareVersions('1.0', '1.0.1'), -1);
    assert.equal(compareVersions('1.0.1', '1.0'), 1);
    assert.equal(compareVersions('1.0', '1.0.0'), 0);
  });

  it('the same flavour on equal numbers is the same version; different flavours cannot be ordered', () => {
    assert.equal(compareVersions('1.0-alpine', '1.0.0-alpine'), 0);
    assert.equal(compareVersions('1.0-alpine', '1.0-slim'), null);
  });

  it('a release is newer than its pre-release, in both argument orders', () => {
    assert.equal(compareVersions('1.0', '1.0-rc.1'), 1);
    assert.equal(compareVersions('1.0-rc.1', '1.0'), -1);
    assert.equal(compareVersions('2.0rc.1', '2.0'), -1);
  });

  it('a pre-release against a flavour (not a release) cannot be ordered', () => {
    assert.equal(compareVersions('1.0-rc.1', '1.0-alpine'), null);
    assert.equal(compareVersions('1.0-alpine', '1.0-rc.1'), null);
    assert.equal(compareVersions('1.0-rc.1', '1.0-x.1'), null);
  });

  it('only a suffix that starts with a pre-release word is a pre-release', () => {
    assert.equal(compareVersions('1.0-alpine-dev', '1.0'), null);
    assert.equal(compareVersions('1.0', '1.0-alpine-dev'), null);
  });

  it('pre-releases of one word compare by their number, with the word glued to it (rc1) or not (rc.1, rc-1)', () => {
    assert.equal(compareVersions('1.0-rc.2', '1.0-rc.10'), -1);
    assert.equal(compareVersions('1.0.0-rc1', '1.0.0'), -1);
    assert.equal(compareVersions('1.0.0', '1.0.0-rc1'), 1);
    assert.equal(compareVersions('2.0.0-rc-1', '2.0.0-rc-2'), -1);
    assert.equal(compareVersions('2.0.0-rc1', '2.0.0-rc.1'), 0);
    assert.equal(compareVersions('1.0-preview.2', '1.0'), -1, 'preview is not pre followed by a flavour');
  });

  it('pre-releases of different words order by the word first (alpha < beta < rc, semver.org rule 11)', () => {
    assert.equal(compareVersions('1.0-beta.1', '1.0-alpha.2'), 1);
    assert.equal(compareVersions('1.0-alpha.1', '1.0-beta.1'), -1);
    assert.equal(compareVersions('1.0-rc.1', '1.0-beta.9'), 1);
  });

  it('a tag with text after a line break, or with a character the prefix does not allow, has no order', () => {
    assert.equal(compareVersions('1.0\nx', '1.0\ny'), null);
    assert.equal(compareVersions('x!1.0', 'x!2.0'), null);
  });

  it('a word prefix orders by the numbers after it, with or without a separator', () => {
    assert.equal(compareVersions('release1', 'release2'), -1);
    assert.equal(compareVersions('rel_1', 'rel_2'), -1);
    assert.equal(compareVersions('release-42', 'release-41'), 1);
    assert.equal(compareVersions('v1.10', 'v1.9'), 1);
    assert.equal(compareVersions('release-1', 'build-2'), null);
  });

  it('surrounding blanks are not part of the version', () => {
    assert.equal(compareVersions('1.0 ', '1.0'), 0);
  });

  it('a long hex tag with a letter is a commit; without a letter, or after a prefix, it is a number', () => {
    assert.equal(compareVersions('1234567a', '1234568a'), null);
    assert.equal(compareVersions('1234567', '1234568'), -1);
    assert.equal(compareVersions('v1234567a', 'v1234568a'), -1);
  });

  it('numbers beyond the safe integer range have no order', () => {
    assert.equal(compareVersions('99999999999999999999.0', '99999999999999999999.1'), null);
  });

  it('agrees with semver.org precedence on seeded MAJOR.MINOR.PATCH[-word.N] pairs (600)', () => {
    // Independent reference: semver.org rule 11 — numeric identifiers compared numerically, left
    // to right; a pre-release has lower precedence than its release; pre-releases of the same
    // word compare by their numeric identifier, different words in ASCII order.
    type V = { n: [number, number, number]; pre: number | null; word: string };
    const reference = (a: V, b: V): -1 | 0 | 1 => {
      for (let i = 0; i < 3; i++) if (a.n[i] !== b.n[i]) return a.n[i] < b.n[i] ? -1 : 1;
      if (a.pre === null && b.pre === null) return 0;
      if (a.pre === null) return 1;
      if (b.pre === null) return -1;
      if (a.word !== b.word) return a.word < b.word ? -1 : 1;
      if (a.pre === b.pre) return 0;
      return a.pre < b.pre ? -1 : 1;
    };
    const words = ['alpha', 'beta', 'rc'];
    const rnd = seededRandom(20261207);
    const pick = (k: number): number => Math.floor(rnd() * k);
    for (let c = 0; c < 600; c++) {
      const make = (): V => ({ n: [pick(3), pick(12), pick(12)], pre: rnd() < 0.4 ? pick(12) : null, word: words[pick(words.length)] });
      const a = make();
      const b = rnd() < 0.3 ? { n: [...a.n] as [number, number, number], pre: rnd() < 0.5 ? pick(12) : null, word: rnd() < 0.5 ? a.word : words[pick(words.length)] } : make();
      const text = (v: V): string => `${v.n.join('.')}${v.pre === null ? '' : `-${v.word}.${v.pre}`}`;
      assert.equal(compareVersions(text(a), text(b)), reference(a, b), `${text(a)} vs ${text(b)}`);
    }
  });
});

describe('versionOrder: imageTag', () => {
  it('is the text after the last colon past the last slash, without the digest', () => {
    assert.equal(imageTag('ghcr.io/acme/web:1.2'), '1.2');
    assert.equal(imageTag('ghcr.io/acme/web:1.2@sha256:abc'), '1.2');
    assert.equal(imageTag('localhost:5000/web'), null);
    assert.equal(imageTag('web'), null);
    assert.equal(imageTag('@sha256:abc'), null);
  });
});

describe('environmentWords', () => {
  it('tokenize gives the lower-case words, never an empty one', () => {
    assert.deepEqual(tokenize('--Shop.Staging--'), ['shop', 'staging']);
    assert.deepEqual(tokenize('a--b'), ['a', 'b']);
  });

  it('numbered copies stem to their word; digits inside a word stay', () => {
    // No folder on one side only: it adds no word (the other side's generic `apps` adds none either).
    const words = pairWords({ name: 'prod01', folder: '' }, { name: 'web1x', folder: 'apps' });
    assert.deepEqual([...words.source.words], ['prod']);
    assert.deepEqual([...words.target.words], ['web1x']);
  });

  it('generic layout words are left out, only as whole words', () => {
    const words = pairWords({ name: 'envoy-webapp-environment-overlay-app-cluster-value-stage-12', folder: '' }, { name: 'x', folder: '' });
    assert.deepEqual([...words.source.words].sort(), ['envoy', 'webapp']);
  });

  it('the last folder counts even with a trailing slash', () => {
    const words = pairWords({ name: 'x', folder: 'overlays/blue/' }, { name: 'y', folder: 'overlays/green/' });
    assert.deepEqual([...words.source.words].sort(), ['blue', 'x']);
    assert.deepEqual([...words.target.words].sort(), ['green', 'y']);
  });

  it('words both sides share are left out of both; different tiers keep their ranks', () => {
    const words = pairWords({ name: 'staging-eu', folder: '' }, { name: 'prod-eu', folder: '' });
    assert.deepEqual([...words.source.words], ['staging']);
    assert.deepEqual([...words.target.words], ['prod']);
    assert.equal(words.source.rank, 4);
    assert.equal(words.target.rank, 5);
  });

  it('the rank comes from the name, else from the folder; the same rank on both sides is none', () => {
    const byFolder = pairWords({ name: 'web-a', folder: 'envs/staging' }, { name: 'web-b', folder: 'envs/prod' });
    assert.equal(byFolder.source.rank, 4);
    assert.equal(byFolder.target.rank, 5);
    const byName = pairWords({ name: 'dev', folder: 'x' }, { name: 'prod', folder: 'y' });
    assert.equal(byName.source.rank, 0);
    assert.equal(byName.target.rank, 5);
    const same = pairWords({ name: 'staging-eu', folder: '' }, { name: 'staging-us', folder: '' });
    assert.equal(same.source.rank, null);
    assert.equal(same.target.rank, null);
  });

  it('namesSide: a side word or a tier word of its rung, nothing else', () => {
    const side = { words: new Set(['eu']), rank: 4 };
    assert.equal(namesSide('shop-web', side), false);
    assert.equal(namesSide('shop-uat', side), true);
    assert.equal(namesSide('shop-eu', side), true);
    assert.equal(namesSide('shop-prod', side), false);
  });

  it('withoutSideWords replaces side words and tier words of a side rung by <env>, whatever their case', () => {
    const pair = pairWords({ name: 'staging-eu', folder: '' }, { name: 'prod-eu', folder: '' });
    assert.equal(withoutSideWords('Shop-Staging-eu', pair), 'Shop-<env>-eu');
    const manual: PairWords = { source: { words: new Set(['blue']), rank: null }, target: { words: new Set(), rank: null } };
    assert.equal(withoutSideWords('shop-blue', manual), 'shop-<env>');
    const ranked: PairWords = { source: { words: new Set(['prod']), rank: 5 }, target: { words: new Set(['staging']), rank: 4 } };
    assert.equal(withoutSideWords('production-db', ranked), '<env>-db');
  });
});

function env(name: string, order: number, fields: Partial<Environment> = {}): Environment {
  return { name, order, repo: null, branch: null, path: `envs/${name}`, cluster: { context: null, namespace: null }, protected: false, source: 'config', ...fields };
}
const ENVS = [env('dev', 0), env('staging', 1), env('prod', 2)];

function failure(run: () => unknown): { code: string; message: string; hint: string } {
  try {
    run();
  } catch (error) {
    assert.ok(error instanceof PromotionError, `not a PromotionError: ${String(error)}`);
    return { code: error.code, message: error.message, hint: error.hint };
  }
  assert.fail('no error');
}

describe('environmentPair', () => {
  it('an unknown name says which role, suggests the closest name and lists them all', () => {
    assert.deepEqual(failure(() => resolvePromotionPair(ENVS, 'prdo', undefined)), {
      code: 'unknownEnvironment',
      message: 'There is no source environment "prdo" — did you mean "prod"?',
      hint: 'use one of: dev, staging, prod',
    });
    assert.deepEqual(failure(() => resolvePromotionPair(ENVS, 'dev', 'zzzzzzzz')), {
      code: 'unknownEnvironment',
      message: 'There is no target environment "zzzzzzzz"',
      hint: 'use one of: dev, staging, prod',
    });
  });

  it('a rollback of an unknown name, with no environments at all, says to declare them', () => {
    assert.deepEqual(failure(() => resolveRollbackEnvironment([], 'prod')), {
      code: 'unknownEnvironment',
      message: 'There is no environment "prod"',
      hint: 'declare environments in gitops.yaml first',
    });
    assert.equal(resolveRollbackEnvironment(ENVS, 'staging'), ENVS[1]);
  });

  it('one environment is not enough for a promotion', () => {
    assert.deepEqual(failure(() => resolvePromotionPair([env('dev', 0)], 'dev', undefined)), {
      code: 'unknownEnvironment',
      message: 'A promotion needs at least two environments',
      hint: 'declare them in gitops.yaml, in promotion order',
    });
  });

  it('with neither side named, asks for one', () => {
    assert.deepEqual(failure(() => resolvePromotionPair(ENVS, undefined, undefined)), {
      code: 'unknownEnvironment',
      message: 'Say which environment to promote',
      hint: 'give --from (and optionally --to)',
    });
  });

  it('the default target follows the promotion order, not the list order', () => {
    const shuffled = [env('staging', 1), env('dev', 0), env('prod', 2)];
    const pair = resolvePromotionPair(shuffled, 'dev', undefined);
    assert.equal(pair.target.name, 'staging');
    assert.equal(resolvePromotionPair(shuffled, undefined, 'prod').source.name, 'staging');
  });

  it('nothing after the last and nothing before the first', () => {
    assert.deepEqual(failure(() => resolvePromotionPair(ENVS, 'prod', undefined)), {
      code: 'unknownEnvironment',
      message: 'prod is the last environment; there is nothing after it to promote to',
      hint: 'give --to',
    });
    assert.deepEqual(failure(() => resolvePromotionPair(ENVS, undefined, 'dev')), {
      code: 'unknownEnvironment',
      message: 'dev is the first environment; nothing comes before it',
      hint: 'give --from',
    });
  });

  it('the same environment twice, and environments of two repositories, are refused', () => {
    assert.deepEqual(failure(() => resolvePromotionPair(ENVS, 'dev', 'dev')), {
      code: 'sameEnvironment',
      message: 'Source and target are both "dev"',
      hint: 'pick two different environments',
    });
    const split = [env('dev', 0), env('prod', 1, { repo: '../other' })];
    assert.deepEqual(failure(() => resolvePromotionPair(split, 'dev', 'prod')), {
      code: 'unsupported',
      message: 'dev and prod live in different repositories; promotion between repositories is not supported',
      hint: 'promote within one repository, or copy the change by hand',
    });
  });

  it('chooseLayout: branches differ in one folder → branch; same files → error naming what they read', () => {
    assert.equal(chooseLayout(env('a', 0, { branch: 'env/a', path: 'k' }), env('b', 1, { branch: 'env/b', path: 'k' }), false), 'branch');
    assert.equal(chooseLayout(env('a', 0, { branch: 'env/a', path: 'k' }), env('b', 1, { branch: 'env/b', path: 'k' }), true), 'image');
    assert.equal(chooseLayout(env('a', 0), env('b', 1), false), 'folder');
    assert.deepEqual(failure(() => chooseLayout(env('a', 0, { branch: 'main', path: 'k' }), env('b', 1, { branch: 'main', path: 'k' }), false)), {
      code: 'sameEnvironment',
      message: 'a and b read the same files (branch main, folder k)',
      hint: 'give each environment its own branch or folder in gitops.yaml',
    });
    assert.deepEqual(failure(() => chooseLayout(env('a', 0, { path: null }), env('b', 1, { path: null }), false)), {
      code: 'sameEnvironment',
      message: 'a and b read the same files (the current branch)',
      hint: 'give each environment its own branch or folder in gitops.yaml',
    });
  });
});

const SHA = `sha256:${'ab12'.repeat(16)}`;
function image(reference: string): RequestedImage {
  const parsed = parseRequestedImage(reference);
  assert.notEqual(typeof parsed, 'string', String(parsed));
  return parsed as RequestedImage;
}
const DEPLOY = 'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  template:\n    spec:\n      containers:\n        - name: web\n          image: ghcr.io/acme/web:1.0\n';
const DEPLOY_2 = DEPLOY.replace('web:1.0', 'web:2.0');

describe('setImagePlan: the reference grammar', () => {
  it('refuses text after a tag, around a digest, or around a name, with the sentence naming the part', () => {
    assert.equal(parseRequestedImage('web:1.0!'), '"1.0!" is not a valid image tag');
    assert.equal(parseRequestedImage(`web@!${SHA}`), `"!${SHA}" is not a valid digest (expected sha256:<hex>)`);
    assert.equal(parseRequestedImage(`web@${SHA}!`), `"${SHA}!" is not a valid digest (expected sha256:<hex>)`);
    assert.equal(parseRequestedImage('-web:1'), '"-web:1" does not start with an image name (like ghcr.io/acme/web)');
    assert.equal(parseRequestedImage('web-:1'), '"web-:1" does not start with an image name (like ghcr.io/acme/web)');
    assert.equal(parseRequestedImage('ghcr.io/acme/web-:1'), '"ghcr.io/acme/web-:1" does not start with an image name (like ghcr.io/acme/web)');
  });

  it('accepts separators the distribution grammar allows: digest algorithms with +, path parts with _, ., runs of -', () => {
    const hex = 'ab12'.repeat(16);
    assert.deepEqual(parseRequestedImage(`web@sha256+ab:${hex}`), { name: 'web', tag: null, digest: `sha256+ab:${hex}`, reference: `web@sha256+ab:${hex}` });
    for (const name of ['ghcr.io/acme/my_web', 'ghcr.io/acme/my.web', 'ghcr.io/acme/my--web', 'ghcr.io/acme/my-web2', 'ghcr.io/acme/my__web']) {
      assert.deepEqual(parseRequestedImage(`${name}:1`), { name, tag: '1', digest: null, reference: `${name}:1` });
    }
  });

  it('surrounding blanks are dropped from the reference', () => {
    assert.deepEqual(parseRequestedImage(' web:1 '), { name: 'web', tag: '1', digest: null, reference: 'web:1' });
  });

  it('docker.io is dropped only as the registry, not inside a path', () => {
    assert.equal(canonicalImageName('ghcr.io/docker.io/web'), 'ghcr.io/docker.io/web');
    assert.equal(canonicalImageName('Docker.io/Web'), 'web');
  });

  it('the written reference carries the tag, the digest or both; the label is the tag or the short digest', () => {
    const both = image(`web:1@${SHA}`);
    assert.equal(imageReferenceText(image(`ghcr.io/acme/web@${SHA}`), 'web'), `web@${SHA}`);
    assert.equal(imageReferenceText(image('ghcr.io/acme/web:1.4'), 'w'), 'w:1.4');
    assert.equal(imageReferenceText(both, 'web'), `web:1@${SHA}`);
    assert.equal(imageVersionLabel(both), '1');
    assert.equal(imageVersionLabel(image(`web@${SHA}`)), 'sha256:ab12ab12ab12');
  });

  it('kustomization files are kustomization.yaml, .yml and Kustomization, as whole names', () => {
    assert.equal(isKustomizationFile('a/kustomization.yml'), true);
    assert.equal(isKustomizationFile('kustomization.yaml'), true);
    assert.equal(isKustomizationFile('a/Kustomization'), true);
    assert.equal(isKustomizationFile('a/kustomization.yaml.orig'), false);
    assert.equal(isKustomizationFile('a/mykustomization.yaml'), false);
  });
});

describe('setImagePlan: planFolderEdits', () => {
  it('a kustomization that does not name the image leaves the container fields to edit', () => {
    const out = planFolderEdits([{ path: 'envs/prod/kustomization.yaml', text: 'resources:\n  - deploy.yaml\n' }, { path: 'envs/prod/deploy.yaml', text: DEPLOY }], image('ghcr.io/acme/web:2.0'));
    assert.deepEqual(out, { edited: [{ path: 'envs/prod/deploy.yaml', before: DEPLOY, after: DEPLOY_2 }], matches: [{ file: 'envs/prod/deploy.yaml', line: 10, how: 'container' }], via: 'fields' });
  });

  it('a file already at the requested image matches but is not edited', () => {
    const out = planFolderEdits([{ path: 'deploy.yaml', text: DEPLOY_2 }], image('ghcr.io/acme/web:2.0'));
    assert.deepEqual(out, { edited: [], matches: [{ file: 'deploy.yaml', line: 10, how: 'container' }], via: 'fields' });
  });

  it('a Helm image string is a helm match', () => {
    const text = 'web:\n  image: ghcr.io/acme/web:1.0\n';
    const out = planFolderEdits([{ path: 'values.yaml', text }], image('ghcr.io/acme/web:2.0'));
    assert.deepEqual(out.matches, [{ file: 'values.yaml', line: 2, how: 'helm' }]);
    assert.deepEqual(out.edited, [{ path: 'values.yaml', before: text, after: 'web:\n  image: ghcr.io/acme/web:2.0\n' }]);
  });

  it('a Helm image map: a new tag drops the old digest; a new digest keeps the tag', () => {
    const values = `image:\n  repository: ghcr.io/acme/web\n  tag: "1.0"\n  digest: sha256:${'cd'.repeat(32)}\n`;
    const byTag = planFolderEdits([{ path: 'values.yaml', text: values }], image('ghcr.io/acme/web:2.0'));
    assert.deepEqual(byTag.matches, [{ file: 'values.yaml', line: 2, how: 'helm' }]);
    assert.equal(byTag.edited[0]?.after, 'image:\n  repository: ghcr.io/acme/web\n  tag: "2.0"\n');
    const byDigest = planFolderEdits([{ path: 'values.yaml', text: values }], image(`ghcr.io/acme/web@${SHA}`));
    assert.equal(byDigest.edited[0]?.after, `image:\n  repository: ghcr.io/acme/web\n  tag: "1.0"\n  digest: ${SHA}\n`);
    const added = planFolderEdits([{ path: 'values.yaml', text: 'image:\n  repository: ghcr.io/acme/web\n' }], image(`ghcr.io/acme/web:3@${SHA}`));
    assert.equal(added.edited[0]?.after, `image:\n  repository: ghcr.io/acme/web\n  tag: "3"\n  digest: ${SHA}\n`);
  });

  it('an images: entry counts only in a file kustomize reads by name; a Helm image map without repository names nothing', () => {
    const kust = 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\nimages:\n  - name: ghcr.io/acme/web\n    newTag: "1"\n';
    assert.deepEqual(planFolderEdits([{ path: 'base/kust.yaml', text: kust }], image('ghcr.io/acme/web:2')), { edited: [], matches: [], via: null });
    assert.deepEqual(planFolderEdits([{ path: 'values.yaml', text: 'image:\n  tag: "1"\n' }], image('ghcr.io/acme/web:2')), { edited: [], matches: [], via: null });
    const named = planFolderEdits([{ path: 'base/kustomization.yaml', text: kust }], image('ghcr.io/acme/web:2'));
    assert.deepEqual(named.matches, [{ file: 'base/kustomization.yaml', line: 4, how: 'kustomize' }]);
    assert.equal(named.via, 'kustomize');
    assert.equal(named.edited[0]?.after, kust.replace('"1"', '"2"'));
  });

  it('a value that cannot be edited in place stops the plan with the pointer and what to do', () => {
    const text = 'images:\n  - name: web\n    newTag: |\n      1\n';
    assert.deepEqual(failure(() => planFolderEdits([{ path: 'kustomization.yaml', text }], image('web:2'))), {
      code: 'failed',
      message: 'kustomization.yaml: cannot edit /images/0/newTag in place',
      hint: "change the image by hand; the file's shape is unusual there",
    });
  });

  it('files over the edit size limit are neither edited nor listed', () => {
    const big = DEPLOY + `# ${'x'.repeat(5 * 1024 * 1024)}\n`;
    assert.deepEqual(planFolderEdits([{ path: 'deploy.yaml', text: big }], image('ghcr.io/acme/web:2.0')), { edited: [], matches: [], via: null });
    assert.deepEqual(imagesUsed([{ path: 'deploy.yaml', text: big }]), []);
  });

  it('a file of exactly the size limit is still edited and listed', () => {
    const limit = 5 * 1024 * 1024;
    const head = `${DEPLOY}# `;
    const exact = `${head}${'x'.repeat(limit - head.length - 1)}\n`;
    assert.equal(exact.length, limit);
    assert.deepEqual(planFolderEdits([{ path: 'deploy.yaml', text: exact }], image('ghcr.io/acme/web:2.0')).matches, [{ file: 'deploy.yaml', line: 10, how: 'container' }]);
    assert.deepEqual(imagesUsed([{ path: 'deploy.yaml', text: exact }]), ['ghcr.io/acme/web']);
  });
});

describe('setImagePlan: images used, errors, names', () => {
  it('imagesUsed lists container, kustomize (with new names) and Helm images, sorted, without empty or rooted names', () => {
    const kustomization = 'images:\n  - name: web\n    newName: ghcr.io/acme/web\n';
    const values = 'image:\n  repository: ghcr.io/acme/api\n  tag: "1"\n';
    const odd = DEPLOY.replace('ghcr.io/acme/web:1.0', '/rooted:1');
    assert.deepEqual(imagesUsed([{ path: 'kustomization.yaml', text: kustomization }, { path: 'values.yaml', text: values }, { path: 'd.yaml', text: DEPLOY.replace('ghcr.io/acme/web', 'nginx') }, { path: 'o.yaml', text: odd }]), [
      'ghcr.io/acme/api',
      'ghcr.io/acme/web',
      'nginx',
      'web',
    ]);
  });

  it('filesUseImage: any file naming the image, under any spelling of its registry', () => {
    const files = [{ path: 'a.yaml', text: DEPLOY }, { path: 'b.yaml', text: DEPLOY.replace('ghcr.io/acme/web', 'docker.io/library/nginx') }];
    assert.equal(filesUseImage(files, image('nginx:1')), true);
    assert.equal(filesUseImage(files, image('ghcr.io/acme/web:1')), true);
    assert.equal(filesUseImage(files, image('ghcr.io/acme/api:1')), false);
  });

  it('ImageNotUsedError lists the images used, or says there are none', () => {
    const some = new ImageNotUsedError('prod', 'ghcr.io/acme/api', ['a', 'b']);
    assert.equal(some.message, 'prod does not use the image ghcr.io/acme/api; it uses a, b');
    assert.equal(some.code, 'failed');
    assert.equal(some.hint, "check the image name (the environment's files name it without a tag), or add the image to the environment's manifests first");
    assert.equal(new ImageNotUsedError('prod', 'x', []).message, 'prod does not use the image x; it uses no images at all');
  });

  it('the branch name keeps only safe characters: runs of others become one dash, dots collapse, leading dashes and trailing dots go', () => {
    assert.equal(setImageBranchName('--prod  eu', image('ghcr.io/acme/web:1..2.')), 'gitops/set-image-prod-eu-web-1.2');
    assert.equal(setImageBranchName('!!!', image(`web@${SHA}`)), 'gitops/set-image-x-web-ab12ab12ab12');
    assert.equal(setImageBranchName('.staging', image('web:v1')), 'gitops/set-image-staging-web-v1');
  });

  it('the trailer and the set-image plan recognised only as an image plan from an environment to itself', () => {
    assert.equal(TRAILER_SET_IMAGE, 'Set-Image');
    const plan = { kind: 'promotion', layout: 'image', from: 'prod', to: 'prod', headBranch: 'gitops/set-image-prod-web-1', source: { ref: 'web:1' } };
    assert.equal(setImageReference(plan), 'web:1');
    assert.equal(setImageReference({ ...plan, layout: 'folder' }), null);
    assert.equal(setImageReference({ ...plan, to: 'staging' }), null);
  });
});

describe('setImagePlan: kustomizations', () => {
  it('kustomizationIncludes resolves local resources, bases and components; skips remote, non-text and climbing entries', () => {
    const text = 'resources:\n  - ./base\n  - ../shared//x\n  - 3\n  - ../../../up\n  - vendor/github.com/acme/base\n  - vendor/git@host/base\n  - cache/https://host/base\n  - https://github.com/a/b\n  - git@github.com:a/b\n  - github.com/a/b\n  - ./base\nbases: [b]\ncomponents: [c]\n';
    assert.deepEqual(kustomizationIncludes(text, 'envs/prod/kustomization.yaml'), ['envs/prod/base', 'envs/shared/x', 'envs/prod/vendor/github.com/acme/base', 'envs/prod/vendor/git@host/base', 'envs/prod/cache/https:/host/base', 'envs/prod/b', 'envs/prod/c']);
    assert.deepEqual(kustomizationIncludes('resources: [base]', 'kustomization.yaml'), ['base']);
  });

  it('kustomizationIncludes of an empty, invalid or non-map document is nothing', () => {
    assert.deepEqual(kustomizationIncludes('', 'kustomization.yaml'), []);
    assert.deepEqual(kustomizationIncludes('~', 'kustomization.yaml'), []);
    assert.deepEqual(kustomizationIncludes('a: [', 'kustomization.yaml'), []);
    assert.deepEqual(kustomizationIncludes('- base', 'kustomization.yaml'), []);
  });

  it('withKustomizeImageEntry appends after the last item, at its indentation, or a new list at the end', () => {
    const cases: Array<[string, string | null]> = [
      ['resources:\n- base\n', 'resources:\n- base\nimages:\n  - name: web\n'],
      ['resources: []', 'resources: []\nimages:\n  - name: web\n'],
      ['images:\n  - name: a\n    newTag: "1"\nreplicas: []\n', 'images:\n  - name: a\n    newTag: "1"\n  - name: web\nreplicas: []\n'],
      ['images:\n  - name: a\nreplicas: []', 'images:\n  - name: a\n  - name: web\nreplicas: []'],
      ['images:\n  - name: a', 'images:\n  - name: a\n  - name: web\n'],
      ['images:\n- name: a # c\n', 'images:\n- name: a # c\n- name: web\n'],
      ['images:\n  -\n    name: a\n', null],
      ['images:\n  - a\nreplicas: []\n', 'images:\n  - a\n  - name: web\nreplicas: []\n'],
      ['images: [{name: a}]\n', null],
      ['images: [-1]\n', null],
      ['images: []\n', null],
      ['- a\n', null],
    ];
    for (const [text, expected] of cases) assert.equal(withKustomizeImageEntry(text, 'web'), expected, JSON.stringify(text));
  });

  it('addedKustomizeEntry: the entry with its tag; nothing for a file that is not a kustomization', () => {
    assert.deepEqual(addedKustomizeEntry({ path: 'kustomization.yaml', text: 'resources: []\n' }, image('web:1')), { withEntry: 'resources: []\nimages:\n  - name: web\n', after: 'resources: []\nimages:\n  - name: web\n    newTag: "1"\n' });
    assert.equal(addedKustomizeEntry({ path: 'base/deploy.yaml', text: 'resources: []\n' }, image('web:1')), null);
  });
});

function planSide(environment: string): PlanSide {
  return { environment, ref: 'origin/main', commit: 'a'.repeat(40), shortCommit: 'aaaaaaa', branch: 'main', folder: `envs/${environment}`, tree: 't', remote: 'origin' };
}
const helmRelease = (version: string, replicas: number, img: string): string =>
  `apiVersion: helm.toolkit.fluxcd.io/v2\nkind: HelmRelease\nmetadata:\n  name: web\nspec:\n  chart:\n    spec:\n      chart: web\n      version: ${version}\n  values:\n    replicas: ${replicas}\n    image: ${img}\n`;
function draft(i: number, path: string, extra: Partial<FileChangeDraft> = {}): FileChangeDraft {
  return { path, sourcePath: path.replace('/prod/', '/staging/'), action: 'modify', excluded: false, excludedBy: null, selected: true, beforeBlob: `t${i}`, afterBlob: `s${i}`, mode: '100644', ...extra };
}

describe('fieldLevelFiles', () => {
  const blobs = new Map([
    ['s0', helmRelease('1.3.0', 3, 'web:2.0')],
    ['t0', helmRelease('1.2.0', 2, 'web:1.0')],
    ['s1', 'a: 1 # note\n'],
    ['t1', 'a: 1\n'],
    ['s2', '# readme 2\n'],
    ['t2', '# readme\n'],
  ]);
  const context = (): ReturnType<typeof fieldContext> => fieldContext(planSide('staging'), planSide('prod'), [], null);

  it('a modified YAML file on both sides goes value by value; a layout-only one is left out with a note; other files stay whole', () => {
    const notes: string[] = [];
    const out = fieldLevelFiles([draft(0, 'envs/prod/hr.yaml'), draft(1, 'envs/prod/c.yaml'), draft(2, 'envs/prod/README.md')], blobs, context(), undefined, notes);
    assert.deepEqual(notes, ['1 YAML file(s) differ only in comments or layout, not in values; they are left as they are']);
    assert.deepEqual(out.files.map((f) => [f.path, f.fieldLevel === true]), [['envs/prod/hr.yaml', true], ['envs/prod/README.md', false]]);
    assert.deepEqual(out.values.map((v) => [v.path, v.reason, v.to]), [['spec.chart.spec.version', 'chart version', '1.3.0'], ['spec.values.replicas', 'sizing', '3'], ['spec.values.image', 'image', 'web:2.0']]);
    assert.deepEqual(out.valueTargets.map((t) => t.path), ['envs/prod/hr.yaml']);
  });

  it('only modifications with a source path are compared value by value, and the others get no note', () => {
    for (const extra of [{ sourcePath: null }, { action: 'add' as const }, { path: 'envs/prod/hr.txt' }]) {
      const notes: string[] = [];
      const out = fieldLevelFiles([draft(0, 'envs/prod/hr.yaml', extra)], blobs, context(), undefined, notes);
      assert.deepEqual(notes, [], JSON.stringify(extra));
      assert.deepEqual(out.values, [], JSON.stringify(extra));
      assert.equal(out.files.length, 1);
      assert.notEqual(out.files[0].fieldLevel, true);
    }
  });

  it('a merge brings only image tags and chart versions into the downgrade checks', () => {
    const values = mergedValues({ source: planSide('staging'), target: planSide('prod'), files: [draft(0, 'envs/prod/hr.yaml')], blobs, mergeBaseTexts: new Map([['envs/prod/hr.yaml', helmRelease('1.2.0', 2, 'web:1.0')]]) });
    assert.deepEqual(values.map((v) => [v.path, v.reason, v.to]), [['spec.chart.spec.version', 'chart version', '1.3.0'], ['spec.values.image', 'image', 'web:2.0']]);
  });

  it('a merge reads only modified YAML files that have a merge-base text', () => {
    const bases = new Map([['envs/prod/hr.yaml', helmRelease('1.2.0', 2, 'web:1.0')], ['envs/prod/hr.txt', helmRelease('1.2.0', 2, 'web:1.0')]]);
    const input = { source: planSide('staging'), target: planSide('prod'), blobs, mergeBaseTexts: bases };
    assert.deepEqual(mergedValues({ ...input, files: [draft(0, 'envs/prod/hr.txt'), draft(0, 'envs/prod/other.yaml'), draft(0, 'envs/prod/hr.yaml', { action: 'add' })] }), []);
    assert.deepEqual(mergedValues({ ...input, mergeBaseTexts: undefined, files: [draft(0, 'envs/prod/hr.yaml')] }), []);
  });

  it('fieldLevelText writes a file\'s own selected values into its own text; null for other files', () => {
    const blobs2 = new Map([...blobs, ['s3', helmRelease('1.3.0', 3, 'web:3.0')], ['t3', helmRelease('1.2.0', 2, 'web:1.5')]]);
    const out = fieldLevelFiles([draft(0, 'envs/prod/a.yaml'), draft(3, 'envs/prod/b.yaml')], blobs2, context(), undefined, []);
    const plan = { valueTargets: out.valueTargets, values: out.values };
    assert.equal(fieldLevelText(plan, 'envs/prod/b.yaml'), helmRelease('1.3.0', 2, 'web:3.0'));
    assert.equal(fieldLevelText(plan, 'envs/prod/a.yaml'), helmRelease('1.3.0', 2, 'web:2.0'));
    assert.equal(fieldLevelText(plan, 'envs/prod/c.yaml'), null);
  });
});

describe('fieldFileChange', () => {
  const block = 'script: |\n  echo hi\n';
  const value = (selected: boolean): ValueChange => ({
    id: 'envs/prod/job.yaml#0 script',
    file: 'envs/prod/job.yaml',
    sourceFile: 'envs/staging/job.yaml',
    docIndex: 0,
    pointer: '/script',
    path: 'script',
    line: 1,
    op: 'set',
    from: 'echo hi\n',
    to: 'x',
    yaml: 'x',
    class: 'flows',
    reason: 'setting',
    selected,
  });

  it('a selected value that cannot be written in place gets a note; an unticked file shows its values but notes nothing', () => {
    const notes: string[] = [];
    const picked = fieldFileChange(draft(0, 'envs/prod/job.yaml'), block, [value(true)], notes);
    assert.deepEqual(notes, ['envs/prod/job.yaml:1: cannot write script in place; change it by hand']);
    assert.equal(picked.selected, true);
    assert.equal(picked.fieldLevel, true);
    const quiet: string[] = [];
    const unticked = fieldFileChange(draft(0, 'envs/prod/job.yaml'), block, [value(false)], quiet);
    assert.deepEqual(quiet, []);
    assert.equal(unticked.selected, false);
  });
});
