/**
 * APISIX / ADC SSL objects. APISIX has no runtime here: the schema rules are
 * read from APISIX's sources (apache/apisix, master of 2026-08):
 *  - apisix/schema_def.lua `_M.ssl`: sni xor snis (if type=server then oneOf
 *    {sni,key,cert} / {snis,key,cert}), snis minItems 1, host_def_pat
 *    "^\*$|^\*?[0-9a-zA-Z-._\[\]:]+$", cert minLength 128, key minLength 64,
 *    client.required = {"ca"}, client.depth default 1, additionalProperties = false;
 *  - apisix/ssl.lua check_ssl_conf: "mismatched number of certs and keys";
 *    validate(): "TODO: check if key & cert match" (APISIX does not pair them);
 *    secret.check_secret_uri: $secret:// and $env:// skip the content checks;
 *  - apisix/ssl/router/radixtree_sni.lua: "*" matches everything, "*.a.com"
 *    matches one more label ("failed to find any SSL certificate by SNI");
 *  - apisix/core/config_yaml.lua: "#END\s*$" in the last 10 bytes, else
 *    "missing valid end flag in file apisix.yaml".
 * ADC (api7/adc libs/sdk/src/core/schema.ts): ssls[].snis (min 1),
 * certificates[{certificate, key}], client{ca, depth}.
 * The certificate facts are OpenSSL's, asked through Node's tls (OpenSSL 3):
 * createSecureContext runs SSL_CTX_use_PrivateKey, the check APISIX skips.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as tls from 'node:tls';
import type { Diagnostic } from 'vscode-languageserver-types';
import { tmpWorkspace, writeFiles, serviceFor, docOf } from '../support/workspace';
import { makeCa, makeLeaf, type Issued } from '../support/certs';
import { sniMatches } from '../../server/src/service/targets/apisix/validate';
import { apisixTarget } from '../../server/src/service/targets/apisix';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';
import { LineIndex } from '../../server/src/service/text';

let ca: Issued;
let leaf: Issued;
let other: Issued;
let old: Issued;
let w: string;

before(async () => {
  ca = await makeCa('APISIX Test CA');
  leaf = await makeLeaf(ca, { sans: ['example.test', '*.example.test', 'localhost'] });
  other = await makeLeaf(ca);
  old = await makeLeaf(ca, {
    notBefore: new Date(Date.now() - 40 * 86400_000),
    notAfter: new Date(Date.now() - 86400_000),
    sans: ['example.test'],
  });
  w = tmpWorkspace('apisix-');
});
after(() => fs.rmSync(w, { recursive: true, force: true }));

const indent = (pem: string, n: number) =>
  pem
    .trim()
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');

function standalone(objects: string[], end = '#END\n'): string {
  return `routes:\n  - uri: /\n    upstream:\n      nodes:\n        "127.0.0.1:1980": 1\n      type: roundrobin\nssls:\n${objects.join('')}${end}`;
}

function sslYaml(o: { snis?: string[]; sni?: string; cert?: string; key?: string; extra?: string }): string {
  let s = '';
  const first = (line: string) => (s === '' ? `  - ${line}\n` : `    ${line}\n`);
  if (o.sni !== undefined) s += first(`sni: ${JSON.stringify(o.sni)}`);
  if (o.snis) s += first(`snis: [${o.snis.map((x) => JSON.stringify(x)).join(', ')}]`);
  if (o.cert !== undefined) s += first(`cert: |\n${indent(o.cert, 6)}`);
  if (o.key !== undefined) s += first(`key: |\n${indent(o.key, 6)}`);
  if (o.extra) s += o.extra;
  return s;
}

function check(rel: string, text: string, files: Record<string, string> = {}): Diagnostic[] {
  writeFiles(w, { [rel]: text, ...files });
  return serviceFor(w).validate(docOf(w, rel));
}

const codes = (ds: Diagnostic[]) => ds.map((d) => String(d.code));

/** What OpenSSL says when it loads the pair (APISIX skips this check; the handshake does it). */
function opensslPair(cert: string, key: string): string {
  try {
    tls.createSecureContext({ cert, key });
    return 'ok';
  } catch (e) {
    return (e as Error).message;
  }
}

test('radixtree_sni.lua: "*" matches all, "*.a.com" exactly one more label', () => {
  assert.equal(sniMatches('*', 'anything.at.all'), true);
  assert.equal(sniMatches('*.a.com', 'x.a.com'), true);
  assert.equal(sniMatches('*.a.com', 'a.com'), false);
  assert.equal(sniMatches('*.a.com', 'y.x.a.com'), false);
  assert.equal(sniMatches('A.com', 'a.COM'), true);
});

test('standalone apisix.yaml, all good: silent, and OpenSSL loads the pair', () => {
  const ds = check(
    'apisix.yaml',
    standalone([sslYaml({ snis: ['example.test', '*.example.test'], cert: leaf.certPem, key: leaf.keyPem })]),
  );
  assert.deepEqual(ds, []);
  assert.equal(opensslPair(leaf.certPem, leaf.keyPem), 'ok');
});

test('key of another certificate: tls-key-mismatch on the key value; OpenSSL says "key values mismatch"', () => {
  const text = standalone([sslYaml({ snis: ['example.test'], cert: leaf.certPem, key: other.keyPem })]);
  const ds = check('apisix.yaml', text);
  assert.deepEqual(codes(ds), ['tls-key-mismatch']);
  assert.match(String(ds[0].message), /key values mismatch/);
  assert.match(opensslPair(leaf.certPem, other.keyPem), /key values mismatch/);
  // The range is the key's block scalar in the document.
  const lines = text.split('\n');
  assert.match(lines[ds[0].range.start.line], /key: \|/);
});

test('leaf not first in cert: tls-chain-leaf-not-first; OpenSSL pairs the first certificate', () => {
  const ds = check('apisix.yaml', standalone([sslYaml({ snis: ['example.test'], cert: ca.certPem + leaf.certPem, key: leaf.keyPem })]));
  assert.ok(codes(ds).includes('tls-chain-leaf-not-first'), JSON.stringify(codes(ds)));
  assert.match(opensslPair(ca.certPem + leaf.certPem, leaf.keyPem), /key values mismatch/);
});

test('schema_def.lua: sni xor snis, snis not empty, SNI pattern, cert/key lengths, unknown keys', () => {
  const base = { cert: leaf.certPem, key: leaf.keyPem };
  assert.deepEqual(codes(check('apisix.yaml', standalone([sslYaml({ ...base, sni: 'example.test', snis: ['example.test'] })]))), [
    'apisix-sni-xor',
  ]);
  assert.deepEqual(codes(check('apisix.yaml', standalone([sslYaml(base)]))), ['apisix-sni-missing']);
  assert.deepEqual(codes(check('apisix.yaml', standalone([sslYaml({ ...base, snis: [] })]))), ['apisix-snis-empty']);
  assert.deepEqual(codes(check('apisix.yaml', standalone([sslYaml({ ...base, snis: ['bad name'] })]))), ['apisix-sni-pattern']);
  assert.deepEqual(codes(check('apisix.yaml', standalone([sslYaml({ snis: ['example.test'], cert: 'abc', key: leaf.keyPem })]))), [
    'apisix-too-short',
  ]);
  assert.deepEqual(codes(check('apisix.yaml', standalone([sslYaml({ ...base, snis: ['example.test'], extra: '    snii: x\n' })]))), [
    'apisix-unknown-key',
  ]);
});

test('ssl.lua: certs/keys counts; extra pairs are paired too; client needs ca', () => {
  const extra = `    certs:\n      - |\n${indent(other.certPem, 8)}\n      - |\n${indent(other.certPem, 8)}\n    keys:\n      - |\n${indent(leaf.keyPem, 8)}\n`;
  const ds = check('apisix.yaml', standalone([sslYaml({ snis: ['example.test'], cert: leaf.certPem, key: leaf.keyPem, extra })]));
  assert.deepEqual(
    codes(ds).sort(),
    ['apisix-certs-keys-count', 'tls-key-mismatch', 'tls-name-not-in-san'].sort(),
    JSON.stringify(ds.map((d) => d.message)),
  );
  const noCa = check(
    'apisix.yaml',
    standalone([sslYaml({ snis: ['example.test'], cert: leaf.certPem, key: leaf.keyPem, extra: '    client:\n      depth: 2\n' })]),
  );
  assert.deepEqual(codes(noCa), ['apisix-client-ca-required']);
});

test('config_yaml.lua: no #END, `ssl:` instead of `ssls:` (3.0)', () => {
  assert.deepEqual(
    codes(check('apisix.yaml', standalone([sslYaml({ snis: ['example.test'], cert: leaf.certPem, key: leaf.keyPem })], ''))),
    ['apisix-missing-end'],
  );
  const renamed = standalone([sslYaml({ snis: ['example.test'], cert: leaf.certPem, key: leaf.keyPem })]).replace('ssls:', 'ssl:');
  assert.deepEqual(codes(check('apisix.yaml', renamed)), ['apisix-ssl-renamed']);
});

test('SNIs not in the SANs, wildcard rule, expired certificate', () => {
  const ds = check(
    'apisix.yaml',
    standalone([sslYaml({ snis: ['shop.other.test', '*.example.test', 'a.b.example.test', '*'], cert: leaf.certPem, key: leaf.keyPem })]),
  );
  assert.deepEqual(
    ds.map((d) => [d.code, /shop|a\.b/.exec(String(d.message))?.[0]]),
    [
      ['tls-name-not-in-san', 'shop'],
      ['tls-name-not-in-san', 'a.b'],
    ],
  );
  const exp = check('apisix.yaml', standalone([sslYaml({ snis: ['example.test'], cert: old.certPem, key: old.keyPem })]));
  assert.deepEqual(codes(exp), ['tls-cert-expired']);
});

test('$env:// resolved from the workspace .env; $secret:// is information', () => {
  const env = `APISIX_CERT="${leaf.certPem.trim().replace(/\n/g, '\\n')}"\nAPISIX_KEY="${other.keyPem.trim().replace(/\n/g, '\\n')}"\n`;
  const text = standalone([
    `  - snis: [example.test]\n    cert: $env://APISIX_CERT\n    key: $ENV://APISIX_KEY\n  - snis: [b.test]\n    cert: $secret://vault/1/cert\n    key: $secret://vault/1/key\n`,
  ]);
  const ds = check('apisix.yaml', text, { '.env': env });
  assert.deepEqual(codes(ds), ['tls-key-mismatch', 'apisix-secret-ref', 'apisix-secret-ref'], JSON.stringify(ds.map((d) => d.message)));
  fs.rmSync(`${w}/.env`);
});

test('ADC declarative file: certificates[].{certificate,key}, snis required', () => {
  const adc = `ssls:\n  - snis: [example.test]\n    certificates:\n      - certificate: |\n${indent(leaf.certPem, 10)}\n        key: |\n${indent(other.keyPem, 10)}\n  - certificates:\n      - certificate: |\n${indent(leaf.certPem, 10)}\n        key: |\n${indent(leaf.keyPem, 10)}\n`;
  assert.deepEqual(codes(check('adc.yaml', adc)), ['tls-key-mismatch', 'apisix-sni-missing']);
});

test('JSON body file and a curl call in a script: exact ranges into the document', () => {
  const body = JSON.stringify({ snis: ['example.test'], cert: leaf.certPem, key: other.keyPem }, null, 2);
  const json = check('ssl-1.json', body);
  assert.deepEqual(codes(json), ['tls-key-mismatch']);
  const keyAt = body.split('\n')[json[0].range.start.line].slice(json[0].range.start.character);
  assert.match(keyAt, /^"-----BEGIN PRIVATE KEY-----\\n/);
  const sh = `#!/bin/sh\nset -e\ncurl http://127.0.0.1:9180/apisix/admin/ssls/1 \\\n  -H "X-API-KEY: $KEY" -X PUT \\\n  -d '${JSON.stringify({ snis: ['shop.test'], cert: leaf.certPem, key: leaf.keyPem })}'\necho done\n`;
  const ds = check('setup.sh', sh);
  assert.deepEqual(codes(ds), ['tls-name-not-in-san']);
  assert.equal(ds[0].range.start.line, 4);
  assert.equal(sh.split('\n')[4].slice(ds[0].range.start.character, ds[0].range.end.character), '"shop.test"');
});

test('hover: an SNI shows the certificate serving it; inline PEM decodes', () => {
  const text = standalone([sslYaml({ snis: ['example.test', 'nope.test'], cert: leaf.certPem, key: leaf.keyPem })]);
  writeFiles(w, { 'apisix.yaml': text });
  const svc = serviceFor(w);
  const lines = text.split('\n');
  const sniLine = lines.findIndex((l) => l.includes('snis:'));
  const h1 = svc.hover(docOf(w, 'apisix.yaml'), { line: sniLine, character: lines[sniLine].indexOf('nope') + 1 });
  assert.match(JSON.stringify(h1), /does not cover it/);
  const h2 = svc.hover(docOf(w, 'apisix.yaml'), { line: sniLine + 2, character: 10 });
  assert.match(JSON.stringify(h2), /APISIX Test CA/);
  const c = svc.completion(docOf(w, 'apisix.yaml'), { line: sniLine + 1, character: 4 });
  assert.ok(c.some((x) => x.label === 'snis'));
});

test('other YAML, JSON and shell files are not APISIX and get nothing', () => {
  const r = (p: string, text: string) => apisixTarget.recognise({ path: p, text }, DEFAULT_SETTINGS);
  assert.equal(r('/w/package.json', '{"name": "x", "scripts": {"test": "node"}}'), false);
  assert.equal(r('/w/tsconfig.json', '{"compilerOptions": {}}'), false);
  assert.equal(r('/w/values.yaml', 'image:\n  tag: 1\nkey: value\n'), false);
  assert.equal(r('/w/deploy.sh', 'curl -X PUT https://example.com/api -d \'{"cert": 1}\'\n'), false);
  assert.equal(r('/w/apisix.yaml', 'routes: []\n#END\n'), true);
  assert.deepEqual(check('apisix.yaml', 'routes: []\n#END\n'), []);
});

test('conf/config.yaml: admin_api_mtls and etcd tls pairs through the pipeline (paths relative to APISIX home)', () => {
  const cfg = `deployment:\n  admin:\n    admin_api_mtls:\n      admin_ssl_cert: conf/cert/admin.crt\n      admin_ssl_cert_key: conf/cert/admin.key\n      admin_ssl_ca_cert: conf/cert/missing-ca.crt\n  etcd:\n    host: ["https://127.0.0.1:2379"]\n    tls:\n      cert: /nowhere/etcd.crt\n      verify: true\napisix:\n  ssl:\n    ssl_trusted_certificate: system\n`;
  writeFiles(w, { 'conf/cert/admin.crt': leaf.certPem, 'conf/cert/admin.key': other.keyPem });
  const ds = check('conf/config.yaml', cfg);
  assert.deepEqual(
    codes(ds),
    ['tls-key-mismatch', 'tls-file-missing', 'tls-file-outside-workspace'],
    JSON.stringify(ds.map((d) => d.message)),
  );
  assert.equal(ds[1].range.start.line, 5);
});

test('ADC schema.ts: certificates not empty, unknown keys (strictObject), key at least 32 characters or a secret reference', () => {
  const ds = check(
    'adc.yaml',
    `ssls:\n  - snis: [example.test]\n    name: x\n    certificates: []\n  - snis: [example.test]\n    certificates:\n      - certificate: $secret://vault/1/crt\n        key: short\n`,
  );
  assert.deepEqual(
    codes(ds),
    ['apisix-unknown-key', 'apisix-required', 'apisix-secret-ref', 'apisix-too-short'],
    JSON.stringify(ds.map((d) => d.message)),
  );
  assert.match(String(ds[3].message), /Must be a certificate private key string or a secret reference/);
});

/** Applies the quick fixes the service offers for `code` (the preferred one) and returns the new text. */
function applyFix(rel: string, text: string, code: string): { title: string; text: string } {
  writeFiles(w, { [rel]: text });
  const service = serviceFor(w);
  const doc = docOf(w, rel);
  const ds = service.validate(doc).filter((d) => d.code === code);
  assert.equal(ds.length, 1, `one ${code} in ${codes(service.validate(doc)).join(', ')}`);
  const action = service.codeActions(doc, ds).find((a) => a.isPreferred);
  assert.ok(action, `a quick fix for ${code}`);
  const edits = Object.values(action.edit!.changes!)[0];
  assert.equal(edits.length, 1);
  const lines = new LineIndex(text);
  const e = edits[0];
  return { title: action.title, text: text.slice(0, lines.offsetAt(e.range.start)) + e.newText + text.slice(lines.offsetAt(e.range.end)) };
}

test('quick fixes: #END added, ssl renamed to ssls, a misspelt key renamed; each leaves the finding gone', () => {
  const obj = sslYaml({ snis: ['example.test'], cert: leaf.certPem, key: leaf.keyPem });
  const noEnd = applyFix('fix1/apisix.yaml', standalone([obj], ''), 'apisix-missing-end');
  assert.equal(noEnd.title, 'Add #END as the last line');
  assert.ok(noEnd.text.endsWith('\n#END\n') || noEnd.text.endsWith('#END\n'));
  assert.deepEqual(codes(check('fix1/apisix.yaml', noEnd.text)), []);

  const old = applyFix('fix2/apisix.yaml', standalone([obj]).replace('\nssls:\n', '\nssl:\n'), 'apisix-ssl-renamed');
  assert.equal(old.title, 'Rename ssl to ssls');
  assert.deepEqual(codes(check('fix2/apisix.yaml', old.text)), []);

  const typo = applyFix('fix3/apisix.yaml', standalone([obj.replace('snis:', 'sniss:')]), 'apisix-unknown-key');
  assert.equal(typo.title, 'Rename sniss to snis');
  assert.deepEqual(codes(check('fix3/apisix.yaml', typo.text)), []);
});

test('quick fix: client.depth set to the chain client.ca needs', async () => {
  const { makeCert } = await import('../support/pem-fixtures');
  const x = await import('@peculiar/x509');
  const KU = x.KeyUsageFlags.keyCertSign | x.KeyUsageFlags.cRLSign;
  const root = await makeCert({ cn: 'Depth Root', ca: true, keyUsage: KU });
  const mid = await makeCert({ cn: 'Depth Mid', ca: true, keyUsage: KU, issuer: root });
  const low = await makeCert({ cn: 'Depth Low', ca: true, keyUsage: KU, issuer: mid });
  const chain = low.certPem + mid.certPem + root.certPem;
  const extra = `    client:\n      ca: |\n${indent(chain, 8)}\n      depth: 1\n`;
  const text = standalone([sslYaml({ snis: ['example.test'], cert: leaf.certPem, key: leaf.keyPem, extra })]);
  const fixed = applyFix('fix4/apisix.yaml', text, 'apisix-client-depth');
  assert.equal(fixed.title, 'Set client.depth to 2');
  assert.match(fixed.text, /\n {6}depth: 2\n/);
  assert.deepEqual(codes(check('fix4/apisix.yaml', fixed.text)), []);
});
