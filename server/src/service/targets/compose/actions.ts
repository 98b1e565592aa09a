/**
 * Quick fixes for compose findings: the ready edits findings carry (`data.edit`), and for a bind source that
 * does not exist, creating the folder (so Docker does not create a root-owned empty one at `up`) or generating
 * a certificate set into it when the mount is for certificates.
 */
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { CodeActionKind, type CodeAction, type Diagnostic, type Range } from 'vscode-languageserver-types';
import { SERVER_COMMANDS } from '../../../protocol';
import type { Workspace } from '../../workspace';
import { shownPath } from '../../shown-path';

const TITLES: Record<string, string> = {
  'compose-cert-mount-writable': 'Mount read-only (:ro)',
};

/** Words of a mount that say it carries certificates (the folder, or the file's folder, is where a set goes). */
const FOR_CERTS = /(^|[\\/._-])(tls|ssl|certs?|certificates?|pki|secrets?|keys?)([\\/._-]|$)/i;
const CERT_FILE = /\.(pem|crt|cer|key)$/i;

interface MissingData {
  hostPath?: unknown;
  fileLike?: unknown;
}

function missingSourceActions(d: Diagnostic, ws: Workspace): CodeAction[] {
  const data = d.data as MissingData | undefined;
  if (typeof data?.hostPath !== 'string' || !path.isAbsolute(data.hostPath) || !ws.isInsideRoots(data.hostPath)) return [];
  const host = path.resolve(data.hostPath);
  const shown = shownPath(host, ws.roots);
  const out: CodeAction[] = [];
  const folder = data.fileLike ? undefined : host;
  const forCerts = FOR_CERTS.test(shown) || (data.fileLike === true && CERT_FILE.test(host));
  if (forCerts) {
    const into = folder ?? path.dirname(host);
    out.push({
      title: `Generate TLS certificates into ${shownPath(into, ws.roots)}/`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: true,
      command: { title: 'Generate TLS certs', command: SERVER_COMMANDS.generateCerts, arguments: [{ folder: into, out: into }] },
    });
  }
  if (folder) {
    // LSP has no "create folder" operation; creating a file in it creates the folder (and keeps it in git).
    out.push({
      title: `Create the folder ${shown}/`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [d],
      isPreferred: !forCerts,
      edit: {
        documentChanges: [{ kind: 'create', uri: URI.file(path.join(folder, '.gitkeep')).toString(), options: { ignoreIfExists: true } }],
      },
    });
  }
  return out;
}

export function composeCodeActions(uri: string, diagnostics: Diagnostic[], ws: Workspace): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (d.code === 'compose-bind-source-missing') {
      out.push(...missingSourceActions(d, ws));
      continue;
    }
    const edit = (d.data as { edit?: { range: Range; newText: string } } | undefined)?.edit;
    const title = TITLES[String(d.code)];
    if (!edit || !title) continue;
    out.push({ title, kind: CodeActionKind.QuickFix, diagnostics: [d], isPreferred: true, edit: { changes: { [uri]: [edit] } } });
  }
  return out;
}
