/**
 * Certificate signing requests (rare): read with @peculiar/x509, loaded only
 * when one is seen so server start-up does not parse it.
 */
import { createPublicKey } from 'node:crypto';
import { children, readTlv } from './der';
import type { CsrInfo } from './model';
import { publicKeyInfo } from './public-key';
import { signatureAlgorithm } from './signature-algorithm';

type Peculiar = typeof import('@peculiar/x509');
let peculiar: Peculiar | undefined;
function loadPeculiar(): Peculiar {
  if (!peculiar) {
    require('reflect-metadata');

    peculiar = require('@peculiar/x509') as Peculiar;
  }
  return peculiar;
}

export function decodeCsr(der: Uint8Array): CsrInfo {
  const x = loadPeculiar();
  const csr = new x.Pkcs10CertificateRequest(Buffer.from(der));
  const info: CsrInfo = {
    subject: csr.subject,
    sans: [],
    publicKey: publicKeyInfo(createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' })),
    // OpenSSL's name, as for certificates; @peculiar/x509 only has WebCrypto's ({name, hash}).
    signatureAlgorithm: signatureAlgorithm(der, children(der, readTlv(der, 0))[1]),
  };
  // Go's pkix.Name keeps the last CN; so do we.
  const cn = csr.subjectName.getField('CN').at(-1);
  if (cn !== undefined) info.subjectCN = cn;
  const san = csr.getExtension('2.5.29.17');
  if (san instanceof x.SubjectAlternativeNameExtension) info.sans = san.names.items.map(sanEntry);
  return info;
}

/** The same {type, value} words as a certificate's SANs (general-names.ts). */
function sanEntry(n: { type: string; value: string }): { type: string; value: string } {
  switch (n.type) {
    case 'dns':
    case 'ip':
    case 'email':
      return { type: n.type, value: n.value };
    case 'url':
      return { type: 'uri', value: n.value };
    case 'id':
      return { type: 'other', value: `Registered ID:${n.value}` };
    case 'dn':
      return { type: 'other', value: `DirName:${n.value}` };
    default:
      return { type: 'other', value: 'othername:<unsupported>' };
  }
}
