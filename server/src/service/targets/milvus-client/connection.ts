/**
 * "Test TLS connection" on a pymilvus call or a curl command: the endpoint it dials, the name it
 * verifies (server_name passes through as the SNI and the name checked), and the files its stack
 * would use (see planOf: pymilvus drops the client certificate when server_pem_path is set).
 * Derivation only; no socket here.
 */
import type { ConnectionTarget, Doc, EndpointTarget, TargetContext } from '../target';
import type { ClientModel } from './model';
import { planOf } from './validate';
import { resolveClientFile } from './files';
import { milvusServersNear, serverFor } from './server';

export function clientConnectionTargets(doc: Doc, model: ClientModel, ctx: TargetContext): ConnectionTarget[] {
  const out: ConnectionTarget[] = [];
  for (const call of model.calls) {
    if (call.secure !== true || !call.host || call.port === undefined) continue;
    const plan = planOf(call);
    const file = (v: unknown) => (typeof v === 'string' && v ? resolveClientFile(v, doc.path, ctx.ws, model.markdown) : undefined);
    const derivation = [`${call.host}:${call.port} from ${call.kind === 'pymilvus' ? 'the uri' : 'the URL'}`];
    const target: EndpointTarget = { host: call.host, port: call.port, protocol: 'tls' };
    if (call.kind === 'pymilvus') target.alpn = ['h2'];
    if (plan.name) {
      target.serverName = plan.name.value;
      derivation.push(`name ${plan.name.value} from ${plan.name.from}`);
    }
    const root = plan.root && file(plan.root.arg.value);
    if (root) {
      target.ca = root.hostPath;
      derivation.push(`CA ${root.where} (${plan.root!.arg.name})`);
    } else derivation.push('no CA given: the system roots');
    const cert = plan.cert && file(plan.cert.value);
    const key = plan.key ? file(plan.key.value) : cert;
    if (cert && key) {
      target.cert = cert.hostPath;
      target.key = key.hostPath;
      derivation.push(`client certificate ${cert.where}, key ${key.where}`);
    } else if (plan.noCertBecause) derivation.push(`no client certificate${plan.noCertBecause}`);
    const server = serverFor(call, milvusServersNear(doc.path, ctx));
    const facts: ConnectionTarget['facts'] = { product: 'Milvus', configFile: doc.path, derivation };
    if (server) {
      facts.tlsMode = server.mode;
      if (server.serverCert) facts.serverCert = server.serverCert.hostPath;
      derivation.push(`Milvus ${server.label}, tlsMode ${server.mode} (${server.modeSource})`);
    }
    out.push({
      label: `${call.kind === 'pymilvus' ? `Milvus (${call.callee})` : 'Milvus REST (curl)'} ${call.host}:${call.port}`,
      range: call.calleeRange,
      target,
      facts,
    });
  }
  return out;
}
