/**
 * Where a client on this machine reaches a container port: the host side of the compose
 * `ports:` entry that publishes it (short `[host_ip:][host_port:]container_port` or long
 * `target`/`published`/`host_ip` syntax, after interpolation). Every target that offers
 * "Test TLS connection" for a service in compose asks this.
 */
import { parseDocument, isMap, isSeq, isScalar, type Node as YamlNode } from 'yaml';
import type { Workspace } from '../../workspace';
import { composeEnv } from './env';
import { interpolate } from './interpolate';

export interface PortContext {
  ws: Workspace;
  processEnv: Record<string, string | undefined>;
}

export interface Published {
  host: string;
  port: number;
  written: string;
}

/** The host side of a compose `ports:` entry publishing `containerPort`, if one does. */
export function publishedPort(composePath: string, serviceName: string, containerPort: number, ctx: PortContext): Published | undefined {
  const r = ctx.ws.read(composePath);
  if (!r.ok) return undefined;
  let doc;
  try {
    doc = parseDocument(Buffer.from(r.bytes).toString('utf8'), { uniqueKeys: false });
  } catch {
    return undefined;
  }
  const services = doc.get('services', true) as YamlNode | undefined;
  if (!isMap(services)) return undefined;
  const svc = services.get(serviceName, true) as YamlNode | undefined;
  if (!isMap(svc)) return undefined;
  const ports = svc.get('ports', true) as YamlNode | undefined;
  if (!isSeq(ports)) return undefined;
  const env = composeEnv(composePath, ctx.ws, ctx.processEnv).env;
  const sub = (v: unknown) => interpolate(String(v), env).value;
  for (const item of ports.items) {
    if (isScalar(item)) {
      const written = String(item.value);
      const spec = sub(written).replace(/\/(tcp|udp)$/, '');
      // [host_ip:][host_port:]container_port; host_ip may be [v6].
      const m = /^(?:(\[[^\]]+\]|[^:]+):)??(?:(\d+):)?(\d+)$/.exec(spec);
      if (!m || Number(m[3]) !== containerPort) continue;
      if (!m[2]) return { host: '127.0.0.1', port: containerPort, written };
      return { host: dialHost(m[1]), port: Number(m[2]), written };
    }
    if (isMap(item)) {
      const target = Number(sub(item.get('target')));
      if (target !== containerPort) continue;
      const published = item.get('published');
      const hostIp = item.get('host_ip');
      const port = published === undefined ? containerPort : Number(sub(published));
      if (!Number.isInteger(port)) continue;
      return { host: dialHost(hostIp === undefined ? undefined : sub(hostIp)), port, written: `target ${target}, published ${port}` };
    }
  }
  return undefined;
}

/** Where a client on this machine dials a port bound to `ip`: loopback for none or a wildcard, else that address (brackets dropped). */
export function dialHost(ip: string | undefined): string {
  if (!ip || ip === '0.0.0.0' || ip === '[::]' || ip === '::') return '127.0.0.1';
  return ip.replace(/^\[|\]$/g, '');
}
