/**
 * Names Go's crypto/x509 refuses while parsing (src/crypto/x509/parser.go parseSANExtension and
 * parseNameConstraintsExtension, isValidIPMask; verify.go domainToReverseLabels): each certificate
 * is parsed by Debian's Go (test/support/go-tls -parse, x509.ParseCertificate) and by our decoder,
 * and our reason must be Go's, word for word; the well-formed controls must parse in both.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { decodeFile } from '../../server/src/service/pem/decode';
import type { CertInfo } from '../../server/src/service/pem/model';
import { buildGoTls } from '../support/go-tls';
import { tmpWorkspace, writeFiles, serviceFor, docOf, composeYaml, milvusYaml } from '../support/workspace';

const DAY = 86_400_000;
let exe: string;
before(async () => {
  exe = await buildGoTls();
});

/** DER TLV with a short or long length. */
function tlv(tag: number, body: Uint8Array): Uint8Array {
  const n = body.length;
  const len = n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff];
  return Uint8Array.from([tag, ...len, ...body]);
}
const cat = (...parts: Uint8Array[]) => Uint8Array.from(parts.flatMap((p) => [...p]));
const ascii = (s: string) => new Uint8Array(Buffer.from(s, 'latin1'));
const utf8 = (s: string) => new Uint8Array(Buffer.from(s, 'utf8'));

const san = (...names: Uint8Array[]) => new x509.Extension('2.5.29.17', false, tlv(0x30, cat(...names)));
/** NameConstraints with these GeneralNames as permitted subtrees. */
const permitted = (...names: Uint8Array[]) =>
  new x509.Extension('2.5.29.30', true, tlv(0x30, tlv(0xa0, cat(...names.map((n) => tlv(0x30, n))))));

async function pemWith(extensions: x509.Extension[], ca = false): Promise<string> {
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=localhost',
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + DAY),
    keys: keys as never,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as never,
    extensions: ca ? [new x509.BasicConstraintsExtension(true, undefined, true), ...extensions] : extensions,
  });
  return cert.toString('pem') + '\n';
}

function ours(pem: string): CertInfo {
  const item = decodeFile(Buffer.from(pem)).items[0];
  assert.equal(item.kind, 'certificate', 'our decoder still reads the certificate');
  return (item as { cert: CertInfo }).cert;
}

function goParse(pem: string): string {
  const dir = tmpWorkspace('go-names-');
  try {
    fs.writeFileSync(path.join(dir, 'c.pem'), pem);
    const out = execFileSync(exe, ['-parse', path.join(dir, 'c.pem')], { encoding: 'utf8' }).trim();
    return out.startsWith('PARSEOK') ? 'ok' : out.replace(/^PARSEERROR /, '');
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const REFUSED: [string, () => Promise<string>][] = [
  ['a dNSName with a UTF-8 byte', () => pemWith([san(tlv(0x82, utf8('café.example')))])],
  ['an rfc822Name with a UTF-8 byte', () => pemWith([san(tlv(0x81, utf8('rené@example.com')))])],
  ['an IP address of 5 bytes', () => pemWith([san(tlv(0x87, Uint8Array.from([127, 0, 0, 1, 0])))])],
  ['a URI whose host has an empty label', () => pemWith([san(tlv(0x86, ascii('https://milvus..example/')))])],
  ['a URI whose port is not a number', () => pemWith([san(tlv(0x86, ascii('https://milvus.example:port/')))])],
  ['a URI with a broken %-escape', () => pemWith([san(tlv(0x86, ascii('https://milvus.example/%zz')))])],
  ['a URI starting with a colon', () => pemWith([san(tlv(0x86, ascii('://milvus.example')))])],
  [
    'an IP constraint whose mask is not contiguous',
    () => pemWith([permitted(tlv(0x87, Uint8Array.from([10, 0, 0, 0, 255, 0, 255, 0])))], true),
  ],
  ['an IP constraint of 5 bytes', () => pemWith([permitted(tlv(0x87, Uint8Array.from([10, 0, 0, 0, 255])))], true)],
  ['a dnsName constraint with an empty label', () => pemWith([permitted(tlv(0x82, ascii('example..com')))], true)],
  ['a URI constraint that is an IP address', () => pemWith([permitted(tlv(0x86, ascii('10.0.0.1')))], true)],
];

for (const [what, make] of REFUSED)
  test(`Go refuses a certificate with ${what}, and we say so in Go's words`, async () => {
    const pem = await make();
    const go = goParse(pem);
    assert.notEqual(go, 'ok', 'Go refuses it');
    assert.equal(ours(pem).goRefuses, go);
  });

test('well-formed names and constraints parse in Go and raise nothing', async () => {
  const pems = [
    await pemWith([
      san(
        tlv(0x82, ascii('localhost')),
        tlv(0x82, ascii('*.milvus.example')),
        tlv(0x87, Uint8Array.from([127, 0, 0, 1])),
        tlv(0x87, Uint8Array.from([...new Array(15).fill(0), 1])),
        tlv(0x86, ascii('spiffe://cluster.local/ns/milvus/sa/proxy')),
        tlv(0x86, ascii('https://[::1]:19530/')),
        tlv(0x81, ascii('ops@example.com')),
      ),
    ]),
    await pemWith(
      [
        permitted(
          tlv(0x82, ascii('.example.com')),
          tlv(0x87, Uint8Array.from([10, 0, 0, 0, 255, 0, 0, 0])),
          tlv(0x81, ascii('example.com')),
          tlv(0x86, ascii('.cluster.local')),
        ),
      ],
      true,
    ),
  ];
  for (const pem of pems) {
    assert.equal(goParse(pem), 'ok');
    assert.equal(ours(pem).goRefuses, undefined);
  }
});

test('a Milvus server certificate Go refuses for a malformed SAN is an error on serverPemPath, with Go’s reason', async () => {
  const keys = (await webcrypto.subtle.generateKey({ name: 'ECDSA', namedCurve: 'P-256' }, true, [
    'sign',
    'verify',
  ])) as webcrypto.CryptoKeyPair;
  const cert = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '02',
    name: 'CN=localhost',
    notBefore: new Date(Date.now() - DAY),
    notAfter: new Date(Date.now() + DAY),
    keys: keys as never,
    signingAlgorithm: { name: 'ECDSA', hash: 'SHA-256' } as never,
    extensions: [san(tlv(0x82, ascii('localhost')), tlv(0x87, Uint8Array.from([127, 0, 0, 1, 9])))],
  });
  const keyPem = `-----BEGIN PRIVATE KEY-----\n${Buffer.from(await webcrypto.subtle.exportKey('pkcs8', keys.privateKey)).toString('base64')}\n-----END PRIVATE KEY-----\n`;
  const root = tmpWorkspace('go-names-ws-');
  try {
    writeFiles(root, {
      'docker-compose.yml': composeYaml(),
      'milvus.yaml': milvusYaml({ mode: 1 }),
      'tls/server.pem': cert.toString('pem') + '\n',
      'tls/server.key': keyPem,
      'tls/ca.pem': cert.toString('pem') + '\n',
    });
    fs.mkdirSync(path.join(root, 'volumes/milvus'), { recursive: true });
    const ds = serviceFor(root).validate(docOf(root, 'milvus.yaml'));
    const d = ds.find((x) => x.code === 'tls-cert-go-refuses');
    assert.ok(d, ds.map((x) => x.code).join(', '));
    assert.equal(d.severity, 1);
    assert.match(String(d.message), /x509: cannot parse IP address of length 5/);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
