/** Certificate signing requests (rare): read with @peculiar/x509, loaded only when one is seen. */
import { createPublicKey } from 'node:crypto';
import { children, readTlv } from './der';
import { generalNames } from './general-names';
import type { CsrInfo } from './model';
import { commonName } from './names';
import { publicKeyInfo } from './public-key';
import { signatureAlgorithm } from './signature-algorithm';

type Peculiar = typeof import('@peculiar/x509');
let peculiar: Peculiar | undefined;
function loadPeculiar(): Peculiar {
  if (!peculiar) {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    require('reflect-metadata');
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    peculiar = require('@peculiar/x509') as Peculiar;
  }
  return peculiar;
}

export function decodeCsr(der: Uint8Array): CsrInfo {
  const x = loadPeculiar();
  const csr = new x.Pkcs10CertificateRequest(Buffer.from(der));
  const [infoT, sigAlgT] = children(der, readTlv(der, 0));
  const [, subjectT] = children(der, infoT);
  const info: CsrInfo = {
    subject: csr.subject,
    sans: [],
    publicKey: publicKeyInfo(createPublicKey({ key: Buffer.from(csr.publicKey.rawData), format: 'der', type: 'spki' })),
    signatureAlgorithm: signatureAlgorithm(der, sigAlgT),
  };
  const cn = commonName(der, subjectT);
  if (cn !== undefined) info.subjectCN = cn;
  const san = csr.getExtension('2.5.29.17');
  if (san) {
    const v = new Uint8Array(san.value);
    info.sans = generalNames(v, readTlv(v, 0));
  }
  return info;
}
