/**
 * Generation for Kubernetes: the Secret manifest, the Helm values fragment, and the wiring edits to
 * a Milvus Operator resource and to Milvus Helm values.
 *
 * Where the files end up inside a container is worked out the way the two deployers do it, read in
 * their sources (no cluster or helm here):
 * - zilliztech/milvus-operator pkg/controllers/configmaps.go updateConfigMap: spec.config is merged
 *   into the ConfigMap's user.yaml; pkg/controllers/deployment_updater.go adds spec.components
 *   volumes and volumeMounts to every Milvus container; config/samples/external_tls.yaml is the shape
 *   the resource fixture follows (in our own words).
 * - zilliztech/milvus-helm charts/milvus/templates/configmap.yaml: extraConfigFiles.user.yaml becomes
 *   /milvus/configs/user.yaml; templates/standalone-deployment.yaml and proxy-deployment.yaml render
 *   .Values.volumes / .Values.volumeMounts; charts/milvus/values.yaml is the shape of the values fixture.
 * - A Secret volume holds one file per key of the Secret's data (Kubernetes).
 * Then the Go stand-in for Milvus (test/support/go-milvus-config) reads that configuration and loads
 * the files with crypto/tls, and openssl checks the chain.
 */
import 'reflect-metadata';
import { after, before, describe, it, test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey, createPublicKey, X509Certificate } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseAllDocuments, parseDocument } from 'yaml';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { TextEdit } from 'vscode-languageserver-types';
import { DEFAULT_OPTIONS, generateCertSet, type GeneratedFile } from '../../server/src/service/certgen';
import {
  k8sFiles,
  k8sNames,
  secretManifest,
  validateK8sOptions,
  SECRET_MANIFEST,
  VALUES_FRAGMENT,
  K8S_DEFAULTS,
} from '../../server/src/service/certgen/k8s';
import { k8sWiringEdits, planK8sWiring } from '../../server/src/service/certgen/k8s-wire';
import { classifyK8sYaml, findK8sTargets, k8sServiceNames } from '../../server/src/service/certgen/k8s-detect';
import { executeServerCommand, SERVER_COMMANDS, type CommandContext } from '../../server/src/commands';
import { LanguageService, Workspace } from '../../server/src/service';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';
import type { GenerateCertsResult } from '../../server/src/protocol';
import { tmpWorkspace, writeFiles } from '../support/workspace';
import { secretNeedles, assertNoSecret, type Needle } from '../support/secrets';
import { milvusAsGoSeesIt, goMilvusAvailable } from '../support/go-milvus-config';

const CLI = path.join(__dirname, '../../dist/cli.js');
const goSkip = goMilvusAvailable() ? false : 'needs golang-go and golang-gopkg-yaml.v2-dev (.ci/run installs them)';

let mutual: GeneratedFile[];
let oneWay: GeneratedFile[];
before(async () => {
  [mutual, oneWay] = await Promise.all([
    generateCertSet({ ...DEFAULT_OPTIONS, names: ['localhost', 'my-release-milvus.vectors.svc'] }),
    generateCertSet({ ...DEFAULT_OPTIONS, mode: 'one-way', names: ['localhost'] }),
  ]);
});

const dirs: string[] = [];
function tmp(prefix: string): string {
  const d = tmpWorkspace(prefix);
  dirs.push(d);
  return d;
}
after(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

const pemOf = (set: GeneratedFile[], name: string) => set.find((f) => f.name === name)!.contents;

interface Secret {
  metadata: { name: string; namespace?: string };
  type: string;
  data: Record<string, string>;
}

function secretsIn(text: string): Secret[] {
  const docs = parseAllDocuments(text);
  for (const d of docs) assert.deepEqual(d.errors, [], 'the manifest parses as YAML');
  return docs.map((d) => d.toJS() as Secret).filter((d) => d && (d as unknown as { kind: string }).kind === 'Secret');
}

/** A Secret volume: one file per data key, decoded (what the kubelet writes). */
function secretVolume(s: Secret): string {
  const dir = tmp('k8s-secret-');
  for (const [k, v] of Object.entries(s.data)) fs.writeFileSync(path.join(dir, k), Buffer.from(v, 'base64'));
  return dir;
}

function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function apply(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create('file:///x.yaml', 'yaml', 1, text), edits);
}

describe('the Secret manifest', () => {
  it('is kubernetes.io/tls Secrets whose base64 data decodes to the generated PEMs', () => {
    const [server, client] = secretsIn(secretManifest(mutual, k8sNames({})));
    assert.equal(server.type, 'kubernetes.io/tls');
    assert.equal(server.metadata.name, 'milvus-tls');
    assert.deepEqual(Object.keys(server.data).sort(), ['ca.crt', 'tls.crt', 'tls.key']);
    const decode = (v: string) => Buffer.from(v, 'base64').toString('utf8');
    assert.equal(decode(server.data['tls.crt']), pemOf(mutual, 'server.pem'));
    assert.equal(decode(server.data['tls.key']), pemOf(mutual, 'server.key'));
    assert.equal(decode(server.data['ca.crt']), pemOf(mutual, 'ca.pem'));
    assert.equal(client.metadata.name, 'milvus-tls-client');
    assert.equal(client.type, 'kubernetes.io/tls');
    assert.equal(decode(client.data['tls.crt']), pemOf(mutual, 'client.pem'));
    assert.equal(decode(client.data['tls.key']), pemOf(mutual, 'client.key'));
  });

  it('never carries the CA key', () => {
    const text = secretManifest(mutual, k8sNames({}));
    const caKey = pemOf(mutual, 'ca.key');
    for (const s of secretsIn(text)) for (const v of Object.values(s.data)) assert.notEqual(Buffer.from(v, 'base64').toString(), caKey);
    assertNoSecret(text, secretNeedles(caKey, 'ca.key'), 'the Secret manifest');
  });

  it('decodes to keys that match their certificates and chains openssl verifies for their purpose', () => {
    const [server, client] = secretsIn(secretManifest(mutual, k8sNames({})));
    for (const [s, purpose] of [
      [server, 'sslserver'],
      [client, 'sslclient'],
    ] as const) {
      const dir = secretVolume(s);
      const cert = new X509Certificate(fs.readFileSync(path.join(dir, 'tls.crt')));
      const key = createPrivateKey(fs.readFileSync(path.join(dir, 'tls.key')));
      assert.ok(cert.checkPrivateKey(key), `${s.metadata.name}: tls.key belongs to tls.crt`);
      const pub = openssl(['x509', '-in', 'tls.crt', '-noout', '-pubkey'], dir);
      assert.equal(openssl(['pkey', '-in', 'tls.key', '-pubout'], dir), pub);
      assert.match(openssl(['verify', '-purpose', purpose, '-CAfile', 'ca.crt', 'tls.crt'], dir), /tls\.crt: OK/);
    }
    assert.equal(createPublicKey(createPrivateKey(pemOf(mutual, 'server.key'))).export({ format: 'pem', type: 'spki' }).length > 0, true);
  });

  it('one-way TLS has one Secret; the namespace option lands in metadata', () => {
    const docs = secretsIn(secretManifest(oneWay, k8sNames({ namespace: 'vectors', secretName: 'db.tls' })));
    assert.equal(docs.length, 1);
    assert.deepEqual(docs[0].metadata, { name: 'db.tls', namespace: 'vectors', labels: { 'app.kubernetes.io/managed-by': 'tls-config' } });
    // A volume name is a DNS-1123 label: no dots.
    assert.equal(k8sNames({ secretName: 'db.tls' }).volumeName, 'db-tls');
  });

  it('a set signed by a reused CA still gets ca.crt', () => {
    const leaves = mutual.filter((f) => !f.name.startsWith('ca.'));
    const [server] = secretsIn(secretManifest(leaves, k8sNames({}), pemOf(mutual, 'ca.pem')));
    assert.equal(Buffer.from(server.data['ca.crt'], 'base64').toString(), pemOf(mutual, 'ca.pem'));
  });

  it('names Kubernetes would refuse are readable errors', () => {
    assert.deepEqual(validateK8sOptions({ secretName: 'milvus-tls', namespace: 'default' }), []);
    assert.match(validateK8sOptions({ secretName: 'Milvus_TLS' }).join(), /not a valid Kubernetes name/);
    assert.match(validateK8sOptions({ namespace: 'a.b' }).join(), /not a valid Kubernetes namespace/);
    assert.match(validateK8sOptions({ namespace: 'x'.repeat(64) }).join(), /at most 63/);
  });

  it('is written 0600 with the PEM files; the values fragment 0644', () => {
    const files = k8sFiles(mutual, k8sNames({}), 'mutual');
    assert.deepEqual(
      files.map((f) => `${f.name}${f.secret ? '*' : ''}`),
      [`${SECRET_MANIFEST}*`, VALUES_FRAGMENT],
    );
  });
});

// ---- Fixtures, in the shape of the Operator's and the chart's samples, in our own words. ----

/** Like config/samples/external_tls.yaml: a Secret and the Milvus resource in one file, with its `common.tls` slip. */
const OPERATOR_CR = `# Our Milvus, run by the operator
---
apiVersion: v1
kind: Secret
metadata:
  name: old-certs
type: Opaque
stringData:
  note: nothing secret here
---
apiVersion: milvus.io/v1beta1
kind: Milvus
metadata:
  name: my-release
  namespace: vectors
  labels:
    app: milvus
spec:
  mode: standalone   # one pod
  config:
    common:
      security:
        tlsMode: 1 # one-way for now
      # this block is ignored by Milvus where it stands
      tls:
        serverPemPath: /certs/server.pem
  components:
    image: milvusdb/milvus:v2.6.15
    # scratch space for the tests
    volumes:
      - name: scratch
        emptyDir: {}
    volumeMounts:
      - name: scratch
        mountPath: /scratch
  dependencies: {}
`;

/** Like charts/milvus/values.yaml: flow-style empty lists and a `|+` user.yaml made of comments. */
const HELM_VALUES = `## Values for our Milvus release
cluster:
  enabled: false    # standalone

# Global volumes, as the chart names them
volumes: []
volumeMounts: []

extraConfigFiles:
  user.yaml: |+
    #    For example enable rest http for milvus proxy
    #    proxy:
    #      http:
    #        enabled: true

image:
  all:
    repository: milvusdb/milvus
    tag: v2.6.15
`;

interface Wired {
  config: Record<string, unknown>;
  volumes: Array<{ name: string; secret?: { secretName: string } }>;
  mounts: Array<{ name: string; mountPath: string; readOnly?: boolean }>;
}

function operatorView(text: string): Wired {
  const doc = parseAllDocuments(text)
    .map((d) => d.toJS() as Record<string, never>)
    .find((d) => d.kind === 'Milvus')!;
  const spec = doc.spec as Record<string, Record<string, never>>;
  return { config: spec.config, volumes: spec.components.volumes, mounts: spec.components.volumeMounts };
}

function helmView(text: string): Wired {
  const v = parseDocument(text).toJS() as Record<string, never>;
  const userYaml = (v.extraConfigFiles as Record<string, string>)['user.yaml'];
  return { config: parseDocument(userYaml).toJS() as Record<string, unknown>, volumes: v.volumes, mounts: v.volumeMounts };
}

/** Each tls path of the config → the mount covering it → its volume → the Secret and the key in it. */
function followPaths(w: Wired, secret: Secret): Record<string, string> {
  const tls = w.config.tls as Record<string, string>;
  const out: Record<string, string> = {};
  for (const [k, p] of Object.entries(tls)) {
    const mount = w.mounts.find((m) => p.startsWith(m.mountPath.replace(/\/?$/, '/')));
    assert.ok(mount, `tls.${k} (${p}) is under a volumeMount`);
    const vol = w.volumes.find((v) => v.name === mount.name);
    assert.equal(vol?.secret?.secretName, secret.metadata.name, `the mount of tls.${k} is the Secret's volume`);
    const key = p.slice(mount.mountPath.replace(/\/?$/, '/').length);
    assert.ok(key in secret.data, `tls.${k} names a key the Secret has (${key})`);
    out[k] = key;
  }
  return out;
}

/** Every comment of the original is still there, in order, at the same column (a changed value keeps its comment). */
function commentsKept(before: string, afterText: string): void {
  const comment = (l: string) => (l.includes('#') ? l.slice(l.indexOf('#')) : undefined);
  const lines = afterText.split('\n');
  let i = 0;
  for (const l of before.split('\n')) {
    const c = comment(l);
    if (!c) continue;
    const whole = l.trim().startsWith('#');
    while (i < lines.length && !(whole ? lines[i] === l : comment(lines[i]) === c)) i++;
    assert.ok(i < lines.length, `comment kept as written: ${l}`);
  }
}

/** What Milvus makes of it: the user.yaml the deployer renders and the Secret mounted where the mounts say. */
async function milvusVerdict(w: Wired, secret: Secret) {
  const root = tmp('k8s-pod-');
  const userYaml = path.join(root, 'user.yaml');
  fs.writeFileSync(userYaml, parseDocument('').createNode(w.config).toString());
  const mounts = Object.fromEntries(
    w.mounts.filter((m) => w.volumes.find((v) => v.name === m.name)?.secret).map((m) => [m.mountPath, secretVolume(secret)]),
  );
  return milvusAsGoSeesIt({ files: { '/milvus/configs/user.yaml': userYaml }, mounts, http: true });
}

for (const [label, flavor, fixture, view] of [
  ['a Milvus Operator resource', 'operator', OPERATOR_CR, operatorView],
  ['Milvus Helm values', 'helm', HELM_VALUES, helmView],
] as const) {
  describe(`wiring ${label}`, () => {
    const names = k8sNames({});
    const wire = (text: string, mode: 'mutual' | 'one-way' = 'mutual') => k8sWiringEdits(text, { flavor, prefix: [] }, names, mode);

    it('points every tls path at a key of the Secret through a volumeMount of its volume', () => {
      const out = apply(fixture, wire(fixture).edits);
      const w = view(out);
      const [server] = secretsIn(secretManifest(mutual, names));
      assert.deepEqual(followPaths(w, server), { serverPemPath: 'tls.crt', serverKeyPath: 'tls.key', caPemPath: 'ca.crt' });
      assert.deepEqual(
        w.mounts.find((m) => m.name === names.volumeName),
        { name: 'milvus-tls', mountPath: K8S_DEFAULTS.mountPath, readOnly: true },
      );
      assert.equal((w.config.common as { security: { tlsMode: number } }).security.tlsMode, 2);
    });

    it('keeps comments, other keys and other list items as they were', () => {
      const out = apply(fixture, wire(fixture).edits);
      commentsKept(fixture, out);
      const lines = out.split('\n');
      for (const keep of flavor === 'operator'
        ? ['  mode: standalone   # one pod', '      - name: scratch', '  dependencies: {}']
        : ['  enabled: false    # standalone', '    tag: v2.6.15'])
        assert.ok(lines.includes(keep), `kept: ${keep}`);
      for (const d of parseAllDocuments(out)) assert.deepEqual(d.errors, [], 'valid YAML without duplicate keys');
    });

    it('a second run changes nothing and duplicates no key', () => {
      const once = apply(fixture, wire(fixture).edits);
      const again = wire(once);
      assert.deepEqual(again.edits, []);
      // Only the note about the fixture's misplaced common.tls block remains.
      assert.deepEqual(
        again.changes.map((c) => c.split(' is ')[0]),
        flavor === 'operator' ? ['note: spec.config.common.tls'] : [],
      );
      const w = view(once);
      assert.equal(w.volumes.filter((v) => v.name === 'milvus-tls').length, 1);
      assert.equal(w.mounts.filter((m) => m.mountPath === K8S_DEFAULTS.mountPath).length, 1);
    });

    it('moving from mutual to one-way TLS changes tlsMode in place', () => {
      const once = apply(fixture, wire(fixture).edits);
      const r = wire(once, 'one-way');
      assert.deepEqual(
        r.changes.filter((c) => !c.startsWith('note')),
        [
          flavor === 'operator'
            ? 'set spec.config.common.security.tlsMode: 2 → 1'
            : 'extraConfigFiles.user.yaml: set common.security.tlsMode: 2 → 1',
        ],
      );
      const w = view(apply(once, r.edits));
      assert.equal((w.config.common as { security: { tlsMode: number } }).security.tlsMode, 1);
    });

    it('Milvus (Go stand-in) starts with TLS from what the deployer renders', { skip: goSkip }, async () => {
      const w = view(apply(fixture, wire(fixture).edits));
      const [server] = secretsIn(secretManifest(mutual, names));
      const verdict = await milvusVerdict(w, server);
      assert.equal(verdict.startError, undefined, JSON.stringify(verdict));
      assert.equal(verdict.tlsMode, 2);
      assert.equal(verdict.values?.['tls.serverPemPath'], '/etc/milvus/certs/tls.crt');
      assert.equal(verdict.values?.['tls.caPemPath'], '/etc/milvus/certs/ca.crt');
      assert.equal(verdict.values?.['proxy.http.port'], '8080');
      // The same configuration without the Secret mounted does not start: the mounts carry it.
      const unmounted = await milvusVerdict({ ...w, mounts: [] }, server);
      assert.match(unmounted.startError ?? '', /no such file/);
    });
  });
}

describe('wiring edge cases', () => {
  const names = k8sNames({});

  it('the Operator sample slip (tls under common) is named and left alone', () => {
    const r = k8sWiringEdits(OPERATOR_CR, { flavor: 'operator', prefix: [] }, names, 'mutual');
    assert.ok(r.changes.some((c) => /spec\.config\.common\.tls is not read by Milvus/.test(c)));
    assert.ok(apply(OPERATOR_CR, r.edits).includes('        serverPemPath: /certs/server.pem'));
  });

  it('keys Milvus reads case- and separator-insensitively are updated where they are, not added twice', () => {
    const cr = [
      'apiVersion: milvus.io/v1beta1',
      'kind: Milvus',
      'metadata:',
      '  name: m',
      'spec:',
      '  config:',
      '    common.security.tlsMode: 1',
      '    TLS:',
      '      server_pem_path: /old/server.pem',
      '    proxy:',
      '      http:',
      '        enabled: false',
      '',
    ].join('\n');
    const out = apply(cr, k8sWiringEdits(cr, { flavor: 'operator', prefix: [] }, names, 'mutual').edits);
    const config = operatorView(out).config as Record<string, Record<string, unknown>>;
    assert.equal(config['common.security.tlsMode'], 2);
    assert.equal(config.common, undefined);
    assert.equal(config.TLS.server_pem_path, '/etc/milvus/certs/tls.crt');
    assert.equal(config.tls, undefined);
    // REST off: no port to move.
    assert.deepEqual(config.proxy, { http: { enabled: false } });
  });

  it('a flow `config: {}` and a missing components block become block YAML', () => {
    const cr = 'apiVersion: milvus.io/v1beta1\nkind: Milvus\nmetadata:\n  name: m\nspec:\n  config: {}\n';
    const out = apply(cr, k8sWiringEdits(cr, { flavor: 'operator', prefix: [] }, names, 'one-way').edits);
    assert.doesNotMatch(out, /[{}]/);
    const w = operatorView(out);
    assert.deepEqual(w.config.tls, { serverPemPath: '/etc/milvus/certs/tls.crt', serverKeyPath: '/etc/milvus/certs/tls.key' });
    assert.deepEqual(w.config.proxy, { http: { port: 8080 } });
  });

  it('Helm values without extraConfigFiles get a user.yaml block; an umbrella chart gets it under its key', () => {
    const text = 'milvus:\n  cluster:\n    enabled: false\nother: 1\n';
    const out = apply(text, k8sWiringEdits(text, { flavor: 'helm', prefix: ['milvus'] }, names, 'mutual').edits);
    const v = parseDocument(out).toJS() as { milvus: Record<string, never>; other: number };
    assert.equal(v.other, 1);
    const w = helmView(parseDocument('').createNode(v.milvus).toString());
    assert.equal((w.config.tls as Record<string, string>).caPemPath, '/etc/milvus/certs/ca.crt');
    assert.match(out, /^ {2}extraConfigFiles:\n {4}user\.yaml: \|\n {6}tls:/m);
  });

  it('a volume of the same name pointing at another Secret is replaced, not duplicated', () => {
    const text = 'volumes:\n  - name: milvus-tls\n    secret:\n      secretName: stale\nvolumeMounts: []\n';
    const r = k8sWiringEdits(text, { flavor: 'helm', prefix: [] }, names, 'one-way');
    const v = parseDocument(apply(text, r.edits)).toJS() as { volumes: unknown[] };
    assert.deepEqual(v.volumes, [{ name: 'milvus-tls', secret: { secretName: 'milvus-tls' } }]);
    assert.ok(r.changes.includes('replace volumes item milvus-tls'));
  });

  it('customConfigMap makes the chart ignore extraConfigFiles: said, and only the mounts are added', () => {
    const text = 'customConfigMap: my-config\n';
    const r = k8sWiringEdits(text, { flavor: 'helm', prefix: [] }, names, 'mutual');
    assert.ok(r.changes.some((c) => /customConfigMap \(my-config\) is set/.test(c)));
    assert.doesNotMatch(apply(text, r.edits), /extraConfigFiles/);
  });

  it('broken YAML is not edited', () => {
    for (const flavor of ['operator', 'helm'] as const) {
      const text = flavor === 'operator' ? 'kind: Milvus\napiVersion: milvus.io/v1beta1\nspec: [\n' : 'volumes: [\n';
      const r = k8sWiringEdits(text, { flavor, prefix: [] }, names, 'mutual');
      assert.deepEqual(r.edits, []);
      assert.match(r.changes.join(), /YAML errors/);
    }
  });

  it('mangled files never throw, and valid YAML stays valid YAML (seeded mutations of both fixtures)', () => {
    let seed = 20261201;
    const rnd = () => (seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff;
    const bits = [
      '\n',
      ' ',
      '  ',
      ': ',
      '- ',
      '#',
      '{}',
      '[]',
      '|',
      '|+',
      '~',
      'tls:',
      'config:',
      'volumes:',
      '"',
      '---\n',
      '&a ',
      '*a',
      '? ',
    ];
    let edited = 0;
    for (let i = 0; i < 600; i++) {
      let t = [OPERATOR_CR, HELM_VALUES][i % 2];
      for (let j = 0; j < 1 + Math.floor(rnd() * 3); j++) {
        const at = Math.floor(rnd() * t.length);
        t =
          rnd() < 0.6
            ? t.slice(0, at) + bits[Math.floor(rnd() * bits.length)] + t.slice(at)
            : t.slice(0, at) + t.slice(at + Math.floor(rnd() * 8));
      }
      const valid = parseAllDocuments(t).every((d) => !('errors' in d) || d.errors.length === 0);
      for (const flavor of ['operator', 'helm'] as const) {
        const r = k8sWiringEdits(t, { flavor, prefix: [] }, names, 'mutual');
        if (r.edits.length) edited++;
        const out = apply(t, r.edits);
        if (valid)
          assert.ok(
            parseAllDocuments(out).every((d) => !('errors' in d) || d.errors.length === 0),
            `broke valid YAML: ${JSON.stringify(t)}`,
          );
        else assert.deepEqual(r.edits, []);
      }
    }
    assert.ok(edited > 100, `most mutations are still edited (${edited})`);
  });

  it('CRLF files get CRLF lines', () => {
    const text = HELM_VALUES.replace(/\n/g, '\r\n');
    const out = apply(text, k8sWiringEdits(text, { flavor: 'helm', prefix: [] }, names, 'mutual').edits);
    assert.doesNotMatch(out.replace(/\r\n/g, ''), /\n/);
  });
});

describe('is the workspace a Kubernetes one', () => {
  it('a Milvus resource, with its name and namespace', () => {
    assert.deepEqual(classifyK8sYaml('/w/milvus.yaml', OPERATOR_CR), {
      flavor: 'operator',
      file: '/w/milvus.yaml',
      name: 'my-release',
      namespace: 'vectors',
      prefix: [],
      service: 'my-release-milvus',
    });
  });

  it('values beside the Milvus chart, beside an umbrella chart, or with the chart keys', () => {
    assert.equal(classifyK8sYaml('/c/values.yaml', 'image: {}\n', 'apiVersion: v2\nname: milvus\n')?.flavor, 'helm');
    assert.deepEqual(
      classifyK8sYaml('/c/values-prod.yaml', 'db:\n  x: 1\n', 'name: stack\ndependencies:\n  - name: milvus\n    alias: vectors\n')?.prefix,
      ['vectors'],
    );
    assert.equal(classifyK8sYaml('/c/my-values.yaml', HELM_VALUES)?.flavor, 'helm');
    // The chart names its Service milvus.fullname: fullnameOverride when set.
    const named = classifyK8sYaml('/c/values.yaml', 'fullnameOverride: vdb\n', 'name: milvus\n')!;
    assert.equal(named.service, 'vdb');
    assert.deepEqual(k8sServiceNames(named, 'ai'), ['vdb', 'vdb.ai', 'vdb.ai.svc', 'vdb.ai.svc.cluster.local']);
  });

  it('other YAML is not: milvus.yaml, compose, an Ingress, a values file of another chart, garbage', () => {
    assert.equal(classifyK8sYaml('/w/milvus.yaml', 'tls:\n  serverPemPath: /x\n'), undefined);
    assert.equal(classifyK8sYaml('/w/docker-compose.yml', 'services:\n  standalone:\n    image: milvusdb/milvus\n'), undefined);
    assert.equal(classifyK8sYaml('/w/ing.yaml', 'apiVersion: networking.k8s.io/v1\nkind: Ingress\n'), undefined);
    assert.equal(classifyK8sYaml('/w/values.yaml', 'replicaCount: 1\n', 'name: nginx\n'), undefined);
    assert.equal(classifyK8sYaml('/w/values.yaml', '\u0000\u0001: [\n'), undefined);
    assert.equal(classifyK8sYaml('/w/x.yaml', 'kind: Milvus\napiVersion: example.com/v1\n'), undefined);
  });

  it("our own values fragment in the folder is not taken for the user's values", () => {
    const root = tmp('k8s-detect-');
    writeFiles(root, { [`tls/${VALUES_FRAGMENT}`]: 'extraConfigFiles: {}\n' });
    assert.deepEqual(findK8sTargets(path.join(root, 'tls'), new Workspace([root], { ...DEFAULT_SETTINGS })), []);
  });
});

describe('the generateCerts command in a Kubernetes workspace', () => {
  function context(root: string) {
    const ws = new Workspace([root], { ...DEFAULT_SETTINGS });
    const said: string[] = [];
    const applied: unknown[] = [];
    const ctx: CommandContext = {
      ws,
      service: new LanguageService(ws),
      openText: () => undefined,
      editor: {
        showMessage: (_k, t) => said.push(t),
        applyEdit: async (e) => {
          applied.push(e);
          return true;
        },
      },
    };
    return { ctx, said, applied };
  }

  it('writes the set and the Secret next to the resource, and applies the wiring as one edit', async () => {
    const root = tmp('k8s-cmd-');
    writeFiles(root, { 'deploy/milvus.yaml': OPERATOR_CR });
    const { ctx, said, applied } = context(root);
    const r = (await executeServerCommand(
      SERVER_COMMANDS.generateCerts,
      [{ folder: path.join(root, 'deploy') }],
      ctx,
    )) as GenerateCertsResult;
    assert.ok(r.status === 'written' && r.kubernetes, r.message);

    assert.equal(r.out, path.join(root, 'deploy', 'tls'));
    const manifest = path.join(r.out, SECRET_MANIFEST);
    assert.equal(fs.statSync(manifest).mode & 0o777, 0o600);
    assert.equal(fs.statSync(path.join(r.out, 'server.key')).mode & 0o777, 0o600);
    assert.equal(r.wiring.applied, true);
    assert.equal(applied.length, 1);
    assert.equal(r.kubernetes.edit.documentChanges?.length, 1, 'one file, one edit');
    // The namespace comes from the resource, and the Service name is in the certificate.
    const [server] = secretsIn(fs.readFileSync(manifest, 'utf8'));
    assert.equal(server.metadata.namespace, 'vectors');
    const cert = new X509Certificate(Buffer.from(server.data['tls.crt'], 'base64'));
    assert.match(cert.subjectAltName ?? '', /DNS:my-release-milvus\.vectors\.svc\.cluster\.local/);
    assert.ok(r.kubernetes.apply[0].startsWith('kubectl apply -n vectors -f '));

    // Nothing that says or returns anything holds key material.
    const needles: Needle[] = [];
    for (const k of ['ca.key', 'server.key', 'client.key']) {
      const pem = fs.readFileSync(path.join(r.out, k), 'utf8');
      needles.push(...secretNeedles(pem, k), { what: `${k} as Secret data`, text: Buffer.from(pem).toString('base64').slice(0, 40) });
    }
    for (const s of secretsIn(fs.readFileSync(manifest, 'utf8')))
      needles.push({ what: `${s.metadata.name} tls.key data`, text: s.data['tls.key'].slice(0, 40) });
    assertNoSecret(JSON.stringify(r), needles, 'the command result');
    assertNoSecret(said.join('\n'), needles, 'the messages shown');
    assertNoSecret(JSON.stringify(applied), needles, 'the workspace edit');
  });

  it('refuses to overwrite a set that is there, and changes nothing', async () => {
    const root = tmp('k8s-cmd-');
    writeFiles(root, { 'milvus.yaml': OPERATOR_CR, [`tls/${SECRET_MANIFEST}`]: 'keep me\n' });
    const { ctx } = context(root);
    const r = (await executeServerCommand(SERVER_COMMANDS.generateCerts, [{ folder: root, layout: 'k8s' }], ctx)) as {
      status: string;
      existing: string[];
    };
    assert.equal(r.status, 'refused');
    assert.deepEqual(r.existing, [path.join(root, 'tls', SECRET_MANIFEST)]);
    assert.deepEqual(fs.readdirSync(path.join(root, 'tls')), [SECRET_MANIFEST]);
    assert.equal(fs.readFileSync(path.join(root, 'tls', SECRET_MANIFEST), 'utf8'), 'keep me\n');
  });

  it('the defaults tell a client the workspace is a Kubernetes one; the wiring command plans the same edit', async () => {
    const root = tmp('k8s-cmd-');
    writeFiles(root, { 'chart/Chart.yaml': 'apiVersion: v2\nname: milvus\n', 'chart/values.yaml': HELM_VALUES });
    const { ctx } = context(root);
    const d = (await executeServerCommand(SERVER_COMMANDS.defaults, [{ folder: path.join(root, 'chart') }], ctx)) as {
      kubernetes?: { flavor: string; file: string };
    };
    assert.deepEqual(d.kubernetes, { flavor: 'helm', file: path.join(root, 'chart', 'values.yaml'), prefix: [] });
    const plan = planK8sWiring({ file: path.join(root, 'chart', 'values.yaml'), mode: 2 }, ctx.ws);
    const viaCommand = await executeServerCommand(
      SERVER_COMMANDS.kubernetesWiring,
      [{ file: path.join(root, 'chart', 'values.yaml'), mode: 2 }],
      ctx,
    );
    assert.deepEqual(viaCommand, plan);
    assert.ok(plan.summary.includes('values.yaml: add volumes item milvus-tls'));
  });

  it('a bad namespace is an error before any key is made', async () => {
    const root = tmp('k8s-cmd-');
    writeFiles(root, { 'milvus.yaml': OPERATOR_CR });
    const { ctx, said } = context(root);
    await assert.rejects(
      executeServerCommand(SERVER_COMMANDS.generateCerts, [{ folder: root, layout: 'k8s', namespace: 'Not_OK' }], ctx),
      /namespace/,
    );
    assert.equal(fs.existsSync(path.join(root, 'tls')), false);
    assert.match(said.join(), /not a valid Kubernetes namespace/);
  });
});

test('CLI generate --layout k8s writes the Secret next to the files, refuses to overwrite, prints what to apply', () => {
  const root = tmp('k8s-cli-');
  writeFiles(root, { 'milvus.yaml': OPERATOR_CR });
  const out = path.join(root, 'tls');
  const run = (...a: string[]) =>
    spawnSync(process.execPath, [CLI, 'generate', '--out', out, '--layout', 'k8s', ...a], { encoding: 'utf8' });
  const r = run('--secret-name', 'vector-tls');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(
    fs.readdirSync(out).sort(),
    ['ca.key', 'ca.pem', 'client.key', 'client.pem', SECRET_MANIFEST, VALUES_FRAGMENT, 'server.key', 'server.pem'].sort(),
  );
  assert.equal(fs.statSync(path.join(out, SECRET_MANIFEST)).mode & 0o777, 0o600);
  assert.equal(fs.statSync(path.join(out, VALUES_FRAGMENT)).mode & 0o777, 0o644);
  const [server, client] = secretsIn(fs.readFileSync(path.join(out, SECRET_MANIFEST), 'utf8'));
  assert.deepEqual([server.metadata.name, client.metadata.name, server.metadata.namespace], ['vector-tls', 'vector-tls-client', 'vectors']);
  assert.match(r.stdout, new RegExp(`kubectl apply -n vectors -f ${out}/${SECRET_MANIFEST}`));
  assert.match(r.stdout, /milvus\.yaml: add spec\.components\.volumes item vector-tls/);
  assert.equal(fs.readFileSync(path.join(root, 'milvus.yaml'), 'utf8'), OPERATOR_CR, 'the CLI prints the wiring, it does not edit');
  const needles = ['server.key', 'client.key', 'ca.key'].flatMap((k) => secretNeedles(fs.readFileSync(path.join(out, k), 'utf8'), k));
  assertNoSecret(r.stdout + r.stderr, needles, 'the CLI output');

  const before = fs.readFileSync(path.join(out, SECRET_MANIFEST), 'utf8');
  const again = run();
  assert.equal(again.status, 2);
  assert.match(again.stderr, /already exist/);
  assert.equal(fs.readFileSync(path.join(out, SECRET_MANIFEST), 'utf8'), before);
  assert.equal(run('--force').status, 0);
  assert.notEqual(fs.readFileSync(path.join(out, SECRET_MANIFEST), 'utf8'), before);
  assert.match(
    spawnSync(process.execPath, [CLI, 'generate', '--out', out, '--layout', 'helm'], { encoding: 'utf8' }).stderr,
    /unknown --layout helm/,
  );
  assert.match(run('--force', '--namespace', 'Bad_NS').stderr, /not a valid Kubernetes namespace/);
});
