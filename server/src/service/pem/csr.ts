/**
 * Certificate signing requests (rare): read with @peculiar/x509, loaded only
 * when one is seen so server start-up does not parse it.
 */
import { createPublicKey } from 'node:crypto';
import { children, readTlv, whole } from './der';
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

/**
 * The key and signature algorithm come from our own DER walk and node's crypto, eagerly (they are what
 * the lints need, and a malformed request fails here, as before). The names need @peculiar/x509 and are
 * read on first use: a folder scan that decodes a CSR beside the certificates it cares about (sibling and
 * set checks) never loads the library.
 */
export function decodeCsr(der: Uint8Array): CsrInfo {
  const outer = children(der, readTlv(der, 0));
  if (outer.length !== 3) throw new Error('not a certification request');
  const body = children(der, outer[0]);
  if (body.length < 3) throw new Error('not a certification request');
  const publicKey = publicKeyInfo(createPublicKey({ key: Buffer.from(whole(der, body[2])), format: 'der', type: 'spki' }));
  let names: Pick<CsrInfo, 'subject' | 'subjectCN' | 'sans'> | undefined;
  const read = () => (names ??= readNames(der));
  return {
    publicKey,
    // OpenSSL's name, as for certificates; @peculiar/x509 only has WebCrypto's ({name, hash}).
    signatureAlgorithm: signatureAlgorithm(der, outer[1]),
    get subject() {
      return read().subject;
    },
    get subjectCN() {
      return read().subjectCN;
    },
    get sans() {
      return read().sans;
    },
  };
}

function readNames(der: Uint8Array): Pick<CsrInfo, 'subject' | 'subjectCN' | 'sans'> {
  try {
    const x = loadPeculiar();
    const csr = new x.Pkcs10CertificateRequest(Buffer.from(der));
    const out: Pick<CsrInfo, 'subject' | 'subjectCN' | 'sans'> = { subject: csr.subject, sans: [] };
    // Go's pkix.Name keeps the last CN; so do we.
    const cn = csr.subjectName.getField('CN').at(-1);
    if (cn !== undefined) out.subjectCN = cn;
    const san = csr.getExtension('2.5.29.17');
    if (san instanceof x.SubjectAlternativeNameExtension) out.sans = san.names.items.map(sanEntry);
    return out;
  } catch {
    return { subject: '(subject not readable)', sans: [] };
  }
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
