// Which Kubernetes version the bundled built-in schemas come from, apart from the schemas
// themselves: naming the version must not load @kubernetes/client-node's models.

/** The Kubernetes version whose OpenAPI the bundled models were generated from. */
export const BUNDLED_KUBERNETES_VERSION = '1.34';
export const BUNDLED_SCHEMA_SOURCE = `@kubernetes/client-node 1.4.0 models (Kubernetes OpenAPI v${BUNDLED_KUBERNETES_VERSION}.0)`;
