/** Distinguished names: the last CN as Go reads it, and the one-line forms we show. */
import { children, expect, oid, str, type Tlv } from './der';

const NAME_SHORT: Record<string, string> = {
  '2.5.4.3': 'CN',
  '2.5.4.6': 'C',
  '2.5.4.7': 'L',
  '2.5.4.8': 'ST',
  '2.5.4.10': 'O',
  '2.5.4.11': 'OU',
  '2.5.4.5': 'serialNumber',
  '2.5.4.9': 'street',
  '2.5.4.17': 'postalCode',
  '1.2.840.113549.1.9.1': 'emailAddress',
  '0.9.2342.19200300.100.1.25': 'DC',
  '0.9.2342.19200300.100.1.1': 'UID',
};

function nameAttributes(der: Uint8Array, name: Tlv): { type: string; value: string }[][] {
  return children(der, expect(name, 0x30)).map((rdn) =>
    children(der, rdn).map((atv) => {
      const [t, v] = children(der, atv);
      const id = oid(der, t);
      return { type: NAME_SHORT[id] ?? id, value: str(der, v) };
    }),
  );
}

/** Go's pkix.Name keeps the last CN; so do we. */
export function commonName(der: Uint8Array, name: Tlv): string | undefined {
  let cn: string | undefined;
  for (const rdn of nameAttributes(der, name)) for (const a of rdn) if (a.type === 'CN') cn = a.value;
  return cn;
}

/** RFC 4514-style escaping, for names nested in a SAN (DirName). */
export function formatName(der: Uint8Array, name: Tlv): string {
  const esc = (v: string) =>
    v
      .replace(/([,+"\\<>;=])/g, '\\$1')
      .replace(/^([ #])/, '\\$1')
      .replace(/ $/, '\\ ');
  return nameAttributes(der, name)
    .map((rdn) => rdn.map((a) => `${a.type}=${esc(a.value)}`).join(' + '))
    .join(', ');
}

/** Node prints one RDN per line; we show the familiar one-line form. */
export function nodeName(s: string | undefined): string {
  return (s ?? '').split('\n').filter(Boolean).join(', ');
}
