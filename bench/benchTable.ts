// One table for every benchmark: figure, target, measured median, the peer side by side, ratio, verdict.
import { cpus, totalmem } from 'node:os';

export interface BenchRow {
  figure: string;
  target: string;
  /** Median in the unit named by `unit`. */
  measured: number;
  unit: 'ms' | 'MB';
  /** The peer's median for the same work in the same process/script, when one exists. */
  peer?: { name: string; measured: number };
  pass: boolean;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

function fmt(value: number, unit: string): string {
  return `${value >= 100 ? value.toFixed(0) : value.toFixed(1)} ${unit}`;
}

/** "12.3× faster" / "2.4× the peer's time" for times; "1.5× less" / "1.9× the peer's" for memory. */
function versusPeer(ours: number, peer: number, unit: BenchRow['unit']): string {
  if (unit === 'MB') return ours <= peer ? `${(peer / ours).toFixed(1)}× less memory` : `${(ours / peer).toFixed(1)}× the peer's memory`;
  return ours <= peer ? `${(peer / ours).toFixed(1)}× faster` : `${(ours / peer).toFixed(1)}× the peer's time`;
}

export function renderTable(rows: BenchRow[]): string {
  const header = '| figure | target | measured (median) | peer (median) | vs peer | result |\n|---|---|---|---|---|---|';
  const lines = rows.map((r) => {
    const peer = r.peer ? `${fmt(r.peer.measured, r.unit)} (${r.peer.name})` : '—';
    const ratio = r.peer && r.peer.measured > 0 && r.measured > 0 ? versusPeer(r.measured, r.peer.measured, r.unit) : '—';
    return `| ${r.figure} | ${r.target} | ${fmt(r.measured, r.unit)} | ${peer} | ${ratio} | ${r.pass ? 'pass' : 'FAIL'} |`;
  });
  return [header, ...lines].join('\n');
}

export function machineLine(): string {
  const cpu = cpus()[0]?.model?.trim() ?? 'unknown CPU';
  return `${cpus().length} × ${cpu}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, Node ${process.version}, ${process.platform} — ${new Date().toISOString().slice(0, 10)}`;
}
