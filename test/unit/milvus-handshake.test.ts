/**
 * Both directions of the promise: every workspace we call clean passes a real
 * handshake (Go crypto/tls server configured as Milvus, pymilvus-like clients),
 * and every workspace a real stack rejects is flagged by us with an error.
 */
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateCertSet, DEFAULT_OPTIONS, type GeneratedFile } from '../../server/src/service/certgen';
import { goHandshake, type CertPems } from '../support/go-tls';
import { grpcHandshake } from '../support/grpc-handshake';
import { makeCa, makeLeaf, encryptKey, EKU } from '../support/certs';
import { tmpWorkspace, writeFiles, serviceFor, docOf, composeYaml, milvusYaml } from '../support/workspace';

let set: GeneratedFile[];
let other: GeneratedFile[];
const get = (s: GeneratedFile[], n: string) => s.find((f) => f.name === n)!.contents;

before(async () => {
  [set, other] = await Promise.all([generateCertSet(DEFAULT_OPTIONS), generateCertSet(DEFAULT_OPTIONS)]);
});

/** Lays the PEMs out as the TLS guide does and returns our findings for milvus.yaml plus the PEMs Milvus would load. */
function layout(p: CertPems, mode: 1 | 2) {
  const root = tmpWorkspace('hs-');
  writeFiles(root, {
    'docker-compose.yml': composeYaml(),
    'milvus.yaml': milvusYaml({ mode, ca: mode === 2 ? undefined : null }),
    'tls/ca.pem': p.ca,
    'tls/server.pem': p.serverCert,
    'tls/server.key': p.serverKey,
  });
  fs.mkdirSync(path.join(root, 'volumes/milvus'), { recursive: true });
  const errors = serviceFor(root)
    .validate(docOf(root, 'milvus.yaml'))
    .filter((d) => d.severity === 1);
  fs.rmSync(root, { recursive: true, force: true });
  return errors;
}

async function realStacks(p: CertPems, mode: 1 | 2): Promise<{ go: boolean; goClient: boolean; grpc: boolean; why: string }> {
  const [node, goC, g] = await Promise.all([
    goHandshake(p, 'localhost', mode),
    goHandshake(p, 'localhost', mode, { client: 'go' }),
    // grpc-js refuses unloadable credentials by throwing: that is a rejection too.
    grpcHandshake({
      ca: p.ca,
      cert: p.clientCert,
      key: p.clientKey,
      serverCert: p.serverCert,
      serverKey: p.serverKey,
      mode,
      serverName: 'localhost',
    }).catch((e: Error) => ({ ok: false, error: e.message })),
  ]);
  return {
    go: node.ok,
    goClient: goC.ok,
    grpc: g.ok,
    why: [node.serverError, node.clientError, goC.clientError, g.error].filter(Boolean).join(' | '),
  };
}

function base(): CertPems {
  return {
    ca: get(set, 'ca.pem'),
    serverCert: get(set, 'server.pem'),
    serverKey: get(set, 'server.key'),
    clientCert: get(set, 'client.pem'),
    clientKey: get(set, 'client.key'),
  };
}

for (const mode of [1, 2] as const) {
  test(`a correct mode-${mode} workspace is clean and every real stack accepts it`, async () => {
    const p = base();
    assert.deepEqual(layout(p, mode), []);
    const r = await realStacks(p, mode);
    assert.ok(r.go && r.goClient && r.grpc, r.why);
  });
}

type Stack = 'go' | 'goClient' | 'grpc';
const ALL: Stack[] = ['go', 'goClient', 'grpc'];

/** `rejectedBy`: the stacks that refuse it (OpenSSL-based clients still accept CN-only certificates; Go does not). */
const mistakes: { name: string; code: string; rejectedBy?: Stack[]; make: () => Promise<CertPems> }[] = [
  { name: 'key from another set', code: 'tls-key-mismatch', make: async () => ({ ...base(), serverKey: get(other, 'server.key') }) },
  {
    name: 'server cert from another CA',
    code: 'tls-cert-not-from-ca',
    make: async () => ({ ...base(), serverCert: get(other, 'server.pem'), serverKey: get(other, 'server.key') }),
  },
  { name: 'encrypted key', code: 'tls-key-encrypted', make: async () => ({ ...base(), serverKey: encryptKey(get(set, 'server.key')) }) },
  {
    name: 'key in the certificate slot',
    code: 'tls-file-wrong-kind',
    make: async () => ({ ...base(), serverCert: get(set, 'server.key') }),
  },
  ...(['cn-only', 'client-eku', 'expired'] as const).map((kind) => ({
    name: kind,
    rejectedBy: kind === 'cn-only' ? (['goClient'] as Stack[]) : ALL,
    code: { 'cn-only': 'tls-cert-no-san', 'client-eku': 'tls-cert-eku', expired: 'tls-cert-expired' }[kind],
    make: async (): Promise<CertPems> => {
      const ca = await makeCa();
      const client = await makeLeaf(ca, { cn: 'client', eku: [EKU.clientAuth] });
      const leaf =
        kind === 'cn-only'
          ? await makeLeaf(ca, { sans: [] })
          : kind === 'client-eku'
            ? await makeLeaf(ca, { eku: [EKU.clientAuth] })
            : await makeLeaf(ca, { notBefore: new Date(Date.now() - 30 * 86400_000), notAfter: new Date(Date.now() - 86400_000) });
      return { ca: ca.certPem, serverCert: leaf.certPem, serverKey: leaf.keyPem, clientCert: client.certPem, clientKey: client.keyPem };
    },
  })),
];

for (const m of mistakes) {
  test(`mistake "${m.name}": real stacks reject it and we flag ${m.code}`, async () => {
    const p = await m.make();
    const r = await realStacks(p, 2);
    for (const stack of m.rejectedBy ?? ALL)
      assert.equal(r[stack], false, `expected ${stack} to reject "${m.name}", got ${JSON.stringify(r)}`);
    const errors = layout(p, 2);
    assert.ok(
      errors.some((d) => d.code === m.code),
      `expected ${m.code}, got ${JSON.stringify(errors.map((d) => d.code))}`,
    );
  });
}
