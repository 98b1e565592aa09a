/**
 * APISIX's conf/config.yaml: the certificate paths of the gateway itself
 * (apisix/cli/config.lua defaults, conf/config.yaml.example):
 * apisix.ssl.ssl_trusted_certificate ("system" = the OS bundle),
 * deployment.admin.admin_api_mtls.{admin_ssl_cert, admin_ssl_cert_key, admin_ssl_ca_cert},
 * deployment.etcd.tls.{cert, key}. Relative paths are relative to APISIX's home
 * (/usr/local/apisix in the image; the folder above conf/ on a host install).
 */
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { isMap, isScalar, parseDocument, type Node } from 'yaml';
import { LineIndex } from '../../text';
import { diag, Severity } from '../../types';
import { serviceMounting } from '../../deploy/compose';
import { resolveThrough } from '../../deploy/context';
import { loadSlot } from '../../tls/pipeline';
import { checkCaFile, checkPair, checkServerLeaf, KEY_VALUES_MISMATCH, type OpensslWords } from '../../tls/openssl';
import type { LoadedSlot, SlotRole } from '../../tls/slots';
import type { ApisixContext } from './validate';

export const APISIX_HOME = '/usr/local/apisix';

export function isApisixConfig(file: string, text: string): boolean {
  return path.basename(file) === 'config.yaml' && path.basename(path.dirname(file)) === 'conf' && /^(apisix|deployment):/m.test(text);
}

const WORDS: OpensslWords = {
  product: 'APISIX',
  keyMismatch: () => `"SSL_CTX_use_PrivateKey(…) failed (SSL: ${KEY_VALUES_MISMATCH})" when it starts (its nginx.conf loads the pair)`,
  clients: 'clients',
};

function at(root: Node | null | undefined, keys: string[]): Node | undefined {
  let n: unknown = root;
  for (const k of keys) {
    if (!isMap(n)) return undefined;
    n = n.items.find((p) => isScalar(p.key) && p.key.value === k)?.value;
  }
  return (n ?? undefined) as Node | undefined;
}

export function validateApisixConfig(
  text: string,
  file: string,
  ctx: ApisixContext & { processEnv: Record<string, string | undefined> },
): Diagnostic[] {
  const out: Diagnostic[] = [];
  const doc = parseDocument(text, { prettyErrors: false, strict: false });
  if (doc.errors.length) return out; // APISIX's own CLI reports YAML errors at start; not our business here.
  const lines = new LineIndex(text);
  const mounted = serviceMounting(file, ctx.ws, ctx.processEnv);
  const hostBase = path.dirname(path.dirname(path.resolve(file)));
  const load = (keys: string[], role: SlotRole): LoadedSlot | undefined => {
    const n = at(doc.contents, keys);
    if (!isScalar(n) || typeof n.value !== 'string' || n.value === '' || n.value === 'system' || !n.range) return undefined;
    const value = n.value;
    const range = lines.range(n.range[0], n.range[1]);
    const r = mounted
      ? resolveThrough(value, {
          kind: 'compose',
          composePath: mounted.composePath,
          serviceName: mounted.service.name,
          volumes: mounted.service.volumes,
          workdir: APISIX_HOME,
        })
      : resolveThrough(value, { kind: 'host', hostBase });
    if (!r.ok) {
      if (r.reason === 'no-mount')
        out.push(
          diag(
            range,
            Severity.Error,
            'apisix-path-not-mounted',
            `APISIX in service ${mounted?.service.name} opens ${r.containerPath}, but no volume covers it: it fails to start. Mount the folder holding it.`,
          ),
        );
      return undefined;
    }
    const where = r.containerPath ? `${r.containerPath} → host ${r.hostPath}` : r.hostPath;
    return loadSlot(
      { role, key: keys.join('.'), range, consumer: 'openssl', hostPath: r.hostPath, where },
      { product: 'APISIX', caRejects: '' },
      ctx,
      out,
    );
  };
  const trusted = load(['apisix', 'ssl', 'ssl_trusted_certificate'], 'ca');
  if (trusted) checkCaFile(trusted, WORDS, out);
  const mtls = ['deployment', 'admin', 'admin_api_mtls'];
  const adminCert = load([...mtls, 'admin_ssl_cert'], 'server-cert');
  const adminKey = load([...mtls, 'admin_ssl_cert_key'], 'server-key');
  if (adminCert && adminKey) checkPair(adminCert, adminKey, WORDS, out);
  if (adminCert) checkServerLeaf(adminCert, ctx, WORDS, out);
  const adminCa = load([...mtls, 'admin_ssl_ca_cert'], 'ca');
  if (adminCa) checkCaFile(adminCa, WORDS, out);
  const etcdCert = load(['deployment', 'etcd', 'tls', 'cert'], 'client-cert');
  const etcdKey = load(['deployment', 'etcd', 'tls', 'key'], 'client-key');
  if (etcdCert && etcdKey) checkPair(etcdCert, etcdKey, WORDS, out);
  return out;
}
