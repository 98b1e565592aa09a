/**
 * Every rule about the TLS keys of milvus.yaml: values, required keys, key
 * names, and the chain "key → compose mount → host file → certificate facts".
 * Findings land on the key or value they are about; `data.fix` carries what the
 * quick fixes need.
 */
import * as path from 'node:path';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { diag, Severity, type Settings } from '../../types';
import type { Workspace } from '../../workspace';
import { modelOf, entry, type Entry, type MilvusTlsModel } from './extract';
import { KEYS, keysOf, findKey, homesOf, didYouMean, FOREIGN_TLS_KEYS, type SectionId, type FileKind } from './schema';
import { deployContext, resolvePath, type DeployContext } from './resolve';
import { hostToContainer } from '../../deploy/compose';
import { loadSlot, checkGroup, type PipelineFix } from '../../tls/pipeline';
import type { LoadedSlot, SlotGroup, SlotRole, GroupWords } from '../../tls/slots';
import type { DiagnosticCodeInfo } from '../target';

export interface MilvusContext {
  ws: Workspace;
  settings: Settings;
  now: Date;
  processEnv: Record<string, string | undefined>;
}

/** What a quick fix needs, attached to the diagnostic. */
export type FixData =
  | { kind: 'rename-key'; to: string }
  | { kind: 'set-value'; values: string[] }
  | { kind: 'add-key'; section: SectionId; key: string; value: string; afterLine: number; indent: number }
  | { kind: 'use-container-path'; containerPath: string }
  | { kind: 'add-volume'; composePath: string; service: string; entry: string; afterLine?: number; entryLine?: number }
  | PipelineFix;

/** How the pipeline's findings name the product in this target. */
const WORDS: GroupWords = { product: 'Milvus', caRejects: '' };

const SECTION_OF_MODEL: Record<SectionId, string> = { tls: 'tls', internaltls: 'internaltls', 'common.security': 'common.security' };

function d(range: Range, sev: 1 | 2 | 3 | 4, code: string, message: string, fix?: FixData): Diagnostic {
  return diag(range, sev, code, message, fix ? { fix } : undefined);
}

function modeOf(model: MilvusTlsModel): { mode: number | undefined; e?: Entry } {
  const e = entry(model, 'common.security', 'tlsMode');
  if (!e) return { mode: 0 };
  const v = typeof e.value === 'string' && /^\s*[0-2]\s*$/.test(e.value) ? Number(e.value) : e.value;
  return { mode: v === 0 || v === 1 || v === 2 ? v : undefined, e };
}

function internalEnabled(model: MilvusTlsModel): boolean {
  const e = entry(model, 'common.security', 'internaltlsEnabled');
  return e?.value === true || (typeof e?.value === 'string' && e.value.toLowerCase() === 'true');
}

export function validateMilvus(src: string | MilvusTlsModel, file: string, ctx: MilvusContext): Diagnostic[] {
  const model = modelOf(src);
  const out: Diagnostic[] = [];
  for (const e of model.syntaxErrors)
    out.push(
      d(
        e.range,
        Severity.Error,
        'milvus-yaml-syntax',
        `YAML error in a TLS block: ${e.message}. Milvus refuses to start on a config it cannot parse; fix the indentation or quoting here.`,
      ),
    );
  checkValues(model, out);
  checkKeyNames(model, out);
  if (
    model.laterDocumentLine !== undefined &&
    /^(tls|internaltls|common)\s*:/m.test(model.text.slice(model.lines.starts[model.laterDocumentLine]))
  ) {
    const line = model.laterDocumentLine;
    out.push(
      d(
        { start: { line, character: 0 }, end: { line, character: 3 } },
        Severity.Warning,
        'milvus-later-document',
        'Milvus reads only the first YAML document of its config; the TLS settings after this `---` are ignored. Move them into the first document.',
      ),
    );
  }
  const { mode } = modeOf(model);
  const internal = internalEnabled(model);
  if (mode === 0 && !internal) return out;
  const deploy = deployContext(file, ctx.ws, ctx.processEnv);
  if (mode === 1 || mode === 2) checkSection(model, 'tls', mode, deploy, ctx, out);
  if (internal) checkSection(model, 'internaltls', 2, deploy, ctx, out);
  return out;
}

function checkValues(model: MilvusTlsModel, out: Diagnostic[]): void {
  const m = entry(model, 'common.security', 'tlsMode');
  if (m) {
    const { mode } = modeOf(model);
    if (mode === undefined) {
      const shown = m.valueText === '' ? 'empty' : m.valueText;
      out.push(
        d(
          m.valueRange.start.line === m.valueRange.end.line && m.valueText === '' ? m.keyRange : m.valueRange,
          Severity.Error,
          'milvus-tls-mode-invalid',
          `common.security.tlsMode is ${shown}; it must be 0 (no TLS), 1 (one-way TLS) or 2 (mutual TLS). Milvus fails to start with any other value.`,
          { kind: 'set-value', values: ['0', '1', '2'] },
        ),
      );
    } else if (m.quoted) {
      out.push(
        d(
          m.valueRange,
          Severity.Warning,
          'milvus-tls-mode-quoted',
          `tlsMode is written as a string (${m.valueText}); write the number ${mode} without quotes.`,
          { kind: 'set-value', values: [String(mode)] },
        ),
      );
    }
  }
  const ie = entry(model, 'common.security', 'internaltlsEnabled');
  if (ie && typeof ie.value !== 'boolean' && !(typeof ie.value === 'string' && /^(true|false)$/i.test(ie.value))) {
    out.push(
      d(
        ie.valueText === '' ? ie.keyRange : ie.valueRange,
        Severity.Error,
        'milvus-internaltls-enabled-invalid',
        `common.security.internaltlsEnabled must be true or false, not ${ie.valueText || 'empty'}.`,
        { kind: 'set-value', values: ['true', 'false'] },
      ),
    );
  }
}

function checkKeyNames(model: MilvusTlsModel, out: Diagnostic[]): void {
  for (const e of model.entries) {
    const section = e.section as SectionId | 'common' | 'security' | '';
    if (section === 'tls' || section === 'internaltls') {
      if (findKey(section, e.key)) continue;
      misplacedOrUnknown(
        e,
        section,
        keysOf(section).map((k) => k.key),
        out,
      );
    } else if (section === 'common.security') {
      if (findKey('common.security', e.key)) continue;
      const homes = homesOf(e.key);
      if (homes.length)
        out.push(
          d(
            e.keyRange,
            Severity.Error,
            'milvus-key-misplaced',
            `${e.key} does not belong in common.security; it belongs in ${homes.map((h) => '`' + h + '`').join(' or ')}. Milvus ignores it here.`,
          ),
        );
      else {
        const s = didYouMean(
          e.key,
          keysOf('common.security').map((k) => k.key),
        );
        if (s)
          out.push(
            d(
              e.keyRange,
              Severity.Warning,
              'milvus-key-unknown',
              `Unknown key common.security.${e.key}; did you mean ${s}? Milvus ignores unknown keys, so this setting has no effect.`,
              { kind: 'rename-key', to: s },
            ),
          );
      }
    } else {
      // Under `common`, at the top level, or in a top-level `security:` block.
      const homes = homesOf(e.key);
      const where =
        section === '' ? 'at the top level' : section === 'security' ? 'under a top-level `security:`' : 'directly under `common`';
      if (homes.length)
        out.push(
          d(
            e.keyRange,
            Severity.Error,
            'milvus-key-misplaced',
            `${e.key} ${where} is ignored by Milvus; it belongs in ${homes.map((h) => '`' + h + '`').join(' or ')}.`,
          ),
        );
    }
  }
}

function misplacedOrUnknown(e: Entry, section: 'tls' | 'internaltls', known: string[], out: Diagnostic[]): void {
  const homes = homesOf(e.key);
  if (homes.length) {
    out.push(
      d(
        e.keyRange,
        Severity.Error,
        'milvus-key-misplaced',
        `${e.key} does not belong in \`${section}\`; it belongs in ${homes.map((h) => '`' + h + '`').join(' or ')}. Milvus ignores it here.`,
      ),
    );
    return;
  }
  if (FOREIGN_TLS_KEYS[e.key]) {
    out.push(
      d(
        e.keyRange,
        Severity.Error,
        'milvus-key-misplaced',
        `${e.key} is not a Milvus ${section} key: it is ${FOREIGN_TLS_KEYS[e.key]}. The ${section} block takes ${known.join(', ')}.`,
      ),
    );
    return;
  }
  const s = didYouMean(e.key, known);
  out.push(
    d(
      e.keyRange,
      Severity.Warning,
      'milvus-key-unknown',
      s
        ? `Unknown key ${section}.${e.key}; did you mean ${s}? Milvus ignores unknown keys, so this setting has no effect.`
        : `Unknown key ${section}.${e.key}; the ${section} block takes ${known.join(', ')}. Milvus ignores it.`,
      s ? { kind: 'rename-key', to: s } : undefined,
    ),
  );
}

function checkSection(
  model: MilvusTlsModel,
  section: 'tls' | 'internaltls',
  mode: 1 | 2,
  deploy: DeployContext,
  ctx: MilvusContext,
  out: Diagnostic[],
): void {
  const required =
    section === 'tls'
      ? mode === 2
        ? ['serverPemPath', 'serverKeyPath', 'caPemPath']
        : ['serverPemPath', 'serverKeyPath']
      : ['serverPemPath', 'serverKeyPath', 'caPemPath'];
  const why = section === 'tls' ? `common.security.tlsMode is ${mode}` : 'common.security.internaltlsEnabled is true';
  const sec = model.sections.find((s) => s.name === section);
  const slots = new Map<SlotRole, LoadedSlot>();
  for (const key of required) {
    const e = entry(model, SECTION_OF_MODEL[section], key);
    if (!e || e.value === null || e.valueText.trim() === '') {
      const anchor = e?.keyRange ??
        sec?.keyRange ??
        modeOf(model).e?.keyRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
      const spec = findKey(section, key)!;
      const guess = guessPath(model, section, key, spec.default);
      const fix: FixData | undefined =
        !e && sec ? { kind: 'add-key', section, key, value: guess, afterLine: sec.lastLine, indent: sec.childIndent ?? 2 } : undefined;
      out.push(
        d(
          anchor,
          Severity.Error,
          'milvus-tls-key-required',
          `${section}.${key} is required because ${why}${e ? ' but it is empty' : ''}. Set it to the container path of the ${spec.file === 'privateKey' ? 'private key' : spec.file === 'caBundle' ? 'CA certificate' : 'server certificate'} (for example ${guess}).`,
          fix,
        ),
      );
      continue;
    }
    const spec = findKey(section, key)!;
    const slot = checkPath(e, spec.file!, deploy, ctx, out);
    if (slot) slots.set(slot.role, slot);
  }
  crossCheck(section, slots, model, ctx, out);
}

/** A sensible value for a missing key: beside the other configured files, else the Milvus default. */
function guessPath(model: MilvusTlsModel, section: string, key: string, fallback: string): string {
  const sibling = model.entries.find(
    (x) => x.section === section && typeof x.value === 'string' && /PemPath|KeyPath/.test(x.key) && x.value,
  );
  if (!sibling) return fallback;
  const dir = path.posix.dirname(String(sibling.value));
  return path.posix.join(dir, key === 'caPemPath' ? 'ca.pem' : key === 'serverKeyPath' ? 'server.key' : 'server.pem');
}

function checkPath(e: Entry, kind: FileKind, deploy: DeployContext, ctx: MilvusContext, out: Diagnostic[]): LoadedSlot | undefined {
  if (typeof e.value !== 'string') {
    out.push(
      d(
        e.valueRange,
        Severity.Error,
        'milvus-path-invalid',
        `${e.key} must be a file path, not ${e.nested ? 'a nested block' : JSON.stringify(e.value)}.`,
      ),
    );
    return undefined;
  }
  const value = e.value.trim();
  const r = resolvePath(value, deploy);
  const composeName = deploy.composePath ? path.basename(deploy.composePath) : '';
  if (!r.ok) {
    if (r.reason === 'named-volume') {
      out.push(
        d(
          e.valueRange,
          Severity.Information,
          'milvus-path-in-named-volume',
          `${r.containerPath} lies in the named volume ${r.mount?.source ?? ''} of service ${deploy.service?.name}; its contents cannot be checked from here. Bind-mount a host folder (for example ./tls:/milvus/tls:ro) to have it checked.`,
        ),
      );
      return undefined;
    }
    // Maybe the user wrote a host path: suggest the container path that a mount gives it.
    const hostGuess = path.resolve(path.dirname(deploy.composePath ?? deploy.hostBase), value);
    const asContainer = deploy.service ? hostToContainer(hostGuess, deploy.service.volumes) : undefined;
    if (asContainer && ctx.ws.kind(hostGuess) === 'file') {
      out.push(
        d(
          e.valueRange,
          Severity.Error,
          'milvus-path-host-style',
          `${value} is a path on the host; Milvus runs in the container of service ${deploy.service?.name} and sees that file at ${asContainer}. Use the container path.`,
          { kind: 'use-container-path', containerPath: asContainer },
        ),
      );
      return undefined;
    }
    const dir = path.posix.dirname(r.containerPath);
    const hostDir = deploy.composePath
      ? './' + (dir.startsWith('/milvus/') ? dir.slice('/milvus/'.length) : path.posix.basename(dir))
      : './tls';
    const entryText = `${hostDir}:${dir}:ro`;
    out.push(
      d(
        e.valueRange,
        Severity.Error,
        'milvus-path-not-mounted',
        `Milvus would open ${r.containerPath} in the container, but no volume of service ${deploy.service?.name} in ${composeName} covers it, so the file does not exist there and Milvus fails to start. Mount the folder holding it, e.g. \`- ${entryText}\`.`,
        deploy.composePath && deploy.service
          ? {
              kind: 'add-volume',
              composePath: deploy.composePath,
              service: deploy.service.name,
              entry: entryText,
              afterLine: lastVolumeLine(deploy),
              entryLine: deploy.service.volumes.at(-1)?.range.start.line,
            }
          : undefined,
      ),
    );
    return undefined;
  }
  const where = r.containerPath ? `${r.containerPath} → host ${r.hostPath}` : r.hostPath;
  const role: SlotRole = kind === 'privateKey' ? 'server-key' : kind === 'caBundle' ? 'ca' : 'server-cert';
  return loadSlot(
    {
      role,
      key: e.key,
      range: e.valueRange,
      consumer: 'go',
      hostPath: r.hostPath,
      where,
      // Docker creates a directory only for a missing bind source itself; a file missing inside a mounted folder is ENOENT.
      dockerCreatesDirectory: !!r.containerPath && r.mount?.syntax === 'short' && r.mount.target === r.containerPath,
    },
    WORDS,
    ctx,
    out,
  );
}

function lastVolumeLine(deploy: DeployContext): number | undefined {
  const vols = deploy.service?.volumes ?? [];
  if (vols.length === 0) return undefined;
  return vols[vols.length - 1].range.end.line;
}

function crossCheck(
  section: 'tls' | 'internaltls',
  slots: Map<SlotRole, LoadedSlot>,
  model: MilvusTlsModel,
  ctx: MilvusContext,
  out: Diagnostic[],
): void {
  const group: SlotGroup = {
    id: section,
    words: {
      ...WORDS,
      caRejects:
        section === 'tls'
          ? 'clients given this ca.pem (pymilvus ca_pem_path, curl --cacert) reject the server with "certificate signed by unknown authority"'
          : 'Milvus components verify each other with this CA and fail the internal handshake',
    },
  };
  if (section === 'internaltls') {
    // Milvus components dial each other by internaltls.sni, "localhost" when unset.
    const sni = entry(model, 'internaltls', 'sni');
    group.dialName = {
      value: typeof sni?.value === 'string' && sni.value ? sni.value : 'localhost',
      setting: 'internaltls.sni',
      range: sni?.valueRange,
    };
  }
  checkGroup(group, slots, ctx, out);
}

/** Table for the README. */
export const MILVUS_DIAGNOSTIC_CODES: DiagnosticCodeInfo[] = [
  { code: 'milvus-yaml-syntax', severity: 'error', summary: 'YAML syntax error inside a TLS block' },
  { code: 'milvus-later-document', severity: 'warning', summary: 'TLS settings in a second YAML document, which Milvus ignores' },
  { code: 'milvus-tls-mode-invalid', severity: 'error', summary: 'common.security.tlsMode is not 0, 1 or 2' },
  { code: 'milvus-tls-mode-quoted', severity: 'warning', summary: 'tlsMode written as a quoted string' },
  { code: 'milvus-internaltls-enabled-invalid', severity: 'error', summary: 'internaltlsEnabled is not a boolean' },
  { code: 'milvus-key-unknown', severity: 'warning', summary: 'Unknown key in a TLS block, with "did you mean"' },
  { code: 'milvus-key-misplaced', severity: 'error', summary: 'A TLS key in the wrong section (e.g. tlsMode under tls:)' },
  { code: 'milvus-tls-key-required', severity: 'error', summary: 'A path the mode needs is missing or empty' },
  { code: 'milvus-path-invalid', severity: 'error', summary: 'A path key holds something other than a path' },
  { code: 'milvus-path-not-mounted', severity: 'error', summary: 'No compose volume covers the container path' },
  { code: 'milvus-path-host-style', severity: 'error', summary: 'A host path written where the container path is needed' },
  { code: 'milvus-path-in-named-volume', severity: 'information', summary: 'The path lies in a named volume; contents cannot be checked' },
];

export { KEYS };
