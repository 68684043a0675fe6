// Engine results for tests: an environment whose one resource, Secret shop/db, drifted in `fields`.
import type { DriftField, EnvironmentDrift } from '../../../src/core/drift/driftTypes';

export function driftedSecret(fields: DriftField[]): EnvironmentDrift {
  return {
    mode: 'local',
    approximate: true,
    counts: { InSync: 0, Drifted: 1, Missing: 0, Extra: 0, Unknown: 0, Invalid: 0 },
    problems: [],
    resources: [
      {
        id: { group: '', version: 'v1', kind: 'Secret', namespace: 'shop', name: 'db' },
        key: '/Secret/shop/db',
        status: 'Drifted',
        mode: 'local',
        approximate: true,
        ignored: 0,
        fields,
      },
    ],
  };
}
