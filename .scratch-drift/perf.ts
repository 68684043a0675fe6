import { buildDeploymentPairs, compareDeploymentPairs } from '../src/core/drift/benchmarkPairs';
const pairs = buildDeploymentPairs(2000);
for (let k = 0; k < 6; k++) {
  const t = performance.now();
  const r = compareDeploymentPairs(pairs);
  console.log((performance.now() - t).toFixed(1), 'ms', JSON.stringify(r.counts));
}
const r = compareDeploymentPairs(pairs);
console.log(JSON.stringify(r.resources[0].fields, null, 1));
