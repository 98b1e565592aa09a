import { test } from 'node:test';
import assert from 'node:assert/strict';
import { serviceFor, milvusYaml } from '../support/workspace';
import { mtlsWorkspace } from '../support/milvus-workspace';
import { URI } from 'vscode-uri';
import * as path from 'node:path';

function docWith(root: string, text: string) {
  const p = path.join(root, 'milvus.yaml');
  return { path: p, uri: URI.file(p).toString(), text };
}

test('keys of the tls block, without the ones already present', async () => {
  const base = milvusYaml({ ca: null });
  const text = base.replace('  serverKeyPath: /milvus/tls/server.key\n', '  serverKeyPath: /milvus/tls/server.key\n  \n');
  const root = await mtlsWorkspace(text);
  const line = text.split('\n').findIndex((l) => l === '  ');
  const items = serviceFor(root).completion(docWith(root, text), { line, character: 2 });
  assert.deepEqual(
    items.map((i) => i.label),
    ['caPemPath'],
  );
  assert.equal(items[0].insertText, 'caPemPath: ');
});

test('tlsMode values with their meaning', async () => {
  const text = milvusYaml().replace('tlsMode: 2', 'tlsMode: ');
  const root = await mtlsWorkspace(text);
  const line = text.split('\n').findIndex((l) => l.includes('tlsMode:'));
  const items = serviceFor(root).completion(docWith(root, text), { line, character: text.split('\n')[line].length });
  assert.deepEqual(
    items.map((i) => [i.label, i.detail]),
    [
      ['0', 'No TLS (default)'],
      ['1', 'One-way TLS: clients verify the server'],
      ['2', 'Two-way (mutual) TLS: the server also verifies client certificates'],
    ],
  );
});

test('path values: container paths the mounts make available, filtered to the right kind', async () => {
  const text = milvusYaml().replace('serverKeyPath: /milvus/tls/server.key', 'serverKeyPath: ');
  const root = await mtlsWorkspace(text);
  const line = text.split('\n').findIndex((l) => l.includes('serverKeyPath:'));
  const items = serviceFor(root).completion(docWith(root, text), { line, character: text.split('\n')[line].length });
  assert.deepEqual(
    items.map((i) => i.label),
    ['/milvus/tls/ca.key', '/milvus/tls/client.key', '/milvus/tls/server.key'],
  );
  const certLine = text.split('\n').findIndex((l) => l.includes('  serverPemPath:'));
  const certText = text.replace('serverPemPath: /milvus/tls/server.pem', 'serverPemPath: /milvus/');
  const certs = serviceFor(root).completion(docWith(root, certText), { line: certLine, character: certText.split('\n')[certLine].length });
  assert.deepEqual(
    certs.map((i) => i.label),
    ['/milvus/tls/ca.pem', '/milvus/tls/client.pem', '/milvus/tls/server.pem'],
  );
});

test('outside the TLS blocks there is nothing to complete', async () => {
  const text = milvusYaml();
  const root = await mtlsWorkspace(text);
  assert.deepEqual(serviceFor(root).completion(docWith(root, text), { line: 1, character: 2 }), []);
});
