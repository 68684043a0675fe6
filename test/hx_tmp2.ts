import { parseManifests } from '../src/core/manifest';
import { parseGitopsConfig } from '../src/core/config';
const text = '['.repeat(10000) + ']'.repeat(10000);
const order = process.argv[2];
for (const c of order.split(',')) {
  console.log('start', c);
  if (c === 'm') console.log(parseManifests(text, 'f').problems.length);
  if (c === 'c') console.log(parseGitopsConfig(text, 'f').problems.length);
}
