/**
 * Server commands as an editor without the VS Code wizard (Neovim, Helix, …)
 * sees them: advertised, runnable from a quick fix, safe to run twice.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LspClient } from '../support/lsp-client';
import { tmpWorkspace, writeFiles, composeYaml, milvusYaml } from '../support/workspace';
import { SERVER_COMMANDS } from '../../server/src/protocol';
import { applyWorkspaceEdit } from '../support/apply-edit';

const SET = ['ca.key', 'ca.pem', 'client.key', 'client.pem', 'server.key', 'server.pem'];

/** What Neovim 0.10 announces for edits: applyEdit, documentChanges and file operations. */
const EDITING_CLIENT = {
  workspace: {
    applyEdit: true,
    workspaceEdit: { documentChanges: true, resourceOperations: ['create', 'rename', 'delete'] },
    configuration: true,
    workspaceFolders: true,
  },
  textDocument: { publishDiagnostics: { versionSupport: true } },
};

let c: LspClient;
let root: string;
let init: any;
const started: LspClient[] = [];
const dirs: string[] = [];

function tmp(prefix: string): string {
  const d = tmpWorkspace(prefix);
  dirs.push(d);
  return d;
}

function spawn(): LspClient {
  const s = LspClient.ours();
  started.push(s);
  return s;
}

before(async () => {
  // A compose project whose tls/ folder has not been created yet.
  root = tmp('lsp-cmd-');
  writeFiles(root, { 'docker-compose.yml': composeYaml(), 'milvus.yaml': milvusYaml() });
  fs.mkdirSync(path.join(root, 'volumes/milvus'), { recursive: true });
  c = spawn();
  init = await c.initialize(root, { capabilities: EDITING_CLIENT });
});

after(async () => {
  await Promise.all(started.map((s) => s.shutdown()));
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

/** Contents and mode of every file in a folder, to prove nothing changed. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const n of fs.readdirSync(dir).sort()) {
    const p = path.join(dir, n);
    out[n] = `${(fs.statSync(p).mode & 0o777).toString(8)} ${fs.readFileSync(p, 'utf8')}`;
  }
  return out;
}

async function missingCertActions(): Promise<{ uri: string; actions: any[] }> {
  const file = path.join(root, 'milvus.yaml');
  const uri = URI.file(file).toString();
  const p = c.nextDiagnostics(uri);
  c.open(file, fs.readFileSync(file, 'utf8'), 'yaml');
  const missing = (await p).diagnostics.filter((d) => d.code === 'tls-file-missing');
  assert.ok(missing.length > 0, 'the fixture must report missing certificate files');
  const actions = await c.request('textDocument/codeAction', {
    textDocument: { uri },
    range: missing[0].range,
    context: { diagnostics: missing },
  });
  return { uri, actions };
}

test('every command a quick fix for a missing certificate names is advertised by the server', async () => {
  const { actions } = await missingCertActions();
  // A code action carries its command as `command.command`; a bare Command has `command` as a string.
  const named = actions.map((a) => (typeof a.command === 'string' ? a.command : a.command?.command)).filter(Boolean);
  assert.ok(named.length > 0, `no action names a command: ${JSON.stringify(actions.map((a) => a.title))}`);
  for (const command of named)
    assert.ok(init.capabilities.executeCommandProvider.commands.includes(command), `${command} is not in executeCommandProvider.commands`);
});

test('the quick fix command writes the default set with 0600 keys, says which files, and clears the finding', async () => {
  const { uri, actions } = await missingCertActions();
  const fix = actions.find((a) => a.command?.command === SERVER_COMMANDS.generateCerts);
  assert.ok(fix, 'a "Generate TLS certs" action');
  const recheck = c.nextDiagnostics(uri);
  const r = await c.request('workspace/executeCommand', fix.command);
  assert.equal(r.status, 'written', JSON.stringify(r));
  const out = path.join(root, 'tls');
  assert.deepEqual(fs.readdirSync(out).sort(), SET);
  for (const key of ['ca.key', 'server.key', 'client.key']) assert.equal(fs.statSync(path.join(out, key)).mode & 0o777, 0o600, key);
  assert.equal(fs.statSync(path.join(out, 'server.pem')).mode & 0o777, 0o644);
  const info = c.messages.filter((m) => m.type === 3).at(-1);
  assert.ok(info, 'an information message');
  for (const name of SET) assert.ok(info.message.includes(name), `${name} named in: ${info.message}`);
  assert.equal(info.message, r.message);
  // milvus.yaml and the compose mount already point at tls/: nothing to wire, nothing to apply.
  assert.deepEqual(r.wiring, { applied: false, summary: [] });
  assert.equal(c.applyEditRequests.length, 0);
  assert.deepEqual(
    (await recheck).diagnostics.filter((d) => d.code === 'tls-file-missing'),
    [],
  );
});

test('running the generate command again refuses, says so, and leaves the folder as it was', async () => {
  const out = path.join(root, 'tls');
  const before = snapshot(out);
  const r = await c.request('workspace/executeCommand', { command: SERVER_COMMANDS.generateCerts, arguments: [{ folder: out }] });
  assert.equal(r.status, 'refused');
  assert.deepEqual(r.existing.map((f: string) => path.basename(f)).sort(), SET);
  const warning = c.messages.at(-1)!;
  assert.equal(warning.type, 2);
  assert.match(warning.message, /Nothing was changed/);
  assert.deepEqual(snapshot(out), before);
});

test('one existing file of the set is enough to refuse; no other file is created', async () => {
  // Away from the compose project, whose tls/ folder would otherwise be the target.
  const tls = path.join(tmp('lsp-cmd-partial-'), 'tls');
  writeFiles(path.dirname(tls), { 'tls/ca.pem': 'keep me\n' });
  const r = await c.request('workspace/executeCommand', { command: SERVER_COMMANDS.generateCerts, arguments: [{ folder: tls }] });
  assert.equal(r.status, 'refused', JSON.stringify(r));
  assert.deepEqual(r.existing, [path.join(tls, 'ca.pem')]);
  assert.deepEqual(fs.readdirSync(tls), ['ca.pem']);
  assert.equal(fs.readFileSync(path.join(tls, 'ca.pem'), 'utf8'), 'keep me\n');
});

test('without an absolute folder the generate command writes nothing and says what it needs', async () => {
  for (const arg of [{ folder: 'tls' }, { folder: 12 }, {}]) {
    const n = c.messages.length;
    const r = await c.request('workspace/executeCommand', { command: SERVER_COMMANDS.generateCerts, arguments: [arg] });
    assert.match(r.error, /absolute path/, JSON.stringify(arg));
    assert.equal(c.messages[n]?.type, 1, `an error message for ${JSON.stringify(arg)}`);
  }
  assert.equal(fs.existsSync(path.join(process.cwd(), 'tls/ca.key')), false);
});

test('with no milvus.yaml yet, the wiring edit that creates one goes to a client that can apply it', async () => {
  const fresh = tmp('lsp-cmd-fresh-');
  const s = spawn();
  await s.initialize(fresh, { capabilities: EDITING_CLIENT });
  s.applyEditAnswer = { applied: true };
  const r = await s.request('workspace/executeCommand', { command: SERVER_COMMANDS.generateCerts, arguments: [{ folder: fresh }] });
  assert.equal(r.status, 'written', JSON.stringify(r));
  assert.equal(r.out, path.join(fresh, 'tls'));
  assert.equal(r.wiring.applied, true);
  assert.equal(s.applyEditRequests.length, 1);
  const changes = s.applyEditRequests[0].edit.documentChanges;
  const milvus = URI.file(path.join(fresh, 'milvus.yaml')).toString();
  assert.ok(
    changes.some((ch: any) => ch.kind === 'create' && ch.uri === milvus),
    JSON.stringify(changes),
  );
  assert.ok(changes.some((ch: any) => ch.textDocument?.uri === milvus && /tlsMode: 2/.test(ch.edits[0].newText)));
});

test('a client that cannot apply edits gets the files and, in the message, what to change by hand', async () => {
  const fresh = tmp('lsp-cmd-bare-');
  const s = spawn();
  await s.initialize(fresh); // no workspace.applyEdit
  const r = await s.request('workspace/executeCommand', { command: SERVER_COMMANDS.generateCerts, arguments: [{ folder: fresh }] });
  assert.equal(r.status, 'written', JSON.stringify(r));
  assert.deepEqual(fs.readdirSync(path.join(fresh, 'tls')).sort(), SET);
  assert.equal(r.wiring.applied, false);
  assert.ok(r.wiring.summary.length > 0);
  assert.equal(s.applyEditRequests.length, 0);
  assert.ok(s.messages.at(-1)!.message.includes(r.wiring.summary[0]));
});

test('serverInfo names tls-config at the version in package.json', async () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(__dirname, '../../package.json'), 'utf8'));
  assert.deepEqual(init.serverInfo, { name: 'tls-config', version: pkg.version });
});

test('every server command in the protocol is advertised, and nothing else', () => {
  assert.deepEqual([...init.capabilities.executeCommandProvider.commands].sort(), Object.values(SERVER_COMMANDS).sort());
});

test('validateGenerateOptions answers each problem on the field it is about, notes a wildcard, and checks the CA to reuse', async () => {
  const v = (arg: object) => c.request<any>('workspace/executeCommand', { command: SERVER_COMMANDS.validateGenerate, arguments: [arg] });
  assert.deepEqual(await v({ options: {} }), { errors: [], notes: [] });
  const bad = await v({ options: { names: ['localhost', 'my host', 'not a name!!'], leafDays: 0, keyType: 'DSA' } });
  assert.deepEqual(
    bad.errors.map((e: any) => e.field),
    ['keyType', 'names', 'names', 'leafDays'],
  );
  assert.match(bad.errors[1].message, /"my host" contains white space/);
  const wild = await v({ options: { names: ['*.example.com'] } });
  assert.deepEqual(wild.errors, []);
  assert.equal(wild.notes[0].field, 'names');
  // Reusing a CA: the folder must hold one; caDays is then not the user's to answer.
  const fresh = path.join(root, 'validate');
  const none = await v({ options: { caDays: 0 }, out: fresh, reuseCa: true });
  assert.deepEqual(
    none.errors.map((e: any) => e.field),
    ['reuseCa'],
  );
  await c.request('workspace/executeCommand', {
    command: SERVER_COMMANDS.generate,
    arguments: [{ out: fresh, options: { names: ['localhost'] } }],
  });
  assert.deepEqual(await v({ options: { caDays: 0, leafDays: 900 }, out: fresh, reuseCa: true }), { errors: [], notes: [] });
});

test('defaults list the layouts, suggesting PostgreSQL and its folder for a compose project that runs Postgres', async () => {
  // A Postgres project inside the Milvus project of this file: the nearer compose file decides.
  const pg = path.join(root, 'db');
  writeFiles(pg, {
    'docker-compose.yml':
      'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n    ports:\n      - 15432:5432\n',
  });
  const d = await c.request<any>('workspace/executeCommand', { command: SERVER_COMMANDS.defaults, arguments: [{ folder: pg }] });
  assert.equal(d.layout, 'postgres');
  assert.deepEqual(
    d.layouts.map((l: any) => l.id),
    ['milvus', 'postgres'],
  );
  const l = d.layouts[1];
  assert.deepEqual(
    [l.out, l.composePath, l.service, l.dbUser, l.detected],
    [path.join(pg, 'tls'), path.join(pg, 'docker-compose.yml'), 'db', 'app', 'service db in docker-compose.yml'],
  );
  assert.equal(l.port, 15432, 'the snippet dials the published port');
  // The Milvus project of this file suggests Milvus.
  const m = await c.request<any>('workspace/executeCommand', { command: SERVER_COMMANDS.defaults, arguments: [{ folder: root }] });
  assert.equal(m.layout, 'milvus');
});

test('the Postgres wiring is a WorkspaceEdit: applied, the compose service has TLS on and the .env URI verifies the server', async () => {
  const pg = tmp('lsp-cmd-pgwire-');
  writeFiles(pg, {
    'docker-compose.yml':
      'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_USER: app\n    ports:\n      - "5433:5432"\n',
  });
  const s = spawn();
  await s.initialize(pg, { capabilities: EDITING_CLIENT });
  const out = path.join(pg, 'tls');
  const gen = await s.request<any>('workspace/executeCommand', {
    command: SERVER_COMMANDS.generate,
    arguments: [{ out, options: { names: ['localhost'], layout: 'postgres', clientCommonName: 'app' } }],
  });
  assert.deepEqual(gen.written.map((f: string) => path.basename(f)).sort(), [
    'ca.key',
    'postgresql.crt',
    'postgresql.key',
    'root.crt',
    'server.crt',
    'server.key',
  ]);
  const plan = await s.request<any>('workspace/executeCommand', {
    command: SERVER_COMMANDS.wiring,
    arguments: [{ layout: 'postgres', certDir: out, mode: 2, composePath: path.join(pg, 'docker-compose.yml'), dbUser: 'app' }],
  });
  assert.ok(plan.summary.length >= 3, plan.summary.join('\n'));
  applyWorkspaceEdit(plan.edit);
  assert.match(
    fs.readFileSync(path.join(pg, 'docker-compose.yml'), 'utf8'),
    /command: -c ssl=on -c ssl_cert_file=\/etc\/postgresql\/tls\/server\.crt/,
  );
  // The checks read the wired .env as written: verify-full with the generated root, which signs the server certificate.
  const env = path.join(pg, '.env');
  const uri = URI.file(env).toString();
  const diags = s.nextDiagnostics(uri);
  s.open(env, fs.readFileSync(env, 'utf8'), 'properties');
  const codes = (await diags).diagnostics.map((d: any) => d.code);
  assert.deepEqual(
    codes.filter((x: string) => /sslmode|root|client|name|san/.test(x)),
    [],
    codes.join(', '),
  );
  // A second plan has nothing left to change.
  const again = await s.request<any>('workspace/executeCommand', {
    command: SERVER_COMMANDS.wiring,
    arguments: [{ layout: 'postgres', certDir: out, mode: 2, composePath: path.join(pg, 'docker-compose.yml'), dbUser: 'app' }],
  });
  assert.deepEqual(again.summary, []);
  const snip = await s.request<any>('workspace/executeCommand', {
    command: SERVER_COMMANDS.snippets,
    arguments: [{ layout: 'postgres', mode: 'mutual', serverName: 'localhost', port: 5433, dir: out, dbUser: 'app' }],
  });
  assert.match(
    snip.markdown,
    /psql 'postgresql:\/\/app@localhost:5433\/app\?sslmode=verify-full&sslrootcert=.*\/tls\/root\.crt&sslcert=.*postgresql\.crt&sslkey=.*postgresql\.key'/,
  );
});
