import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { serviceFor, docOf, milvusYaml } from '../support/workspace';
import { mtlsWorkspace } from '../support/milvus-workspace';
import { applyWorkspaceEdit } from '../support/apply-edit';

async function fixAndRecheck(milvus: string, code: string, title: RegExp, mutate?: (root: string) => void) {
  const root = await mtlsWorkspace(milvus);
  mutate?.(root);
  const svc = serviceFor(root);
  const doc = docOf(root, 'milvus.yaml');
  // One finding is enough: the fix for it may settle its siblings too (one volume covers three paths).
  const diags = svc
    .validate(doc)
    .filter((d) => d.code === code)
    .slice(0, 1);
  assert.equal(diags.length, 1, `expected ${code}`);
  const actions = svc.codeActions(doc, diags);
  const a = actions.find((x) => title.test(x.title));
  assert.ok(a, `no action ${title} in ${actions.map((x) => x.title)}`);
  applyWorkspaceEdit(a!.edit!);
  return { root, action: a!, after: serviceFor(root).validate(docOf(root, 'milvus.yaml')) };
}

test('rename a misspelt key', async () => {
  const { after, root } = await fixAndRecheck(
    milvusYaml({ mode: 0 }).replace('caPemPath: /milvus/tls/ca.pem\n\ninternal', 'caPemPat: /milvus/tls/ca.pem\n\ninternal'),
    'milvus-key-unknown',
    /^Rename to caPemPath$/,
  );
  assert.deepEqual(after, []);
  assert.match(fs.readFileSync(path.join(root, 'milvus.yaml'), 'utf8'), /^ {2}caPemPath: \/milvus\/tls\/ca\.pem$/m);
});

test('set an invalid tlsMode to one of 0, 1, 2', async () => {
  const { after } = await fixAndRecheck(milvusYaml({ mode: 7 }), 'milvus-tls-mode-invalid', /^Set to 2$/);
  assert.deepEqual(after, []);
});

test('add the missing caPemPath in mode 2', async () => {
  const { after } = await fixAndRecheck(
    milvusYaml({ ca: null }),
    'milvus-tls-key-required',
    /^Add tls\.caPemPath: \/milvus\/tls\/ca\.pem$/,
  );
  assert.deepEqual(after, []);
});

test('replace a host path with the mounted container path', async () => {
  const root0 = await mtlsWorkspace();
  const { after } = await fixAndRecheck(
    milvusYaml({ server: path.join(root0, 'tls/server.pem') }).replace(root0, '__ROOT__'),
    'milvus-path-host-style',
    /^Use the container path \/milvus\/tls\/server\.pem$/,
    (root) => {
      const p = path.join(root, 'milvus.yaml');
      fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace('__ROOT__', root));
    },
  );
  assert.deepEqual(after, []);
});

test('add the missing volume to the compose file', async () => {
  const { root, after, action } = await fixAndRecheck(
    milvusYaml(),
    'milvus-path-not-mounted',
    // Written like its neighbours (${DOCKER_VOLUME_DIRECTORY:-.}/…), and the preferred fix.
    /^Add volume "\$\{DOCKER_VOLUME_DIRECTORY:-\.\}\/tls:\/etc\/milvus\/tls:ro" to service standalone$/,
    (r) => {
      const p = path.join(r, 'milvus.yaml');
      fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace(/\/milvus\/tls\//g, '/etc/milvus/tls/'));
    },
  );
  assert.deepEqual(after, []);
  assert.equal(action.isPreferred, true);
  assert.match(
    fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8'),
    /\n {6}- \$\{DOCKER_VOLUME_DIRECTORY:-\.\}\/tls:\/etc\/milvus\/tls:ro\n/,
  );
});

test('a missing certificate offers "Generate TLS certs" for its folder', async () => {
  const root = await mtlsWorkspace();
  fs.rmSync(path.join(root, 'tls/server.pem'));
  const svc = serviceFor(root);
  const doc = docOf(root, 'milvus.yaml');
  const d = svc.validate(doc).filter((x) => x.code === 'tls-file-missing');
  const a = svc.codeActions(doc, d).find((x) => x.command?.command === 'tlsConfig.server.generateCerts')!;
  assert.ok(a);
  assert.deepEqual(a.command!.arguments, [{ folder: path.join(root, 'tls') }]);
  assert.equal(URI.parse(doc.uri).fsPath, doc.path);
});

test('paths are document links to the host files', async () => {
  const root = await mtlsWorkspace();
  const links = serviceFor(root).links(docOf(root, 'milvus.yaml'));
  const targets = links.map((l) => URI.parse(l.target!).fsPath);
  assert.ok(targets.includes(path.join(root, 'tls/server.pem')));
  assert.ok(targets.includes(path.join(root, 'tls/ca.pem')));
});

test('a misspelt key whose correct spelling is already set: the fix removes the misspelt duplicate, never renames into a duplicate', async () => {
  const milvus = milvusYaml().replace(
    '  serverPemPath: /milvus/tls/server.pem\n',
    '  serverPemPath: /milvus/tls/server.pem\n  serverPemPth: /milvus/tls/old.pem\n',
  );
  const { after, root } = await fixAndRecheck(
    milvus,
    'milvus-key-unknown',
    /^Remove the misspelled duplicate serverPemPth \(serverPemPath is set\)$/,
  );
  assert.deepEqual(after, []);
  const text = fs.readFileSync(path.join(root, 'milvus.yaml'), 'utf8');
  assert.equal(text.match(/serverPemPa?t?h:/g)?.length, 2, 'tls and internaltls each keep one serverPemPath');
  assert.ok(!text.includes('serverPemPth'));
});

test('two spellings of one key: the fix removes the non-canonical one', async () => {
  const milvus = milvusYaml().replace(
    '  serverKeyPath: /milvus/tls/server.key\n',
    '  serverKeyPath: /milvus/tls/server.key\n  server_key_path: /milvus/tls/server.key\n',
  );
  const { after } = await fixAndRecheck(milvus, 'milvus-key-duplicate', /^Remove the duplicate server_key_path$/);
  assert.deepEqual(after, []);
});

test('common: {tls: …} is a misplaced block, and the fix moves it to the top level', async () => {
  const milvus = milvusYaml({ mode: 0 })
    .replace(/^tls:\n((?: {2}.*\n)+)/m, '')
    .replace('common:\n', 'common:\n  tls:\n    serverPemPath: /milvus/tls/server.pem\n');
  const { after, root } = await fixAndRecheck(milvus, 'milvus-block-misplaced', /^Move tls: to the top level$/);
  assert.deepEqual(after, []);
  assert.match(fs.readFileSync(path.join(root, 'milvus.yaml'), 'utf8'), /^tls:\n {2}serverPemPath: \/milvus\/tls\/server\.pem\n$/m);
});

test('a rename offered before the right key was written removes the misspelled key instead of making a duplicate', async () => {
  const milvus = milvusYaml().replace('  serverPemPath: /milvus/tls/server.pem\n', '  serverPemPth: /milvus/tls/server.pem\n');
  const root = await mtlsWorkspace(milvus);
  const svc = serviceFor(root);
  const before = docOf(root, 'milvus.yaml');
  const dg = svc.validate(before).find((d) => d.code === 'milvus-key-unknown');
  assert.ok(dg, 'serverPemPth is unknown');
  // The user adds the right key on the line above; the editor still holds the old diagnostic (same range: the line moved down by none).
  const edited = before.text.replace('  serverPemPth:', '  serverPemPath: /milvus/tls/server.pem\n  serverPemPth:');
  const stale = {
    ...dg!,
    range: { start: { ...dg!.range.start, line: dg!.range.start.line + 1 }, end: { ...dg!.range.end, line: dg!.range.end.line + 1 } },
  };
  fs.writeFileSync(before.path, edited);
  const doc = docOf(root, 'milvus.yaml');
  const actions = svc.codeActions(doc, [stale]);
  assert.deepEqual(
    actions.map((a) => a.title),
    ['Remove the misspelled key serverPemPth (serverPemPath is already set)'],
  );
  applyWorkspaceEdit(actions[0].edit!);
  const text = fs.readFileSync(before.path, 'utf8');
  assert.equal(text.match(/^ {2}serverPemPath:/gm)?.length, 2, 'tls and internaltls each keep exactly one serverPemPath');
  assert.ok(!text.includes('serverPemPth'));
  assert.deepEqual(serviceFor(root).validate(docOf(root, 'milvus.yaml')), []);
});

test('the legacy tlsEnabled beside tlsMode: the fix removes tlsEnabled, never renames it into a second tlsMode', async () => {
  const milvus = milvusYaml().replace('    tlsMode: 2\n', '    tlsMode: 2\n    tlsEnabled: true\n');
  const { after, root } = await fixAndRecheck(milvus, 'milvus-tls-enabled-legacy', /^Remove the legacy tlsEnabled \(tlsMode is set\)$/);
  assert.deepEqual(after, []);
  const text = fs.readFileSync(path.join(root, 'milvus.yaml'), 'utf8');
  assert.equal(text.match(/tlsMode:/g)?.length, 1);
  assert.doesNotMatch(text, /^\s*tlsEnabled:/m);
});

test('a key that does not match its certificate: the fix points the setting at the matching key in the same folder', async () => {
  const { after, root, action } = await fixAndRecheck(
    milvusYaml({ key: '/milvus/tls/client.key' }),
    'tls-key-mismatch',
    /^Use server\.key, the key of server\.pem \(.*CN=localhost\)$/,
  );
  assert.equal(action.isPreferred, true);
  assert.deepEqual(after, []);
  const text = fs.readFileSync(path.join(root, 'milvus.yaml'), 'utf8');
  assert.match(text, /^tls:\n {2}serverPemPath: \/milvus\/tls\/server\.pem\n {2}serverKeyPath: \/milvus\/tls\/server\.key\n/m);
});

test('a key mismatch without the right key in the folder offers no key to switch to', async () => {
  const root = await mtlsWorkspace(milvusYaml({ key: '/milvus/tls/client.key' }));
  fs.rmSync(path.join(root, 'tls/server.key'));
  const svc = serviceFor(root);
  const doc = docOf(root, 'milvus.yaml');
  const dg = svc.validate(doc).filter((d) => d.code === 'tls-key-mismatch');
  assert.ok(dg.length > 0);
  assert.deepEqual(
    svc.codeActions(doc, dg).map((a) => a.title),
    [],
  );
});
