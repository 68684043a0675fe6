// What a well-formed message from the preview webview may ask for, given the preview the panel last
// sent. The validator proves the shape; this proves the intent: a file or image to tick must be one
// the preview lists, running needs a preview that allows it, and the outcome page must exist.
// Pure, tested in plain Node.
import type { PreviewViewModel, WebviewToHost } from '../../../webview-ui/promotion/protocol';

/** Why the message is refused, or undefined when the host may act on it. */
export function previewRefusal(message: WebviewToHost, preview: PreviewViewModel | undefined, busy: boolean): string | undefined {
  if (message.type === 'ready') return undefined;
  if (!preview) return `${message.type} before any preview was sent`;
  switch (message.type) {
    case 'refresh':
      return busy ? 'refresh: the plan is running' : undefined;
    case 'select': {
      if (busy) return 'select: the plan is running';
      if (preview.outcome) return 'select: the plan already ran';
      const known = message.what === 'file' ? new Set(preview.files.map((f) => f.path)) : message.what === 'value' ? new Set(preview.values.map((v) => v.id)) : new Set(preview.images.map((i) => i.id));
      return message.keys.every((key) => known.has(key)) ? undefined : `select: a ${message.what} the preview does not list`;
    }
    case 'allowIdentityChange':
      if (busy) return 'allowIdentityChange: the plan is running';
      if (preview.outcome) return 'allowIdentityChange: the plan already ran';
      return preview.identityChange ? undefined : 'allowIdentityChange: the preview shows no identity change';
    case 'execute':
      if (busy) return 'execute: already running';
      return preview.executeBlocked === null ? undefined : `execute: ${preview.executeBlocked}`;
    case 'openOutcome':
      return preview.outcome?.url ? undefined : 'openOutcome: there is no page to open';
  }
}
