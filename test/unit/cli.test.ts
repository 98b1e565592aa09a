/** The CI door: `node dist/cli.js check` in text, JSON and SARIF (validated against the 2.1.0 schema), exit codes 0/1/2, and `generate`. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpWorkspace } from '../support/workspace';
import { URI } from 'vscode-uri';
import { ALL_DIAGNOSTIC_CODES } from '../../server/src/service/codes';

const CLI = path.join(__dirname, '../../dist/cli.js');
const EXAMPLES = path.join(__dirname, '../../examples');
const run = (...args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8' });

/** A copy of a bundled example as git checks it out: every file 0644 (git records only the executable bit). */
function example(name: string, into = tmpWorkspace('cli-ex-')): string {
  const dst = path.join(into, name);
  fs.cpSync(path.join(EXAMPLES, name), dst, { recursive: true });
  for (const f of fs.readdirSync(dst, { recursive: true }).map(String))
    if (fs.statSync(path.join(dst, f)).isFile()) fs.chmodSync(path.join(dst, f), 0o644);
  return dst;
}

interface JsonFinding {
  file: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
  severity: string;
  code: string;
  message: string;
  related?: { file: string; range: { start: { line: number; character: number } }; message: string }[];
}

test('check on the broken example: JSON findings with relative files, LSP ranges, exit 1', () => {
  const r = run('check', example('mtls-broken'), '--format', 'json');
  assert.equal(r.status, 1, r.stderr);
  const findings = JSON.parse(r.stdout) as JsonFinding[];
  assert.deepEqual(
    findings.map((f) => `${f.file}:${f.code}`),
    [
      'docker-compose.yml:compose-bind-source-missing',
      'milvus.yaml:tls-key-mismatch',
      'milvus.yaml:milvus-path-not-mounted',
      'milvus.yaml:milvus-key-unknown',
      'tls/legacy-cn-only.pem:tls-cert-no-san',
      // The same mismatch seen from the folder: server.key is not the key of server.pem.
      'tls/server.key:set-key-mismatch',
      'tls/server.pem:set-key-mismatch',
    ],
  );
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

test('findings are sorted by file, then line and column', () => {
  const r = run('check', example('mtls-broken'), '--format', 'json');
  const findings = JSON.parse(r.stdout) as JsonFinding[];
  const keys = findings.map((f) => [f.file, f.range.start.line, f.range.start.character] as const);
  const sorted = [...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1] || a[2] - b[2]));
  assert.deepEqual(keys, sorted);
  // milvus.yaml has findings on three lines; the walk meets them in rule order, the output in line order.
  const lines = findings.filter((f) => f.file === 'milvus.yaml').map((f) => f.range.start.line);
  assert.equal(new Set(lines).size, 3);
  assert.deepEqual(
    lines,
    [...lines].sort((a, b) => a - b),
  );
});

test('a missing mount is one finding on milvus.yaml, with the compose volumes as a related place', () => {
  const dir = example('mtls-broken');
  const findings = JSON.parse(run('check', dir, '--format', 'json').stdout) as JsonFinding[];
  assert.ok(!findings.some((f) => f.code === 'milvus-compose-path-not-mounted'));
  const missing = findings.filter((f) => f.code === 'milvus-path-not-mounted');
  assert.equal(missing.length, 1);
  const compose = fs.readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8').split('\n');
  assert.equal(missing[0].related?.length, 1);
  assert.equal(missing[0].related![0].file, 'docker-compose.yml');
  assert.match(compose[missing[0].related![0].range.start.line], /certs-that-do-not-exist/, 'the last volume entry, where one goes');
  const text = run('check', dir).stdout;
  assert.match(
    text,
    /^ {2}docker-compose\.yml:21:9: related: service standalone in docker-compose\.yml: no volume covers \/etc\/milvus\/tls/m,
  );
});

test('the correct example is clean as git checks it out (keys 0644, mounted into Milvus, which does not check the mode) and exits 0', () => {
  const dir = example('mtls-ok');
  assert.equal(fs.statSync(path.join(dir, 'tls/server.key')).mode & 0o777, 0o644);
  const r = run('check', dir);
  assert.equal(r.status, 0, r.stdout);
  assert.equal(r.stdout, '0 errors, 0 warnings in 8 files checked\n');
});

test('text format: file:line:col: severity [code] message, then errors, warnings and files checked', () => {
  const r = run('check', example('mtls-broken'));
  assert.equal(r.status, 1);
  assert.match(
    r.stdout,
    /^milvus\.yaml:\d+:3: warning \[milvus-key-unknown\] Unknown key tls\.serverPemPth; did you mean serverPemPath\?/m,
  );
  // docker-compose.yml, milvus.yaml and four PEM files.
  assert.match(r.stdout, /\n6 errors, 1 warning in 6 files checked\n$/);
});

test('a warning alone exits 0; notes are counted apart', () => {
  const dir = example('mtls-ok');
  // A typo'd key: Milvus ignores it (a warning), nothing fails.
  const yaml = path.join(dir, 'milvus.yaml');
  fs.writeFileSync(yaml, fs.readFileSync(yaml, 'utf8').replace(/^tls:\n/m, 'tls:\n  serverPemPth: /milvus/tls/server.pem\n'));
  const r = run('check', dir);
  assert.equal(r.status, 0, r.stdout);
  assert.match(r.stdout, /\[milvus-key-unknown\]/);
  assert.match(r.stdout, /\n0 errors, 1 warning in 8 files checked\n$/);
});

test('a folder with no supported file, a file that is not one, or a path that does not exist: exit 2, nothing passes silently', () => {
  const empty = tmpWorkspace('cli-empty-');
  fs.writeFileSync(path.join(empty, 'README.txt'), 'nothing to check here\n');
  fs.mkdirSync(path.join(empty, 'src'));
  fs.writeFileSync(path.join(empty, 'src/index.ts'), 'export {};\n');
  for (const format of ['text', 'json', 'sarif']) {
    const r = run('check', empty, '--format', format);
    assert.equal(r.status, 2, `${format}: ${r.stdout}`);
    assert.equal(r.stdout, '');
    assert.match(r.stderr, /no supported file in .*cli-empty-.*: nothing was checked/);
  }
  assert.equal(run('check', path.join(empty, 'README.txt')).status, 2);
  const missing = run('check', path.join(empty, 'no-such-folder'));
  assert.equal(missing.status, 2);
  assert.match(missing.stderr, /no-such-folder does not exist/);
});

/** The SARIF 2.1.0 schema (the OASIS rtm.5 text, as @microsoft/jest-sarif ships it), compiled by ajv (draft-04). */
function sarifValidator() {
  const Ajv = require('ajv');
  const ajv = new Ajv({ schemaId: 'id', allErrors: true });
  ajv.addMetaSchema(require('ajv/lib/refs/json-schema-draft-04.json'));
  const validate = ajv.compile(require('@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json'));
  return (log: unknown) => {
    const ok = validate(log) as boolean;
    return { ok, errors: JSON.stringify(validate.errors?.slice(0, 5)) };
  };
}

test('SARIF validates against the SARIF 2.1.0 schema; rules are described from the codes tables', () => {
  const validate = sarifValidator();
  const r = run('check', example('mtls-broken'), '--format', 'sarif');
  assert.equal(r.status, 1, r.stderr);
  const sarif = JSON.parse(r.stdout);
  const verdict = validate(sarif);
  assert.ok(verdict.ok, verdict.errors);
  // The validator does bite: a result without its message is refused.
  const broken = structuredClone(sarif);
  delete broken.runs[0].results[0].message;
  assert.equal(validate(broken).ok, false);

  assert.equal(sarif.version, '2.1.0');
  const run0 = sarif.runs[0];
  assert.equal(run0.tool.driver.name, 'tls-config');
  assert.doesNotMatch(r.stdout, /example\.invalid|helpUri/, 'no placeholder addresses');
  const table = new Map(ALL_DIAGNOSTIC_CODES.map((c) => [c.code, c]));
  const level = { error: 'error', warning: 'warning', information: 'note', hint: 'note' } as const;
  for (const rule of run0.tool.driver.rules) {
    const info = table.get(rule.id)!;
    assert.ok(info, `${rule.id} is documented`);
    assert.ok(rule.shortDescription.text.length <= 81, rule.shortDescription.text);
    assert.ok(rule.shortDescription.text.length >= 10);
    assert.ok(rule.fullDescription.text.startsWith(info.summary.replace(/\.$/, '')));
    assert.ok(rule.help.text.includes(rule.fullDescription.text));
    assert.equal(rule.defaultConfiguration.level, level[info.severity]);
  }
  const ruleIds = run0.tool.driver.rules.map((x: { id: string }) => x.id);
  assert.equal(run0.results.length, 7);
  for (const res of run0.results) {
    assert.equal(ruleIds[res.ruleIndex], res.ruleId);
    assert.ok(['error', 'warning', 'note'].includes(res.level));
    const loc = res.locations[0].physicalLocation;
    assert.ok(loc.region.startLine >= 1 && loc.region.startColumn >= 1);
  }
  const missing = run0.results.find((x: { ruleId: string }) => x.ruleId === 'milvus-path-not-mounted');
  assert.match(missing.relatedLocations[0].physicalLocation.artifactLocation.uri, /docker-compose\.yml$/);
});

test('SARIF inside a git repository: URIs relative to its root under %SRCROOT%; outside one: absolute file URIs', () => {
  const validate = sarifValidator();
  const repo = tmpWorkspace('cli-repo-');
  assert.equal(spawnSync('git', ['init', '-q', repo]).status, 0);
  const sub = path.join(repo, 'deploy', 'milvus dev');
  fs.mkdirSync(sub, { recursive: true });
  const dir = example('mtls-broken', sub);
  const inRepo = JSON.parse(run('check', dir, '--format', 'sarif').stdout);
  assert.ok(validate(inRepo).ok, validate(inRepo).errors);
  const run0 = inRepo.runs[0];
  assert.deepEqual(run0.originalUriBaseIds, { '%SRCROOT%': { uri: URI.file(repo).toString() + '/' } });
  const uris = run0.results.map((x: ResultLoc) => x.locations[0].physicalLocation.artifactLocation);
  for (const a of uris) assert.equal(a.uriBaseId, '%SRCROOT%');
  assert.ok(
    uris.some((a: { uri: string }) => a.uri === 'deploy/milvus%20dev/mtls-broken/milvus.yaml'),
    JSON.stringify(uris),
  );
  assert.ok(uris.some((a: { uri: string }) => a.uri === 'deploy/milvus%20dev/mtls-broken/tls/server.pem'));

  const outside = example('mtls-broken');
  // Run from the repository with a folder outside it too: what lies outside keeps an absolute URI.
  const mixed = spawnSync(process.execPath, [CLI, 'check', dir, outside, '--format', 'sarif'], { encoding: 'utf8', cwd: repo });
  const mixedLocs = JSON.parse(mixed.stdout).runs[0].results.map((x: ResultLoc) => x.locations[0].physicalLocation.artifactLocation);
  assert.ok(mixedLocs.some((a: { uri: string; uriBaseId?: string }) => a.uriBaseId === '%SRCROOT%' && a.uri.startsWith('deploy/')));
  assert.ok(mixedLocs.some((a: { uri: string; uriBaseId?: string }) => a.uriBaseId === undefined && a.uri.startsWith('file:///')));
  assert.ok(!mixedLocs.some((a: { uri: string }) => a.uri.startsWith('..')));

  const plain = JSON.parse(run('check', outside, '--format', 'sarif').stdout);
  assert.ok(validate(plain).ok, validate(plain).errors);
  assert.equal(plain.runs[0].originalUriBaseIds, undefined);
  const abs = plain.runs[0].results.map((x: ResultLoc) => x.locations[0].physicalLocation.artifactLocation);
  for (const a of abs) {
    assert.equal(a.uriBaseId, undefined);
    assert.ok(URI.parse(a.uri).fsPath.startsWith(outside + path.sep), a.uri);
  }
});

type ResultLoc = { locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string } } }[] };

test('bad arguments are clear errors with exit 2', () => {
  const xml = run('check', EXAMPLES, '--format', 'xml');
  assert.equal(xml.status, 2);
  assert.match(xml.stderr, /unknown --format xml/);
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
