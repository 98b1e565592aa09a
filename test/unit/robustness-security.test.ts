/**
 * Issue 7, part 4: security. Private key material never reaches a hover, a
 * diagnostic, the CLI's text / JSON / SARIF output or an error message; files
 * outside the workspace folders are not read (unless allowed); an untrusted
 * workspace reads nothing beyond the open documents; the server never runs a
 * shell command and never opens a network connection.
 *
 * No fs mocks: the files are put in place, and every output is searched for
 * anything derived from them.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { execFileSync, spawnSync } from 'node:child_process';
import { createPrivateKey } from 'node:crypto';
import { URI } from 'vscode-uri';
import { LanguageService, Workspace, type Doc } from '../../server/src/service';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/service/types';
import { check } from '../../server/src/cli';
import { toSarif } from '../../server/src/cli/sarif';
import { executeServerCommand, SERVER_COMMANDS } from '../../server/src/commands';
import { showCertificate } from '../../server/src/certificate-commands';
import { pemFixtures, type PemFixtures } from '../support/pem-fixtures';
import { makeCert } from '../support/pem-fixtures';
import { tmpWorkspace, writeFiles, milvusYaml, composeYaml } from '../support/workspace';
import { secretNeedles, assertNoSecret, type Needle } from '../support/secrets';
import { LspText } from '../support/bad-inputs';

const REPO = path.resolve(__dirname, '../..');
const CLI = path.join(REPO, 'dist/cli.js');

let fx: PemFixtures;
let root: string;
let needles: Needle[];
const keyFiles: Record<string, { pem: string; passphrase?: string }> = {};

before(async () => {
  fx = await pemFixtures();
  root = tmpWorkspace('secrets-');
  Object.assign(keyFiles, {
    'ec-pkcs8.key': { pem: fx.keys.ecPkcs8 },
    'ec-sec1.key': { pem: fx.keys.ecSec1 },
    'rsa-pkcs8.key': { pem: fx.keys.rsaPkcs8 },
    'rsa-pkcs1.key': { pem: fx.keys.rsaPkcs1 },
    'encrypted.key': { pem: fx.keys.encryptedPkcs8, passphrase: 'secret' },
    'legacy-encrypted.key': { pem: fx.keys.legacyEncrypted, passphrase: 'secret' },
    'weak-rsa.key': { pem: fx.keys.weakRsa1024 },
    ...(fx.keys.openssh ? { 'openssh.key': { pem: fx.keys.openssh } } : {}),
    // A key in a .pem next to its certificate, in CRLF, and a key pasted into a cert bundle.
    'combined.pem': { pem: fx.leaf.certPem + fx.keys.ecPkcs8 },
    'crlf.key': { pem: fx.keys.rsaPkcs1.replace(/\n/g, '\r\n') },
  });
  needles = Object.entries(keyFiles).flatMap(([name, k]) => secretNeedles(k.pem, name, k.passphrase));
  assert.ok(needles.length > 100, `expected many needles, got ${needles.length}`);
  const files: Record<string, string> = {
    'tls/server.pem': fx.leaf.certPem,
    'tls/ca.pem': fx.ca.certPem,
    'tls/rsa.pem': fx.rsaLeaf.certPem,
    'docker-compose.yml': composeYaml(),
    'milvus.yaml': milvusYaml({ key: '/milvus/tls/ec-pkcs8.key' }),
  };
  for (const [name, k] of Object.entries(keyFiles)) {
    files[`tls/${name}`] = k.pem;
    // One milvus.yaml per key, in host mode; and one with the paths swapped (key where the cert goes).
    files[`by-key/${name}/milvus.yaml`] = milvusYaml({
      server: '../../tls/server.pem',
      key: `../../tls/${name}`,
      ca: '../../tls/ca.pem',
      internal: true,
    });
    files[`swapped/${name}/milvus.yaml`] = milvusYaml({
      server: `../../tls/${name}`,
      key: `../../tls/${name}`,
      ca: `../../tls/${name}`,
      internal: true,
    });
  }
  writeFiles(root, files);
  fs.mkdirSync(path.join(root, 'volumes/milvus'), { recursive: true });
});

after(() => fs.rmSync(root, { recursive: true, force: true }));

function docAt(file: string, text = fs.readFileSync(file, 'utf8')): Doc {
  return { path: file, uri: URI.file(file).toString(), text };
}

/** Every answer the service gives about a document, hovering every line at a few columns, as one string. */
function everything(service: LanguageService, doc: Doc): string {
  const parts: unknown[] = [];
  const diags = service.validate(doc);
  parts.push(diags, service.symbols(doc), service.folding(doc), service.links(doc), service.codeActions(doc, diags));
  const t = new LspText(doc.text);
  for (let line = 0; line < t.lineCount; line++) {
    const len = t.lineLength(line);
    for (const character of new Set([0, Math.floor(len / 2), len])) {
      parts.push(service.hover(doc, { line, character }), service.completion(doc, { line, character }));
    }
  }
  return JSON.stringify(parts);
}

function allFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.join(e.parentPath ?? (e as unknown as { path: string }).path, e.name));
}

test('the secret search finds key material in every form it looks for (control)', () => {
  const pem = keyFiles['ec-pkcs8.key'].pem;
  const mine = secretNeedles(pem, 'ec');
  const line = pem.split('\n')[1];
  assert.throws(() => assertNoSecret(`hover: ${line} end`, mine, 'x'), /base64 line/);
  const d = Buffer.from((createPrivateKey(pem).export({ format: 'jwk' }) as { d: string }).d, 'base64url');
  assert.throws(() => assertNoSecret(d.toString('hex').match(/../g)!.join(':').toUpperCase(), mine, 'x'), /private d \(COLON HEX\)/);
  assert.throws(() => assertNoSecret(d.toString('base64url'), mine, 'x'), /private d/);
  const der = createPrivateKey(pem).export({ type: 'pkcs8', format: 'der' });
  assert.throws(() => assertNoSecret(`x${der.toString('hex')}x`, mine, 'x'), /PKCS#8 DER/);
  // The RSA key has p and q as well.
  assert.ok(secretNeedles(keyFiles['rsa-pkcs1.key'].pem, 'rsa').some((n) => n.what.includes('private q')));
  assertNoSecret(fx.leaf.certPem + fx.ca.certPem, needles, 'certificates (which share nothing with the keys)');
});

test('no private key material in hovers, diagnostics, symbols, links, completion or code actions', () => {
  const service = new LanguageService(new Workspace([root], { ...DEFAULT_SETTINGS }), {});
  let outputs = 0;
  for (const file of allFiles(root)) {
    const out = everything(service, docAt(file));
    assertNoSecret(out, needles, `the answers for ${path.relative(root, file)}`);
    outputs += out.length;
  }
  // The checks did look: keys were decoded and described, and swapped paths were reported.
  const keyHover = JSON.stringify(service.hover(docAt(path.join(root, 'tls/ec-pkcs8.key')), { line: 1, character: 0 }));
  assert.match(keyHover, /private key/i);
  assert.match(keyHover, /PKCS#8 · not encrypted/);
  assert.match(keyHover, /Belongs to|No certificate/, 'the key was matched against certificates');
  // The full decode behind "Show details" names the public key's hash, never the key.
  const ctx = { ws: service.ws, service, openText: () => undefined };
  for (const file of allFiles(root)) {
    let shown: unknown;
    try {
      shown = showCertificate({ path: file }, ctx);
    } catch (e) {
      shown = (e as Error).message;
    }
    assertNoSecret(JSON.stringify(shown), needles, `Show certificate of ${path.relative(root, file)}`);
  }
  assert.match(JSON.stringify(showCertificate({ path: path.join(root, 'tls/ec-pkcs8.key') }, ctx)), /Public key SHA-256/);
  const swapped = service.validate(docAt(path.join(root, 'swapped/ec-pkcs8.key/milvus.yaml')));
  assert.ok(
    swapped.some((d) => d.code === 'tls-file-wrong-kind'),
    JSON.stringify(swapped),
  );
  assert.ok(outputs > 100_000, `only ${outputs} characters of output searched`);
});

test('no private key material in the CLI output: text, JSON, SARIF, in-process and as a process', () => {
  const { findings, base } = check([root]);
  assert.ok(findings.length > 10, 'the swapped configs produce findings');
  assertNoSecret(JSON.stringify(findings), needles, 'check() findings');
  assertNoSecret(JSON.stringify(toSarif(findings, base)), needles, 'toSarif()');
  assert.ok(fs.existsSync(CLI), 'dist/cli.js is missing: run npm run build');
  for (const format of ['text', 'json', 'sarif']) {
    const r = spawnSync(process.execPath, [CLI, 'check', root, '--format', format], { encoding: 'utf8' });
    assert.equal(r.status, 1, `exit code of check --format ${format}: ${r.stderr}`);
    assert.ok(r.stdout.length > 1000);
    assertNoSecret(r.stdout + r.stderr, needles, `tls-config check --format ${format}`);
  }
  // Each key file on its own (the CLI lints keys too).
  const r = spawnSync(process.execPath, [CLI, 'check', ...Object.keys(keyFiles).map((n) => path.join(root, 'tls', n))], {
    encoding: 'utf8',
  });
  assertNoSecret(r.stdout + r.stderr, needles, 'tls-config check <key files>');
});

test('no private key material in command error messages', async () => {
  const ws = new Workspace([root], { ...DEFAULT_SETTINGS });
  const service = new LanguageService(ws, {});
  const ctx = { ws, service, openText: () => undefined };
  const messages: string[] = [];
  // Reusing a CA whose key is encrypted, is not a key, or does not match the certificate.
  for (const [caKey, caCert] of [
    ['encrypted.key', 'ca.pem'],
    ['legacy-encrypted.key', 'ca.pem'],
    ['rsa-pkcs1.key', 'ca.pem'],
    ['ec-pkcs8.key', 'ca.pem'],
    ['crlf.key', 'server.pem'],
    ['combined.pem', 'combined.pem'],
  ]) {
    const out = path.join(root, 'reuse', caKey);
    writeFiles(out, {
      'ca.key': keyFiles[caKey].pem,
      'ca.pem': caCert === 'combined.pem' ? keyFiles[caKey].pem : fs.readFileSync(path.join(root, 'tls', caCert), 'utf8'),
    });
    try {
      await executeServerCommand(SERVER_COMMANDS.generate, [{ out, options: { names: ['localhost'] }, reuseCa: true }], ctx);
      messages.push('(no error)');
    } catch (e) {
      messages.push(`${(e as Error).message}\n${(e as Error).stack}`);
    }
  }
  assert.ok(messages.filter((m) => m !== '(no error)').length >= 4, messages.join('\n---\n'));
  assertNoSecret(messages.join('\n'), needles, 'command error messages');
  // Planning and wiring around the keys answer without their bytes too.
  const plan = await executeServerCommand(SERVER_COMMANDS.plan, [{ out: path.join(root, 'tls'), options: {} }], ctx);
  const defaults = await executeServerCommand(SERVER_COMMANDS.defaults, [{ folder: root }], ctx);
  assertNoSecret(JSON.stringify([plan, defaults]), needles, 'plan / defaults');
});

test('CLI generate: keys are 0600, output names files but no key bytes; a second run refuses and changes nothing', () => {
  const out = path.join(root, 'cli-gen');
  const r = spawnSync(process.execPath, [CLI, 'generate', '--out', out, '--mode', 'mutual', '--name', 'localhost'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  for (const k of ['ca.key', 'server.key', 'client.key']) assert.equal(fs.statSync(path.join(out, k)).mode & 0o777, 0o600, k);
  for (const p of ['ca.pem', 'server.pem', 'client.pem']) assert.equal(fs.statSync(path.join(out, p)).mode & 0o777, 0o644, p);
  const generated = ['ca.key', 'server.key', 'client.key'].flatMap((k) =>
    secretNeedles(fs.readFileSync(path.join(out, k), 'utf8'), `generated ${k}`),
  );
  assert.match(r.stdout, /wrote .*server\.key/);
  assertNoSecret(r.stdout + r.stderr, generated, 'tls-config generate');
  const before = Object.fromEntries(fs.readdirSync(out).map((n) => [n, fs.readFileSync(path.join(out, n), 'utf8')]));
  const again = spawnSync(process.execPath, [CLI, 'generate', '--out', out, '--mode', 'mutual', '--name', 'localhost'], {
    encoding: 'utf8',
  });
  assert.equal(again.status, 2);
  assert.match(again.stderr, /already exist.*ca\.pem/);
  assertNoSecret(again.stdout + again.stderr, generated, 'tls-config generate (refused)');
  assert.deepEqual(Object.fromEntries(fs.readdirSync(out).map((n) => [n, fs.readFileSync(path.join(out, n), 'utf8')])), before);
  // And checking the generated folder never prints the keys.
  const checked = spawnSync(process.execPath, [CLI, 'check', out, '--format', 'sarif'], { encoding: 'utf8' });
  assertNoSecret(checked.stdout + checked.stderr, generated, 'tls-config check of the generated set');
});

// --- reads outside the workspace and in an untrusted workspace -------------------

async function distinctiveSet(cn: string) {
  const leaf = await makeCert({
    cn,
    issuer: fx.ca,
    keyUsage: 1 | 4 /* digitalSignature | keyEncipherment */,
    eku: ['1.3.6.1.5.5.7.3.1'],
    sans: [{ type: 'dns', value: cn }],
  });
  return { certPem: leaf.certPem, keyPem: leaf.keyPem, sha256: Buffer.from(await leaf.cert.getThumbprint('SHA-256')).toString('hex') };
}

/** Anything derived from the certificate: its CN (also the SAN), its fingerprint (any case, with or without colons). */
function derived(set: { sha256: string }, cn: string): RegExp {
  const colon = set.sha256.match(/../g)!.join(':');
  return new RegExp([cn, set.sha256, colon].map((s) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'i');
}

function serviceWith(roots: string[], s: Partial<Settings>): LanguageService {
  return new LanguageService(new Workspace(roots, { ...DEFAULT_SETTINGS, ...s }), {});
}

test('a certificate outside the workspace folders is not read: info finding, nothing decoded in the hover', async () => {
  const cn = 'outside-only.example';
  const set = await distinctiveSet(cn);
  const outside = tmpWorkspace('outside-');
  const ws = path.join(root, 'outside-case');
  writeFiles(outside, { 'server.pem': set.certPem, 'server.key': set.keyPem, 'ca.pem': fx.ca.certPem });
  writeFiles(ws, {
    'milvus.yaml': milvusYaml({
      server: path.join(outside, 'server.pem'),
      key: path.join(outside, 'server.key'),
      ca: path.join(outside, 'ca.pem'),
    }),
  });
  const doc = docAt(path.join(ws, 'milvus.yaml'));
  const line = doc.text.split('\n').findIndex((l) => l.includes('serverPemPath'));
  try {
    const closed = serviceWith([ws], {});
    const diags = closed.validate(doc);
    assert.deepEqual(
      diags.map((d) => d.code),
      ['tls-file-outside-workspace', 'tls-file-outside-workspace', 'tls-file-outside-workspace'],
    );
    assert.ok(diags.every((d) => d.severity === 3));
    assert.match(String(diags[0].message), /outside the workspace folders.*allowReadsOutsideWorkspace/);
    const all = everything(closed, doc);
    assert.doesNotMatch(all, derived(set, cn));
    const h = JSON.stringify(closed.hover(doc, { line, character: 20 }));
    assert.doesNotMatch(h, /Subject|SHA-256|Serial/);
    // The CLI over that folder: same.
    const { findings } = check([ws]);
    assert.deepEqual(
      findings.map((f) => f.code),
      ['tls-file-outside-workspace', 'tls-file-outside-workspace', 'tls-file-outside-workspace'],
    );
    assert.doesNotMatch(JSON.stringify(findings), derived(set, cn));

    // Control: with the setting on, the same hover decodes the certificate.
    const open = serviceWith([ws], { allowReadsOutsideWorkspace: true });
    // Read now, the certificate is judged: its only SAN is none of the names clients usually dial.
    assert.deepEqual(
      open.validate(doc).map((d) => d.code),
      ['tls-name-unlikely'],
    );
    assert.match(JSON.stringify(open.hover(doc, { line, character: 20 })), derived(set, cn));
  } finally {
    fs.rmSync(outside, { recursive: true, force: true });
  }
});

test('untrusted workspace: nothing but the open documents is read', async () => {
  const cn = 'untrusted-only.example';
  const set = await distinctiveSet(cn);
  const ws = path.join(root, 'untrusted-case');
  writeFiles(ws, {
    'tls/server.pem': set.certPem,
    'tls/server.key': set.keyPem,
    'tls/ca.pem': fx.ca.certPem,
    'docker-compose.yml': composeYaml(),
    'milvus.yaml': milvusYaml({ internal: true }),
    'host/milvus.yaml': milvusYaml({ server: '../tls/server.pem', key: '../tls/server.key', ca: '../tls/ca.pem' }),
    // A bad compose next to it: an untrusted service does not even read it.
    'host/docker-compose.yml': 'services: {milvus: {image: milvusdb/milvus, volumes: ["${NOPE}/x:/milvus/tls"]}}\n',
  });
  fs.mkdirSync(path.join(ws, 'volumes/milvus'), { recursive: true });
  const pattern = derived(set, cn);
  const docs = ['milvus.yaml', 'docker-compose.yml', 'host/milvus.yaml', 'tls/server.key'].map((r) => docAt(path.join(ws, r)));

  const untrusted = serviceWith([ws], { trusted: false, allowReadsOutsideWorkspace: true });
  for (const doc of docs) {
    const all = everything(untrusted, doc);
    assert.doesNotMatch(all, pattern, `${path.relative(ws, doc.path)} in an untrusted workspace shows something read from disk`);
    assert.doesNotMatch(all, /milvus-cert-|milvus-file-|tls-key-mismatch|compose-bind-source/, path.relative(ws, doc.path));
  }
  // The key's hover cannot name its certificate (that would need reading the folder).
  assert.doesNotMatch(JSON.stringify(untrusted.hover(docs[3], { line: 1, character: 0 })), /Belongs to/);

  // Control: trusted, the same requests do read the certificate.
  const trusted = serviceWith([ws], {});
  assert.match(everything(trusted, docs[0]), pattern);
  assert.match(JSON.stringify(trusted.hover(docs[3], { line: 1, character: 0 })), /Belongs to server\.pem/);
});

// --- no shell, no network --------------------------------------------------------

function sources(): { file: string; text: string }[] {
  return allFiles(path.join(REPO, 'server/src'))
    .filter((f) => /\.[cm]?[jt]s$/.test(f))
    .map((file) => ({ file: path.relative(REPO, file), text: fs.readFileSync(file, 'utf8') }));
}

test('server/src never runs a process', () => {
  const src = sources();
  assert.ok(src.length > 30);
  const hits = src.flatMap(({ file, text }) =>
    [
      ...text.matchAll(
        /child_process|\bexecSync\b|\bexecFile(Sync)?\b|\bspawn(Sync)?\s*\(|\bfork\s*\(|process\.binding|\bWorker\s*\(|\bnew Function\s*\(|\beval\s*\(/g,
      ),
    ].map((m) => `${file}: ${m[0]}`),
  );
  assert.deepEqual(hits, []);
});

/** `import { isIP } from 'node:net'` is address parsing, not networking: the only names allowed from net. */
const PURE_NET = /^import\s*\{\s*(isIP|isIPv4|isIPv6)(\s*,\s*(isIP|isIPv4|isIPv6))*\s*\}\s*from\s*'node:net';$/;

/** The connection tester (issue 16): the one folder allowed to open sockets, only on an explicit command. */
const PROBE_DIR = 'server/src/probe/';
const notProbe = () => sources().filter(({ file }) => !file.split(path.sep).join('/').startsWith(PROBE_DIR));

function networkHits(src: { file: string; text: string }[]): string[] {
  return src.flatMap(({ file, text }) =>
    [
      ...text
        .split('\n')
        .filter((l) => /['"](node:)?net['"]/.test(l) && !PURE_NET.test(l.trim()))
        .map((l) => [l.trim()] as unknown as RegExpMatchArray),
      ...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"](?:node:)?(http|https|http2|tls|dgram|dns|undici|ws)['"]/g),
      ...text.matchAll(/\bnet\.connect|\btls\.connect|\bhttps?\.(request|get)\b|\bfetch\s*\(|XMLHttpRequest|new WebSocket/g),
    ].map((m) => `${file}: ${m[0]}`),
  );
}

test('server/src opens no network connection outside the connection tester (server/src/probe)', () => {
  const src = notProbe();
  assert.ok(src.some(({ file }) => file.includes(`${path.sep}service${path.sep}`)) && src.length > 30, 'the service is scanned');
  assert.deepEqual(networkHits(src), []);
  // "http" only appears inside string literals that are documentation links or example values.
  const urls = notProbe().flatMap(({ file, text }) =>
    text
      .split('\n')
      .flatMap((l, i) =>
        /https?:/.test(l) && !/['"`][^'"`]*https?:\/\/[^'"`]*['"`]/.test(l) && !/^\s*(\/\/|\*|\/\*)/.test(l)
          ? [`${file}:${i + 1}: ${l.trim()}`]
          : [],
      ),
  );
  assert.deepEqual(urls, []);
});

test('the connection tester is where the sockets are, and the service never imports it', () => {
  const probe = sources().filter(({ file }) => file.split(path.sep).join('/').startsWith(PROBE_DIR));
  // Control: the scan does find the sockets the tester opens.
  assert.ok(networkHits(probe).length > 0, 'the scan finds net/tls in server/src/probe');
  const service = sources().filter(({ file }) => file.split(path.sep).join('/').startsWith('server/src/service/'));
  assert.ok(service.length > 30);
  const imports = service.flatMap(({ file, text }) =>
    [...text.matchAll(/(?:from\s+|require\(\s*|import\(\s*)['"]([^'"]*\/probe(?:\/[^'"]*)?)['"]/g)].map((m) => `${file}: ${m[1]}`),
  );
  assert.deepEqual(imports, []);
});

test('grep agrees: no child_process, http, https, tls or dgram anywhere in server/src outside probe/', () => {
  // Belt and braces with a tool outside our own regexes.
  const r = spawnSync(
    'grep',
    [
      '-rlE',
      '--exclude-dir=probe',
      'child_process|(from|require\\()\\s*[\'"](node:)?(http|https|http2|tls|dgram)[\'"]|fetch\\(|net\\.connect',
      path.join(REPO, 'server/src'),
    ],
    { encoding: 'utf8' },
  );
  assert.equal(r.stdout.trim(), '', r.stdout);
  assert.equal(r.status, 1, 'grep exits 1 when nothing matches');
  void execFileSync;
});
