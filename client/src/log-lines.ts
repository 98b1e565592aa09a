/**
 * What the "TLS Config" output channel says, as pure functions: the start-up facts a bug report
 * needs, and the redaction every logged text goes through, so no private key (or any PEM body)
 * pasted into an argument or an error ever reaches the log.
 */

export interface StartupFacts {
  version: string;
  serverPath: string;
  folders: string[];
  trusted: boolean;
  vscodeVersion: string;
}

export function startupLines(f: StartupFacts): string[] {
  return [
    `TLS Config ${f.version} on VS Code ${f.vscodeVersion}`,
    `server: ${f.serverPath}`,
    f.folders.length ? `workspace folders: ${f.folders.join(', ')}` : 'workspace folders: none (single files only)',
    f.trusted
      ? 'workspace trust: trusted (referenced files are read)'
      : 'workspace trust: restricted (only open files are checked; trust the folder for the rest)',
  ];
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]*)-----[\s\S]*?(?:-----END [A-Z0-9 ]*-----|$)/g;

/** Replaces every PEM block (complete or cut off) by its label; keeps everything else. */
export function redact(text: string): string {
  return text.replace(PEM_BLOCK, (_m, label: string) => `[${label || 'PEM'} block removed]`);
}

/** One line for a command run: its id and, for arguments, only the kinds of things passed (paths stay, texts go). */
export function commandLine(id: string, args: unknown[]): string {
  const shown = args.map(describeArg).filter(Boolean);
  return redact(`command ${id}${shown.length ? ` (${shown.join(', ')})` : ''}`);
}

function describeArg(a: unknown): string {
  if (a === undefined || a === null) return '';
  if (typeof a === 'string') return a.length > 200 || a.includes('\n') ? 'text' : a;
  if (typeof a === 'object' && a && 'fsPath' in a && typeof (a as { fsPath: unknown }).fsPath === 'string')
    return (a as { fsPath: string }).fsPath;
  if (Array.isArray(a)) return `${a.length} item${a.length === 1 ? '' : 's'}`;
  if (typeof a === 'object') {
    const o = a as Record<string, unknown>;
    const keep = ['uri', 'folder', 'out', 'line', 'index'].filter((k) => typeof o[k] === 'string' || typeof o[k] === 'number');
    return keep.length ? keep.map((k) => `${k}=${String(o[k])}`).join(' ') : 'options';
  }
  return String(a);
}
