/**
 * Ingress TLS (networking.k8s.io/v1 IngressTLS: hosts[] served with the certificate of the
 * kubernetes.io/tls Secret secretName, tls.crt) and workloads' secret volumes (items[].key must be
 * a key of the Secret: kubelet fails the mount with "couldn't find key … in Secret").
 * The Milvus chart's values.yaml ingress example has this shape (ingress.tls[].secretName, hosts).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpWorkspace, writeFiles, serviceFor, docOf } from '../support/workspace';
import { makeCa, makeLeaf, type Issued } from '../support/certs';
import { secretYaml, lineOf } from '../support/k8s';

let ca: Issued;
let leaf: Issued;
let root: string;

before(async () => {
  ca = await makeCa('Ingress Test CA');
  leaf = await makeLeaf(ca, { sans: ['milvus.example.test', '*.apps.example.test'] });
  root = tmpWorkspace('k8s-ing-');
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

const ingress = (hosts: string[], secret = 'milvus-tls') => `apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: milvus
  annotations:
    nginx.ingress.kubernetes.io/backend-protocol: GRPC
spec:
  ingressClassName: nginx
  tls:
    - secretName: ${secret}
      hosts:
${hosts.map((h) => `        - ${h}`).join('\n')}
  rules:
    - host: ${hosts[0]}
      http:
        paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: my-release-milvus
                port:
                  number: 19530
`;

function check(files: Record<string, string>, main: string) {
  writeFiles(root, files);
  const svc = serviceFor(root);
  return svc.validate(docOf(root, main));
}

test('Ingress hosts covered by the Secret certificate SANs are clean (wildcards one label deep)', () => {
  const ds = check(
    {
      'a/tls.yaml': secretYaml('milvus-tls', { 'tls.crt': leaf.certPem, 'tls.key': leaf.keyPem }, { type: 'kubernetes.io/tls' }),
      'a/ingress.yaml': ingress(['milvus.example.test', 'attu.apps.example.test', '*.apps.example.test']),
    },
    'a/ingress.yaml',
  );
  assert.deepEqual(ds, []);
});

test('an Ingress host the certificate does not cover is an error on that host line', () => {
  const text = ingress(['milvus.example.test', 'milvus.other.test', 'a.b.apps.example.test']);
  const ds = check(
    {
      'b/tls.yaml': secretYaml('milvus-tls', { 'tls.crt': leaf.certPem, 'tls.key': leaf.keyPem }, { type: 'kubernetes.io/tls' }),
      'b/ingress.yaml': text,
    },
    'b/ingress.yaml',
  );
  assert.deepEqual(
    ds.map((d) => [d.code, d.range.start.line]),
    [
      ['k8s-ingress-host-not-covered', lineOf(text, '- milvus.other.test')],
      ['k8s-ingress-host-not-covered', lineOf(text, '- a.b.apps.example.test')],
    ],
  );
  assert.match(String(ds[0].message), /SANs: milvus\.example\.test, \*\.apps\.example\.test/);
});

test('an Ingress Secret outside the workspace is information on secretName', () => {
  const text = ingress(['milvus.example.test'], 'from-cert-manager');
  const ds = check({ 'c/ingress.yaml': text }, 'c/ingress.yaml');
  assert.deepEqual(
    ds.map((d) => [d.code, d.severity, d.range.start.line]),
    [['k8s-secret-not-found', 3, lineOf(text, 'secretName:')]],
  );
});

test('a Deployment secret volume item naming a key the Secret lacks is an error on the key line', () => {
  const dep = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: client
spec:
  template:
    spec:
      containers:
        - name: app
          image: app
          volumeMounts:
            - name: ca
              mountPath: /etc/ca
      volumes:
        - name: ca
          secret:
            secretName: milvus-tls
            items:
              - key: ca.crt
                path: ca.pem
`;
  const ds = check(
    {
      'd/tls.yaml': secretYaml('milvus-tls', { 'tls.crt': leaf.certPem, 'tls.key': leaf.keyPem }, { type: 'kubernetes.io/tls' }),
      'd/dep.yaml': dep,
    },
    'd/dep.yaml',
  );
  assert.deepEqual(
    ds.map((d) => [d.code, d.range.start.line]),
    [['k8s-secret-key-missing', lineOf(dep, 'key: ca.crt')]],
  );
  void path;
});

test('a chart template (Go template directives) is not read as a manifest', async () => {
  const svc = serviceFor(root);
  // zilliztech/milvus-helm charts/milvus/templates/proxy-tls-secret.yaml has this shape.
  const text =
    '{{- if .Values.proxy.tls.enabled }}\napiVersion: v1\nkind: Secret\nmetadata:\n  name: {{ .Values.proxy.tls.secretName }}\ndata:\n  tls.crt: {{ .Values.proxy.tls.crt }}\ntype: kubernetes.io/tls\n{{- end }}\n';
  assert.equal(svc.kindOf({ path: path.join(root, 'templates', 'proxy-tls-secret.yaml'), text }), undefined);
});
