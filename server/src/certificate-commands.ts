/**
 * Two server commands on one file each: "Show certificate" (the full decode a hover links to) and the quick fix
 * for a private key others can read (chmod 600). Both take only files inside the workspace folders; the chmod
 * changes nothing but the mode bits of a regular file that holds a private key.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { CommandContext } from './commands';
import type { FixKeyPermissionsResult, ShowCertificateParams, ShowCertificateResult } from './protocol';
import { SERVER_COMMANDS } from './protocol';
import { pemDetails } from './service/pem/details';
import { loadPemFile, privateKeys } from './service/pem/files';
import { shownPath } from './service/shown-path';

function fileOf(a: ShowCertificateParams): string {
  if (typeof a.path === 'string' && path.isAbsolute(a.path)) return path.resolve(a.path);
  if (typeof a.uri === 'string') {
    const u = URI.parse(a.uri);
    if (u.scheme === 'file') return u.fsPath;
  }
  throw new Error(`${SERVER_COMMANDS.showCertificate} needs { uri: a file uri } or { path: an absolute path }.`);
}

export function showCertificate(a: ShowCertificateParams, ctx: CommandContext): ShowCertificateResult {
  const file = fileOf(a ?? {});
  const title = shownPath(file, ctx.ws.roots);
  let text = ctx.openText(file);
  if (text === undefined) {
    // Read through the workspace: trust and the workspace folders apply as to every other read.
    const r = ctx.ws.read(file);
    if (!r.ok) throw new Error(`Cannot show ${title}: ${r.message.split(file).join(title)}.`);
    text = Buffer.from(r.bytes).toString('utf8');
  }
  const line = typeof a.line === 'number' && Number.isInteger(a.line) && a.line >= 0 ? a.line : undefined;
  const d = pemDetails(text, title, { now: new Date(), expiryWarningDays: ctx.ws.settings.expiryWarningDays }, line);
  return { title, markdown: d.markdown, blocks: d.blocks };
}

const octal = (m: number) => (m & 0o777).toString(8).padStart(4, '0');

export function fixKeyPermissions(a: { path?: unknown }, ctx: CommandContext): FixKeyPermissionsResult {
  const say = (text: string) => ctx.editor?.showMessage('info', text);
  if (typeof a?.path !== 'string' || !path.isAbsolute(a.path))
    throw new Error(`${SERVER_COMMANDS.fixKeyPermissions} needs { path: the absolute path of a private key file }.`);
  const file = path.resolve(a.path);
  const shown = shownPath(file, ctx.ws.roots);
  if (!ctx.ws.settings.trusted) throw new Error(`Not changing ${shown}: the workspace is not trusted.`);
  if (ctx.ws.roots.length === 0 || !ctx.ws.isInsideRoots(file))
    throw new Error(`Not changing ${file}: it is outside the workspace folders.`);
  let st: fs.Stats;
  let real: string;
  try {
    // lstat: a symbolic link's target could lie anywhere; only a regular file whose real path is in the workspace is changed.
    st = fs.lstatSync(file);
    real = fs.realpathSync(file);
  } catch (e) {
    throw new Error(`Cannot change ${shown}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}.`, { cause: e });
  }
  if (!st.isFile() || real !== file || !ctx.ws.isInsideRoots(real))
    throw new Error(`Not changing ${shown}: it is not a regular file in the workspace.`);
  ctx.ws.invalidate(file);
  const loaded = loadPemFile(file, ctx.ws);
  if (!loaded.contents || privateKeys(loaded.contents.items).length === 0)
    throw new Error(`Not changing ${shown}: it holds no private key.`);
  const before = octal(st.mode);
  fs.chmodSync(file, 0o600);
  ctx.ws.invalidate(file);
  const after = octal(fs.statSync(file).mode);
  const message =
    before === after ? `${shown} is already mode ${after}.` : `${shown}: mode ${before} → ${after} (only its owner can read it now).`;
  say(message);
  return { path: file, before, after, message };
}
