import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { serviceFor, docOf } from '../support/workspace';
import { mtlsWorkspace, positionOf } from '../support/milvus-workspace';

const md = (h: { contents: unknown } | null) => (h?.contents as { value: string }).value;

test('hover on a TLS key explains it: meaning, default, which mode needs it', async () => {
  const root = await mtlsWorkspace();
  const doc = docOf(root, 'milvus.yaml');
  const h = serviceFor(root).hover(doc, positionOf(doc.text, 'caPemPath', 2));
  assert.match(md(h), /\*\*tls\.caPemPath\*\*/);
  assert.match(md(h), /Required when `common.security.tlsMode` is 2/);
  assert.match(md(h), /Default: `configs\/cert\/ca.pem`/);
  const mode = serviceFor(root).hover(doc, positionOf(doc.text, 'tlsMode', 1));
  assert.match(md(mode), /`2`: Two-way \(mutual\) TLS/);
});

test('hover on a path value decodes the certificate and names the host file', async () => {
  const root = await mtlsWorkspace();
  const doc = docOf(root, 'milvus.yaml');
  const at = positionOf(doc.text, '/milvus/tls/server.pem', 5);
  const h = serviceFor(root).hover(doc, at)!;
  const v = md(h);
  assert.ok(v.includes('Container `/milvus/tls/server.pem` (service `standalone`, docker-compose.yml) → host `tls/server.pem`'), v);
  // The status line comes right after the setting's name, before where the path leads.
  assert.match(v.split('\n').filter((l) => l !== '')[1], /^✓ SAN covers localhost · \d+ days left$/);
  assert.match(v, /^SAN DNS:localhost, IP:127\.0\.0\.1/m);
  assert.ok(!v.includes('|'), 'no table');
  assert.ok(v.split('\n').length <= 14, `short: ${v.split('\n').length} rows`);
  const link = /\[Show certificate\]\(command:tlsConfig\.server\.showCertificate\?([^)]+)\)/.exec(v);
  assert.deepEqual(JSON.parse(decodeURIComponent(link![1])), [{ path: path.join(root, 'tls/server.pem') }]);
  assert.equal(h.range!.start.line, at.line);
});

test('hover on a key path shows the key, never its material', async () => {
  const root = await mtlsWorkspace();
  const doc = docOf(root, 'milvus.yaml');
  const h = serviceFor(root).hover(doc, positionOf(doc.text, '/milvus/tls/server.key', 5))!;
  assert.match(md(h), /EC private key P-256/);
  assert.match(md(h), /PKCS#8/);
  assert.match(md(h), /✓ Belongs to server\.pem \(.*CN=localhost\)/);
  const keyBody = require('node:fs')
    .readFileSync(path.join(root, 'tls/server.key'), 'utf8')
    .split('\n')
    .filter((l: string) => l && !l.startsWith('-----'));
  for (const l of keyBody) assert.ok(!md(h).includes(l));
});

test('hover on an unmounted path says no volume covers it', async () => {
  const root = await mtlsWorkspace(require('../support/workspace').milvusYaml({ ca: '/etc/tls/ca.pem' }));
  const doc = docOf(root, 'milvus.yaml');
  assert.match(md(serviceFor(root).hover(doc, positionOf(doc.text, '/etc/tls/ca.pem', 3))), /no volume of service `standalone` covers it/);
});

test('hover on a path with a finding leads with it: the verdict of the setting, then the file', async () => {
  const { milvusYaml } = await import('../support/workspace');
  const root = await mtlsWorkspace(milvusYaml({ key: '/milvus/tls/client.key' }));
  const doc = docOf(root, 'milvus.yaml');
  const v = md(serviceFor(root).hover(doc, positionOf(doc.text, '/milvus/tls/client.key', 5)));
  const rows = v.split('\n').filter((l) => l !== '');
  assert.equal(rows[0], '**tls.serverKeyPath**');
  assert.equal(rows[1], '✗ **Private key does not match the certificate** (see Problems)');
});
