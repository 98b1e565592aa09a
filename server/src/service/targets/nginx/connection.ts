/**
 * The endpoints an nginx config serves over TLS, for "Test TLS connection": one per `server`
 * block of this document with a `listen … ssl` (http and stream). Where a client on this machine
 * reaches it (the listen address, through the compose `ports:` that publishes it when nginx runs in
 * compose), the name to verify (the first exact server_name, else localhost), the CA to verify
 * against (a ca.pem / ca.crt beside the served certificate, else the system roots) and, when the
 * server verifies clients, a client set beside its ssl_client_certificate. Derivation only.
 */
import * as path from 'node:path';
import type { ConnectionTarget, EndpointTarget } from '../target';
import type { Workspace } from '../../workspace';
import { dialHost, publishedPort } from '../../deploy/compose';
import { resolveNginxPath, type NginxModel } from './model';
import { collectLevels, eff, isSslServer, mine, type Level } from './validate';

export interface NginxConnectionContext {
  ws: Workspace;
  processEnv: Record<string, string | undefined>;
}

/** `listen` as nginx reads it (ngx_parse_url): [address:]port, *:port, [v6]:port, or a bare address (port 80). */
export function parseListen(v: string): { host?: string; port: number } | undefined {
  if (v.startsWith('unix:')) return undefined;
  const v6 = /^\[([^\]]+)\](?::(\d+))?$/.exec(v);
  if (v6) return { host: v6[1], port: v6[2] ? Number(v6[2]) : 80 };
  const m = /^(?:([^:]+):)?(\d+)$/.exec(v);
  if (m) return { host: m[1] && m[1] !== '*' ? m[1] : undefined, port: Number(m[2]) };
  if (/^[A-Za-z0-9.-]+$/.test(v)) return { host: v, port: 80 };
  return undefined;
}

function firstExactName(level: Level, model: NginxModel): string | undefined {
  for (const d of level.own.filter((x) => x.name === 'server_name' && mine(x, model)))
    for (const a of d.args) if (a.value && a.value !== '_' && !/[~*$]/.test(a.value) && !a.value.startsWith('.')) return a.value;
  return undefined;
}

function hostFile(value: string | undefined, model: NginxModel): string | undefined {
  if (!value || value.includes('$')) return undefined;
  const r = resolveNginxPath(value, model.deploy);
  return r.ok ? r.hostPath : undefined;
}

function beside(file: string | undefined, names: string[], ws: Workspace): string | undefined {
  if (!file) return undefined;
  return names.map((n) => path.join(path.dirname(file), n)).find((f) => f !== file && ws.kind(f) === 'file');
}

export function nginxConnectionTargets(model: NginxModel, file: string, ctx: NginxConnectionContext): ConnectionTarget[] {
  if (model.parsed.errors.length) return [];
  const out: ConnectionTarget[] = [];
  for (const level of collectLevels(model)) {
    if (level.kind !== 'server' || !level.head || !mine(level.head, model) || level.head.file) continue;
    const listen = isSslServer(level);
    if (!listen || listen.name !== 'listen' || !listen.args[0]) continue;
    const addr = parseListen(listen.args[0].value);
    if (!addr || addr.port < 1 || addr.port > 65535) continue;
    const derivation: string[] = [];
    let host = dialHost(addr.host);
    let port = addr.port;
    const compose = model.deploy.compose;
    if (compose) {
      const pub = publishedPort(compose.composePath, compose.service.name, addr.port, ctx);
      const where = `${path.basename(compose.composePath)} service ${compose.service.name}`;
      if (pub) {
        host = pub.host;
        port = pub.port;
        derivation.push(`${host}:${port} from ${where} ports "${pub.written}" (nginx listens on ${addr.port})`);
      } else derivation.push(`${where} does not publish port ${addr.port}: trying ${host}:${addr.port}`);
    } else derivation.push(`${host}:${port} from "listen ${listen.args.map((a) => a.value).join(' ')}"`);

    const stream = level.parent?.kind === 'stream';
    const name = firstExactName(level, model);
    const serverName = name ?? 'localhost';
    derivation.push(name ? `name ${name} from server_name` : 'no exact server_name: verifying the name localhost');

    const served = hostFile(eff(level, 'ssl_certificate')[0]?.args[0]?.value, model);
    const target: EndpointTarget = { host, port, serverName, protocol: 'tls' };
    if (!stream) target.alpn = ['h2', 'http/1.1'];
    const ca = beside(served, ['ca.pem', 'ca.crt', 'rootCA.pem', 'root.crt'], ctx.ws);
    if (ca) {
      target.ca = ca;
      derivation.push(`CA ${path.basename(ca)} beside the served certificate ${path.basename(served!)}`);
    } else derivation.push('no CA file beside the served certificate: verifying against the system roots');

    const verify = eff(level, 'ssl_verify_client').at(-1)?.args[0]?.value;
    if (verify === 'on' || verify === 'optional') {
      const clientCa = hostFile(eff(level, 'ssl_client_certificate').at(-1)?.args[0]?.value, model);
      const cert = beside(clientCa, ['client.pem', 'client.crt'], ctx.ws);
      const key = beside(clientCa, ['client.key'], ctx.ws);
      if (cert && key) {
        target.cert = cert;
        target.key = key;
        derivation.push(`client set ${path.basename(cert)} / client.key beside ssl_client_certificate (ssl_verify_client ${verify})`);
      } else
        derivation.push(
          `ssl_verify_client ${verify} but no client.pem and client.key beside ssl_client_certificate: testing without a client certificate`,
        );
    }
    const facts: ConnectionTarget['facts'] = { product: 'nginx', configFile: file, derivation };
    // ngx_http_request.c: with "ssl_verify_client on" nginx completes the handshake without a certificate, then
    // answers every request 400 "No required SSL certificate was sent" (optional: the request goes through).
    if (verify === 'on')
      facts.clientCertRequired =
        'nginx (ssl_verify_client on) completes the handshake without one, then answers every request with 400 "No required SSL certificate was sent".';
    if (served) facts.serverCert = served;
    out.push({ label: `nginx ${stream ? 'stream ' : ''}server ${host}:${port}`, range: level.head.nameRange, target, facts });
  }
  return out;
}
