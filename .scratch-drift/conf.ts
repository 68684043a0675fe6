import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse as load } from 'yaml';
import { compareResource } from '/work/main/src/core/drift/compare';
const dir = '/work/shared/fixtures/argo-diff';
const read = (f: string) => (f.endsWith('.json') ? JSON.parse(readFileSync(join(dir, f), 'utf8')) : load(readFileSync(join(dir, f), 'utf8'))) as Record<string, unknown>;
const rows = readFileSync(join(dir, 'EXPECTED.tsv'), 'utf8').trim().split('\n').slice(1).map((l) => l.split('\t'));
for (const [d, l, expected, option] of rows) {
  const r = compareResource({ desired: { object: read(d) }, live: read(l), options: { ignoreAggregatedRoles: option === 'ignore-aggregated-roles' } });
  console.log(d, expected, r.status, JSON.stringify(r.fields).slice(0, 600));
}
const extra: Array<[string, string, string?]> = [
  ['smd-deploy-config.yaml', 'smd-deploy-live.yaml'],
  ['smd-deploy2-config.yaml', 'smd-deploy2-live.yaml'],
  ['smd-service-config.yaml', 'smd-service-live.yaml'],
  ['smd-service-config-ports.yaml', 'smd-service-live.yaml'],
  ['smd-service-config-2-ports.yaml', 'smd-service-live.yaml'],
  ['smd-service-config.yaml', 'smd-service-live-with-type.yaml'],
  ['ssd-deploy-composite-key-config.yaml', 'ssd-deploy-composite-key-live.yaml', 'ssd-deploy-composite-key-predicted-live.json'],
  ['ssd-deploy-nested-config.yaml', 'ssd-deploy-nested-live.yaml', 'ssd-deploy-nested-predicted-live.json'],
  ['ssd-deploy-with-manual-apply-config.yaml', 'ssd-deploy-with-manual-apply-live.yaml', 'ssd-deploy-with-manual-apply-predicted-live.json'],
  ['ssd-service-config.yaml', 'ssd-service-live.yaml', 'ssd-service-predicted-live.json'],
  ['ssd-svc-no-label-config.yaml', 'ssd-svc-label-live.yaml', 'ssd-svc-no-label-predicted-live.json'],
  ['smd-deploy2-config.yaml', 'smd-deploy2-live.yaml', 'smd-deploy2-predicted-live.json'],
];
for (const [d, l, p] of extra) {
  const local = compareResource({ desired: { object: read(d) }, live: read(l) });
  console.log('\nLOCAL', d, l, local.status, JSON.stringify(local.fields.map(f => [f.change, f.pointer, f.desired, f.live, f.manager])));
  if (p) {
    const server = compareResource({ desired: { object: read(d) }, live: read(l), predictedLive: read(p), options: { mode: 'server' } });
    console.log('SERVER', d, server.status, JSON.stringify(server.fields.map(f => [f.change, f.pointer, f.desired, f.live, f.manager])));
  }
}
