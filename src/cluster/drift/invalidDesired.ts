// Git objects the API server would refuse, found before anything is sent: a sync refuses to start
// with any of them (nothing applied, nothing pruned), and the drift service marks them Invalid.
// Built-in kinds are checked against the bundled schemas, custom resources against the CRDs
// declared in the same set (others only by their metadata).
import type { InvalidVerdict, KubeObject } from '../../core/drift/driftTypes';
import { schemaVerdict } from '../../core/drift/invalidObjects';
import { CustomResourceCatalog, stackedCatalog, type SchemaCatalog } from '../../core/validation/schemaCatalog';
import { builtinSchemas } from '../builtinSchemas';

export interface RefusedObject {
  object: KubeObject;
  verdict: InvalidVerdict;
}

let builtin: SchemaCatalog | undefined;

/** The bundled built-in kinds' schemas, one catalog for the process (verdicts are remembered per catalog). */
export function builtinCatalog(): SchemaCatalog {
  builtin ??= builtinSchemas().catalog;
  return builtin;
}

/** The bundled built-in schemas, with the CRDs among `objects` in front. */
export function catalogFor(objects: readonly KubeObject[]): SchemaCatalog {
  const crds = new CustomResourceCatalog();
  for (const object of objects) {
    if (object.kind === 'CustomResourceDefinition' && typeof object.apiVersion === 'string' && object.apiVersion.startsWith('apiextensions.k8s.io/')) crds.add(object);
  }
  return crds.size === 0 ? builtinCatalog() : stackedCatalog([crds, builtinCatalog()]);
}

/** Every object of the set the schema refuses, with why. */
export function refusedObjects(objects: readonly KubeObject[], catalog: SchemaCatalog = catalogFor(objects)): RefusedObject[] {
  const refused: RefusedObject[] = [];
  for (const object of objects) {
    const verdict = schemaVerdict(object, catalog);
    if (verdict) refused.push({ object, verdict });
  }
  return refused;
}

function named(object: KubeObject): string {
  const metadata = typeof object.metadata === 'object' && object.metadata !== null ? (object.metadata as Record<string, unknown>) : {};
  const namespace = typeof metadata.namespace === 'string' && metadata.namespace !== '' ? `${metadata.namespace}/` : '';
  return `${String(object.kind ?? '')} ${namespace}${String(metadata.name ?? '')}`;
}

/** "2 objects are invalid in Git, nothing was applied: Deployment shop/web: …; …" */
export function refusalMessage(refused: readonly RefusedObject[], what = 'nothing was applied'): string {
  const shown = refused.slice(0, 5).map(({ object, verdict }) => `${named(object)}: ${verdict.reason}`);
  const more = refused.length > shown.length ? `; and ${refused.length - shown.length} more` : '';
  return `${refused.length} object${refused.length === 1 ? ' is' : 's are'} invalid in Git, ${what} — ${shown.join('; ')}${more}`;
}

/** What the API server would refuse among `objects`, a reason each (renderPlanChange's `refused`). */
export function refusedReasons(objects: readonly KubeObject[]): Array<{ object: KubeObject; reason: string }> {
  return refusedObjects(objects).map(({ object, verdict }) => ({ object, reason: verdict.reason }));
}
