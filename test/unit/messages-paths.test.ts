/**
 * Messages name files relative to the workspace folder and lead with the verdict: the Problems panel shows one
 * line, and "/tmp/…/project/tls/server.key does not belong …" spent it on the folder. A workspace with a fault of
 * each kind in every supported file type; no message may contain the workspace's absolute path.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { makeCa, makeLeaf } from '../support/certs';
import { mtlsWorkspace } from '../support/milvus-workspace';
import { composeYaml, milvusYaml, serviceFor, writeFiles } from '../support/workspace';
import { shownPath } from '../../server/src/service/shown-path';

function walk(dir: string, out: string[] = []): string[] {
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) walk(p, out);
    else out.push(p);
  }
  return out;
}

async function faultyWorkspace(): Promise<string> {
  const root = await mtlsWorkspace(
    milvusYaml({ ca: '/milvus/tls/missing-ca.pem', sni: 'milvus.example' }),
    composeYaml(['./certs-that-do-not-exist:/milvus/extra:ro', './server-copy.pem:/milvus/tls-extra/server.pem:ro']),
  );
  const ca = await makeCa('Paths CA');
  const expired = await makeLeaf(ca, { notBefore: new Date(Date.now() - 400 * 86400_000), notAfter: new Date(Date.now() - 86400_000) });
  const cnOnly = await makeLeaf(ca, { sans: [] });
  const other = await makeLeaf(ca);
  // The key of another certificate under the name Milvus loads; an expired and a CN-only certificate beside it.
  fs.writeFileSync(path.join(root, 'tls/server.key'), other.keyPem, { mode: 0o644 });
  fs.mkdirSync(path.join(root, 'server-copy.pem'));
  writeFiles(root, {
    'tls/expired.pem': expired.certPem,
    'tls/cn-only.pem': cnOnly.certPem,
    'nginx/nginx.conf': [
      'events {}',
      'http {',
      '  server {',
      '    listen 443 ssl;',
      '    server_name www.example.test;',
      `    ssl_certificate ${path.join(root, 'tls/expired.pem')};`,
      `    ssl_certificate_key ${path.join(root, 'tls/server.key')};`,
      `    ssl_client_certificate ${path.join(root, 'nginx/missing-ca.pem')};`,
      '  }',
      '}',
      '',
    ].join('\n'),
    'pg/postgresql.conf': `ssl = on\nssl_cert_file = '${path.join(root, 'tls/cn-only.pem')}'\nssl_key_file = '${path.join(root, 'tls/server.key')}'\nssl_ca_file = 'nope.pem'\n`,
    'pg/.env': `DATABASE_URL=postgresql://db.example:5432/app?sslmode=verify-full&sslrootcert=${path.join(root, 'pg/root.crt')}\n`,
  });
  return root;
}

test('no message names a file by its absolute workspace path', async () => {
  const root = await faultyWorkspace();
  const svc = serviceFor(root);
  const messages: string[] = [];
  for (const file of walk(root)) {
    const text = fs.readFileSync(file, 'utf8');
    for (const d of svc.validate({ path: file, uri: URI.file(file).toString(), text }))
      messages.push(`${path.relative(root, file)}: ${d.code}: ${d.message}`);
  }
  // The workspace has a fault of each of these kinds; each was found, so the assertion below is about real messages.
  for (const code of ['tls-key-mismatch', 'tls-file-missing', 'compose-bind-source-missing', 'compose-bind-source-is-directory'])
    assert.ok(
      messages.some((m) => m.includes(`: ${code}: `)),
      `expected ${code} among\n${messages.join('\n')}`,
    );
  assert.ok(messages.length >= 8, messages.join('\n'));
  const leaking = messages.filter((m) => m.includes(root));
  assert.deepEqual(leaking, []);
});

test('the key mismatch leads with the verdict and names both files relative to the workspace', async () => {
  const root = await faultyWorkspace();
  const file = path.join(root, 'milvus.yaml');
  const ds = serviceFor(root).validate({ path: file, uri: URI.file(file).toString(), text: fs.readFileSync(file, 'utf8') });
  const m = String(ds.find((d) => d.code === 'tls-key-mismatch')!.message);
  assert.match(m, /^Private key does not match the certificate: tls\/server\.key is not the key of tls\/server\.pem /);
});

test('shownPath: relative to the innermost folder holding the file; outside every folder it stays absolute', () => {
  assert.equal(shownPath('/w/a/tls/server.pem', ['/w', '/w/a']), 'tls/server.pem');
  assert.equal(shownPath('/w/b/x.pem', ['/w', '/w/a']), 'b/x.pem');
  assert.equal(shownPath('/etc/ssl/x.pem', ['/w']), '/etc/ssl/x.pem');
  assert.equal(shownPath('/w', ['/w']), '/w');
});
