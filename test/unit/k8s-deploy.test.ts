/**
 * The Kubernetes deploy context on its own: how kubelet places a secret volume's files (one per key
 * under mountPath; with `items`, only the listed keys at their `path`; with `subPath`, mountPath is
 * that one entry — k8s.io/api core/v1 SecretVolumeSource, VolumeMount docs), and how a Secret is
 * found by name and namespace across the workspace, through the Workspace's trust and overlays.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpWorkspace, writeFiles } from '../support/workspace';
import { Workspace } from '../../server/src/service';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';
import { parseManifests, get } from '../../server/src/service/deploy/k8s/manifest';
import { readMounts, readVolumes, mountFor, type K8sContainerContext } from '../../server/src/service/deploy/k8s/volumes';
import { decodeBase64, secretsIn } from '../../server/src/service/deploy/k8s/secrets';
import { resolveInPod } from '../../server/src/service/deploy/k8s/resolve';

const root = tmpWorkspace('k8s-deploy-');
after(() => fs.rmSync(root, { recursive: true, force: true }));

const POD = (mounts: string, volume: string) => `spec:
  mounts:
${mounts}
  volumes:
    - name: certs
${volume}
`;

function ctx(mounts: string, volume: string): K8sContainerContext {
  const f = parseManifests(POD(mounts, volume));
  return {
    kind: 'k8s',
    manifestPath: path.join(root, 'pod.yaml'),
    label: 'the pod',
    mounts: readMounts(f, get(f.docs[0].contents, 'spec', 'mounts')),
    volumes: readVolumes(f, get(f.docs[0].contents, 'spec', 'volumes')),
  };
}

test('a mount without subPath shows one file per Secret key under mountPath; the deepest mount wins', () => {
  const c = ctx(
    '    - {name: certs, mountPath: /certs}\n    - {name: other, mountPath: /certs/ca}',
    '      secret: {secretName: s}\n    - name: other\n      configMap: {name: cm}',
  );
  assert.deepEqual((({ kind, key, via }) => ({ kind, key, via }))(mountFor('/certs/server.pem', c) as never), {
    kind: 'secret',
    key: 'server.pem',
    via: 'path',
  });
  assert.equal(mountFor('/certs/ca/ca.pem', c).kind, 'not-secret');
  assert.equal(mountFor('/certsx/server.pem', c).kind, 'no-mount');
  assert.equal(mountFor('/other/server.pem', c).kind, 'no-mount');
});

test('with subPath the mountPath is the one key named; with items only the listed keys exist, at their paths', () => {
  const sub = ctx('    - {name: certs, mountPath: /etc/tls/server.pem, subPath: tls.crt}', '      secret: {secretName: s}');
  const hit = mountFor('/etc/tls/server.pem', sub);
  assert.equal(hit.kind === 'secret' && `${hit.key} ${hit.via}`, 'tls.crt subPath');
  assert.equal(mountFor('/etc/tls/server.key', sub).kind, 'no-mount');
  const items = ctx(
    '    - {name: certs, mountPath: /certs}',
    '      secret:\n        secretName: s\n        items:\n          - {key: tls.crt, path: server.pem}',
  );
  const a = mountFor('/certs/server.pem', items);
  assert.equal(a.kind === 'secret' && `${a.key} ${a.via}`, 'tls.crt item');
  const b = mountFor('/certs/tls.crt', items);
  assert.equal(b.kind === 'secret' && b.notProjected, true);
});

test('a mount naming no volume is volume-missing', () => {
  const c = ctx('    - {name: typo, mountPath: /certs}', '      secret: {secretName: s}');
  assert.equal(mountFor('/certs/a.pem', c).kind, 'volume-missing');
});

test('Secret data is base64 as the API server reads it; stringData wins over data for one key', () => {
  assert.equal(decodeBase64(Buffer.from('hello').toString('base64')), 'hello');
  assert.equal(decodeBase64('aGVsbG8'), undefined, 'unpadded');
  assert.equal(decodeBase64('not base64!'), undefined);
  const f = parseManifests(
    `apiVersion: v1\nkind: Secret\nmetadata: {name: s}\ndata:\n  a: ${Buffer.from('from data').toString('base64')}\nstringData:\n  a: from stringData\n`,
  );
  assert.equal(secretsIn(f, '/x.yaml')[0].byKey.get('a')?.content, 'from stringData');
});

test('a Secret is found by name and namespace in the workspace, nearest first; an untrusted workspace reads nothing', () => {
  const secret = (ns: string, v: string) =>
    `apiVersion: v1\nkind: Secret\nmetadata:\n  name: certs\n  namespace: ${ns}\nstringData:\n  server.pem: ${v}\n`;
  writeFiles(root, { 'prod/secret.yaml': secret('prod', 'prod-one'), 'dev/secret.yaml': secret('dev', 'dev-one'), 'dev/app/pod.yaml': '' });
  const ws = new Workspace([root], { ...DEFAULT_SETTINGS });
  const c = {
    ...ctx('    - {name: certs, mountPath: /certs}', '      secret: {secretName: certs}'),
    manifestPath: path.join(root, 'dev/app/pod.yaml'),
  };
  const inProd = resolveInPod('/certs/server.pem', { ...c, namespace: 'prod' }, [], ws);
  assert.equal(inProd.ok && inProd.entry.content, 'prod-one');
  const nearest = resolveInPod('/certs/server.pem', c, [], ws);
  assert.equal(nearest.ok && nearest.entry.content, 'dev-one');
  const none = resolveInPod('/certs/server.pem', { ...c, namespace: 'staging' }, [], ws);
  assert.equal(!none.ok && none.reason, 'secret-not-found');
  const untrusted = new Workspace([root], { ...DEFAULT_SETTINGS, trusted: false });
  const u = resolveInPod('/certs/server.pem', c, [], untrusted);
  assert.equal(!u.ok && u.reason, 'untrusted');
  // An open, unsaved Secret wins over its file on disk.
  ws.setOverlay(path.join(root, 'dev/secret.yaml'), secret('dev', 'edited'), 2);
  const open = resolveInPod('/certs/server.pem', c, [], ws);
  assert.equal(open.ok && open.entry.content, 'edited');
});

test('base64 wrapped in a | block decodes; folded onto one line with spaces it does not (encoding/json refuses spaces)', () => {
  const b = Buffer.from('x'.repeat(100)).toString('base64');
  assert.equal(decodeBase64(`${b.slice(0, 76)}\n${b.slice(76)}\n`), 'x'.repeat(100));
  assert.equal(decodeBase64(`${b.slice(0, 76)} ${b.slice(76)}`), undefined);
});
