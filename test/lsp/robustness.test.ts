/**
 * Issue 7, part 3 (and the LSP side of parts 4 and 5): dist/server.js over
 * stdio survives malformed JSON-RPC, wrong parameter types, unknown and odd
 * documents, storms of open/change/close, and still answers correctly; exits
 * when its client goes away; logs only through window/logMessage; never sends
 * private key bytes; and a failed generation names the files and changes
 * nothing.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { spawn } from 'node:child_process';
import { URI } from 'vscode-uri';
import { LspClient } from '../support/lsp-client';
import { tmpWorkspace, writeFiles, composeYaml, milvusYaml } from '../support/workspace';
import { pemFixtures, type PemFixtures } from '../support/pem-fixtures';
import { secretNeedles, assertNoSecret } from '../support/secrets';
import { prngBytes } from '../support/corpus';

const SERVER = path.join(__dirname, '../../dist/server.js');

let c: LspClient;
let root: string;
let fx: PemFixtures;
/** Every byte the server wrote to stdout and stderr, for the secret search. */
let rawOut = '';

before(async () => {
  assert.ok(fs.existsSync(SERVER), 'dist/server.js is missing: run npm run build');
  fx = await pemFixtures();
  root = tmpWorkspace('lsp-robust-');
  writeFiles(root, {
    'tls/server.pem': fx.leaf.certPem,
    'tls/server.key': fx.keys.ecPkcs8,
    'tls/ca.pem': fx.ca.certPem,
    'docker-compose.yml': composeYaml(),
    'milvus.yaml': milvusYaml(),
  });
  fs.mkdirSync(path.join(root, 'volumes/milvus'), { recursive: true });
  c = LspClient.ours({ TLS_CONFIG_DEBOUNCE_MS: '5' });
  c.proc.stdout.on('data', (d: Buffer) => (rawOut += d.toString('utf8')));
  c.proc.stderr.on('data', (d: Buffer) => (rawOut += d.toString('utf8')));
  await c.initialize(root);
});

after(async () => {
  if (process.env.DEBUG_LOGS) console.log(JSON.stringify(c.logs, null, 1), c.stderr);
  assert.deepEqual(
    c.logs.filter((l) => /^uncaught|^unhandled/.test(l)),
    [],
    'no exception escaped to the process handlers',
  );
  await c.shutdown();
  assert.deepEqual(c.stdoutNoise, [], 'the server must write only protocol messages to stdout');
  fs.rmSync(root, { recursive: true, force: true });
});

const uriOf = (rel: string) => URI.file(path.join(root, rel)).toString();

/** Hover on the serverPemPath value of the workspace's milvus.yaml: the proof the server still works. */
async function assertHoverStillRight(client = c, text = fs.readFileSync(path.join(root, 'milvus.yaml'), 'utf8')): Promise<void> {
  const line = text.split('\n').findIndex((l) => l.includes('serverPemPath'));
  const h = await client.request('textDocument/hover', { textDocument: { uri: uriOf('milvus.yaml') }, position: { line, character: 22 } });
  assert.ok(h, 'hover expected');
  assert.ok(h.contents.value.includes('host `tls/server.pem`'), h.contents.value);
  assert.match(h.contents.value, /CN=localhost/);
}

/** Writes bytes as one framed message, whatever they are. */
function sendRaw(body: string): void {
  const b = Buffer.from(body, 'utf8');
  c.proc.stdin.write(`Content-Length: ${b.length}\r\n\r\n`);
  c.proc.stdin.write(b);
}

test('malformed JSON-RPC and wrong parameter types: errors or empty answers, never a dead server', async () => {
  const milvusText = fs.readFileSync(path.join(root, 'milvus.yaml'), 'utf8');
  const p = c.nextDiagnostics(uriOf('milvus.yaml'));
  c.open(path.join(root, 'milvus.yaml'), milvusText, 'yaml');
  assert.deepEqual((await p).diagnostics, []);

  // Not JSON at all, JSON that is not an object, a message without method or id, an unknown protocol version.
  for (const body of [
    '{not json',
    '[]',
    '42',
    'null',
    '"str"',
    '{}',
    '{"jsonrpc":"2.0"}',
    '{"jsonrpc":"1.0","id":99,"method":"x"}',
    '\u0000\u0001',
    '{"jsonrpc":"2.0","method":"textDocument/didOpen"}',
  ])
    sendRaw(body);

  // Unknown methods: a request gets MethodNotFound, a notification is ignored.
  await assert.rejects(c.request('tlsConfig/noSuchRequest', {}), /Unhandled method|not found/i);
  c.notify('tlsConfig/noSuchNotification', { x: 1 });
  c.notify('$/noSuchThing', null);

  // Wrong parameter types on every request we serve; each must answer (a value or an error), not hang.
  const open = uriOf('milvus.yaml');
  const bad: [string, unknown][] = [
    ['textDocument/hover', { textDocument: { uri: 42 }, position: 'x' }],
    ['textDocument/hover', { textDocument: { uri: open }, position: null }],
    ['textDocument/hover', { textDocument: { uri: open }, position: { line: -5, character: -1 } }],
    ['textDocument/hover', { textDocument: { uri: open }, position: { line: 1e12, character: 1e12 } }],
    ['textDocument/hover', { textDocument: { uri: open }, position: { line: 'seven', character: {} } }],
    ['textDocument/hover', { textDocument: null }],
    ['textDocument/hover', null],
    ['textDocument/hover', [1, 2, 3]],
    ['textDocument/completion', { textDocument: { uri: open }, position: { line: 1.5, character: NaN } }],
    ['textDocument/completion', { textDocument: { uri: open } }],
    ['textDocument/documentSymbol', { textDocument: { uri: { nested: true } } }],
    ['textDocument/foldingRange', { textDocument: {} }],
    ['textDocument/documentLink', 'a string'],
    ['textDocument/codeAction', { textDocument: { uri: open }, range: null, context: null }],
    [
      'textDocument/codeAction',
      {
        textDocument: { uri: open },
        range: 5,
        context: { diagnostics: [{ data: { fix: { kind: 'add-volume', composePath: 42 } } }, null, 'x'] },
      },
    ],
    [
      'textDocument/codeAction',
      {
        textDocument: { uri: open },
        context: {
          diagnostics: [
            {
              range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
              data: { fix: { kind: 'add-key', afterLine: 1e9, indent: -3 } },
            },
          ],
        },
      },
    ],
    ['workspace/executeCommand', { command: 'tlsConfig.server.generate', arguments: 'not an array' }],
    ['workspace/executeCommand', { command: 'tlsConfig.server.generate', arguments: [42] }],
    ['workspace/executeCommand', { command: 'tlsConfig.server.generate', arguments: [{ out: 42, options: 'x' }] }],
    ['workspace/executeCommand', { command: 'tlsConfig.server.planWiring', arguments: [{ milvusPath: null, composePath: 7 }] }],
    ['workspace/executeCommand', { command: 'tlsConfig.server.planGenerate', arguments: [{ out: null, options: { mode: 'triple' } }] }],
    ['workspace/executeCommand', { command: 'tlsConfig.server.snippets', arguments: [null] }],
    ['workspace/executeCommand', { command: 'tlsConfig.server.generateDefaults', arguments: [{ folder: 12 }] }],
    ['workspace/executeCommand', { command: 'tlsConfig.server.generateCerts', arguments: [{ folder: ['/'] }] }],
    ['workspace/executeCommand', { command: 'tlsConfig.server.generateCerts', arguments: 'not an array' }],
    ['workspace/executeCommand', { command: 'no.such.command' }],
    ['workspace/executeCommand', null],
  ];
  for (const [method, params] of bad) {
    await c.request(method, params, 10_000).then(
      () => undefined,
      (e: Error) => assert.doesNotMatch(e.message, /timed out/, `${method} ${JSON.stringify(params)} hung`),
    );
  }
  // Notifications with wrong shapes: nothing to answer, nothing to die of.
  c.notify('textDocument/didOpen', { textDocument: { uri: uriOf('n1.pem'), languageId: 'pem', version: 'one', text: 42 } });
  c.notify('textDocument/didOpen', { textDocument: null });
  c.notify('textDocument/didChange', { textDocument: { uri: open, version: 99 }, contentChanges: 'not an array' });
  c.notify('textDocument/didChange', { textDocument: { uri: uriOf('never-opened.yaml'), version: 2 }, contentChanges: [{ text: 'x' }] });
  c.notify('textDocument/didChange', {
    textDocument: { uri: open, version: 100 },
    contentChanges: [{ range: { start: { line: 1e6, character: 0 }, end: { line: -1, character: 0 } }, text: 'x' }],
  });
  c.notify('textDocument/didClose', { textDocument: { uri: uriOf('never-opened.pem') } });
  c.notify('workspace/didChangeConfiguration', {
    settings: { tlsConfig: { expiryWarningDays: 'soon', pemGlobs: [1, null, '**/*.cert'], trusted: 'yes' } },
  });
  c.notify('workspace/didChangeConfiguration', { settings: null });
  c.notify('tlsConfig/settings', null);
  c.notify('workspace/didChangeWatchedFiles', {
    changes: [{ uri: 'not a uri', type: 9 }, { uri: uriOf('tls/server.pem'), type: 2 }, null],
  });

  // The document is back to its real text (full sync) and the server answers as before.
  c.change(open, 101, milvusText);
  await assertHoverStillRight();
  const final = c.nextDiagnostics(open, 102);
  c.change(open, 102, milvusText);
  assert.deepEqual((await final).diagnostics, []);
  assert.equal(c.proc.exitCode, null, 'still running');
  assert.deepEqual(
    c.logs.filter((l) => /^uncaught|^unhandled/.test(l)),
    [],
    'no exception escaped to the process handlers',
  );
});

test('unknown and odd documents: empty answers', async () => {
  const odd = [
    'file:///nope/x.pem',
    'file:///',
    'untitled:Untitled-1',
    'http://example.invalid/milvus.yaml',
    'file://server/share/milvus.yaml',
    'vscode-notebook-cell:/x.ipynb#1',
    'not a uri',
    '',
    'file:///%E0%A4%A.pem',
  ];
  for (const uri of odd) {
    assert.equal(await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 0, character: 0 } }), null, uri);
    for (const m of ['textDocument/documentSymbol', 'textDocument/foldingRange', 'textDocument/documentLink'])
      assert.deepEqual(await c.request(m, { textDocument: { uri } }), [], `${m} ${uri}`);
    assert.deepEqual(await c.request('textDocument/completion', { textDocument: { uri }, position: { line: 0, character: 0 } }), [], uri);
    assert.deepEqual(
      await c.request('textDocument/codeAction', {
        textDocument: { uri },
        range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
        context: { diagnostics: [] },
      }),
      [],
      uri,
    );
  }
  // Opening documents under odd URIs (untitled, other schemes, a UNC path, the root folder) is survived too.
  for (const [uri, languageId, text] of [
    ['untitled:Untitled-1', 'yaml', milvusYaml({ mode: 7 })],
    ['http://example.invalid/milvus.yaml', 'yaml', milvusYaml()],
    ['file://server/share/milvus.yaml', 'yaml', milvusYaml()],
    ['file:///', 'pem', fx.ca.certPem],
    ['untitled:key.pem', 'pem', fx.keys.ecPkcs8],
  ]) {
    c.notify('textDocument/didOpen', { textDocument: { uri, languageId, version: 1, text } });
    await c.request('textDocument/hover', { textDocument: { uri }, position: { line: 1, character: 1 } });
    await c.request('textDocument/documentSymbol', { textDocument: { uri } });
    c.notify('textDocument/didClose', { textDocument: { uri } });
  }
  await assertHoverStillRight();
});

test('a storm of open / change / close (hundreds of messages) ends with the right answers', async () => {
  const base = fs.readFileSync(path.join(root, 'milvus.yaml'), 'utf8');
  const texts = {
    pem: [fx.leaf.certPem, fx.ca.certPem + fx.leaf.certPem, '-----BEGIN CERTIFICATE-----\nAAAA\n', prngBytes(512).toString('latin1'), ''],
    yaml: [base, base.replace('tlsMode: 2', 'tlsMode: 9'), base.replace('serverKeyPath', 'serverKeyPth'), 'tls:\n  serverPemPath: [\n', ''],
    compose: [composeYaml(), composeYaml().replace('/milvus/tls', ''), 'services: {', ''],
  };
  const docs = [
    ...Array.from({ length: 8 }, (_, i) => ({ rel: `storm/p${i}.pem`, lang: 'pem', variants: texts.pem })),
    ...Array.from({ length: 6 }, (_, i) => ({ rel: `storm/s${i}/milvus.yaml`, lang: 'yaml', variants: texts.yaml })),
    ...Array.from({ length: 4 }, (_, i) => ({ rel: `storm/c${i}/docker-compose.yml`, lang: 'dockercompose', variants: texts.compose })),
  ];
  let messages = 0;
  const version = new Map<string, number>();
  for (let round = 0; round < 3; round++) {
    for (const d of docs) {
      const uri = uriOf(d.rel);
      version.set(uri, 1);
      c.notify('textDocument/didOpen', {
        textDocument: { uri, languageId: d.lang, version: 1, text: d.variants[round % d.variants.length] },
      });
      messages++;
      for (let k = 0; k < 8; k++) {
        const v = version.get(uri)! + 1;
        version.set(uri, v);
        c.change(uri, v, d.variants[(k + round) % d.variants.length]);
        messages++;
      }
      if (round < 2) {
        c.notify('textDocument/didClose', { textDocument: { uri } });
        messages++;
      }
    }
    // The real milvus.yaml (the one the hover checks) flips between broken and fixed in the middle of it.
    for (let k = 0; k < 20; k++) {
      c.change(uriOf('milvus.yaml'), 1000 + round * 100 + k, k % 2 ? base : base.replace('serverPemPath', 'serverPemPth'));
      messages++;
    }
  }
  assert.ok(messages >= 450, `${messages} messages`);
  // Settle: every open storm document gets the diagnostics of its last version.
  const lastMilvus = 1000 + 2 * 100 + 20;
  const settled = Promise.all([
    c.nextDiagnostics(uriOf('milvus.yaml'), lastMilvus),
    ...docs.map((d) => c.nextDiagnostics(uriOf(d.rel), version.get(uriOf(d.rel))! + 1)),
  ]);
  c.change(uriOf('milvus.yaml'), lastMilvus, base);
  for (const d of docs) {
    const uri = uriOf(d.rel);
    c.change(uri, version.get(uri)! + 1, d.variants[0]);
  }
  const results = await settled;
  assert.deepEqual(results[0].diagnostics, [], 'milvus.yaml is back to its good text');
  const stormPem = results[1];
  assert.ok(stormPem.diagnostics.every((x: { source: string }) => x.source === 'tls-config'));
  await assertHoverStillRight();
  const symbols = await c.request('textDocument/documentSymbol', { textDocument: { uri: uriOf('storm/p0.pem') } });
  assert.equal(symbols.length, 1);
  assert.match(symbols[0].name, /CN=localhost/);
  for (const d of docs) c.notify('textDocument/didClose', { textDocument: { uri: uriOf(d.rel) } });
  assert.equal(c.proc.exitCode, null);
});

test('logs go to window/logMessage, never to stdout', async () => {
  // A request whose handler fails inside the service wrapper is logged as "request failed".
  await c.request('textDocument/codeAction', {
    textDocument: { uri: uriOf('milvus.yaml') },
    range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
  });
  const deadline = Date.now() + 5000;
  while (!c.logs.some((l) => /request failed/.test(l)) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  assert.ok(
    c.logs.some((l) => /request failed/.test(l)),
    `logs: ${JSON.stringify(c.logs)}`,
  );
  assert.deepEqual(c.stdoutNoise, []);
  assert.equal(c.stderr, '', 'nothing on stderr either');
});

test('private key material never leaves the server: hovers, symbols, diagnostics, logs, command errors', async () => {
  const keys: Record<string, { pem: string; passphrase?: string }> = {
    'keys/ec.key': { pem: fx.keys.ecPkcs8 },
    'keys/sec1.key': { pem: fx.keys.ecSec1 },
    'keys/rsa1.key': { pem: fx.keys.rsaPkcs1 },
    'keys/rsa8.key': { pem: fx.keys.rsaPkcs8 },
    'keys/enc.key': { pem: fx.keys.encryptedPkcs8, passphrase: 'secret' },
    'keys/legacy.key': { pem: fx.keys.legacyEncrypted, passphrase: 'secret' },
    'keys/both.pem': { pem: fx.leaf.certPem + fx.keys.ecPkcs8 },
    'keys/ca/ca.key': { pem: fx.keys.encryptedPkcs8, passphrase: 'secret' },
  };
  const needles = Object.entries(keys).flatMap(([n, k]) => secretNeedles(k.pem, n, k.passphrase));
  writeFiles(root, { ...Object.fromEntries(Object.entries(keys).map(([n, k]) => [n, k.pem])), 'keys/ca/ca.pem': fx.ca.certPem });
  const docs: [string, string, string][] = Object.entries(keys).map(([n, k]) => [n, 'pem', k.pem]);
  for (const n of Object.keys(keys)) {
    // Right and wrong: the key where the key goes, and the key where the certificate goes.
    docs.push([
      `keys/cfg-${path.basename(n)}/milvus.yaml`,
      'yaml',
      milvusYaml({ server: `../../${n}`, key: `../../${n}`, ca: `../../${n}`, internal: true }),
    ]);
  }
  let hovers = 0;
  for (const [rel, lang, text] of docs) {
    const uri = uriOf(rel);
    const p = c.nextDiagnostics(uri);
    c.open(path.join(root, rel), text, lang);
    await p;
    const lines = text.split('\n');
    for (let line = 0; line < lines.length; line++) {
      await c.request('textDocument/hover', { textDocument: { uri }, position: { line, character: Math.min(lines[line].length, 20) } });
      hovers++;
    }
    await c.request('textDocument/documentSymbol', { textDocument: { uri } });
    const diags = c.published.filter((x) => x.uri === uri).at(-1)!.diagnostics;
    await c.request('textDocument/codeAction', {
      textDocument: { uri },
      range: { start: { line: 0, character: 0 }, end: { line: lines.length, character: 0 } },
      context: { diagnostics: diags },
    });
    await c.request('textDocument/documentLink', { textDocument: { uri } });
  }
  // Command errors that involve the keys: reuse an encrypted CA key, a CA key that is not a key.
  const e1 = await c.request('workspace/executeCommand', {
    command: 'tlsConfig.server.generate',
    arguments: [{ out: path.join(root, 'keys/ca'), reuseCa: true, options: {} }],
  });
  assert.ok(e1.error, JSON.stringify(e1));
  writeFiles(root, { 'keys/ca2/ca.key': fx.leaf.certPem, 'keys/ca2/ca.pem': fx.keys.rsaPkcs1 });
  const e2 = await c.request('workspace/executeCommand', {
    command: 'tlsConfig.server.generate',
    arguments: [{ out: path.join(root, 'keys/ca2'), reuseCa: true, options: {} }],
  });
  assert.ok(e2.error, JSON.stringify(e2));
  assert.ok(hovers > 200, `${hovers} hovers`);
  // Give the last publishes and logs time to arrive, then search everything the server ever wrote.
  await c.request('textDocument/hover', { textDocument: { uri: uriOf('milvus.yaml') }, position: { line: 0, character: 0 } });
  assert.match(rawOut, /private key [^"]*\*\*[^"]*(not )?encrypted/, 'key hovers were produced');
  // The full decode of every key file goes through the same output: Show certificate names the public key's hash only.
  for (const [rel] of docs)
    await c.request('workspace/executeCommand', { command: 'tlsConfig.server.showCertificate', arguments: [{ uri: uriOf(rel) }] });
  assert.match(rawOut, /Public key SHA-256/, 'the full decode of keys was produced');
  assertNoSecret(rawOut, needles, 'the server output (stdout + stderr)');
  assertNoSecret(c.logs.join('\n'), needles, 'the server logs');
  for (const [rel] of docs) c.notify('textDocument/didClose', { textDocument: { uri: uriOf(rel) } });
});

// --- nothing lost ---------------------------------------------------------------

function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    const p = path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name);
    out[path.relative(dir, p)] = e.isFile()
      ? fs.readFileSync(p, 'latin1') + `|${fs.statSync(p).mode.toString(8)}`
      : e.isDirectory()
        ? '<dir>'
        : '<other>';
  }
  return out;
}

test('generate into an existing set without overwrite: the error names the files, nothing changes', async () => {
  const out = path.join(root, 'existing');
  writeFiles(out, { 'ca.pem': 'old ca\n', 'server.key': 'old key\n', 'notes.txt': 'keep me\n' });
  const before = snapshot(out);
  const r = await c.request('workspace/executeCommand', {
    command: 'tlsConfig.server.generate',
    arguments: [{ out, options: { mode: 'mutual', names: ['localhost'] } }],
  });
  assert.ok(r.error, JSON.stringify(r));
  assert.match(r.error, /already exist/);
  assert.ok(r.error.includes(path.join(out, 'ca.pem')) && r.error.includes(path.join(out, 'server.key')), r.error);
  assert.deepEqual(snapshot(out), before, 'no file changed, none added (no temp files left)');
});

test('generate where a file is in the way of the folder: the error names it, nothing is created', async () => {
  writeFiles(root, { 'blocker/tls': 'a file, not a folder\n' });
  const before = snapshot(path.join(root, 'blocker'));
  const r = await c.request('workspace/executeCommand', {
    command: 'tlsConfig.server.generate',
    arguments: [{ out: path.join(root, 'blocker/tls/certs'), options: {} }],
  });
  assert.ok(r.error, JSON.stringify(r));
  assert.ok(r.error.includes(path.join(root, 'blocker/tls/certs')), r.error);
  assert.deepEqual(snapshot(path.join(root, 'blocker')), before);
});

test('generate into a read-only folder (server running unprivileged): the error names the folder, nothing is left', async () => {
  const dir = tmpWorkspace('lsp-ro-');
  const ro = path.join(dir, 'readonly');
  fs.mkdirSync(ro);
  fs.writeFileSync(path.join(ro, 'keep.txt'), 'keep\n');
  fs.chmodSync(ro, 0o555);
  fs.chmodSync(dir, 0o755);
  // As root, 0555 stops nothing: run this server as uid 65534 instead.
  const asRoot = process.getuid?.() === 0;
  const cmd = [
    ...(asRoot ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--'] : []),
    process.execPath,
    SERVER,
    '--stdio',
  ];
  const client = new LspClient(cmd, { env: { ...process.env, HOME: dir } });
  try {
    await client.initialize(dir);
    const before = snapshot(ro);
    const r = await client.request('workspace/executeCommand', {
      command: 'tlsConfig.server.generate',
      arguments: [{ out: ro, options: { names: ['localhost'] } }],
    });
    assert.ok(r.error, JSON.stringify(r));
    assert.match(r.error, /EACCES|permission denied/i);
    assert.ok(r.error.includes(ro), r.error);
    assert.match(r.error, /ca\.pem/);
    assert.match(r.error, /No file of the new set was left behind/);
    assert.deepEqual(snapshot(ro), before);
    // A subfolder that cannot be created: same.
    const r2 = await client.request('workspace/executeCommand', {
      command: 'tlsConfig.server.generate',
      arguments: [{ out: path.join(ro, 'sub'), options: {} }],
    });
    assert.match(r2.error, /Cannot create the folder .*readonly\/sub/);
    assert.deepEqual(snapshot(ro), before);
  } finally {
    await client.shutdown();
    fs.chmodSync(ro, 0o755);
    fs.rmSync(dir, { recursive: true, force: true });
  }
  assert.deepEqual(client.stdoutNoise, []);
});

// --- the client goes away --------------------------------------------------------

async function exitsWithin(client: LspClient, ms: number): Promise<number | null> {
  const t = setTimeout(() => client.proc.kill('SIGKILL'), ms);
  const t0 = Date.now();
  const code = await client.exited;
  clearTimeout(t);
  assert.ok(Date.now() - t0 < ms, `the server did not exit within ${ms} ms (killed)`);
  return code;
}

test('stdin closed without shutdown: the server exits within a few seconds', async () => {
  const client = LspClient.ours();
  await client.initialize(root);
  client.open(path.join(root, 'milvus.yaml'), fs.readFileSync(path.join(root, 'milvus.yaml'), 'utf8'), 'yaml');
  await client.request('textDocument/hover', { textDocument: { uri: uriOf('milvus.yaml') }, position: { line: 7, character: 22 } });
  client.proc.stdin.end();
  const code = await exitsWithin(client, 5000);
  assert.equal(code, 1, 'exit code 1: no shutdown request came first');
  assert.deepEqual(client.stdoutNoise, []);
});

test('the client process dies (processId watchdog): the server exits, no orphan', async () => {
  // A stand-in "editor" process whose pid the server watches; killing it must end the server
  // even though the server's stdin stays open (the test process still holds it).
  const editor = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
  await new Promise((r) => editor.once('spawn', r));
  const client = LspClient.ours();
  await client.initialize(root, { processId: editor.pid });
  editor.kill('SIGKILL');
  const code = await exitsWithin(client, 10_000);
  assert.equal(code, 1);
  assert.throws(() => process.kill(client.proc.pid!, 0), /ESRCH/, 'no orphan server process');
});
