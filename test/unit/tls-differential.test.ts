/**
 * Differential test: seeded random Milvus certificate sets, each judged by real
 * handshakes and by our checker. The promise: when a real stack Milvus runs on
 * fails, we say error (no missed failure); when it works, we say no error.
 *
 * One Go process (test/support/go-tls/gen.go, `-gen`) makes every case, judges it
 * the way Milvus does (tls.LoadX509KeyPair, then a mode-2 client CA pool) with a
 * Go client that trusts ca.pem and dials "localhost" (the Go SDK, milvus-backup),
 * and keeps the server listening (ALPN h2, as the proxy's grpc-go offers) so an
 * OpenSSL client (Node's tls) and a gRPC C-core-like client on BoringSSL
 * (test/support/boringssl-client, what pymilvus runs) dial it too. The promise
 * holds for Go and for BoringSSL: when either refuses, we say error (or, when
 * only the name is wrong, at least the tls-name-unlikely warning).
 * The variation: key type, hash, SANs, EKU and keyUsage, basicConstraints and
 * pathLen on the CA and intermediate, dates, chain shape (direct, intermediate
 * included / missing / in the CA file / reversed, wrong CA, self-signed as its own
 * CA), key file format (PKCS#8, PKCS#1/SEC1, encrypted, mismatched, swapped),
 * encoding quirks (CRLF, BOM, `openssl x509 -text` dump) and client certificates.
 *
 * TLS_DIFF_SEED and TLS_DIFF_CASES change the seed (CI: 1) and the number of cases (CI: 300).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildGoTls, nodeDial } from '../support/go-tls';
import { boringDialFiles } from '../support/boringssl';
import { tmpWorkspace, writeFiles, serviceFor, docOf, composeYaml, milvusYaml } from '../support/workspace';

const SEED = Number(process.env.TLS_DIFF_SEED ?? 1);
const CASES = Number(process.env.TLS_DIFF_CASES ?? 300);

interface GenCase {
  id: number;
  dir: string;
  mode: 1 | 2;
  traits: string[];
  serverLoad: string;
  goClient: string;
  goServerSaw: string;
  port: number;
}

let child: ChildProcess | undefined;
let out: string;
let cases: GenCase[] = [];

before(async () => {
  const exe = await buildGoTls();
  out = tmpWorkspace('tls-diff-');
  const p = spawn(exe, ['-gen', '-seed', String(SEED), '-n', String(CASES), '-out', out], { stdio: ['pipe', 'pipe', 'pipe'] });
  child = p;
  let stderr = '';
  p.stderr!.on('data', (d) => (stderr += String(d)));
  cases = await new Promise<GenCase[]>((resolve, reject) => {
    const got: GenCase[] = [];
    let buf = '';
    p.stdout!.on('data', (d) => {
      buf += String(d);
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line.startsWith('{')) got.push(JSON.parse(line) as GenCase);
        else if (line.startsWith('GENDONE')) resolve(got);
        else if (line.startsWith('GENERROR')) reject(new Error(line));
      }
    });
    p.once('close', (code) => reject(new Error(`generator exited with ${code}: ${stderr}`)));
  });
});

after(() => {
  child?.stdin?.end();
  child?.kill('SIGKILL');
  if (out) fs.rmSync(out, { recursive: true, force: true });
});

function read(c: GenCase, name: string): string | undefined {
  const p = path.join(c.dir, name);
  return fs.existsSync(p) ? fs.readFileSync(p, 'latin1') : undefined;
}

/** Our findings on milvus.yaml for the case laid out as the Milvus TLS guide does (caPemPath set in both modes). */
function ourFindings(c: GenCase): { code: string; message: string; severity: number }[] {
  const root = tmpWorkspace('diff-');
  const files: Record<string, string | Uint8Array> = { 'docker-compose.yml': composeYaml(), 'milvus.yaml': milvusYaml({ mode: c.mode }) };
  // Client certificates lie beside the server files, as generated sets (and Milvus's guide) put them.
  for (const n of ['ca.pem', 'server.pem', 'server.key', 'client.pem', 'client.key'])
    if (fs.existsSync(path.join(c.dir, n))) files['tls/' + n] = fs.readFileSync(path.join(c.dir, n));
  writeFiles(root, files);
  fs.mkdirSync(path.join(root, 'volumes/milvus'), { recursive: true });
  try {
    return serviceFor(root)
      .validate(docOf(root, 'milvus.yaml'))
      .filter((d) => d.severity === 1 || d.severity === 2)
      .map((d) => ({ code: String(d.code), message: String(d.message), severity: d.severity! }));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** Node's tls (OpenSSL 3): the client SDKs on OpenSSL (Node SDK, curl, Debian's python3-grpcio). */
async function opensslDial(c: GenCase): Promise<{ ok: boolean; error?: string }> {
  if (c.serverLoad) return { ok: false, error: 'server did not load' };
  try {
    return await nodeDial({
      port: c.port,
      serverName: 'localhost',
      ca: read(c, 'ca.pem')!,
      cert: read(c, 'client.pem'),
      key: read(c, 'client.key'),
    });
  } catch (e) {
    // Node throws while loading credentials it refuses (ca md too weak, ee key too small): a rejection too.
    return { ok: false, error: (e as Error).message };
  }
}

/**
 * gRPC C-core on BoringSSL (pymilvus from PyPI) trusting ca.pem and, in mode 2, presenting the
 * client certificate; like the Go client, it dials 127.0.0.1 when only the name "localhost" fails.
 */
async function boringsslDial(c: GenCase): Promise<{ ok: boolean; error?: string; nameOnly?: boolean }> {
  if (c.serverLoad) return { ok: false, error: 'server did not load' };
  const dial = (serverName: string) =>
    boringDialFiles({
      port: c.port,
      serverName,
      caFile: path.join(c.dir, 'ca.pem'),
      certFile: c.mode === 2 ? path.join(c.dir, 'client.pem') : undefined,
      keyFile: c.mode === 2 ? path.join(c.dir, 'client.key') : undefined,
    });
  const first = await dial('localhost');
  if (first.ok || !/^Peer name /.test(first.error ?? '')) return first;
  const second = await dial('127.0.0.1');
  return second.ok ? second : { ...second, nameOnly: /^Peer name /.test(second.error ?? '') };
}

/** Errors for what a client stack refuses where Go accepts, each confirmed only when that stack refuses. */
const OPENSSL_RULES = new Set(['tls-cert-eku-any-only', 'tls-chain-openssl']);
const BORINGSSL_RULES = new Set(['tls-cert-key-usage', 'tls-key-type-grpc', 'tls-cert-eku-any-only']);

test(`differential: ${CASES} seeded cases (seed ${SEED}) against Go crypto/tls, a Go client, OpenSSL and BoringSSL`, async (t) => {
  assert.equal(cases.length, CASES);
  let missed = 0;
  let falseAlarms = 0;
  let opensslRule = 0;
  let boringRule = 0;
  let opensslMissed = 0;
  let opensslDisagree = 0;
  let boringMissed = 0;
  let boringDisagree = 0;
  const report: string[] = [];
  for (const c of cases) {
    const goWhy = c.serverLoad || c.goClient || (c.goServerSaw && c.mode === 2 ? c.goServerSaw : '');
    const goOk = !goWhy;
    const findings = ourFindings(c);
    const errors = findings.filter((f) => f.severity === 1);
    const nameWarning = findings.some((f) => f.code === 'tls-name-unlikely');
    // A certificate for none of the names clients usually dial is a warning (clients may dial a name we cannot know).
    const hostnameOnly = /x509: (certificate is (valid for|not valid for any names)|cannot validate certificate for)/.test(goWhy);
    const weSayFail = errors.length > 0 || (hostnameOnly && nameWarning);
    const ossl = await opensslDial(c);
    const boring = await boringsslDial(c);
    if (ossl.ok !== goOk) opensslDisagree++;
    if (boring.ok !== goOk) boringDisagree++;
    const tag = `#${c.id} mode ${c.mode} [${c.traits.join(' ')}]`;
    if (!goOk && !weSayFail) {
      missed++;
      report.push(`MISSED ${tag}: Go: ${goWhy}`);
    } else if (goOk && weSayFail) {
      const codes = errors.map((e) => e.code);
      const byOpenssl = !ossl.ok && codes.some((x) => OPENSSL_RULES.has(x));
      const byBoring = !boring.ok && codes.some((x) => BORINGSSL_RULES.has(x));
      if (codes.every((x) => (!ossl.ok && OPENSSL_RULES.has(x)) || (!boring.ok && BORINGSSL_RULES.has(x)))) {
        if (byOpenssl) opensslRule++;
        if (byBoring) boringRule++;
        const who = [byOpenssl ? `OpenSSL: ${ossl.error}` : '', byBoring ? `BoringSSL: ${boring.error}` : ''].filter(Boolean);
        report.push(`CLIENT STACK RULE ${tag}: ${codes.join(', ')}; ${who.join('; ')}`);
      } else {
        falseAlarms++;
        report.push(
          `FALSE ALARM ${tag}: ${errors.map((e) => `${e.code}: ${e.message}`).join(' | ')} (OpenSSL: ${ossl.ok ? 'ok' : ossl.error}; BoringSSL: ${boring.ok ? 'ok' : boring.error})`,
        );
      }
    }
    if (goOk && !ossl.ok && !weSayFail) {
      opensslMissed++;
      report.push(`OPENSSL REFUSES, WE SAY NOTHING ${tag}: ${ossl.error}`);
    }
    if (!goOk && boring.ok) report.push(`GO REFUSES, BORINGSSL ACCEPTS ${tag}: Go: ${goWhy}`);
    if (!boring.ok && !c.serverLoad && errors.length === 0 && !(boring.nameOnly && nameWarning)) {
      boringMissed++;
      report.push(`BORINGSSL REFUSES, WE SAY NOTHING ${tag}: ${boring.error}`);
    }
  }
  const agree = CASES - missed - falseAlarms - boringMissed;
  const summary =
    `agreement ${agree}/${CASES} (${((100 * agree) / CASES).toFixed(1)}%), missed failures: Go ${missed}, BoringSSL ${boringMissed}; false alarms ${falseAlarms}; ` +
    `errors for a client stack's rule where Go accepts: ${opensslRule} confirmed by OpenSSL, ${boringRule} by BoringSSL (gRPC C-core, pymilvus); ` +
    `OpenSSL refuses where we say nothing: ${opensslMissed}; OpenSSL and Go disagree on ${opensslDisagree}, BoringSSL and Go on ${boringDisagree}`;
  t.diagnostic(summary);
  for (const r of report) t.diagnostic(r);
  if (process.env.TLS_DIFF_REPORT) fs.writeFileSync(process.env.TLS_DIFF_REPORT, [summary, ...report].join('\n') + '\n');
  assert.equal(missed, 0, `${summary}\n${report.join('\n')}`);
  assert.equal(boringMissed, 0, `${summary}\n${report.join('\n')}`);
  assert.equal(opensslMissed, 0, `${summary}\n${report.join('\n')}`);
  assert.ok(agree / CASES >= 0.99, `${summary}\n${report.join('\n')}`);
});
