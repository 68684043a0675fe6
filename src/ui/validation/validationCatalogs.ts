// The schema catalog each environment's files are validated against, most specific first: CRDs
// declared in the environment's folders, the cluster's own /openapi/v3 (built-ins and CRDs as that
// cluster serves them; live, else the disk cache), then the bundled built-in schemas. The slow
// parts load in the background; until they arrive the bundled schemas answer, and `onChange`
// says when to validate again. No vscode import (tests and the bench drive it directly).
import type { BaseCatalog } from '../../core/validation/documentValidation';
import { CustomResourceCatalog, OpenApiDocumentCatalog, stackedCatalog, type SchemaCatalog } from '../../core/validation/schemaCatalog';
import type { DescriptionSource } from '../../core/validation/schemaLookup';
import type { EnvironmentCandidate } from './fileEnvironment';

type Json = Record<string, unknown>;

export interface BuiltinSchemas {
  catalog: SchemaCatalog;
  /** Field descriptions kept apart from the schemas (the generated asset's); absent: none. */
  describe?: DescriptionSource;
}

export interface CatalogSources {
  builtin(): BuiltinSchemas;
  /** A cluster's OpenAPI v3 documents; rejects when the cluster is out of reach and nothing is cached. */
  clusterDocuments(context: string): Promise<unknown[]>;
  /** The CustomResourceDefinition objects found in the environment's folders. */
  environmentCrds(environment: EnvironmentCandidate): Promise<Json[]>;
}

export interface EnvironmentCatalog extends BaseCatalog {
  describe?: DescriptionSource;
  /** What the schemas come from, for the hover's footer. */
  source: 'cluster' | 'bundled';
}

interface Pending<T> {
  value?: T;
  generation: number;
}

/** Kubernetes' own API groups (decoded into Go structs): as `gitops-env validate` decides. */
const builtinGroup = (group: string): boolean => group === '' || !group.includes('.') || group.endsWith('.k8s.io');

export class ValidationCatalogs {
  private builtinSchemas: BuiltinSchemas | undefined;
  private readonly clusters = new Map<string, Pending<OpenApiDocumentCatalog>>();
  private readonly crds = new Map<string, Pending<CustomResourceCatalog>>();
  private readonly stacked = new Map<string, EnvironmentCatalog>();
  private generation = 0;

  constructor(
    private readonly sources: CatalogSources,
    /** Called when a background load changed what some environment's catalog answers. */
    private readonly onChange: () => void,
  ) {}

  private builtin(): BuiltinSchemas {
    this.builtinSchemas ??= this.sources.builtin();
    return this.builtinSchemas;
  }

  private clusterCatalog(context: string): Pending<OpenApiDocumentCatalog> {
    let entry = this.clusters.get(context);
    if (!entry) {
      const created: Pending<OpenApiDocumentCatalog> = { generation: ++this.generation };
      entry = created;
      this.clusters.set(context, created);
      this.sources.clusterDocuments(context).then(
        (documents) => {
          if (this.clusters.get(context) !== created) return;
          const catalog = new OpenApiDocumentCatalog(documents, builtinGroup);
          if (catalog.size === 0) return;
          created.value = catalog;
          created.generation = ++this.generation;
          this.onChange();
        },
        () => undefined, // no cluster schema: the bundled one answers
      );
    }
    return entry;
  }

  private crdCatalog(environment: EnvironmentCandidate): Pending<CustomResourceCatalog> {
    let entry = this.crds.get(environment.key);
    if (!entry) {
      const created: Pending<CustomResourceCatalog> = { generation: ++this.generation };
      entry = created;
      this.crds.set(environment.key, created);
      this.sources.environmentCrds(environment).then(
        (objects) => {
          if (this.crds.get(environment.key) !== created || objects.length === 0) return;
          const catalog = new CustomResourceCatalog();
          for (const object of objects) catalog.add(object);
          created.value = catalog;
          created.generation = ++this.generation;
          this.onChange();
        },
        () => undefined,
      );
    }
    return entry;
  }

  /** The catalog for an environment's files now (starts the background loads on first use). */
  forEnvironment(environment: EnvironmentCandidate): EnvironmentCatalog {
    const crds = this.crdCatalog(environment);
    const cluster = environment.context ? this.clusterCatalog(environment.context) : undefined;
    const key = `${environment.key}\u0000${crds.value ? crds.generation : 0}\u0000${cluster?.value ? cluster.generation : 0}`;
    let found = this.stacked.get(key);
    if (!found) {
      const builtin = this.builtin();
      const parts: SchemaCatalog[] = [];
      if (crds.value) parts.push(crds.value);
      if (cluster?.value) parts.push(cluster.value);
      parts.push(builtin.catalog);
      found = { catalog: parts.length === 1 ? builtin.catalog : stackedCatalog(parts), key, describe: builtin.describe, source: cluster?.value ? 'cluster' : 'bundled' };
      this.stacked.set(key, found);
    }
    return found;
  }

  /** Forgets environment CRDs (files changed) or everything (kubeconfig changed). */
  reset(what: 'crds' | 'all'): void {
    this.crds.clear();
    if (what === 'all') this.clusters.clear();
    this.stacked.clear();
  }
}
