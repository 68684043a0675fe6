// What a well-formed webview message may ask for, given the report the panel last sent. The webview
// is untrusted input: passing the protocol validator proves the shape, not the intent. So a file to
// open must be one the report names, a key must be a resource in it, a pointer a field of that
// resource, and writes need a report that allows them. Pure, tested in plain Node.
import type { ReportViewModel, WebviewToHost } from '../../../webview-ui/protocol';

/** Why the message is refused, or undefined when the host may act on it. */
export function refusal(message: WebviewToHost, report: ReportViewModel | undefined): string | undefined {
  if (message.type === 'ready' || message.type === 'refresh') return undefined;
  if (!report) return `${message.type} before any report was sent`;
  const resources = new Map(report.resources.map((r) => [r.key, r]));
  const byKey = (key: string) => resources.get(key);
  switch (message.type) {
    case 'openDiff':
      return byKey(message.key) ? undefined : 'openDiff: unknown resource';
    case 'openFile':
      return report.resources.some((r) => r.file === message.file || r.fields.some((f) => f.file === message.file)) ? undefined : 'openFile: a file the report does not name';
    case 'sync': {
      if (report.readOnly || !report.canSync) return 'sync: this report does not allow syncing';
      const bad = message.keys.find((key) => {
        const r = byKey(key);
        return !r || (r.status !== 'Drifted' && r.status !== 'Missing');
      });
      return bad === undefined ? undefined : 'sync: unknown or unsyncable resource';
    }
    case 'acceptLive': {
      if (report.readOnly || report.target.kind !== 'drift') return 'acceptLive: this report is read-only';
      const r = byKey(message.key);
      if (!r || r.file === undefined) return 'acceptLive: unknown resource or no file';
      return r.fields.some((f) => f.pointer === message.pointer) ? undefined : 'acceptLive: not a drifted field of the resource';
    }
    case 'requestCompare': {
      const envs = report.environments;
      if (message.from === message.to) return 'requestCompare: the same environment twice';
      return envs.includes(message.from) && envs.includes(message.to) ? undefined : 'requestCompare: unknown environment';
    }
  }
}
