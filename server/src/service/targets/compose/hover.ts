/**
 * Hover on a compose volume entry: where it really points on the host,
 * whether that exists, and what is in it.
 */
import * as path from 'node:path';
import type { Hover, Position, Range } from 'vscode-languageserver-types';
import type { Workspace } from '../../workspace';
import { composeEnv } from '../../deploy/compose';
import type { Env } from '../../deploy/compose';
import { isWindowsAbsolute, parseComposeVolumes } from '../../deploy/compose';
import type { ComposeModel, VolumeMount } from '../../deploy/compose';

/** Folder listings in a hover stop after this many entries. */
export const HOVER_MAX_ENTRIES = 30;

function contains(r: Range, p: Position): boolean {
  const after = p.line > r.start.line || (p.line === r.start.line && p.character >= r.start.character);
  const before = p.line < r.end.line || (p.line === r.end.line && p.character <= r.end.character);
  return after && before;
}

function size(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1048576).toFixed(1)} MB`;
}

/** Inline code that survives backticks in the text. */
function code(s: string): string {
  const ticks = s.includes('`') ? '``' : '`';
  const pad = s.startsWith('`') || s.endsWith('`') ? ' ' : '';
  return `${ticks}${pad}${s}${pad}${ticks}`;
}

function defaultDescribe(ws: Workspace): (hostPath: string) => string {
  return (hostPath) => {
    const name = path.basename(hostPath);
    const r = ws.read(hostPath);
    if (r.ok) return `${code(name)}: ${size(r.size)}`;
    if (r.reason === 'too-large') return `${code(name)}: over 5 MB, not read`;
    return `${code(name)}: ${r.reason}`;
  };
}

/** Markdown describing one mount. */
export function describeMount(mount: VolumeMount, ws: Workspace, describeFile?: (hostPath: string) => string): string {
  const lines: string[] = [];
  const ro = mount.readOnly ? 'read-only' : 'read-write';
  if (mount.type === 'bind' && mount.hostPath) {
    lines.push(
      `**Bind mount** (${mount.syntax} syntax, ${ro}): host ${code(mount.hostPath)} → container ${code(mount.target || '(no target)')}`,
    );
    if (mount.syntax === 'short' && /\$/.test(mount.raw)) {
      lines.push(
        '',
        `Interpolated: ${code(mount.raw)} → ${code(`${mount.source ?? ''}:${mount.target}${mount.modes.length ? ':' + mount.modes.join(',') : ''}`)}`,
      );
    } else if (mount.syntax === 'long' && mount.raw !== (mount.source ?? '')) {
      lines.push('', `Interpolated: ${code(mount.raw)} → ${code(mount.source ?? '')}`);
    }
    if (ws.settings?.trusted === false) {
      lines.push('', 'Not checked: the workspace is not trusted, so host files are not read.');
      return lines.join('\n');
    }
    if (isWindowsAbsolute(mount.hostPath) && process.platform !== 'win32') {
      lines.push('', 'A Windows host path: not checked on this machine.');
      return lines.join('\n');
    }
    const kind = ws.kind(mount.hostPath);
    const describe = describeFile ?? defaultDescribe(ws);
    if (kind === 'missing') {
      lines.push(
        '',
        mount.syntax === 'long' && !mount.createHostPath
          ? '**Does not exist**: the container will fail to start ("bind source path does not exist").'
          : '**Does not exist**: Docker will create an empty directory in its place.',
      );
    } else if (kind === 'file') {
      lines.push(
        '',
        describeFile
          ? `Exists (file) ${code(path.basename(mount.hostPath))}: ${safe(describe, mount.hostPath, 'not described')}`
          : `Exists (file): ${safe(describe, mount.hostPath)}`,
      );
    } else if (kind === 'directory') {
      const names = ws.list(mount.hostPath).sort((a, b) => a.localeCompare(b));
      if (names.length === 0) {
        lines.push(
          '',
          ws.isInsideRoots(mount.hostPath) || ws.settings?.allowReadsOutsideWorkspace
            ? 'Exists (folder), **empty**.'
            : 'Exists (folder), outside the workspace: not listed.',
        );
      } else {
        lines.push('', `Exists (folder), ${names.length} entr${names.length === 1 ? 'y' : 'ies'}:`, '');
        for (const n of names.slice(0, HOVER_MAX_ENTRIES)) {
          const full = path.join(mount.hostPath, n);
          const k = ws.kind(full);
          // A caller's describeFile says what the file holds, not which file it is: the name leads each entry.
          lines.push(
            k === 'directory'
              ? `- ${code(n + '/')}`
              : describeFile
                ? `- ${code(n)}: ${safe(describe, full, 'not described')}`
                : `- ${safe(describe, full)}`,
          );
        }
        if (names.length > HOVER_MAX_ENTRIES) lines.push(`- … and ${names.length - HOVER_MAX_ENTRIES} more`);
      }
    } else {
      lines.push('', 'Exists, but is neither a file nor a folder.');
    }
    return lines.join('\n');
  }
  if (mount.type === 'volume') {
    if (mount.source) {
      lines.push(
        `**Named volume** ${code(mount.source)} → container ${code(mount.target)} (${ro})`,
        '',
        'Docker manages its content; files in it are not visible from here.',
      );
    } else {
      lines.push(`**Anonymous volume** at ${code(mount.target)}`, '', 'Docker creates a fresh volume; nothing from the host is mounted.');
    }
    return lines.join('\n');
  }
  if (mount.type === 'tmpfs') return `**tmpfs** at ${code(mount.target)}: an in-memory folder, empty at start.`;
  return `**Mount** (${mount.type}) at ${code(mount.target)}`;
}

function safe(describe: (p: string) => string, p: string, fallback = code(path.basename(p))): string {
  try {
    return describe(p);
  } catch {
    return fallback;
  }
}

/** Hover for the volume entry under `position`, or null. Never throws. */
export function composeVolumeHover(
  text: string,
  position: Position,
  composePath: string,
  ws: Workspace,
  processEnv: Env,
  describeFile?: (hostPath: string) => string,
): Hover | null {
  try {
    const { env } = composeEnv(composePath, ws, processEnv);
    return composeModelHover(parseComposeVolumes(text, composePath, env), position, ws, describeFile);
  } catch {
    return null;
  }
}

/** The same over a model the caller already parsed. */
export function composeModelHover(
  model: ComposeModel,
  position: Position,
  ws: Workspace,
  describeFile?: (hostPath: string) => string,
): Hover | null {
  try {
    for (const svc of model.services) {
      for (const m of svc.volumes) {
        if (!contains(m.range, position)) continue;
        return { contents: { kind: 'markdown', value: describeMount(m, ws, describeFile) }, range: m.range };
      }
    }
    return null;
  } catch {
    return null;
  }
}
