// Orders image tags and chart versions the way release numbering reads: `3.0` after `2.0`,
// `v1.10` after `v1.9`, `2024-05-02` after `2024-05-01`, `1.2.0` after `1.2.0-rc.1`. Tags that
// carry no order (`latest`, a commit hash, a version range) compare as unknown, never as a
// downgrade.

interface ParsedVersion {
  numbers: number[];
  /** Text after the numbers (`rc.1`, `alpine`); '' for a release. */
  suffix: string;
}

/** `v1.2.3-rc.1`, `1.10`, `2024.05.01`, `20240501-abc123`, `release-42`: numbers first, then a suffix. */
const VERSION = /^(?:[a-z][a-z-]*?[-_]?)?v?(\d+(?:[._-]\d+)*)(?:[-+_.~]?(.*))?$/i;

function parseVersion(tag: string): ParsedVersion | null {
  const match = VERSION.exec(tag.trim());
  if (!match) return null;
  // A bare long hex string is a commit, not a number (`1234abc`, `deadbeef`).
  if (/^[0-9a-f]{7,}$/i.test(tag) && /[a-f]/i.test(tag)) return null;
  const numbers = match[1].split(/[._-]/).map(Number);
  if (numbers.some((n) => !Number.isSafeInteger(n))) return null;
  return { numbers, suffix: (match[2] ?? '').toLowerCase() };
}

/** The prefix before the numbers (`release-` of `release-42`): tags of different schemes do not compare. */
function scheme(tag: string): string {
  const at = tag.search(/v?\d/i);
  return at < 0 ? tag : tag.slice(0, at).toLowerCase();
}

/** Pre-releases sort before their release; other suffixes (`-alpine`) are flavours, not order. */
const PRERELEASE = /^(alpha|beta|rc|pre|preview|dev|snapshot)(?![a-z])/;

/**
 * -1 when `a` is older than `b`, 1 when newer, 0 when the same version, null when the two cannot
 * be ordered (different schemes, no numbers, flavours that differ).
 */
export function compareVersions(a: string, b: string): -1 | 0 | 1 | null {
  if (a === b) return 0;
  if (scheme(a) !== scheme(b)) return null;
  const va = parseVersion(a);
  const vb = parseVersion(b);
  if (!va || !vb) return null;
  for (let i = 0; i < Math.max(va.numbers.length, vb.numbers.length); i++) {
    const x = va.numbers[i] ?? 0;
    const y = vb.numbers[i] ?? 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  if (va.suffix === vb.suffix) return 0;
  const preA = PRERELEASE.test(va.suffix);
  const preB = PRERELEASE.test(vb.suffix);
  if (va.suffix === '' && preB) return 1;
  if (vb.suffix === '' && preA) return -1;
  if (preA && preB) {
    // semver.org rule 11: the word first (ASCII order: alpha < beta < rc), then the numbers after
    // it; `rc1`, `rc.1` and `rc-1` are the same pre-release.
    const wordA = PRERELEASE.exec(va.suffix)?.[1] ?? '';
    const wordB = PRERELEASE.exec(vb.suffix)?.[1] ?? '';
    if (wordA !== wordB) return wordA < wordB ? -1 : 1;
    return compareVersions(va.suffix.slice(wordA.length).replace(/^[.-]/, ''), vb.suffix.slice(wordB.length).replace(/^[.-]/, '')) ?? null;
  }
  return null;
}

/** The tag of an image reference (`ghcr.io/acme/web:1.2@sha256:…` → `1.2`); null when it has none. */
export function imageTag(reference: string): string | null {
  const at = reference.indexOf('@');
  const withoutDigest = at >= 0 ? reference.slice(0, at) : reference;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(colon + 1) : null;
}
