/**
 * Checks of a docker compose file that need only the compose file and the
 * host file system (through the Workspace), for any image. What one system
 * expects of its service (Milvus: where milvus.yaml is mounted, whether its
 * TLS paths are covered) is that target's `composeChecks`.
 */
import * as path from 'node:path';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { diag, Severity } from '../../types';
import type { Workspace } from '../../workspace';
import { composeEnv } from '../../deploy/compose';
import type { Env } from '../../deploy/compose';
import { isWindowsAbsolute, parseComposeVolumes } from '../../deploy/compose';
import type { ComposeModel, VolumeMount } from '../../deploy/compose';

import type { SeverityName } from '../target';
import { shownPath } from '../../shown-path';

export interface ComposeDiagnosticCode {
  code: string;
  /** One vocabulary for every table: 'error' | 'warning' | 'information' | 'hint'. */
  severity: SeverityName;
  summary: string;
}

const SEVERITY_NUMBER: Record<SeverityName, 1 | 2 | 3 | 4> = { error: 1, warning: 2, information: 3, hint: 4 };

export const COMPOSE_DIAGNOSTIC_CODES: ComposeDiagnosticCode[] = [
  { code: 'compose-yaml-syntax', severity: 'error', summary: 'The compose file is not valid YAML; docker compose cannot read it.' },
  {
    code: 'compose-bind-source-missing',
    severity: 'error',
    summary:
      'A bind mount\'s host path does not exist: with the short syntax Docker creates an empty directory in its place (a cert file then shows up as "is a directory"); with the long syntax the container fails to start ("bind source path does not exist").',
  },
  {
    code: 'compose-bind-source-is-directory',
    severity: 'warning',
    summary:
      'A bind source named like a file (server.pem, milvus.yaml) is a directory: usually Docker created it when the file was missing.',
  },
  {
    code: 'compose-cert-mount-writable',
    severity: 'information',
    summary: 'Certificates and keys are mounted read-write; add :ro (or read_only: true).',
  },
  {
    code: 'compose-undefined-variable',
    severity: 'warning',
    summary: 'A ${VAR} without a default is not set in the environment or .env; docker compose substitutes an empty string.',
  },
  {
    code: 'compose-required-variable',
    severity: 'error',
    summary: 'A ${VAR:?message} / ${VAR?message} variable is missing; docker compose refuses to start.',
  },
  {
    code: 'compose-interpolation-invalid',
    severity: 'error',
    summary: 'A "$" that is not a valid ${…} / $VAR expression; docker compose refuses the file (write $$ for a literal $).',
  },
  {
    code: 'compose-volume-invalid',
    severity: 'error',
    summary: 'A volume entry docker compose cannot parse (empty section, too many colons, no target, not a string or mapping).',
  },
  {
    code: 'compose-volume-undeclared',
    severity: 'error',
    summary: 'A short-syntax source that is not a path is a named volume, and it is not declared under the top-level volumes:.',
  },
  {
    code: 'compose-duplicate-target',
    severity: 'error',
    summary: 'Two volumes of one service mount the same container path; Docker refuses ("Duplicate mount point").',
  },
];

const SEVERITY_OF = new Map(COMPOSE_DIAGNOSTIC_CODES.map((c) => [c.code, SEVERITY_NUMBER[c.severity]]));

function sev(code: string): 1 | 2 | 3 | 4 {
  return SEVERITY_OF.get(code) ?? Severity.Error;
}

const CERT_EXT = /\.(pem|key|crt|cer|der|p12|pfx|csr)$/i;
const FILE_LIKE = /\.(pem|key|crt|cer|der|p12|pfx|csr|ya?ml|json|conf|cnf|toml|ini|txt)$/i;

/** Runs the compose-only checks on a compose document. Never throws. */
export function validateCompose(text: string, composePath: string, ws: Workspace, processEnv: Env): Diagnostic[] {
  try {
    const { env, dotEnvPath } = composeEnv(composePath, ws, processEnv);
    const model = parseComposeVolumes(text, composePath, env);
    return validateComposeModel(model, ws, { dotEnvPath });
  } catch {
    return [];
  }
}

/** The same checks over an already parsed model (lets callers share one parse). */
export function validateComposeModel(model: ComposeModel, ws: Workspace, opts: { dotEnvPath?: string } = {}): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of model.yamlErrors) {
    out.push(
      diag(
        e.range,
        sev('compose-yaml-syntax'),
        'compose-yaml-syntax',
        `YAML error: ${e.message}. Fix the syntax; docker compose cannot read this file until then.`,
      ),
    );
  }
  const envWhere = opts.dotEnvPath
    ? `in the environment or in ${opts.dotEnvPath}`
    : `in the environment or in a .env file beside ${path.basename(model.composePath)}`;
  for (const p of model.interpolationProblems) {
    const code = p.code ?? 'compose-interpolation-invalid';
    let message = p.message;
    if (p.kind === 'unset' && p.variable) {
      message += `. Set ${p.variable} ${envWhere}, or give a default: \${${p.variable}:-value}`;
    }
    out.push(diag(p.range, sev(code), code, message, p.variable ? { variable: p.variable } : undefined));
  }
  for (const p of model.problems) {
    const code = p.code ?? 'compose-volume-invalid';
    out.push(diag(p.range, sev(code), code, p.message));
  }
  const trusted = ws.settings?.trusted !== false;
  for (const svc of model.services) {
    const targets = new Map<string, VolumeMount>();
    for (const m of svc.volumes) {
      for (const p of m.problems) {
        // interpolation problems are reported once, from the whole-file walk
        if (p.kind === 'volume-invalid' || p.kind === 'volume-undeclared') out.push(diag(p.range, sev(p.code!), p.code!, p.message));
      }
      if (m.target) {
        const prev = targets.get(m.target);
        if (prev) {
          out.push(
            diag(
              m.targetRange ?? m.range,
              sev('compose-duplicate-target'),
              'compose-duplicate-target',
              `${m.target} is already mounted by another volume of service "${svc.name}" (line ${prev.range.start.line + 1}); Docker refuses duplicate mount points. Remove one of them or mount at a different path.`,
            ),
          );
        } else targets.set(m.target, m);
      }
      if (m.type !== 'bind' || !m.hostPath) continue;
      // a Windows host path (C:\certs, \\server\share) cannot be checked from Linux / macOS
      const foreign = process.platform !== 'win32' && isWindowsAbsolute(m.hostPath);
      const kind = trusted && !foreign ? ws.kind(m.hostPath) : 'unknown';
      if (kind === 'missing') {
        const d = missingSource(m, ws);
        if (d) out.push(d);
      }
      if (kind === 'directory' && FILE_LIKE.test(m.hostPath) && FILE_LIKE.test(m.target)) {
        out.push(
          diag(
            m.sourceRange ?? m.range,
            sev('compose-bind-source-is-directory'),
            'compose-bind-source-is-directory',
            `A directory where a file is expected: ${shownPath(m.hostPath, ws.roots)} is a directory, but it is mounted at ${m.target}; Docker probably created this empty directory when the file was missing, and the container will fail with "is a directory". Delete the directory and put the real file there (or fix the path).`,
            { hostPath: m.hostPath },
          ),
        );
      }
      if (!m.readOnly && holdsCertificates(m, ws, kind, trusted)) out.push(writableCerts(m));
    }
  }
  return out;
}

/** Whether a mount carries files the container needs (certificates, keys, config), not just data it writes. */
function expectsContent(m: VolumeMount): boolean {
  const hostName = path.basename((m.hostPath ?? '').replace(/\\/g, '/'));
  return (
    namesContent(m.target) || namesContent(hostName) || namesContent(m.source ?? '') || FILE_LIKE.test(hostName) || FILE_LIKE.test(m.target)
  );
}

/** Whole words of a path that name certificates, keys or configuration ("confluent-hub-components" is none of them). */
const CONTENT_WORDS = new Set([
  'tls',
  'ssl',
  'pki',
  'cert',
  'certs',
  'certificate',
  'certificates',
  'secret',
  'secrets',
  'key',
  'keys',
  'ca',
  'conf',
  'config',
  'configs',
  'configuration',
  'pem',
]);

function namesContent(p: string): boolean {
  return p.split(/[\\/._\-\s:]+/).some((w) => CONTENT_WORDS.has(w.toLowerCase()));
}

/** Undefined for a plain data folder: Docker creates it on first start, and a fresh checkout of the official compose file must be clean. */
function missingSource(m: VolumeMount, ws: Workspace): ReturnType<typeof diag> | undefined {
  const range = m.sourceRange ?? m.range;
  const host = shownPath(m.hostPath ?? '', ws.roots);
  const same = !m.source || m.source === m.hostPath || path.posix.normalize(m.source.replace(/\\/g, '/')) === host;
  const asWritten = same ? (m.source ?? host) : `${m.source} (${host})`;
  const fileLike = FILE_LIKE.test(m.hostPath ?? '');
  const data = { hostPath: m.hostPath, fileLike, syntax: m.syntax };
  if ((m.syntax === 'short' || m.createHostPath) && !expectsContent(m)) return undefined;
  if (m.syntax === 'long' && !m.createHostPath) {
    return diag(
      range,
      sev('compose-bind-source-missing'),
      'compose-bind-source-missing',
      `Bind source missing: ${asWritten} does not exist; docker compose up fails with "invalid mount config for type \\"bind\\": bind source path does not exist". Create it (or fix source:) before starting the service.`,
      data,
    );
  }
  const what = fileLike
    ? `Docker will create an EMPTY DIRECTORY named ${path.basename((m.hostPath ?? '').replace(/\\/g, '/'))} in its place and mount it at ${m.target}, so reading that file in the container fails with "is a directory".`
    : `Docker will create an EMPTY DIRECTORY in its place and mount it at ${m.target}, so the files expected there (certificates, keys) are missing and a file path under it shows up as "is a directory".`;
  return diag(
    range,
    sev('compose-bind-source-missing'),
    'compose-bind-source-missing',
    `Bind source missing: ${asWritten} does not exist. ${what} Create it (or fix the path) before docker compose up.`,
    data,
  );
}

function writableCerts(m: VolumeMount): Diagnostic {
  let how = 'add read_only: true to this volume';
  let edit: { range: Range; newText: string } | undefined;
  if (m.syntax === 'short') {
    const modes = ['ro', ...m.modes.filter((x) => x !== 'rw' && x !== 'ro')].join(',');
    if (m.modeRange) {
      edit = { range: m.modeRange, newText: modes };
      const colon = m.raw.lastIndexOf(':');
      how = `change the mode to :${modes} (${m.raw.slice(0, colon)}:${modes})`;
    } else {
      const at = (m.targetRange ?? m.range).end;
      edit = { range: { start: at, end: at }, newText: ':ro' };
      how = `append :ro (${m.raw}:ro)`;
    }
  }
  return diag(
    m.modeRange ?? m.range,
    sev('compose-cert-mount-writable'),
    'compose-cert-mount-writable',
    `certificates and keys at ${m.target} are mounted read-write, so the container could modify or replace them; ${how} to mount them read-only.`,
    { syntax: m.syntax, edit },
  );
}

function holdsCertificates(m: VolumeMount, ws: Workspace, kind: string, trusted: boolean): boolean {
  if (/tls|cert|ssl|pki/i.test(m.target)) return true;
  const host = m.hostPath ?? '';
  if (CERT_EXT.test(host)) return true;
  if (trusted && kind === 'directory') {
    let names: string[];
    try {
      names = ws.list(host);
    } catch {
      names = [];
    }
    return names.some((n) => CERT_EXT.test(n));
  }
  return false;
}
