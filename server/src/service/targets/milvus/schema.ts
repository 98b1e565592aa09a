/**
 * The Milvus TLS keys we understand, with what hover and completion say about
 * them. Sources: milvus-io/milvus configs/milvus.yaml and
 * pkg/util/paramtable/component_param.go (Milvus 2.4–2.6).
 */
import { editDistance as distance } from '../../text';

export type SectionId = 'tls' | 'internaltls' | 'common.security';

export type FileKind = 'certificate' | 'privateKey' | 'caBundle';

export interface KeySpec {
  section: SectionId;
  key: string;
  /** What the file must hold, for path keys. */
  file?: FileKind;
  type: 'path' | 'int' | 'bool' | 'string';
  default: string;
  summary: string;
  /** When the key is needed, in words. */
  needed: string;
}

export const KEYS: KeySpec[] = [
  {
    section: 'tls',
    key: 'serverPemPath',
    file: 'certificate',
    type: 'path',
    default: 'configs/cert/server.pem',
    summary:
      'Path, inside the Milvus container, of the server certificate (PEM) that Milvus presents on the gRPC port 19530 and the RESTful API. Its SANs must cover the name clients dial (pymilvus `server_name`).',
    needed: 'Required when `common.security.tlsMode` is 1 or 2.',
  },
  {
    section: 'tls',
    key: 'serverKeyPath',
    file: 'privateKey',
    type: 'path',
    default: 'configs/cert/server.key',
    summary:
      'Path, inside the container, of the private key of `serverPemPath`. Must be unencrypted (PKCS#8, PKCS#1 or SEC1): Go cannot load encrypted keys.',
    needed: 'Required when `common.security.tlsMode` is 1 or 2.',
  },
  {
    section: 'tls',
    key: 'caPemPath',
    file: 'caBundle',
    type: 'path',
    default: 'configs/cert/ca.pem',
    summary: 'Path, inside the container, of the CA certificate(s) that Milvus uses to verify client certificates in mutual TLS.',
    needed: 'Required when `common.security.tlsMode` is 2.',
  },
  {
    section: 'internaltls',
    key: 'serverPemPath',
    file: 'certificate',
    type: 'path',
    default: 'configs/cert/server.pem',
    summary: 'Certificate that Milvus components present to each other (internal gRPC). Its SANs must cover `internaltls.sni`.',
    needed: 'Required when `common.security.internaltlsEnabled` is true.',
  },
  {
    section: 'internaltls',
    key: 'serverKeyPath',
    file: 'privateKey',
    type: 'path',
    default: 'configs/cert/server.key',
    summary: 'Private key of `internaltls.serverPemPath`, unencrypted.',
    needed: 'Required when `common.security.internaltlsEnabled` is true.',
  },
  {
    section: 'internaltls',
    key: 'caPemPath',
    file: 'caBundle',
    type: 'path',
    default: 'configs/cert/ca.pem',
    summary: 'CA certificate(s) that components use to verify each other.',
    needed: 'Required when `common.security.internaltlsEnabled` is true.',
  },
  {
    section: 'internaltls',
    key: 'sni',
    type: 'string',
    default: 'localhost',
    summary: 'Server name components send (SNI) and verify when they dial each other; the internal certificate must carry it as a SAN.',
    needed: 'Used when `common.security.internaltlsEnabled` is true.',
  },
  {
    section: 'common.security',
    key: 'tlsMode',
    type: 'int',
    default: '0',
    summary:
      'TLS on the external ports. 0: no TLS. 1: one-way TLS (server certificate and key). 2: two-way / mutual TLS (the server also requires and verifies client certificates against `tls.caPemPath`).',
    needed: 'Set to 1 or 2 to turn TLS on.',
  },
  {
    section: 'common.security',
    key: 'internaltlsEnabled',
    type: 'bool',
    default: 'false',
    summary: 'Encrypt traffic between Milvus components with the `internaltls` certificate.',
    needed: 'Optional; needs the `internaltls` block.',
  },
];

export const TLS_MODES: { value: number; label: string; detail: string }[] = [
  { value: 0, label: '0', detail: 'No TLS (default)' },
  { value: 1, label: '1', detail: 'One-way TLS: clients verify the server' },
  { value: 2, label: '2', detail: 'Two-way (mutual) TLS: the server also verifies client certificates' },
];

export function keysOf(section: SectionId): KeySpec[] {
  return KEYS.filter((k) => k.section === section);
}

export function findKey(section: SectionId, key: string): KeySpec | undefined {
  return KEYS.find((k) => k.section === section && k.key === key);
}

/** Sections a key name belongs to, for "this key belongs in …" messages. */
export function homesOf(key: string): SectionId[] {
  return KEYS.filter((k) => k.key === key).map((k) => k.section);
}

/** Keys of other services' TLS that users paste into the Milvus blocks. */
export const FOREIGN_TLS_KEYS: Record<string, string> = {
  tlsCert: 'etcd.ssl.tlsCert (etcd client TLS), not the Milvus server certificate',
  tlsKey: 'etcd.ssl.tlsKey (etcd client TLS), not the Milvus server key',
  tlsCACert: 'etcd.ssl.tlsCACert or minio.ssl.tlsCACert, not the Milvus CA',
  useSSL: 'minio.useSSL (object storage), not Milvus server TLS',
  tlsMinVersion: 'etcd.ssl.tlsMinVersion',
};

/** Milvus keys compare without case (its formatKey lower-cases them). */
export function editDistance(a: string, b: string): number {
  return distance(a, b, { ignoreCase: true });
}

export function didYouMean(key: string, candidates: string[]): string | undefined {
  let best: string | undefined;
  let bestD = Infinity;
  for (const c of candidates) {
    const d = editDistance(key, c);
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best !== undefined && bestD <= Math.max(2, Math.floor(best.length / 3)) ? best : undefined;
}
