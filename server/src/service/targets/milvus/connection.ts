/**
 * The endpoint a milvus.yaml describes, for "Test TLS connection": where a
 * client on this machine reaches the proxy's gRPC port (compose `ports:` →
 * 127.0.0.1:hostPort, else proxy.port, default 19530), the name to verify
 * (internaltls.sni, else localhost), the CA (tls.caPemPath) and, in mode 2, the
 * client set beside the server files. Derivation only; no socket here.
 */
import * as path from 'node:path';
import type { ConnectionTarget, EndpointTarget } from '../target';
import type { Workspace } from '../../workspace';
import { publishedPort } from '../../deploy/compose';
import { entry, type MilvusTlsModel } from './extract';
import { deployContext, resolvePath, type DeployContext } from './resolve';

export const MILVUS_PROXY_PORT = 19530;

export interface ConnectionContext {
  ws: Workspace;
  processEnv: Record<string, string | undefined>;
}

/** proxy.port from the text: the `port:` line directly under the top-level `proxy:` block. */
export function proxyPort(model: MilvusTlsModel): { port: number; line?: number } {
  const top = model.topLevel.findIndex((t) => t.key === 'proxy');
  if (top < 0) return { port: MILVUS_PROXY_PORT };
  const first = model.topLevel[top].line;
  const last = top + 1 < model.topLevel.length ? model.topLevel[top + 1].line - 1 : model.lines.lineCount - 1;
  let indent: number | undefined;
  for (let i = first + 1; i <= last; i++) {
    const t = model.lines.lineText(i);
    if (!t.trim() || t.trimStart().startsWith('#')) continue;
    const ind = t.length - t.trimStart().length;
    indent ??= ind;
    if (ind !== indent) continue;
    const m = /^\s*port\s*:\s*["']?(\d{1,5})["']?\s*(#.*)?$/.exec(t);
    if (m) {
      const port = Number(m[1]);
      if (port >= 1 && port <= 65535) return { port, line: i };
    }
  }
  return { port: MILVUS_PROXY_PORT };
}

function modeOf(model: MilvusTlsModel): number | undefined {
  const e = entry(model, 'common.security', 'tlsMode');
  if (!e) return 0;
  const v = typeof e.value === 'string' && /^\s*[0-2]\s*$/.test(e.value) ? Number(e.value) : e.value;
  return v === 0 || v === 1 || v === 2 ? v : undefined;
}

function hostFile(model: MilvusTlsModel, key: string, deploy: DeployContext): { value: string; hostPath?: string } | undefined {
  const e = entry(model, 'tls', key);
  if (!e || typeof e.value !== 'string' || !e.value.trim()) return undefined;
  const r = resolvePath(e.value.trim(), deploy);
  return { value: e.value.trim(), hostPath: r.ok ? r.hostPath : undefined };
}

export function milvusConnectionTargets(model: MilvusTlsModel, file: string, ctx: ConnectionContext): ConnectionTarget[] {
  const tlsSection = model.sections.find((s) => s.name === 'tls');
  const modeEntry = entry(model, 'common.security', 'tlsMode');
  if (!tlsSection && !modeEntry) return [];
  const range = tlsSection?.keyRange ?? modeEntry!.keyRange;
  const mode = modeOf(model);
  const derivation: string[] = [];
  const deploy = deployContext(file, ctx.ws, ctx.processEnv);
  const { port: proxy, line: portLine } = proxyPort(model);
  derivation.push(portLine === undefined ? `proxy.port ${proxy} (Milvus's default)` : `proxy.port ${proxy} (line ${portLine + 1})`);
  let host = '127.0.0.1';
  let port = proxy;
  if (deploy.kind === 'compose' && deploy.composePath && deploy.service) {
    const pub = publishedPort(deploy.composePath, deploy.service.name, proxy, ctx);
    const compose = path.basename(deploy.composePath);
    if (pub) {
      host = pub.host;
      port = pub.port;
      derivation.push(`${host}:${port} from ${compose} service ${deploy.service.name} ports "${pub.written}"`);
    } else derivation.push(`${compose} service ${deploy.service.name} does not publish port ${proxy}: trying 127.0.0.1:${proxy}`);
  } else derivation.push(`no compose file runs this config: Milvus on this machine, 127.0.0.1:${proxy}`);

  const sni = entry(model, 'internaltls', 'sni');
  const serverName = typeof sni?.value === 'string' && sni.value.trim() ? sni.value.trim() : 'localhost';
  derivation.push(
    sni && serverName !== 'localhost'
      ? `name ${serverName} from internaltls.sni`
      : `name ${serverName}${sni ? ' (internaltls.sni)' : ' (no internaltls.sni; what a client on this machine dials)'}`,
  );

  const target: EndpointTarget = { host, port, serverName, alpn: ['h2'], protocol: 'tls' };
  const server = hostFile(model, 'serverPemPath', deploy);
  if (mode === 1 || mode === 2) {
    const ca = hostFile(model, 'caPemPath', deploy);
    if (ca?.hostPath) {
      target.ca = ca.hostPath;
      derivation.push(`CA ${ca.value} → ${ca.hostPath}`);
    } else
      derivation.push(
        ca
          ? `CA ${ca.value} does not map to a host file: verifying against the system roots`
          : 'no tls.caPemPath: verifying against the system roots',
      );
    if (mode === 2 && server?.hostPath) {
      const dir = path.dirname(server.hostPath);
      const cert = ['client.pem', 'client.crt'].map((n) => path.join(dir, n)).find((f) => ctx.ws.kind(f) === 'file');
      const key = path.join(dir, 'client.key');
      if (cert && ctx.ws.kind(key) === 'file') {
        target.cert = cert;
        target.key = key;
        derivation.push(`client set ${path.basename(cert)} / client.key beside ${path.basename(server.hostPath)} (tlsMode 2)`);
      } else
        derivation.push(
          `tlsMode 2 but no client.pem and client.key beside ${path.basename(server.hostPath)}: testing without a client certificate`,
        );
    }
  } else if (mode === 0) derivation.push('tlsMode 0: Milvus serves plaintext; the test shows what the port speaks');
  const facts: ConnectionTarget['facts'] = { product: 'Milvus', configFile: file, derivation };
  if (mode !== undefined) facts.tlsMode = mode;
  if (server?.hostPath) facts.serverCert = server.hostPath;
  return [{ label: `Milvus proxy (gRPC) ${host}:${port}`, range, target, facts }];
}
