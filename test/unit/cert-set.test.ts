/**
 * A folder of certificates and keys judged as sets. Every finding is checked
 * against the real stacks: `openssl verify -CAfile … -purpose sslclient|sslserver`
 * and a mutual-TLS handshake with a Go crypto/tls server (started once for the
 * file) that requires client certificates from the folder's CA.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import type { Diagnostic } from 'vscode-languageserver-types';
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { LanguageService, Workspace } from '../../server/src/service';
import { makeCert, type Made } from '../support/pem-fixtures';
import { startGoServer, goDial, type GoServer } from '../support/go-tls';

const SERVER = ['1.3.6.1.5.5.7.3.1'];
const CLIENT = ['1.3.6.1.5.5.7.3.2'];
const CA_KU = x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign;
const LEAF_KU = x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment;
const SANS = [
  { type: 'dns' as const, value: 'localhost' },
  { type: 'ip' as const, value: '127.0.0.1' },
];

let ca: Made, inter: Made, foreignCa: Made, server: Made, client: Made, clientServerOnly: Made, clientForeign: Made, serverViaInter: Made;
let go: GoServer;
const roots: string[] = [];

before(async () => {
  ca = await makeCert({ cn: 'Set Root CA', ca: true, keyUsage: CA_KU });
  inter = await makeCert({ cn: 'Set Intermediate CA', ca: true, keyUsage: CA_KU, issuer: ca });
  foreignCa = await makeCert({ cn: 'Other CA', ca: true, keyUsage: CA_KU });
  server = await makeCert({ cn: 'localhost', issuer: ca, keyUsage: LEAF_KU, eku: SERVER, sans: SANS });
  client = await makeCert({ cn: 'app-client', issuer: ca, keyUsage: LEAF_KU, eku: CLIENT, sans: SANS });
  clientServerOnly = await makeCert({ cn: 'app-client', issuer: ca, keyUsage: LEAF_KU, eku: SERVER, sans: SANS });
  clientForeign = await makeCert({ cn: 'app-client', issuer: foreignCa, keyUsage: LEAF_KU, eku: CLIENT, sans: SANS });
  serverViaInter = await makeCert({ cn: 'localhost', issuer: inter, keyUsage: LEAF_KU, eku: SERVER, sans: SANS });
  const dir = folder({ 'ca.crt': ca.certPem, 'server.crt': server.certPem, 'server.key': server.keyPem });
  go = await startGoServer({
    cert: path.join(dir, 'server.crt'),
    key: path.join(dir, 'server.key'),
    ca: path.join(dir, 'ca.crt'),
    mode: 2,
  });
});

after(async () => {
  await go?.stop();
  for (const r of roots) fs.rmSync(r, { recursive: true, force: true });
});

function folder(files: Record<string, string>): string {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'cert-set-')));
  roots.push(dir);
  for (const [name, text] of Object.entries(files))
    fs.writeFileSync(path.join(dir, name), text, { mode: /key/.test(name) ? 0o600 : 0o644 });
  return dir;
}

/** Set findings of every PEM file of the folder, as the editor and the CLI see them: "file code". */
function setFindings(dir: string): { file: string; code: string; d: Diagnostic }[] {
  const service = new LanguageService(new Workspace([dir]), {});
  const out: { file: string; code: string; d: Diagnostic }[] = [];
  for (const name of fs.readdirSync(dir).sort()) {
    const file = path.join(dir, name);
    const text = fs.readFileSync(file, 'utf8');
    for (const d of service.validate({ path: file, uri: URI.file(file).toString(), text }))
      if (String(d.code).startsWith('set-')) out.push({ file: name, code: String(d.code), d });
  }
  return out;
}

const codes = (dir: string) => setFindings(dir).map((f) => `${f.file} ${f.code}`);

/** `openssl verify`: what OpenSSL-based clients conclude about one certificate of the folder. */
function opensslVerify(dir: string, cert: string, purpose: 'sslclient' | 'sslserver', untrusted?: string): { ok: boolean; out: string } {
  const args = ['verify', '-CAfile', path.join(dir, 'ca.crt'), '-purpose', purpose];
  if (untrusted) args.push('-untrusted', path.join(dir, untrusted));
  args.push(path.join(dir, cert));
  try {
    return { ok: true, out: execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, out: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/** A mutual-TLS handshake with the folder's client set against the Go server that trusts the folder's CA. */
async function mutualHandshake(dir: string, cert = 'client.crt', key = 'client.key'): Promise<{ ok: boolean; error?: string }> {
  const dial = await goDial({
    port: go.port,
    serverName: 'localhost',
    ca: path.join(dir, 'ca.crt'),
    cert: path.join(dir, cert),
    key: path.join(dir, key),
  });
  if (/LOADERROR/.test(dial.error ?? '')) return dial; // the client could not even load the pair: no connection reached the server
  const seen = await go.result();
  return dial.ok && seen.ok ? { ok: true } : { ok: false, error: seen.error ?? dial.error };
}

test('a good mutual set (ca.crt, server.crt/key, client.crt/key) is silent, and the real stacks agree', async () => {
  const dir = folder({
    'ca.crt': ca.certPem,
    'server.crt': server.certPem,
    'server.key': server.keyPem,
    'client.crt': client.certPem,
    'client.key': client.keyPem,
  });
  assert.deepEqual(codes(dir), []);
  assert.ok(opensslVerify(dir, 'client.crt', 'sslclient').ok);
  assert.ok(opensslVerify(dir, 'server.crt', 'sslserver').ok);
  assert.deepEqual(await mutualHandshake(dir), { ok: true });
});

test('client.key that belongs to server.crt: an error on the key and on client.crt, naming the certificate the key belongs to', async () => {
  const dir = folder({
    'ca.crt': ca.certPem,
    'server.crt': server.certPem,
    'server.key': client.keyPem,
    'client.crt': client.certPem,
    'client.key': server.keyPem,
  });
  assert.deepEqual(codes(dir), [
    'client.crt set-key-mismatch',
    'client.key set-key-mismatch',
    'server.crt set-key-mismatch',
    'server.key set-key-mismatch',
  ]);
  const onKey = setFindings(dir).find((f) => f.file === 'client.key')!;
  assert.match(
    String(onKey.d.message),
    /^client\.key does not belong to client\.crt .*It belongs to server\.crt\. The key of client\.crt is server\.key\./,
  );
  assert.equal(onKey.d.range.start.line, 0, 'on the BEGIN line of the key');
  const r = await mutualHandshake(dir);
  assert.equal(r.ok, false);
  assert.match(r.error ?? '', /private key does not match public key/);
});

test('a client certificate whose EKU is serverAuth only: set-role-eku, and the server that verifies clients rejects it', async () => {
  const dir = folder({ 'ca.crt': ca.certPem, 'client.crt': clientServerOnly.certPem, 'client.key': clientServerOnly.keyPem });
  assert.deepEqual(codes(dir), ['client.crt set-role-eku']);
  assert.match(
    String(setFindings(dir)[0].d.message),
    /^client\.crt is named as a client certificate, but its extended key usage is serverAuth without clientAuth/,
  );
  assert.equal(opensslVerify(dir, 'client.crt', 'sslclient').ok, false);
  const r = await mutualHandshake(dir);
  assert.equal(r.ok, false);
  assert.match(r.error ?? '', /incompatible key usage/);
});

test('a client certificate from another CA: set-chain-incomplete names its issuer, and verification fails', async () => {
  const dir = folder({ 'ca.crt': ca.certPem, 'client.crt': clientForeign.certPem, 'client.key': clientForeign.keyPem });
  assert.deepEqual(codes(dir), ['client.crt set-chain-incomplete']);
  assert.match(
    String(setFindings(dir)[0].d.message),
    /^client\.crt is issued by CN=Other CA, which is not in this folder, so it does not chain to ca\.crt/,
  );
  const v = opensslVerify(dir, 'client.crt', 'sslclient');
  assert.equal(v.ok, false);
  assert.match(v.out, /unable to get local issuer certificate/);
  const r = await mutualHandshake(dir);
  assert.equal(r.ok, false);
  assert.match(r.error ?? '', /unknown authority/);
});

test('a server certificate issued by an intermediate that is not in the folder: the intermediate is named; appended to server.crt or in chain.pem it is fine', () => {
  const missing = folder({ 'ca.crt': ca.certPem, 'server.crt': serverViaInter.certPem, 'server.key': serverViaInter.keyPem });
  assert.deepEqual(codes(missing), ['server.crt set-chain-incomplete']);
  assert.match(
    String(setFindings(missing)[0].d.message),
    /issued by CN=Set Intermediate CA, which is not in this folder.*servers must send it/,
  );
  assert.equal(opensslVerify(missing, 'server.crt', 'sslserver').ok, false);

  const appended = folder({
    'ca.crt': ca.certPem,
    'server.crt': serverViaInter.certPem + inter.certPem,
    'server.key': serverViaInter.keyPem,
  });
  assert.deepEqual(codes(appended), []);
  assert.ok(opensslVerify(appended, 'server.crt', 'sslserver', 'server.crt').ok);

  const beside = folder({
    'ca.crt': ca.certPem,
    'chain.pem': inter.certPem,
    'server.crt': serverViaInter.certPem,
    'server.key': serverViaInter.keyPem,
  });
  assert.deepEqual(codes(beside), []);
  assert.ok(opensslVerify(beside, 'server.crt', 'sslserver', 'chain.pem').ok);
});

test('a key that matches no certificate, and a certificate whose key is elsewhere', () => {
  const dir = folder({
    'ca.crt': ca.certPem,
    'server.crt': server.certPem,
    'server.key': server.keyPem,
    'stray.key': foreignCa.keyPem,
    'client.crt': client.certPem,
  });
  assert.deepEqual(codes(dir), ['client.crt set-cert-key-elsewhere', 'stray.key set-key-orphan']);
  const info = setFindings(dir).find((f) => f.code === 'set-cert-key-elsewhere')!;
  assert.equal(info.d.severity, 3);
});

test("mkcert's layout (NAME.pem, NAME-key.pem, rootCA.pem) pairs by name; a swapped key is caught", async () => {
  const good = folder({ 'rootCA.pem': ca.certPem, 'localhost+1.pem': server.certPem, 'localhost+1-key.pem': server.keyPem });
  assert.deepEqual(codes(good), []);
  const bad = folder({ 'rootCA.pem': ca.certPem, 'localhost+1.pem': server.certPem, 'localhost+1-key.pem': client.keyPem });
  assert.deepEqual(codes(bad), ['localhost+1-key.pem set-key-mismatch', 'localhost+1.pem set-key-mismatch']);
});

test("certbot's layout (cert.pem, chain.pem, fullchain.pem, privkey.pem) and Kubernetes' tls.crt/tls.key are clean", () => {
  const certbot = folder({
    'cert.pem': serverViaInter.certPem,
    'chain.pem': inter.certPem,
    'fullchain.pem': serverViaInter.certPem + inter.certPem,
    'privkey.pem': serverViaInter.keyPem,
  });
  assert.deepEqual(codes(certbot), []);
  const k8s = folder({ 'ca.crt': ca.certPem, 'tls.crt': server.certPem, 'tls.key': server.keyPem });
  assert.deepEqual(codes(k8s), []);
  const k8sBad = folder({ 'ca.crt': ca.certPem, 'tls.crt': server.certPem, 'tls.key': client.keyPem });
  assert.deepEqual(codes(k8sBad), ['tls.crt set-key-mismatch', 'tls.key set-key-mismatch']);
});

test('the hover on a certificate starts with a verdict line: its set (key, chain, role), then what it is and days left', () => {
  const dir = folder({ 'ca.crt': ca.certPem, 'client.crt': client.certPem, 'client.key': client.keyPem });
  const file = path.join(dir, 'client.crt');
  const service = new LanguageService(new Workspace([dir]), {});
  const h = service.hover({ path: file, uri: URI.file(file).toString(), text: client.certPem }, { line: 1, character: 0 });
  const text = (h?.contents as { value: string }).value;
  // The verdict line: the set's facts first, then the certificate's own (a client certificate: no host names to cover).
  assert.match(text.split('\n')[0], /^✓ pairs with client\.key · chains to ca\.crt · clientAuth ✓ · client certificate · \d+ days left$/);
});

test('folders of certificates to trust stay silent: the Debian CA bundle folder, a bundle file beside a key', () => {
  const dir = '/etc/ssl/certs';
  const names = fs.readdirSync(dir).filter((n) => /\.(pem|crt)$/.test(n));
  assert.ok(names.length > 100, 'the Debian bundle folder is installed');
  const service = new LanguageService(new Workspace([dir]), {});
  let checked = 0;
  for (const n of names) {
    const file = path.join(dir, n);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    const set = service.validate({ path: file, uri: URI.file(file).toString(), text }).filter((d) => String(d.code).startsWith('set-'));
    assert.deepEqual(set, [], n);
    checked++;
  }
  assert.ok(checked > 100);
  // zlint's test certificates (test/fixtures/zlint, cited in its README): a data folder, not a set.
  const zlintDir = path.join(__dirname, '../fixtures/zlint');
  const zlint = folder(
    Object.fromEntries(
      fs
        .readdirSync(zlintDir)
        .filter((n) => /\.pem$/.test(n))
        .map((n) => [n, fs.readFileSync(path.join(zlintDir, n), 'utf8')]),
    ),
  );
  assert.ok(fs.readdirSync(zlint).length >= 5);
  assert.deepEqual(codes(zlint), []);
  const bundle = fs.readFileSync('/etc/ssl/certs/ca-certificates.crt', 'utf8');
  const mixed = folder({ 'ca-bundle.crt': bundle, 'server.crt': server.certPem, 'server.key': server.keyPem });
  assert.deepEqual(
    codes(mixed),
    ['server.crt set-chain-incomplete'],
    'a public bundle is a CA file: the private server certificate does not chain to it',
  );
});
