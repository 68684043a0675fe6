// The helpers under the environment model and gitops.yaml: "did you mean" distances, Argo CD's
// name globs, the RE2-pattern guard, credential masking, remote URL identities and the written
// gitops.yaml. Written for the mutation group core-config: the config and discovery tests reach
// these through whole files, where a wrong distance or a wrong glob step rarely shows. Properties
// compare with independent references (a plain Levenshtein, a RegExp built from the glob).
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseGitopsConfig } from '../../src/core/config';
import { renderGitopsConfig } from '../../src/core/configWriter';
import { closestMatch, editDistance } from '../../src/core/didYouMean';
import { resourceKey, splitApiVersion } from '../../src/core/model';
import { MAX_PATTERN_SUBJECT_LENGTH, regexHazard, safeFullMatcher, wildcardMatches } from '../../src/core/patternSafety';
import { decodeSegment, remoteIdentity, stripUrlCredentials } from '../../src/core/remoteUrl';
import { maskSecrets } from '../../src/core/secrets';
import { seededRandom } from '../support/seededRandom';

function randomWord(random: () => number, alphabet: string, max: number): string {
  let word = '';
  const length = Math.floor(random() * (max + 1));
  for (let i = 0; i < length; i++) word += alphabet[Math.floor(random() * alphabet.length)];
  return word;
}

/** Plain Levenshtein distance, the reference: a swap costs 2 here, 1 in editDistance. */
function levenshtein(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}

describe('editDistance and closestMatch', () => {
  it('is 0 only for equal words, symmetric, and never more than Levenshtein nor less than half of it', () => {
    const random = seededRandom(9301);
    for (let run = 0; run < 400; run++) {
      const a = randomWord(random, 'abcd', 7);
      const b = random() < 0.2 ? a : randomWord(random, 'abcd', 7);
      const distance = editDistance(a, b);
      assert.equal(distance === 0, a === b, `${a} ${b}`);
      assert.equal(editDistance(b, a), distance, `${a} ${b}`);
      const reference = levenshtein(a, b);
      assert.ok(distance <= reference && distance * 2 >= reference, `${a} ${b}: ${distance} vs ${reference}`);
      assert.ok(distance >= Math.abs(a.length - b.length));
      assert.ok(distance <= Math.max(a.length, b.length));
    }
  });

  it('counts a swap of neighbours as one edit', () => {
    assert.equal(editDistance('branch', 'brnach'), 1);
    assert.equal(editDistance('ab', 'ba'), 1);
    assert.equal(editDistance('abc', 'cba'), 2);
    assert.equal(editDistance('', 'abc'), 3);
    assert.equal(editDistance('abc', ''), 3);
    assert.equal(editDistance('kitten', 'sitting'), 3);
  });

  it('suggests a case-only difference at once, else the nearest within two edits or a third of the word', () => {
    assert.equal(closestMatch('Environments', ['name', 'environments']), 'environments');
    assert.equal(closestMatch('enviroments', ['name', 'environments', 'path']), 'environments');
    assert.equal(closestMatch('protect', ['protected', 'path']), 'protected');
    assert.equal(closestMatch('brnach', ['branch']), 'branch');
    assert.equal(closestMatch('name', ['path']), undefined);
    assert.equal(closestMatch('xyz', []), undefined);
    // Three edits: allowed only for candidates of nine characters or more.
    assert.equal(closestMatch('abcdefxyz', ['abcdefghi']), 'abcdefghi');
    assert.equal(closestMatch('abcdexyz', ['abcdeghi']), undefined);
    // The nearest wins; the first of equals is kept.
    assert.equal(closestMatch('pathz', ['paths', 'path']), 'paths');
    assert.equal(closestMatch('pat', ['path', 'pats']), 'path');
    assert.equal(closestMatch('NAME', ['name', 'Name']), 'name');
  });
});

describe('wildcardMatches', () => {
  it('matches exactly what the equivalent regular expression matches', () => {
    const random = seededRandom(9302);
    for (let run = 0; run < 600; run++) {
      const pattern = randomWord(random, 'ab*?', 5);
      const subject = randomWord(random, 'abc', 6);
      const regex = new RegExp(`^${pattern.replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
      assert.equal(wildcardMatches(pattern, subject), regex.test(subject), `${pattern} ~ ${subject}`);
    }
  });

  it('handles the empty pattern and subject', () => {
    assert.equal(wildcardMatches('', ''), true);
    assert.equal(wildcardMatches('', 'a'), false);
    assert.equal(wildcardMatches('*', ''), true);
    assert.equal(wildcardMatches('?', ''), false);
    assert.equal(wildcardMatches('a*', 'a'), true);
    assert.equal(wildcardMatches('*b', 'ab'), true);
    assert.equal(wildcardMatches('*b', 'ba'), false);
  });
});

describe('regexHazard and safeFullMatcher', () => {
  it('refuses patterns that backtrack, and passes what people write', () => {
    const cases: Array<[string, string | undefined]> = [
      ['web-.*', undefined],
      ['(api|web)', undefined],
      ['.*-config', undefined],
      ['a*b*c*', undefined],
      ['[a-z]+', undefined],
      ['(?i:abc)', undefined],
      ['(?P<name>abc)', undefined],
      ['\\(+', undefined],
      ['[)+]', undefined],
      ['(a+)+b', 'repeats a group'],
      ['(a|a)*b', 'repeats a group'],
      ['(ab){2}', 'repeats a group'],
      ['(ab)?', 'repeats a group'],
      ['(?:ab)+', 'repeats a group'],
      ['a*b*c*d*', 'has more than 3 repetition operators'],
      ['a{1,2}b{3}c?d+', 'has more than 3 repetition operators'],
      ['(a)\\1', 'uses a back-reference'],
      ['(?<n>a)\\k<n>', 'uses a back-reference'],
      ['a(?=b)', 'uses a lookaround'],
      ['a(?!b)', 'uses a lookaround'],
      ['(?<=a)b', 'uses a lookaround'],
      ['(?<!a)b', 'uses a lookaround'],
      ['x'.repeat(1000), undefined],
      ['x'.repeat(1001), 'is longer than 1000 characters'],
    ];
    for (const [pattern, hazard] of cases) assert.equal(regexHazard(pattern), hazard, pattern);
  });

  it('matches whole names only, falls back to the text for hazards, invalid patterns and long subjects', () => {
    const web = safeFullMatcher('web-.*');
    assert.equal(web('web-1'), true);
    assert.equal(web('my-web-1'), false);
    assert.equal(web('web'), false);
    assert.equal(web(`web-${'x'.repeat(MAX_PATTERN_SUBJECT_LENGTH - 4)}`), true);
    assert.equal(web(`web-${'x'.repeat(MAX_PATTERN_SUBJECT_LENGTH - 3)}`), false, 'over the length limit');
    const either = safeFullMatcher('api|web');
    assert.equal(either('api'), true);
    assert.equal(either('web'), true);
    assert.equal(either('apiweb'), false, 'the alternation is inside the anchors');
    const hazard = safeFullMatcher('(a+)+b');
    assert.equal(hazard('aaab'), false);
    assert.equal(hazard('(a+)+b'), true);
    const invalid = safeFullMatcher('[unclosed');
    assert.equal(invalid('[unclosed'), true);
    assert.equal(invalid('u'), false);
    const literalLong = 'y'.repeat(MAX_PATTERN_SUBJECT_LENGTH + 5);
    assert.equal(safeFullMatcher(literalLong)(literalLong), true, 'the text itself always matches');
  });
});

describe('maskSecrets', () => {
  it('masks each credential shape and leaves the rest of the text', () => {
    const cases: Array<[string, string]> = [
      ['fetch https://bot:s3cr3t@github.com/o/r failed', 'fetch https://bot:***@github.com/o/r failed'],
      [`https://${'a'.repeat(20)}@host/x`, 'https://***@host/x'],
      [`https://${'a'.repeat(19)}@host/x`, `https://${'a'.repeat(19)}@host/x`],
      ['Authorization: Bearer abcdefgh123', 'Authorization: Bearer ***'],
      ['Basic dXNlcjpwYXNz', 'Basic ***'],
      ['Bearer short', 'Bearer short'],
      [`token ghp_${'A'.repeat(20)} used`, 'token *** used'],
      [`github_pat_${'b'.repeat(20)}`, '***'],
      [`glpat-${'c'.repeat(16)}`, '***'],
      [`glpat-${'c'.repeat(15)}`, `glpat-${'c'.repeat(15)}`],
      ['password=hunter2 next', 'password=*** next'],
      ['"token": "abc123",', '"token": "***",'],
      ['client-key-data: LS0tLS1CRUdJTi', 'client-key-data: ***'],
      ['SECRET=xyz', 'SECRET=***'],
      ['no secrets here', 'no secrets here'],
    ];
    for (const [input, expected] of cases) assert.equal(maskSecrets(input), expected, input);
  });

  it('masks every occurrence, not only the first', () => {
    assert.equal(maskSecrets('https://a:b@h1/x https://c:d@h2/y'), 'https://a:***@h1/x https://c:***@h2/y');
    assert.equal(maskSecrets('password=1 password=2'), 'password=*** password=***');
  });
});

describe('remote URLs', () => {
  it('strips passwords and tokens, keeps a plain user name', () => {
    assert.equal(stripUrlCredentials('https://user:tok@host/x'), 'https://user@host/x');
    assert.equal(stripUrlCredentials(`https://ghp_${'A'.repeat(36)}@github.com/o/r`), 'https://github.com/o/r');
    assert.equal(stripUrlCredentials('  https://host/x  '), 'https://host/x');
    assert.equal(stripUrlCredentials('git@github.com:o/r.git'), 'git@github.com:o/r.git');
    assert.equal(stripUrlCredentials('not a url'), 'not a url');
  });

  it('gives one identity to every spelling of a remote, and none to what is not one', () => {
    const same = ['git@github.com:Acme/Config.git', 'https://github.com/acme/config', 'ssh://git@github.com/acme/config.git', 'https://github.com/acme/config.git/'];
    const identities = new Set(same.map((url) => remoteIdentity(url)));
    assert.deepEqual([...identities], ['github.com/acme/config']);
    assert.equal(remoteIdentity('/srv/git/env.git'), 'file:/srv/git/env');
    assert.equal(remoteIdentity('file:///srv//git/env.git/'), 'file:/srv/git/env');
    assert.equal(remoteIdentity('file:///srv/My%20Repo'), 'file:/srv/My Repo');
    assert.equal(remoteIdentity('file:///srv/bad%zzname'), 'file:/srv/bad%zzname');
    assert.equal(remoteIdentity('/'), null);
    assert.equal(remoteIdentity('https://dev.azure.com/org/proj/_git/repo'), remoteIdentity('git@ssh.dev.azure.com:v3/org/proj/repo'));
    assert.equal(remoteIdentity('C:\\repo'), null);
    assert.equal(remoteIdentity('just words'), null);
  });

  it('decodes a path segment for display, and leaves a broken escape alone', () => {
    assert.equal(decodeSegment('My%20Project'), 'My Project');
    assert.equal(decodeSegment('100%'), '100%');
    assert.equal(decodeSegment('plain'), 'plain');
  });
});

describe('model identities and the written gitops.yaml', () => {
  it('splits apiVersion into group and version', () => {
    assert.deepEqual(splitApiVersion('v1'), { group: '', version: 'v1' });
    assert.deepEqual(splitApiVersion('apps/v1'), { group: 'apps', version: 'v1' });
    assert.deepEqual(splitApiVersion('a.b/v1/x'), { group: 'a.b', version: 'v1/x' });
    assert.deepEqual(splitApiVersion('/v1'), { group: '', version: 'v1' });
  });

  it('keys a resource without its version, with an empty namespace for cluster-scoped ones', () => {
    assert.equal(resourceKey({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'web', name: 'api' }), 'apps/Deployment/web/api');
    assert.equal(resourceKey({ group: '', version: 'v1', kind: 'Namespace', namespace: null, name: 'web' }), '/Namespace//web');
    assert.equal(resourceKey({ group: 'apps', version: 'v1beta1', kind: 'Deployment', namespace: 'web', name: 'api' }), resourceKey({ group: 'apps', version: 'v1', kind: 'Deployment', namespace: 'web', name: 'api' }));
  });

  it('writes an empty environment list that parses back to none, with the optional sections commented', () => {
    const text = renderGitopsConfig([]);
    assert.match(text, /^environments: \[\] {3}# add entries like {2}- name: dev$/m);
    assert.match(text, /^# promotion:$/m);
    assert.match(text, /^# {3}exclude: \['\*\*\/replicas\.yaml'\]/m);
    assert.match(text, /^# drift:$/m);
    assert.ok(text.endsWith('\n'));
    const parsed = parseGitopsConfig(text);
    assert.deepEqual(parsed.problems.filter((p) => p.severity === 'error'), []);
    assert.deepEqual(parsed.config?.environments ?? [], []);
  });
});
