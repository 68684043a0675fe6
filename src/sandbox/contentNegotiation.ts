// Which representation a client asked for in its Accept header: plain JSON, a Table
// (`kubectl get`), or PartialObjectMetadata (metadata-only clients). The first supported entry wins.

export type Representation = { kind: 'json' } | { kind: 'table'; version: string } | { kind: 'partial'; version: string };

export function negotiateRepresentation(accept: string | undefined): Representation {
  if (!accept) return { kind: 'json' };
  for (const entry of accept.split(',')) {
    const [mediaType, ...parameterParts] = entry.split(';').map((part) => part.trim());
    const parameters = new Map<string, string>();
    for (const part of parameterParts) {
      const equals = part.indexOf('=');
      if (equals > 0) parameters.set(part.slice(0, equals).trim(), part.slice(equals + 1).trim());
    }
    if (mediaType !== 'application/json' && mediaType !== '*/*' && mediaType !== 'application/*') continue;
    const as = parameters.get('as');
    if (as === undefined) return { kind: 'json' };
    const version = parameters.get('v') ?? 'v1';
    if (parameters.get('g') !== 'meta.k8s.io' || (version !== 'v1' && version !== 'v1beta1')) continue;
    if (as === 'Table') return { kind: 'table', version };
    if (as === 'PartialObjectMetadata' || as === 'PartialObjectMetadataList') return { kind: 'partial', version };
  }
  return { kind: 'json' };
}
