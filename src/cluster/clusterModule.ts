// Entry point of the separately bundled cluster layer (dist/cluster.js). The extension loads it on
// first use so @kubernetes/client-node costs nothing at activation.
export { ClusterManager, stateFromError, type ConnectionState, type ConnectionStatus } from './clusterManager';
export { ClusterError, type ClusterErrorCode } from './clusterError';
export { kubeconfigFiles, loadKubeconfig } from './kubeconfigLoader';
export { LiveCache, type KubeObject, type CacheState, type CacheChange } from './liveCache';
export { EnvironmentDriftService, type EnvironmentDriftReport, type DriftChangeEvent, type SyncOutcome, type PreviewOutcome } from './drift/environmentDriftService';
export { loadEnvironmentDriftRules } from './drift/environmentRules';
export { maskSecretObject } from './drift/syncResource';
export { ClusterConnections, type ClusterConnection, type ClusterConnectionStatus } from './operators/clusterConnections';
export { EnvironmentOperators, type EnvironmentOperatorView, type EnvironmentOperatorsChange } from './operators/environmentOperators';
export { argoSync, argoRefresh, fluxReconcile, fluxSetSuspended, OperatorActionError } from './operators/operatorActions';
export { SnapshotStore } from './snapshots/snapshotStore';
export { addLiveImpact, type LiveImpactInput } from './sync/liveImpact';
export { refusedReasons } from './drift/invalidDesired';
// The editor's validation: the models' schemas when the generated asset is missing, and a cluster's
// own /openapi/v3 (cached on disk per cluster, shared with `gitops-env validate`).
export { bundledCatalog } from '../sandbox/bundledSchemas';
export { KubeClient } from './kubeClient';
export { clusterOpenApiDocuments, userCacheDir } from './clusterOpenApi';
