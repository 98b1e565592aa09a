/**
 * Measures why pem/ walks certificate DER by hand: the same fields read with
 * our walk and with @peculiar/x509, on the Debian CA bundle plus generated
 * leaves (EC and RSA keys, 1-12 SANs with IPs, the usual extensions), about
 * 1,000 certificates in all.
 *
 *   npx tsx scripts/measure-der-walk.ts
 *
 * Two comparisons over every certificate, each the median of several rounds:
 * - walk: the fields the DER walk supplies (serial, dates, CN, SAN,
 *   basicConstraints, keyUsage, SKI/AKI) against the same from a
 *   @peculiar/x509 X509Certificate;
 * - decode: our whole decodeBlock (Node's X509Certificate as well) against
 *   @peculiar/x509 reading everything a hover shows.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import * as fs from 'node:fs';
import { certExtensions } from '../server/src/service/pem/cert-extensions';
import { decodeBlock } from '../server/src/service/pem/decode';
import { bytesOf, children, expect, readTlv, time } from '../server/src/service/pem/der';
import { commonName } from '../server/src/service/pem/names';
import { parsePem } from '../server/src/service/pem/parse';
import type { PemBlock } from '../server/src/service/pem/model';

const BUNDLE = '/etc/ssl/certs/ca-certificates.crt';
const TOTAL = 1000;
const ROUNDS = 5;

x509.cryptoProvider.set(webcrypto as never);

async function generated(count: number): Promise<Uint8Array[]> {
  const ec = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' };
  const rsa = { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' };
  const caKeys = (await webcrypto.subtle.generateKey(ec, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const leafKeys = [caKeys, (await webcrypto.subtle.generateKey(rsa, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair];
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'O=measure, CN=Measure CA',
    keys: caKeys as never,
    signingAlgorithm: ec,
    extensions: [new x509.BasicConstraintsExtension(true, 0, true), new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign, true)],
  });
  const ski = await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey as never);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const sans: x509.JsonGeneralNames = [];
    for (let s = 0; s <= i % 12; s++)
      sans.push(s % 3 === 2 ? { type: 'ip', value: `10.0.${i % 250}.${s}` } : { type: 'dns', value: `svc${s}.n${i}.example` });
    const keys = leafKeys[i % 2];
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: (0x1000 + i).toString(16),
      subject: `O=measure, CN=n${i}.example`,
      issuer: ca.subjectName,
      notBefore: new Date(Date.UTC(2025, 0, 1)),
      notAfter: new Date(Date.UTC(2027, 3, 1)),
      publicKey: keys.publicKey as never,
      signingKey: caKeys.privateKey as never,
      signingAlgorithm: ec,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
        new x509.ExtendedKeyUsageExtension([i % 2 ? x509.ExtendedKeyUsage.clientAuth : x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension(sans),
        await x509.SubjectKeyIdentifierExtension.create(keys.publicKey as never),
        new x509.AuthorityKeyIdentifierExtension(ski.keyId),
      ],
    });
    out.push(new Uint8Array(cert.rawData));
  }
  return out;
}

/** What the hand-written walk supplies in certificate.ts, nothing more. */
function ourWalk(der: Uint8Array): unknown {
  const [tbsT] = children(der, expect(readTlv(der, 0), 0x30));
  const tbs = children(der, expect(tbsT, 0x30));
  let i = tbs[0]?.tag === 0xa0 ? 1 : 0;
  const serial = bytesOf(der, expect(tbs[i++], 0x02));
  i += 2;
  const validity = children(der, expect(tbs[i++], 0x30));
  const cn = commonName(der, expect(tbs[i], 0x30));
  return {
    serial,
    notBefore: time(der, validity[0]),
    notAfter: time(der, validity[1]),
    cn,
    ...certExtensions(
      der,
      tbs.find((t) => t.tag === 0xa3),
    ),
  };
}

function peculiarWalk(der: Uint8Array): unknown {
  return peculiarFields(new x509.X509Certificate(der));
}

function peculiarFields(c: x509.X509Certificate): Record<string, unknown> {
  return {
    serial: c.serialNumber,
    notBefore: c.notBefore,
    notAfter: c.notAfter,
    cn: c.subjectName.getField('CN').at(-1),
    sans: c.getExtension(x509.SubjectAlternativeNameExtension)?.names.items.map((n) => ({ type: n.type, value: n.value })),
    bc: c.getExtension(x509.BasicConstraintsExtension)?.ca,
    ku: c.getExtension(x509.KeyUsagesExtension)?.usages,
    ski: c.getExtension(x509.SubjectKeyIdentifierExtension)?.keyId,
    aki: c.getExtension(x509.AuthorityKeyIdentifierExtension)?.keyId,
  };
}

function peculiarDecode(der: Uint8Array): unknown {
  const c = new x509.X509Certificate(der);
  return {
    ...peculiarFields(c),
    subject: c.subject,
    issuer: c.issuer,
    eku: c.getExtension(x509.ExtendedKeyUsageExtension)?.usages,
    algorithm: c.publicKey.algorithm,
    signature: c.signatureAlgorithm,
  };
}

/**
 * Times both sides in alternation, round after round, so both see the same
 * machine load; the factor is the median of the per-round ratios.
 */
function compare<A, B>(ours: [A[], (x: A) => unknown], theirs: [B[], (x: B) => unknown]): { ours: number; theirs: number; factor: number } {
  const time = <T>([items, f]: [T[], (x: T) => unknown]) => {
    const t = performance.now();
    for (const x of items) f(x);
    return performance.now() - t;
  };
  time(ours); // warm the JIT
  time(theirs);
  const o: number[] = [];
  const t: number[] = [];
  const ratio: number[] = [];
  for (let r = 0; r < ROUNDS; r++) {
    o.push(time(ours));
    t.push(time(theirs));
    ratio.push(t[r] / o[r]);
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[xs.length >> 1];
  return { ours: median(o), theirs: median(t), factor: median(ratio) };
}

async function main(): Promise<void> {
  const blocks = parsePem(fs.readFileSync(BUNDLE, 'utf8')).blocks.filter((b) => b.der);
  const bundle = blocks.map((b) => b.der!);
  const made = await generated(TOTAL - bundle.length);
  const ders = [...bundle, ...made];
  const zero = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
  const asBlocks: PemBlock[] = ders.map((der) => ({ label: 'CERTIFICATE', range: zero, beginRange: zero, headers: {}, der }));
  for (const b of asBlocks) if (decodeBlock(b).kind !== 'certificate') throw new Error('a certificate did not decode');

  const rows = [
    { name: 'walk (the hand-walked fields)', ...compare([ders, ourWalk], [ders, peculiarWalk]) },
    { name: 'decode (everything a hover shows)', ...compare([asBlocks, decodeBlock], [ders, peculiarDecode]) },
  ];
  console.log(
    `${ders.length} certificates (${bundle.length} from ${BUNDLE}, ${made.length} generated), ${ROUNDS} rounds, node ${process.version}`,
  );
  for (const r of rows) {
    const per = (ms: number) => `${((ms * 1000) / ders.length).toFixed(1)} µs/cert`;
    console.log(
      `${r.name.padEnd(36)} ours ${per(r.ours).padStart(14)}   @peculiar/x509 ${per(r.theirs).padStart(14)}   ${r.factor.toFixed(1)}× faster`,
    );
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
