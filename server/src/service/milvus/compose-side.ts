/**
 * The milvus.yaml ↔ compose chain seen from the compose file: a TLS path in the
 * mounted milvus.yaml that no volume of the same service covers.
 */
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { diag, Severity } from '../types';
import type { Workspace } from '../workspace';
import { findMilvusConfigMount, containerToHost } from '../compose';
import { loadCompose, MILVUS_WORKDIR } from './resolve';
import { extractTls, entry } from './extract';
import { findKey, type SectionId } from './schema';

export function validateComposeMilvusPaths(composePath: string, ws: Workspace, processEnv: Record<string, string | undefined>): Diagnostic[] {
  const model = loadCompose(composePath, ws, processEnv);
  if (!model) return [];
  const out: Diagnostic[] = [];
  for (const svc of model.services) {
    const mount = findMilvusConfigMount(svc);
    if (!mount?.hostPath) continue;
    const r = ws.read(mount.hostPath);
    if (!r.ok) continue;
    const tls = extractTls(Buffer.from(r.bytes).toString('utf8'));
    const mode = entry(tls, 'common.security', 'tlsMode')?.value;
    const internal = entry(tls, 'common.security', 'internaltlsEnabled')?.value === true;
    const active = new Set<string>();
    if (mode === 1 || mode === 2 || mode === '1' || mode === '2') active.add('tls');
    if (internal) active.add('internaltls');
    for (const e of tls.entries) {
      if (!active.has(e.section) || findKey(e.section as SectionId, e.key)?.type !== 'path' || typeof e.value !== 'string' || !e.value.trim()) continue;
      if (e.section === 'tls' && e.key === 'caPemPath' && mode !== 2 && mode !== '2') continue;
      const containerPath = path.posix.resolve(MILVUS_WORKDIR, e.value.trim());
      const hit = containerToHost(containerPath, svc.volumes);
      if (hit.hostPath === undefined && hit.reason === 'no-mount') {
        out.push(
          diag(
            mount.range,
            Severity.Error,
            'compose-tls-path-not-mounted',
            `${path.basename(mount.hostPath)} (line ${e.valueRange.start.line + 1}) sets ${e.section}.${e.key}: ${containerPath}, but no volume of service ${svc.name} covers it; Milvus fails to start. Add a volume for ${path.posix.dirname(containerPath)} (e.g. ./tls:${path.posix.dirname(containerPath)}:ro).`,
          ),
        );
      }
    }
  }
  return out;
}
