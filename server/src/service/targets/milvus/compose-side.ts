/**
 * The milvus.yaml ↔ compose chain seen from the compose file: where the Milvus
 * service mounts its config, and TLS paths of the mounted milvus.yaml that no
 * volume of the same service covers.
 */
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { diag, Severity } from '../../types';
import type { Workspace } from '../../workspace';
import { containerToHost, type ComposeModel } from '../../deploy/compose';
import {
  findMilvusService,
  findMilvusConfigMount,
  isMilvusConfigName,
  looksLikeMilvusService,
  MILVUS_CONFIG_TARGET,
  MILVUS_USER_CONFIG_TARGET,
  MILVUS_WORKDIR,
} from './deploy';
import { extractTls, entry } from './extract';
import { findKey, type SectionId } from './schema';
import type { DiagnosticCodeInfo } from '../target';

export const MILVUS_COMPOSE_CODES: DiagnosticCodeInfo[] = [
  {
    code: 'milvus-config-mount-target',
    severity: 'warning',
    summary:
      'milvus.yaml is mounted somewhere Milvus does not read it; mount it at /milvus/configs/milvus.yaml (or user.yaml at /milvus/configs/user.yaml).',
  },
  {
    code: 'milvus-compose-path-not-mounted',
    severity: 'error',
    summary: 'Compose: a TLS path in the mounted milvus.yaml that no volume covers',
  },
];

export function milvusComposeChecks(composePath: string, model: ComposeModel, ws: Workspace): Diagnostic[] {
  return [...configMountTargets(model, ws), ...unmountedTlsPaths(model, ws)];
}

function configMountTargets(model: ComposeModel, ws: Workspace): Diagnostic[] {
  const out: Diagnostic[] = [];
  const trusted = ws.settings?.trusted !== false;
  const milvus = findMilvusService(model);
  for (const svc of model.services) {
    if (svc !== milvus && !looksLikeMilvusService(svc)) continue;
    for (const m of svc.volumes) {
      if (m.type !== 'bind' || !m.hostPath || !isMilvusConfigName(m.hostPath)) continue;
      if (m.target === MILVUS_CONFIG_TARGET || m.target === MILVUS_USER_CONFIG_TARGET) continue;
      if (trusted && ws.kind(m.hostPath) === 'directory') continue;
      const name = path.basename(m.hostPath.replace(/\\/g, '/'));
      const want = /^user\.ya?ml$/i.test(name) ? MILVUS_USER_CONFIG_TARGET : MILVUS_CONFIG_TARGET;
      out.push(
        diag(
          m.targetRange ?? m.range,
          Severity.Warning,
          'milvus-config-mount-target',
          `${name} is mounted at ${m.target || '(no target)'}, but Milvus reads its configuration from ${MILVUS_CONFIG_TARGET} (overrides from ${MILVUS_USER_CONFIG_TARGET}); mounted here it is ignored and TLS stays off. Mount it at ${want}.`,
          { expectedTarget: want },
        ),
      );
    }
  }
  return out;
}

function unmountedTlsPaths(model: ComposeModel, ws: Workspace): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const svc of model.services) {
    const mount = findMilvusConfigMount(svc);
    if (!mount?.hostPath) continue;
    const r = ws.read(mount.hostPath);
    if (!r.ok) continue;
    const tls = ws.derive(mount.hostPath, 'tls-model:milvus', () => extractTls(Buffer.from(r.bytes).toString('utf8')));
    const mode = entry(tls, 'common.security', 'tlsMode')?.value;
    const internal = entry(tls, 'common.security', 'internaltlsEnabled')?.value === true;
    const active = new Set<string>();
    if (mode === 1 || mode === 2 || mode === '1' || mode === '2') active.add('tls');
    if (internal) active.add('internaltls');
    for (const e of tls.entries) {
      if (
        !active.has(e.section) ||
        findKey(e.section as SectionId, e.key)?.type !== 'path' ||
        typeof e.value !== 'string' ||
        !e.value.trim()
      )
        continue;
      if (e.section === 'tls' && e.key === 'caPemPath' && mode !== 2 && mode !== '2') continue;
      const containerPath = path.posix.resolve(MILVUS_WORKDIR, e.value.trim());
      const hit = containerToHost(containerPath, svc.volumes, MILVUS_WORKDIR);
      if (hit.hostPath === undefined && hit.reason === 'no-mount') {
        out.push(
          diag(
            mount.range,
            Severity.Error,
            'milvus-compose-path-not-mounted',
            `${path.basename(mount.hostPath)} (line ${e.valueRange.start.line + 1}) sets ${e.section}.${e.key}: ${containerPath}, but no volume of service ${svc.name} covers it; Milvus fails to start. Add a volume for ${path.posix.dirname(containerPath)} (e.g. ./tls:${path.posix.dirname(containerPath)}:ro).`,
          ),
        );
      }
    }
  }
  return out;
}
