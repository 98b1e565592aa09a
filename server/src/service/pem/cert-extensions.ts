/**
 * The certificate extensions the checks read (basicConstraints, keyUsage,
 * SAN, SKI/AKI), straight from the DER of the TBSCertificate. EKU comes from
 * Node instead (ext-key-usage.ts).
 */
import { bytesOf, children, expect, hex, integer, oid, readTlv, type Tlv } from './der';
import { generalNames } from './general-names';
import { goNameConstraintsRefusal, goSanRefusal } from './go-names';
import type { CertInfo } from './model';

const KEY_USAGES = [
  'digitalSignature',
  'nonRepudiation',
  'keyEncipherment',
  'dataEncipherment',
  'keyAgreement',
  'keyCertSign',
  'cRLSign',
  'encipherOnly',
  'decipherOnly',
];

export type ExtensionFields = Pick<
  CertInfo,
  'sans' | 'hasSanExtension' | 'basicConstraints' | 'keyUsage' | 'subjectKeyId' | 'authorityKeyId' | 'extensions' | 'goRefuses'
>;

/**
 * Critical extensions Go's crypto/x509 understands (parser.go processExtensions): keyUsage,
 * basicConstraints, SAN (when it holds a name Go reads), nameConstraints, CRL distribution
 * points, AKI, EKU, SKI, certificatePolicies, and authorityInfoAccess. Any other critical
 * extension makes Verify fail with "x509: unhandled critical extension".
 */
const GO_HANDLED = new Set([
  '2.5.29.15',
  '2.5.29.19',
  '2.5.29.17',
  '2.5.29.30',
  '2.5.29.31',
  '2.5.29.35',
  '2.5.29.37',
  '2.5.29.14',
  '2.5.29.32',
  '1.3.6.1.5.5.7.1.1',
]);

/**
 * Reads the `[3] Extensions` element of a TBSCertificate (undefined when the certificate has none).
 * Each extension is read on its own: one we cannot read leaves its field unset, it never makes the
 * certificate undecodable (zlint's and Go's test certificates are full of odd ones Go and OpenSSL accept).
 */
export function certExtensions(der: Uint8Array, extsT: Tlv | undefined): ExtensionFields {
  const list = extsT ? readExtensions(der, children(der, extsT)[0]) : [];
  const ext = new Map(list.map((e) => [e.oid, e]));
  const out: ExtensionFields = {
    sans: [],
    hasSanExtension: ext.has('2.5.29.17'),
    extensions: list.map((e) => ({ oid: e.oid, critical: e.critical, goHandled: GO_HANDLED.has(e.oid) })),
  };
  const seen = new Set<string>();
  for (const e of list) {
    if (seen.has(e.oid)) out.goRefuses ??= 'x509: certificate contains duplicate extensions';
    seen.add(e.oid);
  }
  const each = (id: string, read: (value: Tlv, critical: boolean) => void) => {
    const e = ext.get(id);
    if (!e) return;
    try {
      read(readTlv(der, e.octets.body, e.octets.end), e.critical);
    } catch {
      if (GO_REFUSES[id]) out.goRefuses ??= GO_REFUSES[id];
    }
  };
  each('2.5.29.17', (v) => {
    out.sans = generalNames(der, v);
    const refused = goSanRefusal(der, v);
    if (refused) out.goRefuses ??= refused;
    // Go reads an empty SAN as absent for the critical check only; a SAN with no name Go knows is "unhandled".
    const sanExt = out.extensions!.find((x) => x.oid === '2.5.29.17')!;
    sanExt.goHandled = out.sans.some((s) => s.type !== 'other');
  });
  each('2.5.29.19', (v, critical) => {
    const parts = children(der, expect(v, 0x30));
    const caT = parts.find((t) => t.tag === 0x01);
    const lenT = parts.find((t) => t.tag === 0x02);
    out.basicConstraints = { ca: !!caT && der[caT.body] !== 0, critical };
    if (lenT) out.basicConstraints.pathLength = integer(der, lenT);
  });
  each('2.5.29.15', (v) => (out.keyUsage = keyUsage(der, v)));
  each('2.5.29.30', (v) => {
    const refused = goNameConstraintsRefusal(der, v);
    if (refused) out.goRefuses ??= refused;
  });
  each('2.5.29.14', (v) => (out.subjectKeyId = hex(bytesOf(der, expect(v, 0x04)), ':').toUpperCase()));
  each('2.5.29.35', (v) => {
    const id = children(der, expect(v, 0x30)).find((t) => t.tag === 0x80);
    if (id) out.authorityKeyId = hex(bytesOf(der, id), ':').toUpperCase();
  });
  return out;
}

/** What Go's parser says when it cannot read an extension it handles (parser.go). */
const GO_REFUSES: Record<string, string> = {
  '2.5.29.17': 'x509: cannot parse subject alternative names',
  '2.5.29.19': 'x509: invalid basic constraints',
  '2.5.29.15': 'x509: invalid key usage',
  '2.5.29.30': 'x509: invalid NameConstraints extension',
};

interface RawExtension {
  oid: string;
  critical: boolean;
  octets: Tlv;
}

function readExtensions(der: Uint8Array, seq: Tlv): RawExtension[] {
  const out: RawExtension[] = [];
  for (const e of children(der, expect(seq, 0x30))) {
    const parts = children(der, expect(e, 0x30));
    const id = oid(der, parts[0]);
    const critical = parts[1]?.tag === 0x01 && der[parts[1].body] !== 0;
    out.push({ oid: id, critical, octets: expect(parts[parts.length - 1], 0x04) });
  }
  return out;
}

function keyUsage(der: Uint8Array, t: Tlv): string[] {
  const b = bytesOf(der, expect(t, 0x03));
  const out: string[] = [];
  for (let bit = 0; bit < KEY_USAGES.length; bit++) {
    const byte = 1 + (bit >> 3);
    if (byte < b.length && b[byte] & (0x80 >> (bit & 7))) out.push(KEY_USAGES[bit]);
  }
  return out;
}
