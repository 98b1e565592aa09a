/**
 * The Milvus a client script talks to, as the Milvus target sees it: each compose file near the
 * script (its folder and two above) with a Milvus service, or else a milvus.yaml run on this
 * machine; its effective tlsMode (files, then environment, as Milvus layers them), the ports a
 * client reaches it on, and the certificate files of `tls.*` read from the host.
 */
import * as path from 'node:path';
import type { Workspace } from '../../workspace';
import { candidateComposeFiles, loadCompose, composeEnv, publishedPort } from '../../deploy/compose';
import { loadPemFile } from '../../pem/files';
import type { CertInfo } from '../../pem/model';
import { goCertificates } from '../../tls/pipeline';
import { effectiveConfig, winner, describeSource, goAtoi, goParseBool, type EffectiveConfig } from '../milvus/effective';
import { deployContext, resolvePath, type DeployContext } from '../milvus/resolve';
import { findMilvusService, findMilvusConfigMount } from '../milvus/deploy';

export interface ServerFile {
  setting: string;
  /** As Milvus sees it (container path). */
  value: string;
  hostPath: string;
  /** The host file relative to the client's folder, for advice: "tls/ca.pem". */
  shown: string;
  certs: CertInfo[];
}

export interface MilvusServer {
  /** "service standalone of docker-compose.yml", "configs/milvus.yaml". */
  label: string;
  composePath?: string;
  serviceName?: string;
  /** Names that reach it from this machine or its compose network. */
  hosts: string[];
  mode: number;
  /** "COMMON_SECURITY_TLSMODE=2 in docker-compose.yml:14", "Milvus's default". */
  modeSource: string;
  /** Ports a client dials for gRPC (host side first), and for REST when it has a port of its own. */
  grpcPorts: number[];
  restPorts: number[];
  serverCert?: ServerFile;
  ca?: ServerFile;
}

export interface ServerContext {
  ws: Workspace;
  processEnv: Record<string, string | undefined>;
}

const LOCAL = ['localhost', '127.0.0.1', '::1', '0.0.0.0', 'host.docker.internal'];

function serverFile(cfg: EffectiveConfig, key: string, deploy: DeployContext, ws: Workspace, fromDir: string): ServerFile | undefined {
  const v = winner(cfg, key)?.value?.trim();
  if (!v) return undefined;
  const r = resolvePath(v, deploy);
  if (!r.ok) return undefined;
  const loaded = loadPemFile(r.hostPath, ws);
  const certs = loaded.contents ? goCertificates(loaded.contents.items).filter((c) => !c.goRefuses) : [];
  return { setting: key, value: v, hostPath: r.hostPath, shown: path.relative(fromDir, r.hostPath) || path.basename(r.hostPath), certs };
}

function fromConfig(
  cfg: EffectiveConfig,
  deploy: DeployContext,
  label: string,
  ctx: ServerContext,
  fromDir: string,
): MilvusServer | undefined {
  const modeW = winner(cfg, 'common.security.tlsMode');
  const mode = goAtoi(modeW?.value ?? '0').value;
  if (mode < 0 || mode > 2) return undefined; // Milvus does not start: the config's own findings say so
  const proxy = goAtoi(winner(cfg, 'proxy.port')?.value ?? '19530');
  const grpcPort = proxy.ok && proxy.value > 0 ? proxy.value : 19530;
  const httpOn = goParseBool(winner(cfg, 'proxy.http.enabled')?.value ?? 'true');
  const httpPortText = winner(cfg, 'proxy.http.port')?.value ?? '';
  const httpPort = goAtoi(httpPortText);
  const server: MilvusServer = {
    label,
    composePath: deploy.composePath,
    serviceName: deploy.service?.name,
    hosts: [...LOCAL],
    mode,
    modeSource: modeW && modeW.layer.kind !== 'image' ? describeSource(modeW, fromDir) : "Milvus's default (tlsMode 0)",
    grpcPorts: [grpcPort],
    restPorts: [],
  };
  const separateRest = (!httpOn.ok || httpOn.value) && httpPortText !== '' && httpPort.ok && httpPort.value !== grpcPort;
  if (separateRest) server.restPorts.push(httpPort.value);
  if (deploy.kind === 'compose' && deploy.composePath && deploy.service) {
    server.hosts.push(deploy.service.name);
    const pub = published(deploy.composePath, deploy.service.name, grpcPort, ctx);
    if (pub) {
      server.grpcPorts.unshift(pub.port);
      if (!LOCAL.includes(pub.host)) server.hosts.push(pub.host);
    }
    if (separateRest) {
      const rest = published(deploy.composePath, deploy.service.name, httpPort.value, ctx);
      if (rest) server.restPorts.unshift(rest.port);
    }
  }
  if (mode !== 0) {
    server.serverCert = serverFile(cfg, 'tls.serverPemPath', deploy, ctx.ws, fromDir);
    server.ca = serverFile(cfg, 'tls.caPemPath', deploy, ctx.ws, fromDir);
  }
  return server;
}

/** publishedPort parses the compose file; its answer lives as long as the compose file and its .env are unchanged. */
function published(composePath: string, service: string, port: number, ctx: ServerContext) {
  const { dotEnvPath } = composeEnv(composePath, ctx.ws, ctx.processEnv);
  const envKey = dotEnvPath ? String((ctx.ws.read(dotEnvPath) as { mtimeMs?: number }).mtimeMs ?? '') : '';
  return ctx.ws.derive(composePath, `milvus-client-port:${service}:${port}:${envKey}`, () =>
    publishedPort(composePath, service, port, ctx),
  );
}

/** Every Milvus deployment near `file` that the workspace describes. */
export function milvusServersNear(file: string, ctx: ServerContext): MilvusServer[] {
  const out: MilvusServer[] = [];
  const fromDir = path.dirname(path.resolve(file));
  for (const c of candidateComposeFiles(file, ctx.ws)) {
    const model = loadCompose(c, ctx.ws, ctx.processEnv);
    const svc = model && findMilvusService(model);
    if (!svc) continue;
    const deploy: DeployContext = {
      kind: 'compose',
      composePath: c,
      service: svc,
      configMount: findMilvusConfigMount(svc),
      hostBase: path.dirname(c),
    };
    const s = fromConfig(
      effectiveConfig(undefined, undefined, deploy, ctx),
      deploy,
      `service ${svc.name} of ${path.relative(fromDir, c) || path.basename(c)}`,
      ctx,
      fromDir,
    );
    if (s) out.push(s);
  }
  if (out.length) return out;
  // Milvus run on this machine from a checkout or a tarball: its configs/milvus.yaml.
  let dir = fromDir;
  for (let depth = 0; depth < 3; depth++) {
    for (const rel of ['milvus.yaml', 'configs/milvus.yaml']) {
      const f = path.join(dir, rel);
      if (ctx.ws.kind(f) !== 'file') continue;
      const deploy = deployContext(f, ctx.ws, ctx.processEnv);
      if (deploy.kind !== 'host') continue;
      const s = fromConfig(effectiveConfig(f, undefined, deploy, ctx), deploy, path.relative(fromDir, f) || rel, ctx, fromDir);
      if (s) return [s];
    }
    const parent = path.dirname(dir);
    if (parent === dir || !ctx.ws.isInsideRoots(parent)) break;
    dir = parent;
  }
  return out;
}

/**
 * The deployment this client dials: a local name (or the compose service's) and a port the
 * deployment listens on. A client dialing a remote host may talk to another Milvus: no match.
 * Several deployments on that port (a plain and a TLS compose file side by side): the one that
 * agrees with the client's TLS, so a client is never judged against the other variant.
 */
export function serverFor(
  call: { host?: string; port?: number; kind: 'pymilvus' | 'curl'; secure?: boolean },
  servers: MilvusServer[],
): MilvusServer | undefined {
  if (!call.host || call.port === undefined) return undefined;
  const host = call.host.toLowerCase();
  const matching = servers.filter(
    (s) =>
      (s.hosts.includes(host) || /^127\./.test(host)) &&
      (s.grpcPorts.includes(call.port!) || (call.kind === 'curl' && s.restPorts.includes(call.port!))),
  );
  return matching.find((s) => call.secure === undefined || (s.mode !== 0) === call.secure) ?? matching[0];
}
