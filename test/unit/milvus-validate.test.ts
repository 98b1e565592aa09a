import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateCertSet, DEFAULT_OPTIONS, type GeneratedFile } from '../../server/src/service/certgen';
import { makeCa, makeLeaf, encryptKey, EKU } from '../support/certs';
import { tmpWorkspace, writeFiles, serviceFor, docOf, composeYaml, milvusYaml } from '../support/workspace';
import type { Diagnostic as LspDiagnostic } from 'vscode-languageserver-types';

/** Our diagnostics always carry plain-string messages. */
type Diagnostic = LspDiagnostic & { message: string };

let set: GeneratedFile[];
let other: GeneratedFile[];
const file = (s: GeneratedFile[], n: string) => s.find((f) => f.name === n)!.contents;

before(async () => {
  [set, other] = await Promise.all([generateCertSet({ ...DEFAULT_OPTIONS, csr: true }), generateCertSet(DEFAULT_OPTIONS)]);
});

/** A correct mode-2 workspace, then `mutate` breaks one thing. */
function workspace(
  mutate: (root: string) => void = () => {},
  milvus = milvusYaml(),
  compose = composeYaml(),
  root = tmpWorkspace(),
): { root: string; diags: Diagnostic[] } {
  milvus = milvus.replace('/HOST', root);
  writeFiles(root, {
    'docker-compose.yml': compose,
    'milvus.yaml': milvus,
    'tls/ca.pem': file(set, 'ca.pem'),
    'tls/server.pem': file(set, 'server.pem'),
    'tls/server.key': file(set, 'server.key'),
    'tls/client.pem': file(set, 'client.pem'),
    'tls/client.key': file(set, 'client.key'),
  });
  fs.mkdirSync(path.join(root, 'volumes/milvus'), { recursive: true });
  mutate(root);
  const diags = serviceFor(root).validate(docOf(root, 'milvus.yaml')) as Diagnostic[];
  return { root, diags };
}

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();
const lineOf = (text: string, needle: string) => text.split('\n').findIndex((l) => l.includes(needle));

test('a correct mutual-TLS workspace is clean', () => {
  const { diags } = workspace();
  assert.deepEqual(diags, []);
});

test('a correct one-way workspace is clean', () => {
  const { diags } = workspace(() => {}, milvusYaml({ mode: 1, ca: null }));
  assert.deepEqual(diags, []);
});

test('tlsMode out of range is flagged on the value', () => {
  const text = milvusYaml({ mode: 3 });
  const { diags } = workspace(() => {}, text);
  assert.deepEqual(codes(diags), ['milvus-tls-mode-invalid']);
  const line = lineOf(text, 'tlsMode');
  assert.deepEqual(diags[0].range, { start: { line, character: 13 }, end: { line, character: 14 } });
  assert.match(diags[0].message, /0 \(no TLS\), 1 \(one-way TLS\) or 2/);
});

test('tlsMode of the wrong type is flagged', () => {
  const { diags } = workspace(() => {}, milvusYaml({ mode: 'mutual' }));
  assert.deepEqual(codes(diags), ['milvus-tls-mode-invalid']);
});

test('a misspelt key gets "did you mean"', () => {
  const text = milvusYaml().replace(
    '  serverPemPath: /milvus/tls/server.pem\n  serverKeyPath',
    '  serverPemPth: /milvus/tls/server.pem\n  serverKeyPath',
  );
  const { diags } = workspace(() => {}, text);
  const unknown = diags.find((d) => d.code === 'milvus-key-unknown')!;
  assert.match(unknown.message, /did you mean serverPemPath\?/);
  const line = lineOf(text, 'serverPemPth');
  assert.deepEqual(unknown.range, { start: { line, character: 2 }, end: { line, character: 14 } });
  // And since the real key is now missing, mode 2 needs it.
  assert.ok(diags.some((d) => d.code === 'milvus-tls-key-required' && /tls\.serverPemPath is required/.test(d.message)));
});

test('tlsMode placed under tls: is named as misplaced', () => {
  const { diags } = workspace(() => {}, milvusYaml({ extraTls: '  tlsMode: 2' }));
  const d = diags.find((x) => x.code === 'milvus-key-misplaced')!;
  assert.ok(d, JSON.stringify(diags));
  assert.match(d.message, /belongs in `common.security`/);
});

test('mode 2 without caPemPath requires it, with a fix that adds it', () => {
  const { diags } = workspace(() => {}, milvusYaml({ ca: null }));
  assert.deepEqual(codes(diags), ['milvus-tls-key-required']);
  assert.match(diags[0].message, /tls\.caPemPath is required because common\.security\.tlsMode is 2/);
  assert.deepEqual((diags[0].data as { fix: { kind: string; value: string } }).fix.kind, 'add-key');
  assert.equal((diags[0].data as { fix: { value: string } }).fix.value, '/milvus/tls/ca.pem');
});

test('a container path no mount covers is an error naming the service', () => {
  const text = milvusYaml({ server: '/etc/milvus/certs/server.pem' });
  const { diags } = workspace(() => {}, text);
  const d = diags.find((x) => x.code === 'milvus-path-not-mounted')!;
  assert.ok(d);
  assert.match(d.message, /no volume of service standalone in docker-compose\.yml covers it/);
  const line = lineOf(text, '/etc/milvus/certs/server.pem');
  assert.equal(d.range.start.line, line);
  assert.equal(d.range.start.character, 17);
});

test('the default relative paths resolve against /milvus to the sample certificates the image ships: a warning that the key is public, not "fails to start"', () => {
  // The official image contains the repository's configs/ (milvus-io/milvus configs/cert/server.pem, server.key, ca.pem).
  const { diags } = workspace(() => {}, milvusYaml({ server: 'configs/cert/server.pem' }));
  assert.ok(!diags.some((d) => d.code === 'milvus-path-not-mounted'), JSON.stringify(diags));
  const w = diags.find((d) => d.code === 'milvus-sample-certificate')!;
  assert.ok(w && w.severity === 2, JSON.stringify(diags));
  assert.match(
    w.message,
    /\/milvus\/configs\/cert\/server\.pem is the sample certificate shipped in the Milvus image.*private key is published/,
  );
  // A path under /milvus/configs/cert that the image does not ship is still not there.
  const other = workspace(() => {}, milvusYaml({ server: 'configs/cert/mine.pem' }));
  assert.ok(other.diags.some((d) => d.code === 'milvus-path-not-mounted'));
});

test('missing, directory, empty files are errors with the resolved host path', () => {
  const missing = workspace((r) => fs.rmSync(path.join(r, 'tls/server.pem')));
  const m = missing.diags.find((d) => d.code === 'tls-file-missing')!;
  assert.ok(m, JSON.stringify(missing.diags));
  assert.ok(m.message.includes('host tls/server.pem'), m.message);
  assert.ok(!m.message.includes(missing.root));
  // ./tls exists and is mounted: a file missing inside it is simply absent in the container (ENOENT); Docker creates nothing
  assert.doesNotMatch(m.message, /empty directory/);

  const dir = workspace((r) => {
    fs.rmSync(path.join(r, 'tls/server.pem'));
    fs.mkdirSync(path.join(r, 'tls/server.pem'));
  });
  assert.deepEqual(codes(dir.diags), ['tls-file-directory']);

  const empty = workspace((r) => fs.writeFileSync(path.join(r, 'tls/ca.pem'), ''));
  assert.deepEqual(codes(empty.diags), ['tls-file-empty']);
});

test('a key where a certificate is expected, and swapped paths, are named', () => {
  const { diags } = workspace(() => {}, milvusYaml({ server: '/milvus/tls/server.key', key: '/milvus/tls/server.pem' }));
  const wrong = diags.filter((d) => d.code === 'tls-file-wrong-kind');
  assert.equal(wrong.length, 2);
  assert.match(wrong[0].message, /swapped/);
});

test('a CSR in the certificate slot is the wrong kind', () => {
  const { diags } = workspace((r) => writeFiles(r, { 'tls/server.pem': file(set, 'server.csr') }));
  assert.deepEqual(codes(diags), ['tls-file-wrong-kind']);
  assert.match(diags[0].message, /certificate signing request/);
});

test('a DER certificate is flagged: Milvus reads PEM', () => {
  const { diags } = workspace((r) => {
    const der = new (require('node:crypto').X509Certificate)(file(set, 'server.pem')).raw;
    fs.writeFileSync(path.join(r, 'tls/server.pem'), der);
  });
  assert.deepEqual(codes(diags), ['tls-file-der']);
});

test('a key from another set does not match the certificate', () => {
  const { diags } = workspace((r) => writeFiles(r, { 'tls/server.key': file(other, 'server.key') }));
  assert.deepEqual(codes(diags), ['tls-key-mismatch']);
  assert.match(diags[0].message, /tls: private key does not match public key/);
});

test('a server certificate from another CA does not chain to caPemPath', () => {
  const { diags } = workspace((r) =>
    writeFiles(r, { 'tls/server.pem': file(other, 'server.pem'), 'tls/server.key': file(other, 'server.key') }),
  );
  assert.deepEqual(codes(diags), ['tls-cert-not-from-ca']);
});

test('CN-only, wrong EKU, expired certificates and encrypted keys', async () => {
  const ca = await makeCa();
  const cnOnly = await makeLeaf(ca, { sans: [] });
  const clientOnly = await makeLeaf(ca, { eku: [EKU.clientAuth] });
  const expired = await makeLeaf(ca, { notBefore: new Date(Date.now() - 400 * 86400_000), notAfter: new Date(Date.now() - 86400_000) });
  const put =
    (leaf: typeof cnOnly, key = leaf.keyPem) =>
    (r: string) => {
      writeFiles(r, { 'tls/ca.pem': ca.certPem, 'tls/server.pem': leaf.certPem, 'tls/server.key': key });
      // The set's client.pem is from another CA now: it would be reported (tls-client-cert-rejected).
      fs.rmSync(path.join(r, 'tls/client.pem'));
    };
  const a = workspace(put(cnOnly));
  assert.deepEqual(codes(a.diags), ['tls-cert-no-san']);
  assert.match(a.diags[0].message, /x509: certificate relies on legacy Common Name field, use SANs instead/);
  assert.deepEqual(codes(workspace(put(clientOnly)).diags), ['tls-cert-eku']);
  assert.deepEqual(codes(workspace(put(expired)).diags), ['tls-cert-expired']);
  const good = await makeLeaf(ca);
  const enc = workspace(put(good, encryptKey(good.keyPem)));
  assert.deepEqual(codes(enc.diags), ['tls-key-encrypted']);
  assert.match(enc.diags[0].message, /tls: failed to parse private key/);
});

test('a host path where the container path is needed gets the mounted path as fix', () => {
  // ./tls/server.pem would be fine (it resolves against /milvus); the absolute host path is not.
  const root = tmpWorkspace();
  const { diags } = workspace(() => {}, milvusYaml({ server: '/HOST/tls/server.pem' }), undefined, root);
  const d = diags.find((x) => x.code === 'milvus-path-host-style')!;
  assert.ok(d, JSON.stringify(diags));
  assert.deepEqual((d.data as { fix: unknown }).fix, { kind: 'use-container-path', containerPath: '/milvus/tls/server.pem' });
});

test('mode 0 with missing files says nothing', () => {
  const { diags } = workspace((r) => fs.rmSync(path.join(r, 'tls'), { recursive: true }), milvusYaml({ mode: 0 }));
  assert.deepEqual(diags, []);
});

test('internal TLS: sni not covered by the certificate SAN', () => {
  const { diags } = workspace(() => {}, milvusYaml({ internal: true, sni: 'milvus.internal' }));
  assert.deepEqual(codes(diags), ['tls-name-not-in-san']);
});

test('internal TLS enabled with a correct set is clean', () => {
  assert.deepEqual(workspace(() => {}, milvusYaml({ internal: true })).diags, []);
});

test('the stock Milvus 2.6 config produces no findings, with and without compose', () => {
  const stock = fs.readFileSync(path.join(__dirname, '../fixtures/milvus-2.6-default.yaml'), 'utf8');
  assert.deepEqual(workspace(() => {}, stock).diags, []);
  const root = tmpWorkspace();
  writeFiles(root, { 'configs/milvus.yaml': stock });
  assert.deepEqual(serviceFor(root).validate(docOf(root, 'configs/milvus.yaml')), []);
});

test('without a compose file, relative paths resolve on the host beside configs/', () => {
  const root = tmpWorkspace();
  writeFiles(root, {
    'configs/milvus.yaml': milvusYaml({ mode: 1, server: 'configs/cert/server.pem', key: 'configs/cert/server.key', ca: null }),
    'configs/cert/server.pem': file(set, 'server.pem'),
  });
  const diags = serviceFor(root).validate(docOf(root, 'configs/milvus.yaml')) as Diagnostic[];
  assert.deepEqual(codes(diags), ['tls-file-missing']);
  assert.ok(diags[0].message.includes('configs/cert/server.key'), diags[0].message);
  assert.ok(!diags[0].message.includes(root));
});

test('TLS settings in a second YAML document are named as ignored; only the first document counts', () => {
  const text = milvusYaml({ mode: 0 }) + '---\ncommon:\n  security:\n    tlsMode: 9\n';
  const { diags } = workspace(() => {}, text);
  assert.deepEqual(codes(diags), ['milvus-later-document']);
  assert.equal(diags[0].range.start.line, lineOf(text, '---'));
});
