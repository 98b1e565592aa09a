/**
 * What an editor user sees of a TLS path no compose volume covers: one diagnostic on the milvus.yaml
 * value, whose related information opens the compose service's volumes, with the add-volume quick
 * fix; the compose file itself stays quiet about it.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LspClient } from '../support/lsp-client';
import { tmpWorkspace, writeFiles, composeYaml, milvusYaml } from '../support/workspace';
import { generateCertSet, DEFAULT_OPTIONS } from '../../server/src/service/certgen';

let c: LspClient;
let root: string;

before(async () => {
  root = tmpWorkspace('lsp-once-');
  const set = await generateCertSet(DEFAULT_OPTIONS);
  const files: Record<string, string> = {};
  for (const f of set) files['tls/' + f.name] = f.contents;
  writeFiles(root, { ...files, 'docker-compose.yml': composeYaml(), 'milvus.yaml': milvusYaml({ ca: '/etc/milvus/tls/ca.pem' }) });
  fs.mkdirSync(path.join(root, 'volumes/milvus'), { recursive: true });
  c = LspClient.ours();
  await c.initialize(root);
});

after(async () => {
  await c.shutdown();
});

test('an uncovered CA path: one diagnostic on milvus.yaml with the compose volumes as related information and the add-volume fix', async () => {
  const milvus = path.join(root, 'milvus.yaml');
  const compose = path.join(root, 'docker-compose.yml');
  const uri = URI.file(milvus).toString();
  let p = c.nextDiagnostics(uri);
  c.open(milvus, fs.readFileSync(milvus, 'utf8'), 'yaml');
  const ds = (await p).diagnostics.filter((d) => d.code === 'milvus-path-not-mounted');
  assert.equal(ds.length, 1);
  const related = ds[0].relatedInformation;
  assert.equal(related?.length, 1);
  assert.equal(related![0].location.uri, URI.file(compose).toString());
  const composeLines = fs.readFileSync(compose, 'utf8').split('\n');
  assert.match(composeLines[related![0].location.range.start.line], /\/milvus\/configs\/milvus\.yaml/);
  const actions = await c.request('textDocument/codeAction', { textDocument: { uri }, range: ds[0].range, context: { diagnostics: ds } });
  assert.ok(
    actions.some((a: { title: string }) => /volume/i.test(a.title)),
    JSON.stringify(actions.map((a: { title: string }) => a.title)),
  );

  const composeUri = URI.file(compose).toString();
  p = c.nextDiagnostics(composeUri);
  c.open(compose, fs.readFileSync(compose, 'utf8'), 'dockercompose');
  assert.deepEqual(
    (await p).diagnostics.map((d) => d.code),
    [],
  );
});
