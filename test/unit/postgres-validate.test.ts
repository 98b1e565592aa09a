/**
 * The postgres target without a server: where settings are found (URIs, JDBC, key=value, PG*
 * variables, pg_service.conf, compose `environment:` and `command:`), on which range the findings
 * land, Aurora DSQL, sslrootcert=system with libpq 16 (psql here is 15; its behaviour per
 * fe-connect.c: 'weak sslmode "%s" may not be used with sslrootcert=system (use "verify-full")'),
 * and the fixes. The libpq/postgres messages themselves are backed by postgres-real.test.ts.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LanguageService, Workspace } from '../../server/src/service';
import { DEFAULT_SETTINGS, type Settings } from '../../server/src/service/types';
import { parseUri, parseKeywordValue } from '../../server/src/service/targets/postgres/conninfo';
import { scanText } from '../../server/src/service/targets/postgres/scan';
import { parsePgCompose } from '../../server/src/service/targets/postgres/compose';
import { makeCa, makeLeaf, EKU } from '../support/certs';
import { tmpWorkspace, writeFiles } from '../support/workspace';

function run(
  files: Record<string, string>,
  open: string,
  settings: Partial<Settings> = {},
  env: Record<string, string> = {},
  setup?: (dir: string) => void,
) {
  const dir = tmpWorkspace('pg-unit-');
  writeFiles(dir, files);
  setup?.(dir);
  const svc = new LanguageService(new Workspace([dir], { ...DEFAULT_SETTINGS, ...settings }), { HOME: path.join(dir, 'home'), ...env });
  const p = path.join(dir, open);
  const text = fs.readFileSync(p, 'utf8');
  const doc = { path: p, uri: URI.file(p).toString(), text };
  const ds = svc.validate(doc);
  const at = (code: string) => {
    const d = ds.find((x) => x.code === code)!;
    const lines = text.split('\n');
    return lines[d.range.start.line].slice(
      d.range.start.character,
      d.range.end.line === d.range.start.line ? d.range.end.character : undefined,
    );
  };
  return { dir, svc, doc, ds, codes: ds.map((x) => String(x.code)), at };
}

test('parseUri: hosts, query parameters and their offsets; ssl=true is sslmode=require', () => {
  const u = 'postgresql://app:pw@db1:5432,db2/app?sslmode=verify-full&sslrootcert=%2Fetc%2Fca.crt';
  const c = parseUri(u, 10);
  assert.deepEqual(
    c.hosts.map((h) => [h.value, u.slice(h.valueStart - 10, h.valueEnd - 10)]),
    [
      ['db1', 'db1'],
      ['db2', 'db2'],
    ],
  );
  assert.equal(c.params.get('sslmode')!.value, 'verify-full');
  assert.equal(c.params.get('sslrootcert')!.value, '/etc/ca.crt');
  assert.equal(u.slice(c.params.get('sslmode')!.valueStart - 10, c.params.get('sslmode')!.valueEnd - 10), 'verify-full');
  assert.equal(parseUri('postgres://h/db?ssl=true', 0).params.get('sslmode')!.value, 'require');
  assert.equal(parseUri('postgresql://[::1]:5432/db', 0).hosts[0].value, '::1');
  assert.equal(parseUri('jdbc:postgresql://h:5432/db?sslmode=require', 0).kind, 'jdbc');
});

test("parseKeywordValue: libpq's quoting, and what is not a connection string", () => {
  const c = parseKeywordValue("host=db sslrootcert='/a b/ca.crt' password='it\\'s'", 0)!;
  assert.equal(c.params.get('sslrootcert')!.value, '/a b/ca.crt');
  assert.equal(c.params.get('password')!.value, "it's");
  assert.equal(parseKeywordValue("host='unterminated", 0), undefined);
  assert.deepEqual(
    scanText('FOO=bar BAZ=1\nmode=fast level=2\n').conns.map((x) => x.kind),
    [],
    'assignments that are not libpq keywords are not connections',
  );
  const s = scanText('export PGSSLMODE=verify-full\nDATABASE_URL="host=db dbname=app sslmode=require"\n');
  assert.deepEqual(
    s.env.map((e) => [e.key, e.value]),
    [['sslmode', 'verify-full']],
  );
  assert.equal(s.conns.length, 1);
});

test('.env: an sslmode typo is an error on the value with a quick fix; PGSSLMODE typos too', () => {
  const r = run({ '.env': 'DATABASE_URL=postgresql://db/app?sslmode=verify_full\nPGSSLMODE=required\n' }, '.env');
  assert.deepEqual(r.codes, ['pg-sslmode-invalid', 'pg-sslmode-invalid']);
  assert.equal(r.at('pg-sslmode-invalid'), 'verify_full');
  assert.match(String(r.ds[0].message), /invalid sslmode value: "verify_full".*Write verify-full/);
  const fixes = r.svc.codeActions(r.doc, r.ds);
  assert.deepEqual(
    fixes.map((f) => f.title),
    ['Set sslmode to verify-full', 'Set sslmode to require'],
  );
});

test('sslmode=no-verify (node-postgres only) is a warning with the portable fix', () => {
  const r = run({ '.env': 'DATABASE_URL=postgres://u:p@db.example.com/app?sslmode=no-verify\n' }, '.env');
  assert.deepEqual(r.codes, ['pg-sslmode-driver-only']);
  assert.equal(r.at('pg-sslmode-driver-only'), 'no-verify');
  assert.deepEqual(
    r.svc.codeActions(r.doc, r.ds).map((f) => f.title),
    ['Set sslmode to require'],
  );
});

test('PG* variables fill what a URI leaves out (libpq reads them when the string does not say)', () => {
  const r = run({ '.env': 'PGSSLMODE=verify-full\nDATABASE_URL=postgresql://db/app\n' }, '.env');
  assert.deepEqual(r.codes, ['pg-rootcert-missing']);
  assert.match(String(r.ds[0].message), /root certificate file ".*home\/.postgresql\/root.crt" does not exist/);
  assert.deepEqual(run({ '.env': 'DATABASE_URL=postgresql://db/app?sslmode=require\nPGSSLMODE=verify-full\n' }, '.env').codes, [
    'pg-rootcert-missing',
  ]);
  assert.deepEqual(run({ '.env': 'DATABASE_URL=postgresql://db/app?sslmode=require\n' }, '.env').codes, []);
});

test('sslrootcert=system: libpq 16 wants verify-full; older libpq reads a file named "system"', () => {
  const weak = run({ '.env': 'DATABASE_URL=postgresql://db/app?sslmode=require&sslrootcert=system\n' }, '.env');
  assert.deepEqual(weak.codes, ['pg-rootcert-system-weak']);
  assert.equal(weak.at('pg-rootcert-system-weak'), 'require');
  assert.match(String(weak.ds[0].message), /weak sslmode "require" may not be used with sslrootcert=system \(use "verify-full"\)/);
  assert.deepEqual(
    run({ '.env': 'DATABASE_URL=postgresql://db/app?sslrootcert=system\n' }, '.env').codes,
    [],
    'verify-full is the default then',
  );
  assert.deepEqual(run({ '.env': 'DATABASE_URL=postgresql://db/app?sslmode=verify-full&sslrootcert=system\n' }, '.env').codes, []);
  const old = run({ '.env': 'DATABASE_URL=postgresql://db/app?sslmode=verify-full&sslrootcert=system\n' }, '.env', {
    postgresLibpqVersion: 15,
  });
  assert.deepEqual(old.codes, ['pg-rootcert-system-old-libpq']);
  assert.equal(old.at('pg-rootcert-system-old-libpq'), 'system');
});

test('Aurora DSQL: a weak sslmode warns on the host; the root file must hold Amazon Root CA 1 (by SPKI)', async () => {
  const host = 'abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws';
  const weak = run({ '.env': `DATABASE_URL=postgresql://admin@${host}/postgres?sslmode=require\n` }, '.env');
  assert.deepEqual(weak.codes, ['pg-dsql-sslmode']);
  assert.equal(weak.at('pg-dsql-sslmode'), host);
  const amazon = fs.readFileSync('/etc/ssl/certs/Amazon_Root_CA_1.pem', 'utf8');
  const ok = run(
    { '.env': `DATABASE_URL=postgresql://admin@${host}/postgres?sslmode=verify-full&sslrootcert=amazon.pem\n`, 'amazon.pem': amazon },
    '.env',
  );
  assert.deepEqual(ok.codes, []);
  // A local CA posing as "Amazon Root CA 1": the same name, another key.
  const fake = await makeCa('Amazon Root CA 1');
  const bad = run(
    { '.env': `DATABASE_URL=postgresql://admin@${host}/postgres?sslmode=verify-full&sslrootcert=amazon.pem\n`, 'amazon.pem': fake.certPem },
    '.env',
  );
  assert.deepEqual(bad.codes, ['pg-dsql-root-ca']);
  assert.equal(bad.at('pg-dsql-root-ca'), 'amazon.pem');
  assert.deepEqual(
    run({ '.env': `DATABASE_URL=postgresql://admin@${host}/postgres?sslmode=verify-full&sslrootcert=system\n` }, '.env').codes,
    [],
  );
  const hover = weak.svc.hover(weak.doc, { line: 0, character: weak.doc.text.indexOf(host) + 3 });
  assert.match(JSON.stringify(hover), /Amazon Root CA 1/);
});

test('JDBC URLs: sslmode typos, and pgjdbc reads sslkey as PKCS#8 DER, not PEM', async () => {
  const ca = await makeCa();
  const c = await makeLeaf(ca, { cn: 'app', sans: [], eku: [EKU.clientAuth] });
  const props =
    'spring.datasource.url=jdbc:postgresql://db:5432/app?sslmode=verify-full&sslrootcert=ca.crt&sslcert=client.crt&sslkey=client.key\n';
  const r = run(
    { 'application.properties': props, 'ca.crt': ca.certPem, 'client.crt': c.certPem, 'client.key': c.keyPem },
    'application.properties',
  );
  assert.deepEqual(r.codes, ['pg-jdbc-key-format']);
  assert.equal(r.at('pg-jdbc-key-format'), 'client.key');
  assert.deepEqual(run({ 'app.properties': 'url=jdbc:postgresql://db/app?sslmode=verifyfull\n' }, 'app.properties').codes, [
    'pg-sslmode-invalid',
  ]);
});

test('pg_service.conf: each service is checked; service= references a missing section; a line that is not key=value', () => {
  const svcFile = '[prod]\nhost=db\nsslmode=verify_ca\n\n[dev]\nhost=localhost\nsslmode=disable\nthis line is wrong\n';
  const r = run({ 'pg_service.conf': svcFile }, 'pg_service.conf');
  assert.deepEqual(r.codes.sort(), ['pg-service-syntax', 'pg-sslmode-invalid']);
  const ref = run(
    { 'pg_service.conf': '[prod]\nhost=db\nsslmode=verify-full\nsslrootcert=ca.crt\n', '.env': 'DATABASE_URL="service=prdo dbname=app"\n' },
    '.env',
  );
  assert.deepEqual(ref.codes, ['pg-service-unknown']);
  assert.equal(ref.at('pg-service-unknown'), 'prdo');
  const used = run(
    { 'pg_service.conf': '[prod]\nhost=db\nsslmode=verify-full\nsslrootcert=ca.crt\n', '.env': 'DATABASE_URL="service=prod dbname=app"\n' },
    '.env',
  );
  assert.deepEqual(used.codes, ['pg-rootcert-missing'], 'the service file settings apply; the finding goes on the connection string');
});

test('compose: -c flags of the postgres service resolve through its mounts; key owner and mode as the image demands', async () => {
  const ca = await makeCa();
  const leaf = await makeLeaf(ca, { cn: 'db', sans: ['db'], eku: [EKU.serverAuth] });
  const compose = [
    'services:',
    '  db:',
    '    image: postgres:16',
    '    command: -c ssl=on -c ssl_cert_file=/certs/server.crt -c ssl_key_file=/certs/server.key',
    '    volumes:',
    '      - ./certs:/certs:ro',
    '  app:',
    '    image: myapp',
    '    environment:',
    '      DATABASE_URL: postgresql://db/app?sslmode=verify-full&sslrootcert=/certs/other.crt',
    '    volumes:',
    '      - ./certs:/certs:ro',
    '',
  ].join('\n');
  const other = await makeCa('Other CA');
  // A key owned by a developer's uid (1000), neither root nor the image's postgres (999): the server refuses it.
  const r = run(
    { 'docker-compose.yml': compose, 'certs/server.crt': leaf.certPem, 'certs/server.key': leaf.keyPem, 'certs/other.crt': other.certPem },
    'docker-compose.yml',
    {},
    {},
    (dir) => {
      if (process.getuid?.() === 0) fs.chownSync(path.join(dir, 'certs/server.key'), 1000, 1000);
    },
  );
  const pg = r.codes.filter((c) => c.startsWith('pg-'));
  if (process.getuid?.() !== 999) assert.ok(pg.includes('pg-server-key-owner'), r.codes.join());
  assert.ok(pg.includes('pg-rootcert-not-signing'), r.codes.join());
  assert.equal(r.at('pg-server-key-owner'), '/certs/server.key');
  assert.equal(r.at('pg-rootcert-not-signing'), '/certs/other.crt');
  const mismatch = await makeLeaf(ca, { cn: 'db', sans: ['db'] });
  const r2 = run(
    {
      'docker-compose.yml': compose.replace('other.crt', 'ca.crt'),
      'certs/server.crt': leaf.certPem,
      'certs/server.key': mismatch.keyPem,
      'certs/ca.crt': ca.certPem,
    },
    'docker-compose.yml',
  );
  assert.ok(r2.codes.includes('pg-server-key-mismatch'), r2.codes.join());
  assert.ok(!r2.codes.includes('pg-rootcert-not-signing'));
});

test('compose: command: under environment: never reaches postgres', () => {
  const compose = 'services:\n  db:\n    image: postgres:16\n    environment:\n      POSTGRES_PASSWORD: x\n      command: -c ssl=on\n';
  const r = run({ 'docker-compose.yml': compose }, 'docker-compose.yml');
  assert.deepEqual(r.codes, ['pg-command-under-environment']);
  assert.equal(r.at('pg-command-under-environment'), 'command');
});

test('parsePgCompose: list and string commands, -c and --name=value flags', () => {
  const s = parsePgCompose(
    'services:\n  db:\n    image: postgres\n    command: ["postgres", "-c", "ssl=on", "--ssl_cert_file=/c.crt"]\n',
  )[0];
  assert.deepEqual([...s.flags.keys()], ['ssl', 'ssl_cert_file']);
  const sh = parsePgCompose(
    'services:\n  db:\n    image: postgres\n    entrypoint: sh\n    command: -c "cp /c/* /var/lib/postgresql/ && exec docker-entrypoint.sh postgres -c ssl=on"\n',
  )[0];
  assert.deepEqual([...sh.flags.keys()], [], 'a shell script is not a list of server flags');
  const t = parsePgCompose('services:\n  db:\n    image: postgres\n    command: postgres -c ssl=on -c "ssl_key_file=/k.key"\n')[0];
  assert.equal(t.flags.get('ssl_key_file')!.value.value, '/k.key');
});

test('precision: stock files of the Debian postgresql-15 package and libpq-happy configs are silent', () => {
  for (const f of ['postgresql.conf.sample', 'pg_service.conf.sample', 'pg_hba.conf.sample']) {
    const p = `/usr/share/postgresql/15/${f}`;
    if (!fs.existsSync(p)) continue;
    const name = f === 'postgresql.conf.sample' ? 'postgresql.conf' : f === 'pg_service.conf.sample' ? 'pg_service.conf' : 'pg_hba.conf';
    assert.deepEqual(run({ [name]: fs.readFileSync(p, 'utf8') }, name).codes, [], f);
  }
  const quiet = [
    'DATABASE_URL=postgres://user:pass@localhost:5432/app\n',
    'DATABASE_URL=postgresql://u@db/app?sslmode=disable\nREDIS_URL=redis://r\n',
    'DB="host=localhost port=5432 dbname=app user=app password=${DB_PASSWORD} sslmode=${SSLMODE}"\n',
    'PGHOST=db\nPGUSER=app\nPGPASSWORD=secret\n',
  ];
  for (const t of quiet) assert.deepEqual(run({ '.env': t }, '.env').codes, [], t);
});
