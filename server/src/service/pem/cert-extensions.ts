/**
 * The certificate extensions the checks read (basicConstraints, keyUsage,
 * SAN, SKI/AKI), straight from the DER of the TBSCertificate. EKU comes from
 * Node instead (ext-key-usage.ts).
 */
import { bytesOf, children, expect, hex, integer, oid, readTlv, type Tlv } from './der';
import { generalNames } from './general-names';
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
  'sans' | 'hasSanExtension' | 'basicConstraints' | 'keyUsage' | 'subjectKeyId' | 'authorityKeyId'
>;

/** Reads the `[3] Extensions` element of a TBSCertificate (undefined when the certificate has none). */
export function certExtensions(der: Uint8Array, extsT: Tlv | undefined): ExtensionFields {
  const ext = extsT ? readExtensions(der, children(der, extsT)[0]) : new Map<string, { critical: boolean; value: Tlv }>();
  const out: ExtensionFields = { sans: [], hasSanExtension: ext.has('2.5.29.17') };
  const san = ext.get('2.5.29.17');
  if (san) out.sans = generalNames(der, san.value);
  const bc = ext.get('2.5.29.19');
  if (bc) {
    const parts = children(der, expect(bc.value, 0x30));
    const caT = parts.find((t) => t.tag === 0x01);
    const lenT = parts.find((t) => t.tag === 0x02);
    out.basicConstraints = { ca: !!caT && der[caT.body] !== 0, critical: bc.critical };
    if (lenT) out.basicConstraints.pathLength = integer(der, lenT);
  }
  const ku = ext.get('2.5.29.15');
  if (ku) out.keyUsage = keyUsage(der, ku.value);
  const ski = ext.get('2.5.29.14');
  if (ski) out.subjectKeyId = hex(bytesOf(der, expect(ski.value, 0x04)), ':').toUpperCase();
  const aki = ext.get('2.5.29.35');
  if (aki) {
    const id = children(der, expect(aki.value, 0x30)).find((t) => t.tag === 0x80);
    if (id) out.authorityKeyId = hex(bytesOf(der, id), ':').toUpperCase();
  }
  return out;
}

function readExtensions(der: Uint8Array, seq: Tlv): Map<string, { critical: boolean; value: Tlv }> {
  const out = new Map<string, { critical: boolean; value: Tlv }>();
  for (const e of children(der, expect(seq, 0x30))) {
    const parts = children(der, expect(e, 0x30));
    const id = oid(der, parts[0]);
    const critical = parts[1]?.tag === 0x01 && der[parts[1].body] !== 0;
    const octets = expect(parts[parts.length - 1], 0x04);
    out.set(id, { critical, value: readTlv(der, octets.body, octets.end) });
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
