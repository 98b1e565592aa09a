/**
 * Milvus Operator CRs and their Secrets. No Kubernetes runs here; the rules come from the sources:
 * - zilliztech/milvus-operator config/samples/external_tls.yaml: a Secret `certs` (stringData
 *   server.pem, server.key, ca.pem) mounted at /certs through spec.components.volumes /
 *   volumeMounts, and spec.config with tls: nested under common: and PEM values without `|`;
 * - pkg/controllers/deployments.go: spec.config becomes user.yaml in the ConfigMap mounted at
 *   /milvus/configs/operator, merged over the image's milvus.yaml (scripts/run.sh);
 * - Kubernetes: a secret volume shows one file per key under mountPath; with subPath, mountPath
 *   is the single key named; stringData is text, data is base64.
 * Certificates are generated (test/support/certs.ts).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Diagnostic } from 'vscode-languageserver-types';
import { tmpWorkspace, writeFiles, serviceFor, docOf } from '../support/workspace';
import { makeCa, makeLeaf, type Issued } from '../support/certs';
import { secretYaml, dataSecretYaml, milvusCr, applyAction, lineOf, b64 } from '../support/k8s';

let ca: Issued;
let leaf: Issued;
let other: Issued;
let expired: Issued;
let root: string;
let n = 0;

before(async () => {
  ca = await makeCa('Operator Test CA');
  leaf = await makeLeaf(ca, { sans: ['localhost', 'my-release-milvus'] });
  other = await makeLeaf(ca);
  expired = await makeLeaf(ca, { notBefore: new Date(Date.now() - 40 * 86400_000), notAfter: new Date(Date.now() - 2 * 86400_000) });
  root = tmpWorkspace('k8s-op-');
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

/** A fresh folder in the workspace holding `files`; returns its diagnostics for `main`. */
function check(files: Record<string, string>, main = 'milvus.yaml') {
  const dir = `case${n++}`;
  writeFiles(root, Object.fromEntries(Object.entries(files).map(([k, v]) => [path.join(dir, k), v])));
  const svc = serviceFor(root);
  const doc = docOf(root, path.join(dir, main));
  return { svc, doc, diags: svc.validate(doc), file: doc.path };
}

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();
const good = () => secretYaml('certs', { 'server.pem': leaf.certPem, 'server.key': leaf.keyPem, 'ca.pem': ca.certPem });

test('a correct Operator CR with its Secret in the same file has no finding', () => {
  const { svc, doc, diags } = check({ 'milvus.yaml': `${good()}---\n${milvusCr()}` });
  assert.equal(svc.kindOf(doc), 'k8s');
  assert.deepEqual(diags, []);
});

test("the Operator sample's two mistakes: PEM without | on its line, tls: under common:, each with a fix that clears it", () => {
  const text = `# TLS for the proxy\n---\n${secretYaml('certs', { 'server.pem': leaf.certPem, 'server.key': leaf.keyPem, 'ca.pem': ca.certPem }, { folded: ['server.key', 'ca.pem'] })}---\n${milvusCr({ tlsUnderCommon: true })}`;
  const { svc, doc, diags, file } = check({ 'milvus.yaml': text });
  const folded = diags.filter((d) => d.code === 'k8s-pem-folded');
  assert.deepEqual(
    folded.map((d) => d.range.start.line),
    [lineOf(text, 'server.key:') + 1, lineOf(text, 'ca.pem:') + 1],
  );
  assert.match(String(folded[0].message), /without `\|`.*literal block/);
  // Not a byte of the key in the message: only its BEGIN line.
  const keyBody = leaf.keyPem.split('\n').find((l) => l && !l.startsWith('-----'))!;
  for (const d of folded) assert.ok(!String(d.message).includes(keyBody.slice(0, 8)), String(d.message));
  const misplaced = diags.find((d) => d.code === 'milvus-block-misplaced');
  assert.ok(misplaced, codes(diags).join());
  assert.equal(misplaced.range.start.line, lineOf(text, '      tls:'));
  assert.equal(misplaced.range.start.character, 6);
  assert.match(String(misplaced.message), /top level of spec\.config of Milvus my-release/);
  // The image's sample certificates are what Milvus would use meanwhile.
  assert.ok(diags.some((d) => d.code === 'milvus-sample-certificate' && d.range.start.line === lineOf(text, 'tlsMode')));

  const uri = URI.file(file).toString();
  for (const code of ['k8s-pem-folded', 'k8s-pem-folded', 'milvus-block-misplaced']) {
    const now = docOf(root, path.relative(root, file));
    const dg = svc.validate(now).find((d) => d.code === code)!;
    const action = svc.codeActions(now, [dg]).find((a) => a.isPreferred);
    assert.ok(action, `a fix for ${code}`);
    applyAction(file, uri, action);
  }
  const fixed = fs.readFileSync(file, 'utf8');
  assert.match(fixed, /^ {2}server\.key: \|\n {4}-----BEGIN PRIVATE KEY-----\n/m);
  assert.match(fixed, /^ {4}tls:\n {6}serverPemPath: \/certs\/server\.pem$/m);
  assert.deepEqual(svc.validate(docOf(root, path.relative(root, file))), []);
  void doc;
});

test('a key that does not match the certificate is an error on serverKeyPath', () => {
  const text = `${secretYaml('certs', { 'server.pem': leaf.certPem, 'server.key': other.keyPem, 'ca.pem': ca.certPem })}---\n${milvusCr()}`;
  const { diags } = check({ 'milvus.yaml': text });
  const d = diags.find((x) => x.code === 'tls-key-mismatch');
  assert.ok(d, codes(diags).join());
  assert.equal(d.range.start.line, lineOf(text, 'serverKeyPath:'));
  assert.match(String(d.message), /Secret certs key server\.key/);
});

test('an expired certificate is an error on serverPemPath and on its BEGIN line inside the Secret', () => {
  const text = `${secretYaml('certs', { 'server.pem': expired.certPem, 'server.key': expired.keyPem, 'ca.pem': ca.certPem })}---\n${milvusCr()}`;
  const { diags } = check({ 'milvus.yaml': text });
  const lines = diags.filter((x) => x.code === 'tls-cert-expired').map((x) => [x.range.start.line, x.range.start.character]);
  assert.deepEqual(
    lines.sort(),
    [
      [lineOf(text, '-----BEGIN CERTIFICATE-----'), 4],
      [lineOf(text, 'serverPemPath:'), text.split('\n')[lineOf(text, 'serverPemPath:')].indexOf('/certs/server.pem')],
    ].sort(),
  );
});

test('a tls path no volumeMount covers is an error on the path', () => {
  const text = `${good()}---\n${milvusCr({ paths: { cert: '/etc/milvus/certs/server.pem' } })}`;
  const { diags } = check({ 'milvus.yaml': text });
  const d = diags.find((x) => x.code === 'k8s-path-not-mounted');
  assert.ok(d, codes(diags).join());
  assert.equal(d.range.start.line, lineOf(text, 'serverPemPath:'));
  assert.match(String(d.message), /\/etc\/milvus\/certs\/server\.pem/);
});

test('a Secret key the volume does not have is an error on the path, naming the keys it has', () => {
  const text = `${good()}---\n${milvusCr({ paths: { key: '/certs/tls.key' } })}`;
  const { diags } = check({ 'milvus.yaml': text });
  const d = diags.find((x) => x.code === 'k8s-secret-key-missing');
  assert.ok(d, codes(diags).join());
  assert.equal(d.range.start.line, lineOf(text, 'serverKeyPath:'));
  assert.match(String(d.message), /server\.pem, server\.key, ca\.pem/);
});

test('a subPath naming a key the Secret lacks is an error on the subPath line', () => {
  const text = `${good()}---\n${milvusCr({ paths: { cert: '/certs/server.pem' }, mountPath: '/certs/server.pem', subPath: 'tls.crt' })}`;
  const { diags } = check({ 'milvus.yaml': text });
  const d = diags.find((x) => x.code === 'k8s-subpath-mismatch');
  assert.ok(d, codes(diags).join());
  assert.equal(d.range.start.line, lineOf(text, 'subPath:'));
});

test('the Secret may live in another manifest of the workspace; one that is nowhere is "cannot check" on secretName', () => {
  const elsewhere = check({ 'milvus.yaml': milvusCr(), 'secrets/certs.yaml': good() });
  assert.deepEqual(elsewhere.diags, []);
  const text = milvusCr({ secretName: 'absent' });
  const { diags } = check({ 'milvus.yaml': text });
  assert.deepEqual(codes(diags), ['k8s-secret-not-found'], 'one finding for the three paths through it');
  assert.ok(diags.every((d) => d.severity === 3 && d.range.start.line === lineOf(text, 'secretName:')));
});

test('Secret data: base64 PEM is clean, base64 of base64 and non-base64 are errors on the value', () => {
  const ok = check({
    'milvus.yaml': `${dataSecretYaml('certs', { 'server.pem': b64(leaf.certPem), 'server.key': b64(leaf.keyPem), 'ca.pem': b64(ca.certPem) })}---\n${milvusCr()}`,
  });
  assert.deepEqual(ok.diags, []);
  const text = dataSecretYaml('certs', { 'server.pem': b64(b64(leaf.certPem)), 'server.key': 'not base64!' });
  const { diags } = check({ 'secret.yaml': text }, 'secret.yaml');
  assert.deepEqual(
    diags.map((d) => [d.code, d.range.start.line]),
    [
      ['k8s-secret-data-double-base64', lineOf(text, 'server.pem:')],
      ['k8s-secret-data-not-base64', lineOf(text, 'server.key:')],
    ],
  );
});

test('a kubernetes.io/tls Secret needs tls.crt and tls.key, and its key must match', () => {
  const missing = check({ 's.yaml': secretYaml('web', { 'tls.crt': leaf.certPem }, { type: 'kubernetes.io/tls' }) }, 's.yaml');
  assert.deepEqual(codes(missing.diags), ['k8s-tls-secret-incomplete']);
  const text = secretYaml('web', { 'tls.crt': leaf.certPem, 'tls.key': other.keyPem }, { type: 'kubernetes.io/tls' });
  const { diags } = check({ 's.yaml': text }, 's.yaml');
  assert.deepEqual(
    diags.map((d) => [d.code, d.range.start.line]),
    [['tls-key-mismatch', lineOf(text, 'tls.key:')]],
  );
});

test('hover on a PEM value in a Secret decodes it, and never shows key material', () => {
  const text = `${good()}---\n${milvusCr()}`;
  const { svc, doc } = check({ 'milvus.yaml': text });
  const certLine = lineOf(text, 'server.pem:') + 2;
  const h = svc.hover(doc, { line: certLine, character: 6 });
  const v = (h?.contents as { value: string }).value;
  assert.match(v, /CN=localhost/);
  const keyLine = lineOf(text, 'server.key:') + 2;
  const k = (svc.hover(doc, { line: keyLine, character: 6 })?.contents as { value: string }).value;
  assert.match(k, /EC|ECDSA|P-256/);
  const body = leaf.keyPem.split('\n').slice(1, -2).join('');
  for (const chunk of body.match(/.{16}/g) ?? []) assert.ok(!k.includes(chunk), 'no key bytes in the hover');
  const p = (svc.hover(doc, { line: lineOf(text, 'serverPemPath:'), character: 24 })?.contents as { value: string }).value;
  assert.match(p, /Secret certs key server\.pem/);
  assert.match(p, /CN=localhost/);
});

test('YAML that is not a Kubernetes object of these kinds is not ours and costs no parse', () => {
  const svc = serviceFor(root);
  const plain = {
    path: path.join(root, 'ci.yaml'),
    uri: 'file:///ci.yaml',
    text: 'on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n',
  };
  assert.equal(svc.kindOf(plain), undefined);
  const cm = {
    path: path.join(root, 'cm.yaml'),
    uri: 'file:///cm.yaml',
    text: 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b\n',
  };
  assert.notEqual(svc.kindOf(cm), 'k8s');
});

/** The CR with the Secret mounted only through spec.components.proxy. */
const proxyOnly = (mode: 'cluster' | 'standalone') =>
  milvusCr({ mode })
    .replace(/ {2}components:\n[\s\S]*$/, '')
    .concat(
      '  components:\n    proxy:\n      volumes:\n        - name: certs\n          secret:\n            secretName: certs\n      volumeMounts:\n        - name: certs\n          mountPath: /certs\n',
    );

test("a component's own volumeMounts count for it: the proxy in cluster mode, not the standalone pod", () => {
  const cluster = check({ 'milvus.yaml': `${good()}---\n${proxyOnly('cluster')}` });
  assert.deepEqual(cluster.diags, []);
  const text = `${good()}---\n${proxyOnly('standalone')}`;
  const standalone = check({ 'milvus.yaml': text });
  assert.deepEqual(
    standalone.diags.map((d) => [d.code, d.range.start.line]),
    ['serverPemPath:', 'serverKeyPath:', 'caPemPath:'].map((k) => ['k8s-path-not-mounted', lineOf(text, k)]),
  );
  assert.match(String(standalone.diags[0].message), /the standalone pod of Milvus my-release/);
});

test('internal TLS (the shape of the operator internal_tls.yaml): sni must be in the SANs', () => {
  const cr = (sni: string) =>
    milvusCr()
      .replace('        tlsMode: 1\n', '        internaltlsEnabled: true\n')
      .replace(/ {4}tls:\n/, '    internaltls:\n')
      .replace('      caPemPath: /certs/ca.pem\n', `      caPemPath: /certs/ca.pem\n      sni: ${sni}\n`);
  assert.deepEqual(check({ 'milvus.yaml': `${good()}---\n${cr('localhost')}` }).diags, []);
  const text = `${good()}---\n${cr('milvus.internal')}`;
  const { diags } = check({ 'milvus.yaml': text });
  assert.deepEqual(
    diags.map((d) => [d.code, d.range.start.line]),
    [['tls-name-not-in-san', lineOf(text, 'sni:')]],
  );
});

test('hover on a secretName says where the Secret is and what each key holds', () => {
  const text = milvusCr();
  const { svc, doc } = check({ 'milvus.yaml': text, 'secrets/certs.yaml': good() });
  const line = lineOf(text, 'secretName:');
  const v = (svc.hover(doc, { line, character: text.split('\n')[line].indexOf('certs') + 1 })?.contents as { value: string }).value;
  assert.match(v, /Secret certs \(case\d+\/secrets\/certs\.yaml\)/);
  assert.match(v, /`server\.pem` \(stringData\): Certificate CN=localhost/);
  assert.match(v, /`server\.key` \(stringData\): .*private key/i);
  assert.ok(!v.includes(leaf.keyPem.split('\n')[1].slice(0, 20)));
});

test("a component's own volumes replace the global ones (MergeComponentSpec): a global mount then names no volume", () => {
  const text = milvusCr({ mode: 'cluster' }).concat('    proxy:\n      volumes:\n        - name: logs\n          emptyDir: {}\n');
  const { diags } = check({ 'milvus.yaml': `${good()}---\n${text}` });
  const full = `${good()}---\n${text}`;
  assert.deepEqual(
    diags.map((d) => `${d.code} ${d.range.start.line}`),
    [`k8s-volume-missing ${lineOf(full, '- name: certs', lineOf(full, 'volumeMounts:'))}`],
  );
});
