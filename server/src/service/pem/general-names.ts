/** GeneralNames (subjectAltName) as {type, value}, IPs in the text form people type. */
import { bytesOf, children, expect, hex, oid, type Tlv } from './der';
import { formatName } from './names';

export function generalNames(der: Uint8Array, seq: Tlv): { type: string; value: string }[] {
  const out: { type: string; value: string }[] = [];
  for (const n of children(der, expect(seq, 0x30))) {
    const body = bytesOf(der, n);
    switch (n.tag) {
      case 0x81:
        out.push({ type: 'email', value: Buffer.from(body).toString('latin1') });
        break;
      case 0x82:
        out.push({ type: 'dns', value: Buffer.from(body).toString('latin1') });
        break;
      case 0x86:
        out.push({ type: 'uri', value: Buffer.from(body).toString('latin1') });
        break;
      case 0x87:
        out.push({ type: 'ip', value: ipString(body) });
        break;
      case 0x88:
        out.push({ type: 'other', value: `Registered ID:${oid(der, { ...n, tag: 0x06 })}` });
        break;
      case 0xa4:
        out.push({ type: 'other', value: `DirName:${formatName(der, children(der, n)[0])}` });
        break;
      default:
        out.push({ type: 'other', value: n.tag === 0xa0 ? 'othername:<unsupported>' : `<unsupported name type ${n.tag & 0x1f}>` });
    }
  }
  return out;
}

/** RFC 5952 text form, so SANs compare equal to what people type (`::1`, not `0:0:…:1`). */
function ipString(b: Uint8Array): string {
  if (b.length === 4) return Array.from(b).join('.');
  if (b.length !== 16) return `<invalid IP ${hex(b, ':')}>`;
  const g: number[] = [];
  for (let i = 0; i < 16; i += 2) g.push((b[i] << 8) | b[i + 1]);
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8;) {
    if (g[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && g[j] === 0) j++;
    if (j - i > bestLen) {
      bestStart = i;
      bestLen = j - i;
    }
    i = j;
  }
  const h = g.map((x) => x.toString(16));
  if (bestStart < 0) return h.join(':');
  return `${h.slice(0, bestStart).join(':')}::${h.slice(bestStart + bestLen).join(':')}`;
}
