/**
 * SARIF 2.1.0 as GitHub code scanning reads it: one rule per code used, described from the codes
 * tables; 1-based regions in UTF-16 columns (LSP's); inside a git work tree, artifact URIs relative
 * to its root under %SRCROOT% (GitHub maps alerts to files by them), elsewhere absolute file URIs.
 * No helpUri: the project has no published documentation address, and an invented one is worse
 * than none.
 */
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Finding } from './check';
import { gitRoot } from './repo-root';
import { ALL_DIAGNOSTIC_CODES } from '../service/codes';
import type { DiagnosticCodeInfo } from '../service/targets/target';
import { version } from '../../../package.json';

const LEVEL: Record<Finding['severity'], 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

const SRCROOT = '%SRCROOT%';

/** The table's summary down to a title: no parentheses, up to the first clause break, at most ~80 characters. */
export function shortDescription(summary: string): string {
  let t = summary
    .trim()
    .replace(/\s*\([^()]*\)/g, '')
    .replace(/\.$/, '');
  const cut = /(; |: |\. |, with |, naming )/g;
  for (let m = cut.exec(t); m; m = cut.exec(t)) {
    if (m.index >= 20) {
      t = t.slice(0, m.index);
      break;
    }
  }
  if (t.length > 80) t = t.slice(0, t.lastIndexOf(' ', 78)) + '…';
  return t;
}

function rule(info: DiagnosticCodeInfo | undefined, code: string, fallback: Finding['severity']) {
  const summary = info?.summary ?? code;
  const full = /[.!?]$/.test(summary) ? summary : summary + '.';
  const level = info?.severity ?? fallback;
  const help =
    `${full}\n\nEach result's message says what is wrong and what to change, in the file's own terms ` +
    `(the setting, the container path, the command to run). ` +
    (level === 'error' ? 'An error makes `tls-config check` exit 1.' : 'On its own it does not fail `tls-config check` (exit 0).');
  return {
    id: code,
    name: code,
    shortDescription: { text: shortDescription(summary) },
    fullDescription: { text: full },
    help: { text: help, markdown: help },
    defaultConfiguration: { level: LEVEL[level] },
  };
}

/** `findings` as check() returns them, `file` relative to `base`. */
export function toSarif(findings: Finding[], base: string): object {
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  const infos = new Map(ALL_DIAGNOSTIC_CODES.map((c) => [c.code, c]));
  const root = gitRoot(base);
  const location = (file: string) => {
    const abs = path.resolve(base, file);
    const rel = root === undefined ? '' : path.relative(root, abs);
    // A file outside the work tree (another folder given on the command line) keeps its absolute URI.
    if (root === undefined || rel.startsWith('..') || path.isAbsolute(rel)) return { uri: URI.file(abs).toString() };
    return { uri: rel.split(path.sep).map(encodeURIComponent).join('/'), uriBaseId: SRCROOT };
  };
  const region = (r: Finding['range']) => ({
    startLine: r.start.line + 1,
    startColumn: r.start.character + 1,
    endLine: r.end.line + 1,
    // An empty range still marks one column.
    endColumn: Math.max(r.end.character + 1, r.start.line === r.end.line ? r.start.character + 2 : 1),
  });
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tls-config',
            version,
            rules: codes.map((c) => rule(infos.get(c), c, findings.find((f) => f.code === c)!.severity)),
          },
        },
        ...(root !== undefined ? { originalUriBaseIds: { [SRCROOT]: { uri: URI.file(root).toString().replace(/\/?$/, '/') } } } : {}),
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: codes.indexOf(f.code),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [{ physicalLocation: { artifactLocation: location(f.file), region: region(f.range) } }],
          ...(f.related?.length
            ? {
                relatedLocations: f.related.map((x, id) => ({
                  id,
                  message: { text: x.message },
                  physicalLocation: { artifactLocation: location(x.file), region: region(x.range) },
                })),
              }
            : {}),
        })),
      },
    ],
  };
}
