/**
 * The milvus.yaml ↔ compose chain seen from the compose file: where the Milvus
 * service mounts its config, and TLS paths of the mounted milvus.yaml that no
 * volume of the same service covers.
 */
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { diag, Severity } from '../../types';
import type { Workspace } from '../../workspace';
import { containerToHost, type ComposeModel, type ComposeService } from '../../deploy/compose';
import {
  findMilvusService,
  findMilvusConfigMount,
  isMilvusConfigName,
  looksLikeMilvusService,
  MILVUS_CONFIG_TARGET,
  MILVUS_USER_CONFIG_TARGET,
  MILVUS_WORKDIR,
} from './deploy';
import { extractTls } from './extract';
import type { DiagnosticCodeInfo } from '../target';
import { effectiveConfig, goAtoi, goParseBool, winner, type EffectiveConfig } from './effective';
import { judgeEffective, IMAGE_SAMPLE_CERTS, type MilvusContext } from './validate';
import { deployContext, type DeployContext } from './resolve';
import { recogniseMilvus } from './recognise';

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
    summary:
      'Compose: a TLS path in the mounted milvus.yaml that no volume covers, when that file is not checked against this service itself (e.g. mounted as a whole ./configs folder); otherwise milvus-path-not-mounted reports it on the config line',
  },
];

export function milvusComposeChecks(composePath: string, model: ComposeModel, ctx: MilvusContext): Diagnostic[] {
  const ws = ctx.ws;
  return [...configMountTargets(model, ws), ...unmountedTlsPaths(composePath, model, ctx), ...environmentChecks(composePath, model, ctx)];
}

/** The effective configuration of a Milvus service, without a document of its own. */
function serviceConfig(composePath: string, svc: ComposeService, ctx: MilvusContext): { cfg: EffectiveConfig; deploy: DeployContext } {
  const deploy: DeployContext = {
    kind: 'compose',
    composePath,
    service: svc,
    configMount: findMilvusConfigMount(svc),
    hostBase: path.dirname(composePath),
  };
  return { cfg: effectiveConfig(undefined, undefined, deploy, ctx), deploy };
}

/** Values the service's environment decides (COMMON_SECURITY_TLSMODE=2, TLS_SERVERPEMPATH=…): judged on the environment entry. */
function environmentChecks(composePath: string, model: ComposeModel, ctx: MilvusContext): Diagnostic[] {
  const svc = findMilvusService(model);
  if (!svc || (!svc.environment?.length && !svc.envFiles?.length)) return [];
  const { cfg, deploy } = serviceConfig(composePath, svc, ctx);
  const env = cfg.layers.find((l) => l.kind === 'env');
  if (!env) return [];
  const out: Diagnostic[] = [];
  judgeEffective(extractTls(''), { ...cfg, docLayer: env, unmounted: false }, deploy, ctx, composePath, out);
  return out;
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

function unmountedTlsPaths(composePath: string, model: ComposeModel, ctx: MilvusContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const svc of model.services) {
    const mount = findMilvusConfigMount(svc);
    if (!mount?.hostPath) continue;
    const { cfg } = serviceConfig(composePath, svc, ctx);
    const mode = goAtoi(winner(cfg, 'common.security.tlsMode')?.value ?? '0').value;
    const internal = goParseBool(winner(cfg, 'common.security.internaltlsEnabled')?.value).value;
    const keys: string[] = [];
    if (mode === 1 || mode === 2) keys.push('tls.serverPemPath', 'tls.serverKeyPath', ...(mode === 2 ? ['tls.caPemPath'] : []));
    if (internal) keys.push('internaltls.serverPemPath', 'internaltls.serverKeyPath', 'internaltls.caPemPath');
    for (const key of keys) {
      const w = winner(cfg, key);
      if (!w?.setting || !w.layer.hostPath || !w.value?.trim()) continue;
      const layerMount = svc.volumes.find((v) => v.hostPath && path.resolve(v.hostPath) === path.resolve(w.layer.hostPath!)) ?? mount;
      const containerPath = path.posix.resolve(MILVUS_WORKDIR, w.value.trim());
      const hit = containerToHost(containerPath, svc.volumes, MILVUS_WORKDIR);
      if (hit.hostPath !== undefined || hit.reason !== 'no-mount' || IMAGE_SAMPLE_CERTS.has(containerPath)) continue;
      if (judgedByConfig(w.layer.hostPath, composePath, svc, ctx)) continue;
      out.push(
        diag(
          layerMount.range,
          Severity.Error,
          'milvus-compose-path-not-mounted',
          `${path.basename(w.layer.hostPath)} (line ${w.setting.valueRange.start.line + 1}) sets ${key}: ${containerPath}, but no volume of service ${svc.name} covers it; Milvus fails to start. Add a volume for ${path.posix.dirname(containerPath)} (e.g. ./tls:${path.posix.dirname(containerPath)}:ro).`,
        ),
      );
    }
  }
  return out;
}

/**
 * One missing mount is one finding. When the config file that sets the path is itself checked as a
 * Milvus config against this compose service, it reports the path there (milvus-path-not-mounted, on
 * the value, with the add-volume fix and this service's volumes as related information), so the
 * compose file stays quiet. It speaks only for a config the Milvus target does not read with this
 * service: mounted through a whole folder (./configs:/milvus/configs), or under a name it does not
 * recognise; then the compose file is the only place the problem shows.
 */
function judgedByConfig(configPath: string, composePath: string, svc: ComposeService, ctx: MilvusContext): boolean {
  const r = ctx.ws.read(configPath);
  if (!r.ok) return false;
  const text = Buffer.from(r.bytes).toString('utf8');
  if (!recogniseMilvus({ path: configPath, text }, ctx.settings)) return false;
  const own = deployContext(configPath, ctx.ws, ctx.processEnv);
  return own.composePath !== undefined && path.resolve(own.composePath) === path.resolve(composePath) && own.service?.name === svc.name;
}
