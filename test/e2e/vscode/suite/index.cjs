// Runs inside VS Code's extension host (loaded by @vscode/test-electron): a mocha-free suite
// on the vscode API. The workspace is test/e2e/support/fixtures.mjs's (path in TLS_CONFIG_E2E_WS).
'use strict';
const assert = require('node:assert/strict');
const path = require('node:path');
const vscode = require('vscode');

const WS = process.env.TLS_CONFIG_E2E_WS;
const TIMEOUT = 30_000;

const codeOf = (d) => (typeof d.code === 'object' && d.code !== null ? String(d.code.value) : String(d.code));
const milvusDiags = (uri) => vscode.languages.getDiagnostics(uri).filter((d) => d.source === 'tls-config');

/** Resolves with the document's tls-config diagnostics once `pred` holds for them. */
function diagnosticsWhere(uri, pred, what) {
  return new Promise((resolve, reject) => {
    const check = () => {
      const ds = milvusDiags(uri);
      if (!pred(ds)) return false;
      sub.dispose();
      clearTimeout(timer);
      resolve(ds);
      return true;
    };
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      sub.dispose();
      reject(new Error(`timed out waiting for ${what}; have: ${milvusDiags(uri).map(codeOf).join(', ') || '(none)'}`));
    }, TIMEOUT);
    check();
  });
}

async function open(rel) {
  const doc = await vscode.workspace.openTextDocument(vscode.Uri.file(path.join(WS, rel)));
  await vscode.window.showTextDocument(doc);
  return doc;
}

/** Polls a provider command until it answers something (the server may not have the document yet). */
async function until(fn, what) {
  const end = Date.now() + TIMEOUT;
  for (;;) {
    const v = await fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

const cases = [
  [
    'broken milvus.yaml: tlsMode 5 is milvus-tls-mode-invalid on line 8',
    async () => {
      const doc = await open('bad-mode/milvus.yaml');
      const ds = await diagnosticsWhere(
        doc.uri,
        (ds) => ds.some((d) => codeOf(d) === 'milvus-tls-mode-invalid'),
        'milvus-tls-mode-invalid',
      );
      const d = ds.find((x) => codeOf(x) === 'milvus-tls-mode-invalid');
      assert.equal(d.severity, vscode.DiagnosticSeverity.Error);
      assert.equal(d.range.start.line, 7);
    },
  ],
  [
    'unknown key serverPemPth: milvus-key-unknown with the quick fix "Rename to serverPemPath"',
    async () => {
      const doc = await open('typo/milvus.yaml');
      const ds = await diagnosticsWhere(doc.uri, (ds) => ds.some((d) => codeOf(d) === 'milvus-key-unknown'), 'milvus-key-unknown');
      const d = ds.find((x) => codeOf(x) === 'milvus-key-unknown');
      assert.equal(d.range.start.line, 2);
      const actions = await vscode.commands.executeCommand(
        'vscode.executeCodeActionProvider',
        doc.uri,
        d.range,
        vscode.CodeActionKind.QuickFix.value,
      );
      const fix = actions.find((a) => a.title === 'Rename to serverPemPath');
      assert.ok(fix, `actions: ${actions.map((a) => a.title).join(', ')}`);
      assert.ok(await vscode.workspace.applyEdit(fix.edit));
      assert.match(doc.getText(), /^ {2}serverPemPath: \/milvus\/tls\/server\.pem$/m);
      await diagnosticsWhere(doc.uri, (ds) => !ds.some((x) => codeOf(x) === 'milvus-key-unknown'), 'the warning to go away');
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    },
  ],
  [
    'correct milvus.yaml: no tls-config errors or warnings; hover on serverPemPath decodes the certificate',
    async () => {
      const doc = await open('good/milvus.yaml');
      const pos = new vscode.Position(2, doc.lineAt(2).text.indexOf('/milvus/tls/server.pem') + 3);
      const hovers = await until(async () => {
        const h = await vscode.commands.executeCommand('vscode.executeHoverProvider', doc.uri, pos);
        return h && h.length ? h : undefined;
      }, 'a hover');
      const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
      assert.match(text, /CN=localhost/);
      assert.match(text, /Subject/);
      const loud = milvusDiags(doc.uri).filter((d) => d.severity <= vscode.DiagnosticSeverity.Warning);
      assert.deepEqual(loud.map(codeOf), []);
    },
  ],
  [
    'compose: a missing certificate folder is compose-bind-source-missing on line 9',
    async () => {
      const doc = await open('bad-compose/docker-compose.yml');
      const ds = await diagnosticsWhere(
        doc.uri,
        (ds) => ds.some((d) => codeOf(d) === 'compose-bind-source-missing'),
        'compose-bind-source-missing',
      );
      assert.equal(ds.find((x) => codeOf(x) === 'compose-bind-source-missing').range.start.line, 8);
    },
  ],
  [
    'PEM: expired and CN-only certificates; a bundle has one outline entry per block',
    async () => {
      const expired = await open('pem/expired.pem');
      await diagnosticsWhere(expired.uri, (ds) => ds.some((d) => codeOf(d) === 'tls-cert-expired'), 'tls-cert-expired');
      const legacy = await open('pem/legacy.pem');
      await diagnosticsWhere(legacy.uri, (ds) => ds.some((d) => codeOf(d) === 'tls-cert-no-san'), 'tls-cert-no-san');
      const bundle = await open('pem/bundle.pem');
      const symbols = await until(async () => {
        const s = await vscode.commands.executeCommand('vscode.executeDocumentSymbolProvider', bundle.uri);
        return s && s.length ? s : undefined;
      }, 'document symbols');
      assert.equal(symbols.length, 2, symbols.map((s) => s.name).join(' | '));
      assert.match(symbols[0].name, /CN=localhost/);
    },
  ],
];

/** Entry point called by @vscode/test-electron. */
async function run() {
  assert.ok(WS, 'TLS_CONFIG_E2E_WS is not set');
  let failed = 0;
  for (const [name, fn] of cases) {
    const t = Date.now();
    try {
      await fn();
      console.log(`ok   ${name} (${Date.now() - t} ms)`);
    } catch (e) {
      failed++;
      console.error(`FAIL ${name}\n${e && e.stack ? e.stack : e}`);
    }
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  }
  if (failed) throw new Error(`${failed} of ${cases.length} VS Code tests failed`);
}

module.exports = { run };
