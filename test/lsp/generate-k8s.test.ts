/**
 * "Generate TLS certs" in a Kubernetes workspace, as any LSP editor runs it: the server writes the
 * set and the Secret manifest, and sends the wiring of the Milvus resource as one workspace/applyEdit
 * (one undoable edit); the messages name files, never key material.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { parseAllDocuments } from 'yaml';
import { LspClient } from '../support/lsp-client';
import { tmpWorkspace, writeFiles } from '../support/workspace';
import { secretNeedles, assertNoSecret } from '../support/secrets';
import { SERVER_COMMANDS } from '../../server/src/protocol';

const EDITING_CLIENT = {
  workspace: { applyEdit: true, workspaceEdit: { documentChanges: true }, configuration: true, workspaceFolders: true },
};

/** A Milvus resource in the shape of zilliztech/milvus-operator config/samples/milvus_default.yaml, in our words. */
const CR = `# the vector store
apiVersion: milvus.io/v1beta1
kind: Milvus
metadata:
  name: vectors
  namespace: search
spec:
  mode: standalone
  config: {}
`;

const started: LspClient[] = [];
const dirs: string[] = [];
after(async () => {
  await Promise.all(started.map((s) => s.shutdown()));
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

test('generateCerts beside a Milvus resource: Secret written 0600, the resource wired in one applyEdit, no key in any message', async () => {
  const root = tmpWorkspace('lsp-k8s-');
  dirs.push(root);
  writeFiles(root, { 'k8s/milvus.yaml': CR });
  const s = LspClient.ours();
  started.push(s);
  await s.initialize(root, { capabilities: EDITING_CLIENT });
  s.applyEditAnswer = { applied: true };
  const r = await s.request('workspace/executeCommand', {
    command: SERVER_COMMANDS.generateCerts,
    arguments: [{ folder: path.join(root, 'k8s') }],
  });
  assert.equal(r.status, 'written', JSON.stringify(r));
  const out = path.join(root, 'k8s', 'tls');
  assert.equal(fs.statSync(path.join(out, 'milvus-tls-secret.yaml')).mode & 0o777, 0o600);
  assert.equal(r.wiring.applied, true);
  assert.equal(s.applyEditRequests.length, 1, 'one edit');
  const changes = s.applyEditRequests[0].edit.documentChanges;
  const uri = URI.file(path.join(root, 'k8s', 'milvus.yaml')).toString();
  assert.deepEqual(
    changes.map((c: { textDocument: { uri: string } }) => c.textDocument.uri),
    [uri],
  );
  const wired = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, CR), changes[0].edits);
  const spec = (parseAllDocuments(wired)[0].toJS() as { spec: Record<string, Record<string, unknown>> }).spec;
  assert.deepEqual((spec.config.tls as Record<string, string>).serverPemPath, '/etc/milvus/certs/tls.crt');
  assert.deepEqual(spec.components.volumeMounts, [{ name: 'milvus-tls', mountPath: '/etc/milvus/certs', readOnly: true }]);
  assert.ok(wired.startsWith('# the vector store\n'));

  const needles = ['ca.key', 'server.key', 'client.key'].flatMap((k) => {
    const pem = fs.readFileSync(path.join(out, k), 'utf8');
    return [...secretNeedles(pem, k), { what: `${k} as Secret data`, text: Buffer.from(pem).toString('base64').slice(0, 40) }];
  });
  assertNoSecret(JSON.stringify(r), needles, 'the command result');
  assertNoSecret(JSON.stringify(s.messages), needles, 'window/showMessage');
  assertNoSecret(JSON.stringify(s.applyEditRequests), needles, 'workspace/applyEdit');
  assert.match(s.messages.at(-1)!.message, /kubectl apply -n search -f /);
});
