import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { validateCompose, COMPOSE_DIAGNOSTIC_CODES } from '../../server/src/service/targets/compose/validate';
import { composeCodeActions } from '../../server/src/service/targets/compose/actions';
import { milvusComposeChecks } from '../../server/src/service/targets/milvus/compose-side';
import { parseComposeVolumes } from '../../server/src/service/deploy/compose';
import { URI } from 'vscode-uri';
import { applyWorkspaceEdit } from '../support/apply-edit';
import { Workspace } from '../../server/src/service/workspace';
import { DEFAULT_SETTINGS, SOURCE } from '../../server/src/service/types';

/** The official Milvus standalone compose file plus the TLS guide's two mounts. */
const OFFICIAL = readFileSync(path.join(__dirname, '../fixtures/docker-compose.milvus-tls.yml'), 'utf8');

interface Fixture {
  dir: string;
  compose: string;
  ws: Workspace;
  write(rel: string, text?: string): void;
  mkdir(rel: string): void;
  check(text: string, env?: Record<string, string | undefined>): Diagnostic[];
}

function withFixture(fn: (f: Fixture) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-validate-'));
  try {
    const compose = path.join(dir, 'docker-compose.yml');
    const ws = new Workspace([dir]);
    const f: Fixture = {
      dir,
      compose,
      ws,
      write(rel, text = '') {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
      },
      mkdir(rel) {
        fs.mkdirSync(path.join(dir, rel), { recursive: true });
      },
      check(text, env = {}) {
        fs.writeFileSync(compose, text);
        // The compose rules of the room plus the Milvus target's compose-side rules, as the service runs them.
        return [
          ...validateCompose(text, compose, ws, env),
          ...milvusComposeChecks(compose, parseComposeVolumes(text, compose, env), {
            ws,
            settings: DEFAULT_SETTINGS,
            now: new Date(),
            processEnv: env,
          }),
        ];
      },
    };
    fn(f);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const msg = (d: Diagnostic): string => (typeof d.message === 'string' ? d.message : d.message.value);
const codes = (ds: Diagnostic[]) => ds.map((d) => d.code);
const errors = (ds: Diagnostic[]) => ds.filter((d) => d.severity === 1);

function officialFiles(f: Fixture): void {
  f.mkdir('volumes/etcd');
  f.mkdir('volumes/minio');
  f.mkdir('volumes/milvus');
  f.write('tls/server.pem', '-----BEGIN CERTIFICATE-----\n');
  f.write('tls/server.key', '-----BEGIN PRIVATE KEY-----\n');
  f.write('tls/ca.pem', '-----BEGIN CERTIFICATE-----\n');
  f.write('milvus.yaml', 'tls:\n  serverPemPath: /milvus/tls/server.pem\n');
}

test('the official compose file with its files present has no error-level findings', () => {
  withFixture((f) => {
    officialFiles(f);
    const ds = f.check(OFFICIAL);
    assert.deepEqual(errors(ds), []);
    // the writable TLS mount is only an information
    assert.deepEqual(codes(ds), ['compose-cert-mount-writable']);
    assert.equal(ds[0].severity, 3);
    assert.match(msg(ds[0]), /:ro/);
    assert.ok(ds.every((d) => d.source === SOURCE));
    // read-only: nothing at all
    assert.deepEqual(f.check(OFFICIAL.replace('/tls:/milvus/tls', '/tls:/milvus/tls:ro')), []);
    // with DOCKER_VOLUME_DIRECTORY set via .env to this folder: still clean
    f.write('.env', `DOCKER_VOLUME_DIRECTORY=${f.dir}\n`);
    f.ws.invalidate(path.join(f.dir, '.env'));
    assert.deepEqual(errors(f.check(OFFICIAL)), []);
  });
});

test('missing short-syntax bind source: error on the exact source characters, explains the empty directory', () => {
  withFixture((f) => {
    f.mkdir('volumes/etcd');
    f.mkdir('volumes/minio');
    f.mkdir('volumes/milvus');
    f.write('milvus.yaml', '');
    // tls/ is missing
    const ds = f.check(OFFICIAL);
    const missing = ds.filter((d) => d.code === 'compose-bind-source-missing');
    assert.equal(missing.length, 1);
    const d = missing[0];
    assert.equal(d.severity, 1);
    // "      - ${DOCKER_VOLUME_DIRECTORY:-.}/tls:/milvus/tls" is line 44 (0-based)
    const line = OFFICIAL.split('\n').findIndex((l) => l.includes('/tls:/milvus/tls'));
    assert.equal(line, 44);
    assert.deepEqual(d.range, { start: { line, character: 8 }, end: { line, character: 41 } });
    assert.match(msg(d), /EMPTY DIRECTORY/);
    assert.match(msg(d), /is a directory/);
    // Workspace-relative, as written: the Problems panel shows the verdict, not the folder it lives in.
    assert.match(msg(d), /^Bind source missing: \.\/tls does not exist\./);
    assert.ok(!msg(d).includes(f.dir));
    assert.match(msg(d), /\/milvus\/tls/);
    assert.match(msg(d), /Create it/);
  });
});

test('missing data folders (a fresh checkout) produce no finding: Docker creates them', () => {
  withFixture((f) => {
    f.write('tls/server.pem', 'x');
    f.write('milvus.yaml', '');
    const ds = f.check(OFFICIAL.replace('/tls:/milvus/tls', '/tls:/milvus/tls:ro'));
    assert.deepEqual(ds, []);
  });
});

test('"needs content" goes by whole words of the path, not substrings ("confluent" is no "conf")', () => {
  withFixture((f) => {
    const ds = f.check(`services:
  connect:
    image: confluentinc/cp-kafka-connect
    volumes:
      - ./kafka-plugins:/usr/share/confluent-hub-components
      - ./keystore:/etc/kafka/secrets
`);
    assert.deepEqual(
      ds.map((d) => [d.code, d.range.start.line]),
      [['compose-bind-source-missing', 5]],
    );
  });
});

test('missing file-like bind source names the file', () => {
  withFixture((f) => {
    const ds = f.check(
      'services:\n  standalone:\n    image: milvusdb/milvus:v2.4.0\n    volumes:\n      - ./tls/server.pem:/milvus/tls/server.pem:ro\n',
    );
    assert.deepEqual(codes(ds), ['compose-bind-source-missing']);
    assert.deepEqual(ds[0].range, { start: { line: 4, character: 8 }, end: { line: 4, character: 24 } });
    assert.match(msg(ds[0]), /EMPTY DIRECTORY named server\.pem/);
    assert.match(msg(ds[0]), /"is a directory"/);
  });
});

test('missing long-syntax bind source: docker fails with "bind source path does not exist"', () => {
  withFixture((f) => {
    const text = `services:
  standalone:
    image: milvusdb/milvus:v2.4.0
    volumes:
      - type: bind
        source: ./tls
        target: /milvus/tls
        read_only: true
`;
    const ds = f.check(text);
    assert.deepEqual(codes(ds), ['compose-bind-source-missing']);
    assert.equal(ds[0].severity, 1);
    assert.deepEqual(ds[0].range, { start: { line: 5, character: 16 }, end: { line: 5, character: 21 } });
    assert.match(msg(ds[0]), /bind source path does not exist/);
    // with create_host_path Docker creates an empty directory instead
    const ds2 = f.check(text + '        bind:\n          create_host_path: true\n');
    assert.match(msg(ds2[0]), /EMPTY DIRECTORY/);
  });
});

test('a directory where a file is expected (created by Docker earlier)', () => {
  withFixture((f) => {
    f.mkdir('tls/server.pem');
    const ds = f.check('services:\n  standalone:\n    volumes:\n      - ./tls/server.pem:/milvus/tls/server.pem:ro\n');
    assert.deepEqual(codes(ds), ['compose-bind-source-is-directory']);
    assert.equal(ds[0].severity, 2);
  });
});

test('milvus.yaml mounted at the wrong target', () => {
  withFixture((f) => {
    f.write('milvus.yaml', '');
    f.write('user.yaml', '');
    const ds = f.check(`services:
  standalone:
    image: milvusdb/milvus:v2.4.0
    volumes:
      - ./milvus.yaml:/milvus/milvus.yaml
      - ./user.yaml:/milvus/configs/user.yaml
      - ./milvus.yaml:/milvus/configs/milvus.yaml
  tool:
    image: busybox
    volumes:
      - ./milvus.yaml:/data/milvus.yaml
`);
    assert.deepEqual(codes(ds), ['milvus-config-mount-target']);
    assert.deepEqual(ds[0].range, { start: { line: 4, character: 22 }, end: { line: 4, character: 41 } });
    assert.match(msg(ds[0]), /\/milvus\/configs\/milvus\.yaml/);
    assert.match(msg(ds[0]), /ignored/);
  });
});

test('certificates mounted writable: info with a fix hint', () => {
  withFixture((f) => {
    f.write('pki/ca.crt', 'x');
    f.write('data/readme.txt', 'x');
    const ds = f.check(`services:
  standalone:
    volumes:
      - ./pki:/opt/pki-files
      - ./data:/opt/data
      - ./pki:/opt/other:z
      - ./pki:/opt/rw:rw
      - ./pki:/opt/ro:ro,z
      - type: bind
        source: ./pki
        target: /opt/long
`);
    const w = ds.filter((d) => d.code === 'compose-cert-mount-writable');
    assert.equal(w.length, 4);
    assert.ok(w.every((d) => d.severity === 3));
    assert.match(msg(w[0]), /append :ro \(\.\/pki:\/opt\/pki-files:ro\)/);
    assert.deepEqual((w[0].data as { edit: unknown }).edit, {
      range: { start: { line: 3, character: 28 }, end: { line: 3, character: 28 } },
      newText: ':ro',
    });
    assert.match(msg(w[1]), /:ro,z/);
    assert.match(msg(w[2]), /:ro \(/);
    assert.match(msg(w[3]), /read_only: true/);
    assert.deepEqual(
      codes(ds).filter((c) => c !== 'compose-cert-mount-writable'),
      [],
    );
  });
});

test('undefined variable: warning on the exact ${VAR} characters, anywhere in the file', () => {
  withFixture((f) => {
    f.mkdir('x');
    const text = `services:
  standalone:
    image: milvusdb/milvus:\${MILVUS_VERSION}
    volumes:
      - ./x:/milvus/x\${SUFFIX}:ro
`;
    const ds = f.check(text);
    const u = ds.filter((d) => d.code === 'compose-undefined-variable');
    assert.equal(u.length, 2);
    assert.ok(u.every((d) => d.severity === 2));
    assert.deepEqual(u[0].range, { start: { line: 2, character: 27 }, end: { line: 2, character: 44 } });
    assert.deepEqual(u[1].range, { start: { line: 4, character: 21 }, end: { line: 4, character: 30 } });
    assert.match(msg(u[0]), /variable MILVUS_VERSION is not set; docker compose substitutes an empty string/);
    assert.match(msg(u[0]), /\$\{MILVUS_VERSION:-value\}/);
    assert.deepEqual(u[0].data, { variable: 'MILVUS_VERSION' });
    // set in .env: gone
    f.write('.env', 'MILVUS_VERSION=v2.4.0\nSUFFIX=\n');
    assert.deepEqual(
      f.check(text).filter((d) => d.code === 'compose-undefined-variable'),
      [],
    );
  });
});

test('required variable, invalid interpolation, undeclared volume, duplicate target, invalid entry', () => {
  withFixture((f) => {
    f.mkdir('a');
    const ds = f.check(`services:
  standalone:
    environment:
      PASSWORD: pa$1word
      TOKEN: a\${1}b
    volumes:
      - \${CERTS:?set CERTS to the cert folder}:/milvus/tls
      - tls:/milvus/tls2
      - ./a:/x
      - ./a:/x/
      - ./a::/y
      - 42
`);
    const by = (c: string) => ds.filter((d) => d.code === c);
    assert.equal(by('compose-required-variable').length, 1);
    assert.match(msg(by('compose-required-variable')[0]), /required variable CERTS is missing a value: set CERTS to the cert folder/);
    assert.deepEqual(by('compose-required-variable')[0].range, { start: { line: 6, character: 8 }, end: { line: 6, character: 46 } });
    assert.equal(by('compose-interpolation-invalid').length, 1);
    // pa$1word is kept as it is (compose-go); a\${1}b is invalid
    assert.deepEqual(by('compose-interpolation-invalid')[0].range, { start: { line: 4, character: 14 }, end: { line: 4, character: 18 } });
    assert.equal(by('compose-volume-undeclared').length, 1);
    assert.equal(by('compose-duplicate-target').length, 1);
    assert.equal(by('compose-volume-invalid').length, 2);
    assert.ok(ds.every((d) => d.severity === 1 || d.code === 'compose-cert-mount-writable'));
  });
});

test('YAML syntax errors are reported with a range', () => {
  withFixture((f) => {
    const ds = f.check('services:\n  standalone:\n    volumes:\n      - ./a:/b\n    image: [unclosed\n');
    const y = ds.filter((d) => d.code === 'compose-yaml-syntax');
    assert.ok(y.length >= 1);
    assert.ok(y.every((d) => d.severity === 1 && d.range.start.line >= 3));
    const dup = f.check('services:\n  a: {}\n  a: {}\n');
    assert.deepEqual(codes(dup), ['compose-yaml-syntax']);
    assert.equal(dup[0].range.start.line, 2);
  });
});

test('a Windows host path is not checked for existence on other systems', () => {
  withFixture((f) => {
    const ds = f.check('services:\n  standalone:\n    volumes:\n      - "C:\\\\certs:/milvus/tls:ro"\n');
    if (process.platform !== 'win32') assert.deepEqual(ds, []);
  });
});

test('untrusted workspace: no host file checks', () => {
  withFixture((f) => {
    const ws = new Workspace([f.dir], { ...DEFAULT_SETTINGS, trusted: false });
    const ds = validateCompose('services:\n  s:\n    volumes:\n      - ./missing:/milvus/x\n', f.compose, ws, {});
    assert.deepEqual(ds, []);
  });
});

test('bad input never throws and every emitted code is documented', () => {
  withFixture((f) => {
    const known = new Set(COMPOSE_DIAGNOSTIC_CODES.map((c) => c.code));
    const inputs = [
      '',
      '- a\n- b\n',
      'services: null\n',
      'services:\n  s:\n    volumes:\n      - 1\n      - 2\n',
      'services: [',
      ': : :\n\t- x',
      'services:\n  s:\n    volumes:\n      - type: bind\n        source: ./nope\n',
      'a: &a [*a, *a]\n',
      'services:\n  s:\n    volumes:\n' + '      - ./v:/v\n'.repeat(3000),
      undefined,
    ];
    for (const t of inputs) {
      let ds: Diagnostic[] = [];
      assert.doesNotThrow(() => {
        ds = validateCompose(t as string, f.compose, f.ws, {});
      });
      for (const d of ds) {
        assert.ok(known.has(String(d.code)), String(d.code));
        assert.equal(d.source, SOURCE);
        assert.equal(
          d.severity,
          { error: 1, warning: 2, information: 3, hint: 4 }[COMPOSE_DIAGNOSTIC_CODES.find((c) => c.code === d.code)!.severity],
        );
      }
    }
    assert.ok(COMPOSE_DIAGNOSTIC_CODES.every((c) => c.code.startsWith('compose-') && c.summary.length > 10));
  });
});

test('the writable cert mount finding has a quick fix that appends :ro', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ro-'));
  fs.mkdirSync(path.join(dir, 'tls'));
  fs.writeFileSync(path.join(dir, 'tls/server.pem'), 'x');
  const file = path.join(dir, 'docker-compose.yml');
  const text = 'services:\n  standalone:\n    image: milvusdb/milvus:v2.6.0\n    volumes:\n      - ./tls:/milvus/tls\n';
  fs.writeFileSync(file, text);
  const ds = validateCompose(text, file, new Workspace([dir]), {}).filter((d) => d.code === 'compose-cert-mount-writable');
  assert.equal(ds.length, 1);
  const [a] = composeCodeActions(URI.file(file).toString(), ds, new Workspace([dir]));
  assert.equal(a.title, 'Mount read-only (:ro)');
  applyWorkspaceEdit(a.edit!);
  assert.match(fs.readFileSync(file, 'utf8'), /- \.\/tls:\/milvus\/tls:ro\n/);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a missing bind source for certificates: generate a set into it (preferred), or create the folder', async () => {
  const { executeServerCommand } = await import('../../server/src/commands');
  const { LanguageService } = await import('../../server/src/service');
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bind-fix-')));
  const file = path.join(dir, 'docker-compose.yml');
  const text = 'services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ${DOCKER_VOLUME_DIRECTORY:-.}/certs:/etc/nginx/certs:ro\n';
  fs.writeFileSync(file, text);
  const ws = new Workspace([dir]);
  const ds = validateCompose(text, file, ws, {}).filter((d) => d.code === 'compose-bind-source-missing');
  assert.equal(ds.length, 1);
  const actions = composeCodeActions(URI.file(file).toString(), ds, ws);
  assert.deepEqual(
    actions.map((a) => [a.title, a.isPreferred]),
    [
      ['Generate TLS certificates into certs/', true],
      ['Create the folder certs/', false],
    ],
  );
  assert.deepEqual(actions[0].command!.arguments, [{ folder: path.join(dir, 'certs'), out: path.join(dir, 'certs') }]);
  // Create the folder, as an editor applies the edit: the finding is gone.
  applyWorkspaceEdit(actions[1].edit!);
  assert.equal(fs.statSync(path.join(dir, 'certs')).isDirectory(), true);
  assert.deepEqual(
    validateCompose(text, file, new Workspace([dir]), {}).filter((d) => d.code === 'compose-bind-source-missing'),
    [],
  );
  // Generate into it, as the server runs the command (without an editor: no wiring applied).
  fs.rmSync(path.join(dir, 'certs'), { recursive: true });
  const ws2 = new Workspace([dir]);
  const r = (await executeServerCommand(actions[0].command!.command, actions[0].command!.arguments!, {
    ws: ws2,
    service: new LanguageService(ws2, {}),
    openText: () => undefined,
  })) as { status: string; out: string };
  assert.equal(r.status, 'written');
  assert.equal(r.out, path.join(dir, 'certs'));
  for (const f of ['ca.pem', 'server.pem', 'server.key']) assert.ok(fs.existsSync(path.join(dir, 'certs', f)), f);
  fs.rmSync(dir, { recursive: true, force: true });
});

test('a missing data folder gets only "Create the folder"; nothing outside the workspace is offered', () => {
  const dir = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'bind-fix-')));
  const file = path.join(dir, 'docker-compose.yml');
  const text =
    'services:\n  app:\n    image: app:1\n    volumes:\n      - type: bind\n        source: ./uploads\n        target: /srv/uploads\n';
  fs.writeFileSync(file, text);
  const ws = new Workspace([dir]);
  const ds = validateCompose(text, file, ws, {}).filter((d) => d.code === 'compose-bind-source-missing');
  assert.equal(ds.length, 1);
  assert.deepEqual(
    composeCodeActions(URI.file(file).toString(), ds, ws).map((a) => a.title),
    ['Create the folder uploads/'],
  );
  const outside = { ...ds[0], data: { ...(ds[0].data as object), hostPath: '/etc/tls' } };
  assert.deepEqual(composeCodeActions(URI.file(file).toString(), [outside], ws), []);
  fs.rmSync(dir, { recursive: true, force: true });
});
