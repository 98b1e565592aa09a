/**
 * Restricted Mode (an untrusted workspace): nothing but the open document is read. The user is told once per
 * document that checks were skipped and how to get them, and a hover never calls a container path a host file.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { MarkupContent } from 'vscode-languageserver-types';
import { LanguageService, Workspace } from '../../server/src/service';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';
import { mtlsWorkspace, positionOf } from '../support/milvus-workspace';
import { docOf, milvusYaml } from '../support/workspace';

const untrusted = (root: string) => new LanguageService(new Workspace([root], { ...DEFAULT_SETTINGS, trusted: false }), {});

test('an untrusted workspace gets one information finding saying which checks were skipped and that trusting shows them', async () => {
  // A key that does not match and a CA path that does not exist: two findings a trusted workspace shows.
  const root = await mtlsWorkspace(milvusYaml({ key: '/milvus/tls/client.key', ca: '/milvus/tls/missing.pem' }));
  const doc = docOf(root, 'milvus.yaml');
  const trustedCodes = new LanguageService(new Workspace([root], { ...DEFAULT_SETTINGS }), {}).validate(doc).map((d) => d.code);
  assert.ok(trustedCodes.includes('tls-key-mismatch') && trustedCodes.includes('tls-file-missing'), trustedCodes.join());
  assert.ok(!trustedCodes.includes('untrusted-not-checked'));
  const diags = untrusted(root).validate(doc);
  const hints = diags.filter((d) => d.code === 'untrusted-not-checked');
  assert.equal(hints.length, 1, 'once per document');
  assert.equal(hints[0].severity, 3);
  assert.match(String(hints[0].message), /^Restricted Mode: .* not read.* Trust the folder/);
  assert.ok(!diags.some((d) => d.code === 'tls-key-mismatch'), 'the skipped check is not guessed at');
});

test('validating again does not repeat the hint; a trusted workspace never gets it', async () => {
  const root = await mtlsWorkspace();
  const doc = docOf(root, 'docker-compose.yml');
  const svc = untrusted(root);
  svc.validate(doc);
  assert.equal(svc.validate(doc).filter((d) => d.code === 'untrusted-not-checked').length, 1);
  assert.ok(
    !new LanguageService(new Workspace([root], { ...DEFAULT_SETTINGS }), {}).validate(doc).some((d) => d.code === 'untrusted-not-checked'),
  );
});

test('the hover on a path in Restricted Mode says it was not resolved, never "Host file"', async () => {
  const root = await mtlsWorkspace();
  const doc = docOf(root, 'milvus.yaml');
  const h = untrusted(root).hover(doc, positionOf(doc.text, '/milvus/tls/server.pem', 3));
  const v = (h!.contents as MarkupContent).value;
  assert.doesNotMatch(v, /Host file/);
  assert.match(v, /`\/milvus\/tls\/server\.pem`: not resolved or read, because the workspace is not trusted/);
  assert.match(v, /Trust the folder/);
});
