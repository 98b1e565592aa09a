/**
 * The server commands behind two hover and quick-fix links: "Show certificate" (the full decode of a PEM file or
 * one block) and chmod 600 on a readable private key, which only ever changes a regular key file in the workspace.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { executeServerCommand, SERVER_COMMANDS, type CommandContext } from '../../server/src/commands';
import { LanguageService, Workspace } from '../../server/src/service';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';
import type { FixKeyPermissionsResult, ShowCertificateResult } from '../../server/src/protocol';
import { mtlsWorkspace } from '../support/milvus-workspace';
import { docOf, tmpWorkspace } from '../support/workspace';
import { keyBodyLines } from '../support/pem-fixtures';

function context(root: string, trusted = true): CommandContext & { said: string[] } {
  const ws = new Workspace([root], { ...DEFAULT_SETTINGS, trusted });
  const said: string[] = [];
  return { ws, service: new LanguageService(ws, {}), openText: () => undefined, editor: { showMessage: (_k, t) => said.push(t) }, said };
}

const mode = (f: string) => (fs.statSync(f).mode & 0o777).toString(8);

test('Show certificate: the full decode of every block, named relative to the workspace, no key material', async () => {
  const root = await mtlsWorkspace();
  const ctx = context(root);
  const file = path.join(root, 'tls/server.pem');
  const r = (await executeServerCommand(
    SERVER_COMMANDS.showCertificate,
    [{ uri: URI.file(file).toString() }],
    ctx,
  )) as ShowCertificateResult;
  assert.equal(r.title, 'tls/server.pem');
  assert.equal(r.blocks, 1);
  assert.match(r.markdown, /^# tls\/server\.pem\n\n## Certificate .*CN=localhost \(line 1\)\n\n✓ /);
  for (const field of [
    '- Subject:',
    '- Issuer:',
    '- Serial:',
    '- Valid until:',
    '- Subject alt names:',
    '- SHA-256 fingerprint:',
    '- Extended key usage:',
  ])
    assert.ok(r.markdown.includes(field), field);
  assert.ok(!r.markdown.includes('|---'));
  assert.ok(!r.markdown.includes(root));
  const keyFile = path.join(root, 'tls/server.key');
  const k = (await executeServerCommand(SERVER_COMMANDS.showCertificate, [{ path: keyFile }], ctx)) as ShowCertificateResult;
  assert.match(k.markdown, /- Public key SHA-256: `[0-9a-f]{64}`/);
  for (const line of keyBodyLines(fs.readFileSync(keyFile, 'utf8'))) assert.ok(!k.markdown.includes(line), 'key material');
});

test('Show certificate: one block by line; a file outside the workspace or in Restricted Mode is refused', async () => {
  const root = await mtlsWorkspace();
  const bundle = path.join(root, 'tls/bundle.pem');
  fs.writeFileSync(
    bundle,
    fs.readFileSync(path.join(root, 'tls/server.pem'), 'utf8') + fs.readFileSync(path.join(root, 'tls/ca.pem'), 'utf8'),
  );
  const second = fs
    .readFileSync(bundle, 'utf8')
    .split('\n')
    .findIndex((l, i) => i > 0 && l.startsWith('-----BEGIN'));
  const one = (await executeServerCommand(
    SERVER_COMMANDS.showCertificate,
    [{ path: bundle, line: second + 1 }],
    context(root),
  )) as ShowCertificateResult;
  assert.equal(one.blocks, 1);
  assert.match(one.markdown, /## CA certificate/);
  await assert.rejects(
    executeServerCommand(SERVER_COMMANDS.showCertificate, [{ path: '/etc/ssl/certs/ca-certificates.crt' }], context(root)),
    /outside the workspace/,
  );
  await assert.rejects(executeServerCommand(SERVER_COMMANDS.showCertificate, [{ path: bundle }], context(root, false)), /not trusted/);
  await assert.rejects(executeServerCommand(SERVER_COMMANDS.showCertificate, [{}], context(root)), /needs/);
});

test('a PEM hover links to Show certificate with the document and the block line', async () => {
  const root = await mtlsWorkspace();
  const doc = docOf(root, 'tls/server.pem');
  const h = context(root).service.hover(doc, { line: 1, character: 0 });
  const v = (h!.contents as { value: string }).value;
  const m = /\[Show certificate\]\(command:tlsConfig\.server\.showCertificate\?([^)]+)\)/.exec(v);
  assert.ok(m, v);
  assert.deepEqual(JSON.parse(decodeURIComponent(m![1])), [{ uri: doc.uri, line: 0 }]);
});

test('a key readable by others on the host: the quick fix runs chmod 600 on it through the server, and the finding goes away', async () => {
  const root = await mtlsWorkspace();
  // A key no compose service mounts (one that is mounted is judged by the program in the container: no generic warning).
  fs.mkdirSync(path.join(root, 'local'));
  const file = path.join(root, 'local/server.key');
  fs.copyFileSync(path.join(root, 'tls/server.key'), file);
  fs.chmodSync(file, 0o644);
  const ctx = context(root);
  const doc = docOf(root, 'local/server.key');
  const d = ctx.service.validate(doc).filter((x) => x.code === 'pem-key-permissions');
  assert.equal(d.length, 1);
  const a = ctx.service.codeActions(doc, d);
  assert.deepEqual(
    a.map((x) => [x.title, x.isPreferred, x.command?.command, x.command?.arguments]),
    [['Restrict server.key to its owner (chmod 600)', true, 'tlsConfig.server.fixKeyPermissions', [{ path: file }]]],
  );
  const r = (await executeServerCommand(a[0].command!.command, a[0].command!.arguments!, ctx)) as FixKeyPermissionsResult;
  assert.equal(mode(file), '600');
  assert.deepEqual([r.before, r.after], ['0644', '0600']);
  assert.equal(r.message, 'local/server.key: mode 0644 → 0600 (only its owner can read it now).');
  assert.deepEqual(ctx.said, [r.message]);
  assert.deepEqual(
    ctx.service.validate(doc).filter((x) => x.code === 'pem-key-permissions'),
    [],
  );
});

test('chmod 600 refuses anything but a regular key file inside the workspace, and leaves it unchanged', async () => {
  const root = await mtlsWorkspace();
  const outside = tmpWorkspace('outside-');
  const foreign = path.join(outside, 'other.key');
  fs.copyFileSync(path.join(root, 'tls/server.key'), foreign);
  fs.chmodSync(foreign, 0o644);
  const link = path.join(root, 'tls/link.key');
  fs.symlinkSync(foreign, link);
  const cert = path.join(root, 'tls/server.pem');
  fs.chmodSync(cert, 0o644);
  const run = (p: unknown, trusted = true) =>
    executeServerCommand(SERVER_COMMANDS.fixKeyPermissions, [{ path: p }], context(root, trusted));
  await assert.rejects(run(foreign), /outside the workspace/);
  await assert.rejects(run(link), /not a regular file in the workspace/);
  await assert.rejects(run(cert), /holds no private key/);
  await assert.rejects(run(path.join(root, 'tls')), /not a regular file/);
  await assert.rejects(run('tls/server.key'), /absolute path/);
  await assert.rejects(run(path.join(root, 'tls/server.key'), false), /not trusted/);
  assert.equal(mode(foreign), '644');
  assert.equal(mode(cert), '644');
});
