// Values printed the way the API server's field errors print them: field.Invalid formats the bad
// value with Go's %#v for structs and maps (`map[string]string{"app":"web"}`) and quotes strings.

type Json = Record<string, unknown>;

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function goString(value: string): string {
  return JSON.stringify(value);
}

/** `map[string]string{"a":"b", "c":"d"}` with sorted keys, `map[string]string(nil)` when absent. */
export function goStringMap(value: unknown): string {
  if (!isRecord(value)) return 'map[string]string(nil)';
  const entries = Object.keys(value)
    .sort()
    .map((key) => `${goString(key)}:${goString(String(value[key]))}`);
  return `map[string]string{${entries.join(', ')}}`;
}

export function goStringSlice(value: unknown): string {
  if (!Array.isArray(value)) return '[]string(nil)';
  return `[]string{${value.map((item) => goString(String(item))).join(', ')}}`;
}

/** A LabelSelector as `v1.LabelSelector{MatchLabels:…, MatchExpressions:…}`. */
export function goLabelSelector(selector: unknown): string {
  const value = isRecord(selector) ? selector : {};
  const expressions = Array.isArray(value.matchExpressions) ? value.matchExpressions.filter(isRecord) : undefined;
  const shownExpressions = expressions
    ? `[]v1.LabelSelectorRequirement{${expressions
        .map((expression) => `v1.LabelSelectorRequirement{Key:${goString(String(expression.key ?? ''))}, Operator:${goString(String(expression.operator ?? ''))}, Values:${goStringSlice(expression.values)}}`)
        .join(', ')}}`
    : '[]v1.LabelSelectorRequirement(nil)';
  return `v1.LabelSelector{MatchLabels:${goStringMap(value.matchLabels)}, MatchExpressions:${shownExpressions}}`;
}

/** A scalar as field.Invalid prints it: strings quoted, numbers and booleans bare. */
export function goScalar(value: unknown): string {
  if (typeof value === 'string') return goString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (value === null || value === undefined) return 'null';
  return JSON.stringify(value);
}
