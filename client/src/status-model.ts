/**
 * Whether the status bar has something to say about TLS, and what: errors of the workspace, or
 * the nearest certificate expiry within the warning window. Nothing else (warnings alone, or all
 * clear) shows no item at all. Pure: the client feeds it the diagnostics VS Code holds.
 */

export interface StatusDiagnostic {
  /** Workspace-relative name, for the tooltip. */
  file: string;
  severity: 'error' | 'warning' | 'other';
  code: string;
  message: string;
  /** When the server attaches the certificate's end date. */
  notAfter?: string;
}

export interface StatusView {
  text: string;
  tooltip: string;
  kind: 'error' | 'warning';
}

const EXPIRY_CODES = new Set(['tls-cert-expiring']);
const DAY = 86_400_000;

/** The end date a "certificate expires" finding names: its data, else the first ISO date of the message. */
export function expiryOf(d: StatusDiagnostic): Date | undefined {
  const iso = d.notAfter ?? /\b\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?Z?)?/.exec(d.message)?.[0];
  if (!iso) return undefined;
  const t = Date.parse(/T|Z/.test(iso) ? iso : iso.replace(' ', 'T') + (iso.length > 10 ? 'Z' : 'T00:00:00Z'));
  return Number.isFinite(t) ? new Date(t) : undefined;
}

function plural(n: number, w: string): string {
  return `${n} ${w}${n === 1 ? '' : 's'}`;
}

function inDays(at: Date | undefined, now: Date): string {
  if (!at) return 'soon';
  const days = Math.max(0, Math.ceil((at.getTime() - now.getTime()) / DAY));
  return days === 0 ? 'today' : days === 1 ? 'tomorrow' : `in ${days} days`;
}

export function statusFor(diagnostics: StatusDiagnostic[], now: Date): StatusView | undefined {
  const errors = diagnostics.filter((d) => d.severity === 'error');
  const expiring = diagnostics
    .filter((d) => EXPIRY_CODES.has(d.code))
    .map((d) => ({ d, at: expiryOf(d) }))
    .sort((a, b) => (a.at?.getTime() ?? Infinity) - (b.at?.getTime() ?? Infinity));
  if (errors.length === 0 && expiring.length === 0) return undefined;
  const nearest = expiring[0];
  const expiryText = nearest && `certificate expires ${inDays(nearest.at, now)}`;
  const lines: string[] = [];
  if (errors.length) {
    const files = new Set(errors.map((e) => e.file));
    lines.push(`${plural(errors.length, 'TLS error')} in ${plural(files.size, 'file')}`);
  }
  if (nearest)
    lines.push(
      `Nearest expiry: ${nearest.d.file}, ${inDays(nearest.at, now)}${nearest.at ? ` (${nearest.at.toISOString().slice(0, 10)})` : ''}` +
        (expiring.length > 1 ? `; ${plural(expiring.length, 'finding')} about expiring certificates` : ''),
    );
  lines.push('Click to open Problems');
  return errors.length
    ? {
        kind: 'error',
        text: `$(error) TLS: ${plural(errors.length, 'error')}${expiryText ? ` · ${expiryText}` : ''}`,
        tooltip: lines.join('\n'),
      }
    : { kind: 'warning', text: `$(warning) TLS: ${expiryText}`, tooltip: lines.join('\n') };
}
