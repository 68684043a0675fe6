import { buildDeploymentPairs, compareDeploymentPairs } from '../src/core/drift/benchmarkPairs';
const pairs = buildDeploymentPairs(2000);
for (let k = 0; k < 20; k++) compareDeploymentPairs(pairs);
