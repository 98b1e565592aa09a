/**
 * Values files of the Milvus Helm chart. `helm` is not available here; the rendering is the chart's
 * templates as read (zilliztech/milvus-helm charts/milvus):
 * - templates/proxy-tls-secret.yaml: with proxy.tls.enabled and both crt and key, a Secret named
 *   proxy.tls.secretName, type kubernetes.io/tls, data tls.crt = crt, tls.key = key (verbatim, so
 *   base64 PEM);
 * - templates/proxy-deployment.yaml: the proxy container's volumeMounts are milvus-config
 *   (default.yaml, user.yaml subPaths), tools, then .Values.proxy.volumeMounts and .Values.volumeMounts;
 *   its volumes .Values.proxy.volumes and .Values.volumes;
 * - values.yaml: extraConfigFiles."user.yaml" as a block scalar; the commented example mounts the
 *   Secret at /etc/milvus/certs/ and sets tls.serverPemPath: /etc/milvus/certs/tls.crt.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Diagnostic } from 'vscode-languageserver-types';
import { tmpWorkspace, writeFiles, serviceFor, docOf } from '../support/workspace';
import { makeCa, makeLeaf, type Issued } from '../support/certs';
import { applyAction, b64, lineOf } from '../support/k8s';

let ca: Issued;
let leaf: Issued;
let other: Issued;
let root: string;
let n = 0;

before(async () => {
  ca = await makeCa('Chart Test CA');
  leaf = await makeLeaf(ca);
  other = await makeLeaf(ca);
  root = tmpWorkspace('k8s-helm-');
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

interface ValuesOptions {
  crt?: string;
  key?: string;
  proxyKey?: string;
  secretNameKey?: string;
  serverPem?: string;
  extraUserYaml?: string;
}

function values(o: ValuesOptions = {}): string {
  return `cluster:
  enabled: true
image:
  all:
    repository: milvusdb/milvus
    tag: v2.5.9
extraConfigFiles:
  user.yaml: |+
    common:
      security:
        tlsMode: 1
    tls:
      serverPemPath: ${o.serverPem ?? '/etc/milvus/certs/tls.crt'}
      serverKeyPath: /etc/milvus/certs/tls.key
${o.extraUserYaml ?? ''}
${o.proxyKey ?? 'proxy'}:
  enabled: true
  replicas: 1
  tls:
    enabled: true
    ${o.secretNameKey ?? 'secretName'}: milvus-tls
    crt: ${o.crt ?? b64(leaf.certPem)}
    key: ${o.key ?? b64(leaf.keyPem)}
  volumes:
  - secret:
      secretName: milvus-tls
    name: milvus-tls
  volumeMounts:
  - mountPath: /etc/milvus/certs/
    name: milvus-tls
`;
}

function check(text: string) {
  const dir = `case${n++}`;
  writeFiles(root, {
    [path.join(dir, 'Chart.yaml')]: 'apiVersion: v2\nname: my-milvus\nversion: 0.1.0\n',
    [path.join(dir, 'values.yaml')]: text,
  });
  const svc = serviceFor(root);
  const doc = docOf(root, path.join(dir, 'values.yaml'));
  return { svc, doc, diags: svc.validate(doc), file: doc.path };
}

const codes = (ds: Diagnostic[]) => ds.map((d) => d.code).sort();

test('a correct values file (proxy.tls Secret mounted at /etc/milvus/certs, user.yaml pointing at it) has no finding', () => {
  const { svc, doc, diags } = check(values());
  assert.equal(svc.kindOf(doc), 'k8s');
  assert.deepEqual(diags, []);
});

test('the chart renders proxy.tls into a kubernetes.io/tls Secret: a path to a key it does not have is an error on the path', () => {
  const text = values({ serverPem: '/etc/milvus/certs/server.pem' });
  const { diags } = check(text);
  const d = diags.find((x) => x.code === 'k8s-secret-key-missing');
  assert.ok(d, codes(diags).join());
  assert.equal(d.range.start.line, lineOf(text, 'serverPemPath:'));
  assert.match(String(d.message), /tls\.crt, tls\.key/);
});

test('a proxy.tls.key that does not match proxy.tls.crt is an error on key, and on the user.yaml path', () => {
  const text = values({ key: b64(other.keyPem) });
  const { diags } = check(text);
  const lines = diags.filter((d) => d.code === 'tls-key-mismatch').map((d) => d.range.start.line);
  assert.deepEqual(
    lines.sort((a, b) => a - b),
    [lineOf(text, 'serverKeyPath:'), lineOf(text, '    key: ')].sort((a, b) => a - b),
  );
});

test('proxy.tls.crt that is not base64, or base64 twice, is an error on the value', () => {
  const bad = values({ crt: 'LS0tLS1CRUdJTi!!' });
  const r1 = check(bad);
  assert.ok(
    r1.diags.some((d) => d.code === 'k8s-secret-data-not-base64' && d.range.start.line === lineOf(bad, '    crt: ')),
    codes(r1.diags).join(),
  );
  const twice = values({ crt: b64(b64(leaf.certPem)) });
  const r2 = check(twice);
  assert.ok(
    r2.diags.some((d) => d.code === 'k8s-secret-data-double-base64' && d.range.start.line === lineOf(twice, '    crt: ')),
    codes(r2.diags).join(),
  );
});

test('typos in the chart TLS keys are warnings with "did you mean" and a rename', () => {
  const text = values({ proxyKey: 'prox', secretNameKey: 'secretname' });
  const { svc, diags, file } = check(text);
  const unknown = diags.filter((d) => d.code === 'k8s-helm-unknown-key');
  assert.deepEqual(
    unknown.map((d) => [d.range.start.line, /did you mean (\w+)/.exec(String(d.message))?.[1]]),
    [[lineOf(text, 'prox:'), 'proxy']],
  );
  const fixed = applyAction(file, URI.file(file).toString(), svc.codeActions(docOf(root, path.relative(root, file)), unknown)[0]);
  assert.match(fixed, /^proxy:$/m);
  const again = svc.validate(docOf(root, path.relative(root, file)));
  const lower = again.find((d) => d.code === 'k8s-helm-unknown-key');
  assert.ok(lower, codes(again).join());
  assert.equal(lower.range.start.line, lineOf(fixed, 'secretname:'));
  assert.match(String(lower.message), /did you mean secretName/);
});

test('a finding inside the user.yaml block scalar lands on its own document line and column', () => {
  const text = values({ extraUserYaml: '    internaltls:\n      serverPemPth: /etc/milvus/certs/tls.crt\n' });
  const { diags } = check(text);
  const d = diags.find((x) => x.code === 'milvus-key-unknown');
  assert.ok(d, codes(diags).join());
  assert.equal(d.range.start.line, lineOf(text, 'serverPemPth'));
  assert.equal(d.range.start.character, 6);
  assert.match(String(d.message), /did you mean serverPemPath/);
});

test('hover on proxy.tls.crt decodes the certificate the chart renders', () => {
  const text = values();
  const { svc, doc } = check(text);
  const h = svc.hover(doc, { line: lineOf(text, '    crt: '), character: 10 });
  assert.match((h?.contents as { value: string }).value, /CN=localhost/);
  const k = (svc.hover(doc, { line: lineOf(text, '    key: '), character: 10 })?.contents as { value: string }).value;
  assert.ok(!k.includes(b64(leaf.keyPem).slice(20, 60)));
  assert.ok(!k.includes(leaf.keyPem.split('\n')[1].slice(0, 30)));
});

test('a values.yaml of another chart is not ours', () => {
  const svc = serviceFor(root);
  const other = {
    path: path.join(root, 'x', 'values.yaml'),
    uri: 'file:///x/values.yaml',
    text: 'replicaCount: 1\nimage:\n  repository: nginx\nservice:\n  type: ClusterIP\n',
  };
  assert.equal(svc.kindOf(other), undefined);
});

test("the chart's ingress.tls hosts must be covered by the proxy.tls certificate it names", () => {
  // values.yaml: ingress.tls: [{secretName: chart-example-tls, hosts: [milvus-example.local]}]
  const text = `${values()}ingress:\n  enabled: true\n  rules:\n    - host: "milvus-example.local"\n      path: "/"\n      pathType: "Prefix"\n  tls:\n    - secretName: milvus-tls\n      hosts:\n        - localhost\n        - milvus-example.local\n`;
  const { diags } = check(text);
  assert.deepEqual(
    diags.map((d) => [d.code, d.range.start.line]),
    [['k8s-ingress-host-not-covered', lineOf(text, '- milvus-example.local')]],
  );
});
