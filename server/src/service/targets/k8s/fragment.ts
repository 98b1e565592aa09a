/**
 * A milvus.yaml fragment carried inside another YAML file — a Milvus CR's `spec.config` map, a
 * Helm values file's `extraConfigFiles: {user.yaml: |…}` block scalar — seen by the Milvus target as
 * a file of its own: the fragment's lines, dedented, at their own line numbers (every other line
 * blank). A position in it maps back to the document by adding the indentation: same line.
 */
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import type { Scalar, YAMLMap } from 'yaml';
import type { ManifestFile } from '../../deploy/k8s/manifest';
import { extractTls, type MilvusTlsModel } from '../milvus/extract';
import { flattenMilvus, effectiveFromFragment, type EffectiveConfig } from '../milvus/effective';

export interface Fragment {
  /** The virtual milvus.yaml: as many lines as the document. */
  text: string;
  base: number;
  firstLine: number;
  lastLine: number;
  /** "spec.config of Milvus my-release", "extraConfigFiles user.yaml". */
  label: string;
  model: MilvusTlsModel;
  cfg: EffectiveConfig;
}

function build(f: ManifestFile, firstLine: number, lastLine: number, base: number, label: string): Fragment {
  const out: string[] = [];
  for (let l = 0; l < f.lines.lineCount; l++) {
    if (l < firstLine || l > lastLine) {
      out.push('');
      continue;
    }
    const t = f.lines.lineText(l);
    out.push(t.slice(0, base).trim() === '' ? t.slice(base) : '');
  }
  const text = out.join('\n');
  const model = extractTls(text);
  return { text, base, firstLine, lastLine, label, model, cfg: effectiveFromFragment(flattenMilvus(text), label) };
}

/** A block map (spec.config); undefined for a flow map (`config: {}`) or an empty one. */
export function mapFragment(f: ManifestFile, m: YAMLMap, label: string): Fragment | undefined {
  if (m.flow || !m.range || m.items.length === 0) return undefined;
  const start = f.lines.positionAt(m.range[0]);
  let end = m.range[1];
  while (end > m.range[0] && /\s/.test(f.text[end - 1])) end--;
  return build(f, start.line, f.lines.positionAt(end).line, start.character, label);
}

/** A literal or folded block scalar holding YAML text (user.yaml: |+ …). */
export function blockFragment(f: ManifestFile, s: Scalar, label: string): Fragment | undefined {
  if ((s.type !== 'BLOCK_LITERAL' && s.type !== 'BLOCK_FOLDED') || !s.range) return undefined;
  const header = f.lines.positionAt(s.range[0]).line;
  let end = s.range[1];
  while (end > s.range[0] && /\s/.test(f.text[end - 1])) end--;
  const last = f.lines.positionAt(end).line;
  let base: number | undefined;
  for (let l = header + 1; l <= last; l++) {
    const t = f.lines.lineText(l);
    if (t.trim() !== '') {
      base = t.length - t.trimStart().length;
      break;
    }
  }
  if (base === undefined) return undefined;
  return build(f, header + 1, last, base, label);
}

export function shiftRange(r: Range, fr: Fragment): Range {
  return {
    start: { line: r.start.line, character: r.start.character + fr.base },
    end: { line: r.end.line, character: r.end.character + fr.base },
  };
}

/** A Milvus finding on the fragment, as a finding on the document; fixes that move text are re-aimed at the fragment. */
export function shiftDiagnostic(dg: Diagnostic, fr: Fragment): Diagnostic {
  const out: Diagnostic = { ...dg, range: shiftRange(dg.range, fr) };
  const fix = (dg.data as { fix?: { kind: string } & Record<string, unknown> } | undefined)?.fix;
  if (fix?.kind === 'move-block') {
    out.data = {
      fix: {
        kind: 'k8s-move-block',
        fromLine: fix.fromLine,
        toLine: fix.toLine,
        dedent: fix.dedent,
        afterLine: fr.lastLine,
        title: String(fix.title).replace('to the top level', `to the top level of ${fr.label}`),
      },
    };
    out.message = String(dg.message).replace(
      /Move it to the top level \(([\w]+): at column 0\)\./,
      `Move it to the top level of ${fr.label}.`,
    );
  } else if (fix?.kind === 'add-key') out.data = { fix: { ...fix, indent: Number(fix.indent) + fr.base } };
  else if (fix?.kind === 'generate-certs') out.data = undefined;
  return out;
}
