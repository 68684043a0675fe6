// "3 days ago" for commit dates in tree descriptions.
const UNITS: Array<[Intl.RelativeTimeFormatUnit, number]> = [
  ['year', 365 * 24 * 3600],
  ['month', 30 * 24 * 3600],
  ['week', 7 * 24 * 3600],
  ['day', 24 * 3600],
  ['hour', 3600],
  ['minute', 60],
];

// Built on first use, not at module load: creating it loads ICU's locale data (~10 ms), which
// activation would otherwise pay before any date is shown.
let format: Intl.RelativeTimeFormat | undefined;

export function relativeTime(iso: string, now = Date.now()): string {
  const seconds = Math.round((new Date(iso).getTime() - now) / 1000);
  if (!Number.isFinite(seconds)) return '';
  for (const [unit, size] of UNITS) {
    if (Math.abs(seconds) >= size) return (format ??= new Intl.RelativeTimeFormat('en', { numeric: 'auto' })).format(Math.round(seconds / size), unit);
  }
  return 'just now';
}
