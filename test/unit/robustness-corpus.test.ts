/**
 * Issue 7, part 2: the bad-input corpus, file by file. Each case is a workspace
 * folder built in a temp dir (test/support/corpus.ts); the input is validated
 * as an open document through LanguageService.validate and the folder goes
 * through the CLI's check(). Both must name the exact findings listed, in
 * bounded time. The table of input → findings is printed at the end.
 *
 * Unreadable files: chmod 000 stops nobody when the tests run as root, so that
 * case runs in a child process as uid 65534 (setpriv) when we are root.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFileSync } from 'node:child_process';
import { URI } from 'vscode-uri';
import { LanguageService, Workspace } from '../../server/src/service';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';
import { check } from '../../server/src/cli';
import { corpusCases, type CorpusCase } from '../support/corpus';
import { LspText, checkDiagnostics, exercise } from '../support/bad-inputs';
import { pemFixtures } from '../support/pem-fixtures';
import { milvusYaml, composeYaml, writeFiles } from '../support/workspace';

const table: string[] = ['| input | validate() findings | CLI check findings |', '|---|---|---|'];
let base: string;
let outside: string;

before(async () => {
  base = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'corpus-')));
  outside = path.join(base, 'outside');
  const fx = await pemFixtures();
  writeFiles(outside, { 'server.pem': fx.leaf.certPem, 'server.key': fx.keys.ecPkcs8 });
});

after(() => {
  console.log(['', '# bad-input corpus: input → finding codes', ...table].join('\n'));
  fs.rmSync(base, { recursive: true, force: true });
});

function build(c: CorpusCase, i: number): string {
  const dir = path.join(base, `case-${String(i).padStart(2, '0')}`);
  writeFiles(dir, c.files);
  c.setup?.(dir, outside);
  return dir;
}

test('corpus: every bad input gives its exact findings', async (t) => {
  const cases = await corpusCases();
  for (const [i, c] of cases.entries()) {
    await t.test(c.name, () => {
      const dir = build(c, i);
      const file = path.join(dir, c.open);
      const text = c.text ? c.text(dir) : fs.readFileSync(file, 'utf8');
      const service = new LanguageService(new Workspace([dir], { ...DEFAULT_SETTINGS }), {});
      const doc = { path: file, uri: URI.file(file).toString(), text };

      const t0 = performance.now();
      const diags = service.validate(doc);
      const ms = performance.now() - t0;
      checkDiagnostics(new LspText(text), diags);
      const codes = diags.map((d) => String(d.code));

      const t1 = performance.now();
      const { findings } = check([dir]);
      const cliMs = performance.now() - t1;
      const cli = findings.map((f) => `${f.file} ${f.code}`);
      table.push(`| ${c.name.replace(/\|/g, '\\|')} | ${codes.join(', ') || '(none)'} | ${cli.join(', ') || '(none)'} |`);

      assert.deepEqual(codes, c.expect, `validate() of ${c.open}: ${JSON.stringify(diags.map((d) => d.message))}`);
      // check() sorts by file and position (cli.test.ts asserts the order); the lists here are by code.
      assert.deepEqual(
        [...cli].sort(),
        (c.cli ?? c.expect.map((code) => `${c.open} ${code}`)).slice().sort(),
        `check() of the folder: ${JSON.stringify(findings.map((f) => f.message))}`,
      );
      if (c.message) {
        const code = c.messageCode ?? c.expect[0];
        const d = diags.find((x) => x.code === code);
        assert.match(String(d?.message ?? ''), c.message);
      }
      const limit = c.maxMs ?? 2000;
      assert.ok(ms < limit, `validate() took ${ms.toFixed(0)} ms (limit ${limit})`);
      assert.ok(cliMs < limit * 2, `check() took ${cliMs.toFixed(0)} ms`);
      // And every other request on it: well-formed, no crash, no hang.
      exercise(service, doc);
    });
  }
});

/** Runs check() and validate() for a milvus.yaml whose server.pem is chmod 000, as the current user. */
const UNREADABLE_PROBE = `
import { check } from ${JSON.stringify(path.resolve(__dirname, '../../server/src/cli.ts'))};
import { LanguageService, Workspace } from ${JSON.stringify(path.resolve(__dirname, '../../server/src/service/index.ts'))};
import { DEFAULT_SETTINGS } from ${JSON.stringify(path.resolve(__dirname, '../../server/src/service/types.ts'))};
import * as fs from 'node:fs';
const dir = process.argv[process.argv.length - 1];
const file = dir + '/milvus.yaml';
const service = new LanguageService(new Workspace([dir], { ...DEFAULT_SETTINGS }), {});
const diags = service.validate({ path: file, uri: 'file://' + file, text: fs.readFileSync(file, 'utf8') });
const { findings } = check([dir]);
process.stdout.write(JSON.stringify({ uid: process.getuid!(), validate: diags.map((d) => [d.code, d.message]), cli: findings.map((f) => [f.file, f.code, f.message]) }));
`;

test('corpus: unreadable cert file (chmod 000), as an unprivileged user', async () => {
  const fx = await pemFixtures();
  const dir = path.join(base, 'unreadable');
  writeFiles(dir, {
    'milvus.yaml': milvusYaml({ server: 'tls/server.pem', key: 'tls/server.key', ca: 'tls/ca.pem' }),
    'tls/server.pem': fx.leaf.certPem,
    'tls/server.key': fx.keys.ecPkcs8,
    'tls/ca.pem': fx.ca.certPem,
  });
  fs.chmodSync(path.join(dir, 'tls/server.pem'), 0o000);
  fs.chmodSync(path.join(dir, 'tls/server.key'), 0o644); // only the certificate is unreadable
  const probe = path.join(base, 'probe.ts');
  fs.writeFileSync(probe, UNREADABLE_PROBE);
  const root = process.getuid?.() === 0;
  if (root) {
    // The unprivileged user must reach the folder (mkdtemp made it 0700) but not the file.
    for (let d = dir; d.startsWith(base); d = path.dirname(d)) fs.chmodSync(d, 0o755);
    fs.chmodSync(path.join(dir, 'tls'), 0o755);
    fs.chmodSync(probe, 0o644);
  }
  const node = [process.execPath, '--import', 'tsx', probe, dir];
  const cmd = root ? ['setpriv', '--reuid=65534', '--regid=65534', '--clear-groups', '--', ...node] : node;
  const out = JSON.parse(
    execFileSync(cmd[0], cmd.slice(1), { encoding: 'utf8', cwd: path.resolve(__dirname, '../..'), env: { ...process.env, HOME: base } }),
  ) as {
    uid: number;
    validate: [string, string][];
    cli: [string, string, string][];
  };
  assert.notEqual(out.uid, 0, 'the probe must run unprivileged');
  assert.deepEqual(
    out.validate.map((d) => d[0]),
    ['tls-file-unreadable'],
  );
  assert.match(out.validate[0][1], /cannot be read \(EACCES\)/);
  assert.deepEqual(
    out.cli.map((f) => `${f[0]} ${f[1]}`),
    ['milvus.yaml tls-file-unreadable', 'tls/server.key pem-key-permissions', 'tls/server.pem file-unreadable'],
  );
  table.push(
    `| cert file chmod 000 (run as uid ${out.uid}) | ${out.validate.map((d) => d[0]).join(', ')} | ${out.cli.map((f) => `${f[0]} ${f[1]}`).join(', ')} |`,
  );
});

test('worst-case sizes: every request on each stays under the hang limit', async (t) => {
  const fx = await pemFixtures();
  const dir = path.join(base, 'sizes');
  writeFiles(dir, {
    'tls/server.pem': fx.leaf.certPem,
    'tls/server.key': fx.keys.ecPkcs8,
    'tls/ca.pem': fx.ca.certPem,
    'docker-compose.yml': composeYaml(),
    'milvus.yaml': milvusYaml(),
  });
  fs.mkdirSync(path.join(dir, 'volumes/milvus'), { recursive: true });
  const ws = new Workspace([dir], { ...DEFAULT_SETTINGS });
  const service = new LanguageService(ws, {});
  const lines = (n: number, f: (i: number) => string) => Array.from({ length: n }, (_, i) => f(i)).join('\n');
  const cases: [string, string, string][] = [
    ['tls/x.pem', '10,000 tiny PEM blocks', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n'.repeat(10_000)],
    ['tls/x.pem', 'a bundle of 1,000 certificates', fx.leaf.certPem.repeat(1000)],
    ['tls/x.pem', '40,000 BEGIN lines', '-----BEGIN CERTIFICATE-----\n'.repeat(40_000)],
    ['tls/x.pem', '512 KB of lone CRs (half a million lines)', '\r'.repeat(512 * 1024)],
    ['tls/x.pem', 'one 4 MB base64 line', `-----BEGIN CERTIFICATE-----\n${'A'.repeat(4 * 1024 * 1024)}\n-----END CERTIFICATE-----\n`],
    [
      'milvus.yaml',
      '20,000 aliases in the tls block',
      milvusYaml().replace('tls:\n', `tls:\n  x: &a v\n${lines(20_000, (i) => `  k${i}: *a`)}\n`),
    ],
    [
      'milvus.yaml',
      '5,000 aliases to an anchor in another block',
      `x: &a v\n${milvusYaml().replace('tls:\n', `tls:\n${lines(5000, (i) => `  k${i}: *a`)}\n`)}`,
    ],
    [
      'milvus.yaml',
      'flow nesting 20,000 deep in tls',
      milvusYaml().replace('  caPemPath: /milvus/tls/ca.pem', `  caPemPath: ${'['.repeat(20_000)}${']'.repeat(20_000)}`),
    ],
    [
      'milvus.yaml',
      'block nesting 3,000 deep in tls',
      milvusYaml().replace('  caPemPath: /milvus/tls/ca.pem', `  caPemPath:\n${lines(3000, (i) => `${' '.repeat(i + 3)}k:`)}`),
    ],
    ['milvus.yaml', '50,000 top-level keys', milvusYaml() + lines(50_000, (i) => `k${i}: v`)],
    [
      'docker-compose.yml',
      'flow nesting 20,000 deep',
      composeYaml().replace('    ports:', `    x-deep: ${'['.repeat(20_000)}${']'.repeat(20_000)}\n    ports:`),
    ],
    ['docker-compose.yml', '5,000 volumes', composeYaml(Array.from({ length: 5000 }, (_, i) => `./v${i}:/v${i}`))],
    ['docker-compose.yml', 'interpolation nested 5,000 deep', composeYaml([`\${${'A:-${'.repeat(5000)}x${'}'.repeat(5001)}:/milvus/tls`])],
  ];
  for (const [rel, name, text] of cases) {
    await t.test(name, () => {
      const file = path.join(dir, rel);
      ws.setOverlay(file, text, 1);
      try {
        const t0 = performance.now();
        exercise(
          service,
          { path: file, uri: URI.file(file).toString(), text },
          {
            positions: [
              { line: 0, character: 0 },
              { line: 5, character: 3 },
              { line: 1e9, character: 0 },
            ],
          },
        );
        table.push(`| size: ${name} | every request < 2 s (all took ${(performance.now() - t0).toFixed(0)} ms) | |`);
      } finally {
        ws.clearOverlay(file);
      }
    });
  }
});
