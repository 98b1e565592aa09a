/** The CI door: `node dist/cli.js check` in text, JSON and SARIF, exit codes, and `generate`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpWorkspace } from '../support/workspace';
import { ALL_DIAGNOSTIC_CODES } from '../../server/src/service/codes';

const CLI = path.join(__dirname, '../../dist/cli.js');
const EXAMPLES = path.join(__dirname, '../../examples');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

/**
 * A copy of a bundled example with its keys 0600, as generation leaves them:
 * git checks files out 0644, which pem-key-permissions rightly reports.
 */
function example(name: string): string {
  const dst = path.join(tmpWorkspace('cli-ex-'), name);
  fs.cpSync(path.join(EXAMPLES, name), dst, { recursive: true });
  for (const f of fs.readdirSync(path.join(dst, 'tls'))) if (f.endsWith('.key')) fs.chmodSync(path.join(dst, 'tls', f), 0o600);
  return dst;
}

test('check on the broken example: JSON findings with relative files, LSP ranges, exit 1', () => {
  const r = run('check', example('mtls-broken'), '--format', 'json');
  assert.equal(r.status, 1, r.stderr);
  const findings = JSON.parse(r.stdout) as {
    file: string;
    range: { start: { line: number; character: number } };
    severity: string;
    code: string;
    message: string;
  }[];
  const codes = findings.map((f) => `${f.file}:${f.code}`).sort();
  assert.deepEqual(codes, [
    'docker-compose.yml:compose-bind-source-missing',
    'docker-compose.yml:milvus-compose-path-not-mounted',
    'milvus.yaml:milvus-key-unknown',
    'milvus.yaml:milvus-path-not-mounted',
    'milvus.yaml:tls-key-mismatch',
    'tls/legacy-cn-only.pem:tls-cert-no-san',
    // The same mismatch seen from the folder: server.key is not the key of server.pem.
    'tls/server.key:set-key-mismatch',
    'tls/server.pem:set-key-mismatch',
  ]);
  for (const f of findings) {
    assert.ok(['error', 'warning', 'information', 'hint'].includes(f.severity));
    assert.equal(typeof f.range.start.line, 'number');
    assert.ok(f.message.length > 20);
  }
  const typo = findings.find((f) => f.code === 'milvus-key-unknown')!;
  const line = fs
    .readFileSync(path.join(EXAMPLES, 'mtls-broken/milvus.yaml'), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('serverPemPth'));
  assert.deepEqual(typo.range.start, { line, character: 2 });
});

test('check on the correct example finds nothing and exits 0', () => {
  const r = run('check', example('mtls-ok'));
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /^0 finding\(s\), 0 error\(s\)$/m);
});

test('text format: file:line:col: severity [code] message', () => {
  const r = run('check', example('mtls-broken'));
  assert.equal(r.status, 1);
  assert.match(
    r.stdout,
    /^milvus\.yaml:\d+:3: warning \[milvus-key-unknown\] Unknown key tls\.serverPemPth; did you mean serverPemPath\?/m,
  );
});

test('SARIF 2.1.0 with rules, levels and 1-based regions', () => {
  const r = run('check', example('mtls-broken'), '--format', 'sarif');
  const sarif = JSON.parse(r.stdout);
  assert.equal(sarif.version, '2.1.0');
  assert.match(sarif.$schema, /sarif-2\.1\.0/);
  const run0 = sarif.runs[0];
  assert.equal(run0.tool.driver.name, 'tls-config');
  const ruleIds = run0.tool.driver.rules.map((x: { id: string }) => x.id);
  assert.equal(run0.results.length, 8);
  const known = new Set(ALL_DIAGNOSTIC_CODES.map((c) => c.code));
  for (const res of run0.results) {
    assert.ok(known.has(res.ruleId), `${res.ruleId} is documented`);
    assert.equal(ruleIds[res.ruleIndex], res.ruleId);
    assert.ok(['error', 'warning', 'note'].includes(res.level));
    const loc = res.locations[0].physicalLocation;
    assert.equal(loc.artifactLocation.uriBaseId, 'SRCROOT');
    assert.ok(!path.isAbsolute(loc.artifactLocation.uri));
    assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
  }
});

test('bad arguments are clear errors with exit 2', () => {
  assert.equal(run('check', '/no/such/folder').status, 2);
  assert.match(run('check', '/no/such/folder').stderr, /does not exist/);
  assert.match(run('check', EXAMPLES, '--format', 'xml').stderr, /unknown --format xml/);
  assert.equal(run('frobnicate').status, 2);
});

test('generate writes a set with 0600 keys and refuses to overwrite without --force', () => {
  const out = path.join(tmpWorkspace('cli-gen-'), 'tls');
  const r = run('generate', '--out', out, '--name', 'localhost,127.0.0.1', '--mode', 'one-way', '--key-type', 'P-384');
  assert.equal(r.status, 0, r.stderr);
  assert.deepEqual(fs.readdirSync(out).sort(), ['ca.key', 'ca.pem', 'server.key', 'server.pem']);
  assert.equal(fs.statSync(path.join(out, 'ca.key')).mode & 0o777, 0o600);
  const again = run('generate', '--out', out, '--name', 'localhost');
  assert.equal(again.status, 2);
  assert.match(again.stderr, /ca\.pem/);
  assert.equal(run('generate', '--out', out, '--name', 'localhost', '--force').status, 0);
  // A new leaf under the existing CA.
  const ca = fs.readFileSync(path.join(out, 'ca.pem'), 'utf8');
  assert.equal(run('generate', '--out', out, '--name', 'milvus.internal', '--reuse-ca', '--force').status, 0);
  assert.equal(fs.readFileSync(path.join(out, 'ca.pem'), 'utf8'), ca);
  const { findings } = require('../../server/src/cli').check([path.dirname(out)]);
  assert.deepEqual(findings, []);
});

test('docs/diagnostics.md and the README list every code the service can publish', () => {
  for (const file of ['docs/diagnostics.md', 'README.md']) {
    const doc = fs.readFileSync(path.join(__dirname, '../..', file), 'utf8');
    for (const c of ALL_DIAGNOSTIC_CODES) assert.ok(doc.includes(`| \`${c.code}\` |`), `${c.code} missing from ${file}`);
  }
});

test('every diagnostic code written in the service is in the table', () => {
  const known = new Set(ALL_DIAGNOSTIC_CODES.map((c) => c.code));
  const dir = path.join(__dirname, '../../server/src/service');
  const files = fs
    .readdirSync(dir, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'));
  const used = new Set<string>();
  for (const f of files)
    for (const m of fs.readFileSync(path.join(dir, f), 'utf8').matchAll(/'((?:pem|milvus|compose)-[a-z0-9-]+)'/g)) used.add(m[1]);
  const missing = [...used].filter(
    (c) =>
      !known.has(c) &&
      !/^(tls-config|milvus-client|milvus-server|milvus-standalone|milvus-tls|pem-contents)$/.test(c) /* names and cache keys, not codes */,
  );
  assert.deepEqual(missing, []);
});
