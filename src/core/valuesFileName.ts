// Helm values files named after an environment, as folder discovery, Argo CD discovery and the
// files of a chart folder shared by several environments read them.

/** `values-prod.yaml`, `values.prod.yml`, `prod-values.yaml`, `prod.values.yaml`. */
const VALUES_FILE = /^(?:values[-_.](.+)|(.+)[-_.]values)\.ya?ml$/i;

/** The word a values file's name carries (`values-prod-eu.yaml` → `prod-eu`); null for any other file name. */
export function valuesFileWord(fileName: string): string | null {
  const match = VALUES_FILE.exec(fileName);
  return match ? (match[1] ?? match[2]) : null;
}
