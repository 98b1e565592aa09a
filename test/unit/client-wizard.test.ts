/**
 * The "Generate TLS certs" wizard's step logic (client/src/wizard/generate-steps.ts), driven as
 * the VS Code runner drives it, against the real server commands (defaults, plan, the
 * generator's own option validation) on real folders.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { X509Certificate } from 'node:crypto';
import { GenerateWizard, serverDeps, type Exec } from '../../client/src/wizard/generate-steps';
import { rankPemFiles, keyBeside, endpointKey } from '../../client/src/wizard/connection-answers';
import { executeServerCommand } from '../../server/src/commands';
import { SERVER_COMMANDS, type DefaultsResult } from '../../server/src/protocol';
import { LanguageService, Workspace } from '../../server/src/service';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';
import { tmpWorkspace, writeFiles, composeYaml, milvusYaml } from '../support/workspace';

const dirs: string[] = [];
after(() => {
  for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
});

function project(files: Record<string, string>) {
  const root = tmpWorkspace('wizard-');
  dirs.push(root);
  writeFiles(root, files);
  const ws = new Workspace([root], { ...DEFAULT_SETTINGS });
  const ctx = { ws, service: new LanguageService(ws, {}), openText: () => undefined };
  const exec: Exec = (command, arg) => executeServerCommand(command, [arg], ctx) as never;
  return { root, exec };
}

/** The wizard as opened on `folder` (the active file's folder, or the workspace root). */
async function wizardFor(files: Record<string, string>, folder = '.') {
  const p = project(files);
  const at = path.join(p.root, folder);
  fs.mkdirSync(at, { recursive: true });
  const defaults = (await p.exec(SERVER_COMMANDS.defaults, { folder: at })) as DefaultsResult;
  return { ...p, defaults, w: new GenerateWizard(defaults, serverDeps(p.exec, at)) };
}

const PG_COMPOSE = [
  'services:',
  '  db:',
  '    image: postgres:16',
  '    environment:',
  '      POSTGRES_USER: app',
  '      POSTGRES_PASSWORD: secret',
  '    ports:',
  '      - "5433:5432"',
  '',
].join('\n');

/** Accepts the current step with its shown answer (Enter, or the active pick) and returns the label it had. */
async function enter(w: GenerateWizard): Promise<string> {
  const v = w.view()!;
  const label = w.label()!;
  const r = await w.accept(v.kind === 'input' ? v.value! : (v.active ?? v.items![0].value));
  assert.equal(r.error, undefined, `${label}: ${r.error}`);
  return label;
}

test('a Milvus project: one step per question, numbered 1..N without repeats, validity steps together after the folder', async () => {
  const { w, root } = await wizardFor({ 'docker-compose.yml': composeYaml(), 'milvus.yaml': milvusYaml() });
  const labels: string[] = [];
  while (!w.done) labels.push(await enter(w));
  assert.deepEqual(labels, [
    'Generate TLS certs: which system are they for? (1/8)',
    'Generate TLS certs: what for? (2/8)',
    'Generate TLS certs: output folder (3/8)',
    'Generate TLS certs: server names (DNS names and IPs clients dial) (4/8)',
    'Generate TLS certs: key type (5/8)',
    'Generate TLS certs: certificate signing requests (6/8)',
    'Generate TLS certs: CA validity in days (7/8)',
    'Generate TLS certs: server/client certificate validity in days (8/8)',
  ]);
  assert.equal(w.answers.out, path.join(root, 'tls'));
  assert.equal(w.answers.layout, 'milvus');
  assert.deepEqual(w.answers.names.slice(0, 2), ['localhost', '127.0.0.1']);
  assert.deepEqual(w.options(), { mode: 'mutual', names: w.answers.names, keyType: 'P-256', leafDays: 825, caDays: 3650, csr: false });
});

test('"my host" is refused at the names step with the generator\'s reason, and the other answers stay', async () => {
  const { w } = await wizardFor({ 'docker-compose.yml': composeYaml() });
  while (w.view()!.id !== 'names') await enter(w);
  const before = { ...w.answers };
  assert.match((await w.check('localhost, my host')).error ?? '', /"my host" contains white space/);
  const r = await w.accept('localhost, my host');
  assert.match(r.error ?? '', /white space/);
  assert.equal(w.view()!.id, 'names', 'the step stays');
  assert.deepEqual(w.answers, before, 'nothing is lost or half-applied');
  assert.match((await w.check('not a name!!')).error ?? '', /white space/);
  assert.match((await w.check('bad!name')).error ?? '', /not a valid DNS name/);
  assert.match((await w.check('https://milvus.example.com:19530')).error ?? '', /is a URL/);
  assert.match((await w.check(' , ')).error ?? '', /at least one host name/);
});

test('a wildcard name passes with a note on what it covers; a misplaced wildcard is refused', async () => {
  const { w } = await wizardFor({ 'docker-compose.yml': composeYaml() });
  while (w.view()!.id !== 'names') await enter(w);
  const ok = await w.check('*.example.com');
  assert.equal(ok.error, undefined);
  assert.match(ok.note ?? '', /"\*\.example\.com" covers one label .* not "example\.com" itself/);
  assert.match((await w.check('*.com')).error ?? '', /wildcard is only allowed/);
  assert.match((await w.check('milvus.*.example.com')).error ?? '', /wildcard is only allowed/);
});

test('back returns to the previous step with its answer; at the first step there is nothing to go back to', async () => {
  const { w } = await wizardFor({ 'docker-compose.yml': composeYaml() });
  assert.equal(w.view()!.canGoBack, false);
  assert.equal(w.back(), false);
  await w.accept('milvus');
  await w.accept('one-way');
  await enter(w); // folder
  assert.equal((await w.accept('milvus, 10.0.0.7')).error, undefined);
  assert.equal(w.view()!.id, 'keyType');
  assert.equal(w.back(), true);
  assert.deepEqual([w.view()!.id, w.view()!.value], ['names', 'milvus, 10.0.0.7']);
  assert.equal(w.back(), true);
  assert.equal(w.back(), true);
  assert.deepEqual([w.view()!.id, w.view()!.active, w.view()!.step], ['mode', 'one-way', 2]);
  // One-way: the last step names only the server certificate.
  while (w.view()!.id !== 'leafDays') await enter(w);
  assert.match(w.view()!.title, /: server certificate validity in days$/);
});

test('the days steps check numbers and ranges, and a leaf outliving its CA is refused at the leaf step', async () => {
  const { w } = await wizardFor({ 'docker-compose.yml': composeYaml() });
  while (w.view()!.id !== 'caDays') await enter(w);
  assert.equal((await w.accept('ten')).error, 'Enter a whole number of days');
  assert.match((await w.accept('0')).error ?? '', /caDays must be between 1 and 36500 days/);
  assert.equal((await w.accept('365')).error, undefined);
  assert.match((await w.accept('825')).error ?? '', /leafDays \(825\) must not exceed caDays \(365\)/);
  assert.equal((await w.accept('300')).error, undefined);
  assert.ok(w.done);
});

test('files already in the folder are asked about at the folder step: reuse the CA, or a new one, or another folder', async () => {
  const { w, root, exec } = await wizardFor({ 'docker-compose.yml': composeYaml() });
  await exec(SERVER_COMMANDS.generate, { out: path.join(root, 'tls'), options: { names: ['localhost'] } });
  while (w.view()!.id !== 'folder') await enter(w);
  const atFolder = w.label();
  await enter(w);
  const v = w.view()!;
  assert.equal(v.id, 'existing');
  assert.equal(w.label(), 'Generate TLS certs: files of the set already exist (4/9)', 'the step is counted once it is known');
  assert.match(atFolder!, /\(3\/8\)$/);
  assert.match(v.prompt!, /ca\.pem, ca\.key, server\.pem, server\.key, client\.pem, client\.key/);
  assert.deepEqual(
    v.items!.map((i) => i.value),
    ['reuse', 'replace', 'another'],
  );
  // Another folder: back at the folder step, nothing decided.
  await w.accept('another');
  assert.equal(w.view()!.id, 'folder');
  assert.equal(w.answers.overwrite, false);
  await enter(w);
  await w.accept('reuse');
  assert.deepEqual([w.answers.reuseCa, w.answers.overwrite], [true, true], 'the leaves there are replaced, the CA kept');
  const rest: string[] = [];
  while (!w.done) rest.push(await enter(w));
  assert.ok(!rest.some((l) => /CA validity/.test(l)), 'no CA validity when the CA is reused');
  assert.match(rest.at(-1)!, /\(8\/8\)$/, `numbering ends at the total: ${rest.join(' | ')}`);
  // The answers generate: the CA stays byte for byte, the leaves are new.
  const caBefore = fs.readFileSync(path.join(root, 'tls/ca.pem'), 'utf8');
  const leafBefore = fs.readFileSync(path.join(root, 'tls/server.pem'), 'utf8');
  await exec(SERVER_COMMANDS.generate, {
    out: w.answers.out,
    options: w.options(),
    reuseCa: w.answers.reuseCa,
    overwrite: w.answers.overwrite,
  });
  assert.equal(fs.readFileSync(path.join(root, 'tls/ca.pem'), 'utf8'), caBefore);
  assert.notEqual(fs.readFileSync(path.join(root, 'tls/server.pem'), 'utf8'), leafBefore);
});

test('a folder holding only some files offers to overwrite them, naming them', async () => {
  const { w, root } = await wizardFor({ 'docker-compose.yml': composeYaml(), 'tls/server.pem': 'old\n' });
  while (w.view()!.id !== 'folder') await enter(w);
  await enter(w);
  const v = w.view()!;
  assert.equal(v.id, 'existing');
  assert.match(w.label()!, /: a file of the set already exist/);
  assert.deepEqual(
    v.items!.map((i) => [i.value, i.description]),
    [
      ['replace', 'replaces server.pem; the old keys are lost'],
      ['another', 'back to the folder step; nothing is replaced'],
    ],
  );
  await w.accept('replace');
  assert.deepEqual([w.answers.reuseCa, w.answers.overwrite], [false, true]);
  assert.equal(fs.readFileSync(path.join(root, 'tls/server.pem'), 'utf8'), 'old\n', 'answering writes nothing');
});

test('a Postgres compose project suggests the PostgreSQL layout, its folder, and asks for the database user in mutual TLS', async () => {
  const { w, root, defaults } = await wizardFor({ 'db/docker-compose.yml': PG_COMPOSE }, 'db');
  assert.equal(defaults.layout, 'postgres');
  const first = w.view()!;
  assert.equal(first.active, 'postgres');
  assert.deepEqual(
    first.items!.map((i) => i.label),
    ['Milvus', 'PostgreSQL'],
  );
  assert.match(first.items![1].description!, /found service db in docker-compose\.yml/);
  const labels: string[] = [];
  while (w.view()!.id !== 'clientName') labels.push(await enter(w));
  assert.equal(w.answers.out, path.join(root, 'db/tls'));
  assert.equal(w.view()!.value, 'app', 'POSTGRES_USER of the compose service is proposed');
  assert.match(w.label()!, /database user of the client certificate \(5\/9\)$/);
  assert.match((await w.accept('   ')).error ?? '', /clientCommonName, when given, must not be empty/);
  assert.equal((await w.accept('app')).error, undefined);
  while (!w.done) await enter(w);
  assert.deepEqual(w.options(), {
    mode: 'mutual',
    names: w.answers.names,
    keyType: 'P-256',
    leafDays: 825,
    caDays: 3650,
    csr: false,
    layout: 'postgres',
    clientCommonName: 'app',
  });
});

test('choosing another system moves the suggested folder until the user types one', async () => {
  // Asked from db/conf (say, with db/conf/postgresql.conf open): Milvus would go into db/conf/tls, Postgres beside the compose file.
  const { w, root } = await wizardFor({ 'db/docker-compose.yml': PG_COMPOSE }, 'db/conf');
  await w.accept('milvus');
  assert.equal(w.answers.out, path.join(root, 'db/conf/tls'));
  w.back();
  await w.accept('postgres');
  assert.equal(w.answers.out, path.join(root, 'db/tls'));
  await enter(w); // mode
  await w.accept('certs');
  assert.equal(w.answers.out, path.join(root, 'db/conf/certs'), 'a relative folder is taken from the folder asked for');
  for (let i = 0; i < 3; i++) w.back();
  assert.equal(w.view()!.id, 'layout');
  assert.deepEqual(await w.accept('milvus'), {});
  assert.equal(w.answers.out, path.join(root, 'db/conf/certs'), 'a typed folder stays');
});

test('the workspace PEM files are offered by role: CA names first for the CA, client files first, the key beside the certificate', () => {
  const files = ['server.pem', 'server.key', 'ca.pem', 'client.pem', 'client.key', 'other/root.crt'].map((n) => path.join('/w/tls', n));
  const base = (xs: string[]) => xs.map((f) => path.relative('/w/tls', f));
  assert.deepEqual(base(rankPemFiles(files, 'ca', '/w/tls')), ['ca.pem', 'other/root.crt', 'client.pem', 'server.pem']);
  assert.deepEqual(base(rankPemFiles(files, 'cert', '/w/tls')), ['client.pem', 'ca.pem', 'server.pem', 'other/root.crt']);
  assert.deepEqual(base(rankPemFiles(files, 'key')), ['client.key', 'server.key', 'ca.pem', 'client.pem', 'server.pem']);
  assert.equal(keyBeside(files[3], files), files[4]);
  assert.equal(keyBeside('/w/tls/postgresql.crt', ['/w/tls/postgresql.key']), '/w/tls/postgresql.key');
  assert.equal(keyBeside('/w/tls/client.pem', ['/w/tls/server.key']), undefined);
});

test('test-connection answers are remembered per document endpoint, else per host:port', () => {
  assert.equal(endpointKey({ uri: 'file:///w/milvus.yaml' }), 'doc:file:///w/milvus.yaml#0');
  assert.equal(endpointKey({ uri: 'file:///w/.env', index: 2 }), 'doc:file:///w/.env#2');
  assert.equal(endpointKey({ target: { host: '127.0.0.1', port: 5432 } }), 'endpoint:127.0.0.1:5432');
  assert.equal(endpointKey({}), undefined);
});

test('a Postgres folder with root.crt and ca.key offers to reuse that CA, and the new leaves chain to it', async () => {
  const { w, root, exec } = await wizardFor({ 'docker-compose.yml': PG_COMPOSE });
  const out = path.join(root, 'tls');
  await exec(SERVER_COMMANDS.generate, { out, options: { names: ['localhost'], layout: 'postgres', clientCommonName: 'app' } });
  while (w.view()!.id !== 'existing') await enter(w);
  const v = w.view()!;
  assert.match(v.prompt!, /root\.crt, ca\.key, server\.crt/);
  assert.equal(v.items![0].value, 'reuse');
  assert.match(v.items![0].description!, /replaces server\.crt, server\.key, postgresql\.crt, postgresql\.key/);
  await w.accept('reuse');
  while (!w.done) await enter(w);
  const root0 = fs.readFileSync(path.join(out, 'root.crt'), 'utf8');
  await exec(SERVER_COMMANDS.generate, { out, options: w.options(), reuseCa: w.answers.reuseCa, overwrite: w.answers.overwrite });
  assert.equal(fs.readFileSync(path.join(out, 'root.crt'), 'utf8'), root0, 'the CA clients trust is kept');
  const leaf = new X509Certificate(fs.readFileSync(path.join(out, 'server.crt')));
  assert.ok(leaf.verify(new X509Certificate(root0).publicKey), 'the new server certificate is signed by the kept CA');
});
