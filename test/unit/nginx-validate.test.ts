/** nginx target: the tokenizer, recognition, includes, inheritance, variables, compose mounts, hover; Debian's stock configs stay silent. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { parseNginx } from '../../server/src/service/targets/nginx/tokenize';
import { nginxTarget } from '../../server/src/service/targets/nginx';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';
import { tmpWorkspace, writeFiles, serviceFor, docOf } from '../support/workspace';
import { makeCa, makeLeaf } from '../support/certs';
import { applyWorkspaceEdit } from '../support/apply-edit';

test('tokenizer: words, quotes, escapes, ${var}, comments, blocks and exact ranges', () => {
  const p = parseNginx('http {\n  # c ; {\n  server_name "a b" \'c\\\'d\' ${host}x;\n  location ~ \\.php$ { return 200 "ok"; }\n}\n');
  assert.deepEqual(p.errors, []);
  const http = p.directives[0];
  assert.equal(http.name, 'http');
  const sn = http.block![0];
  assert.deepEqual(
    sn.args.map((a) => a.value),
    ['a b', "c'd", '${host}x'],
  );
  assert.deepEqual(sn.args[0].range, { start: { line: 2, character: 14 }, end: { line: 2, character: 19 } });
  const loc = http.block![1];
  assert.deepEqual(
    loc.args.map((a) => a.value),
    ['~', '.php$'],
  );
  assert.equal(loc.block![0].name, 'return');
});

test('tokenizer: nginx -t style errors, never a throw', () => {
  assert.match(parseNginx('server {').errors[0].message, /unexpected end of file, expecting "}"/);
  assert.match(parseNginx('}').errors[0].message, /unexpected "}"/);
  assert.match(parseNginx('listen 443').errors[0].message, /unexpected end of file/);
  assert.match(parseNginx('a "b').errors[0].message, /closing quote/);
  assert.match(
    parseNginx('a {'.repeat(200))
      .errors.map((e) => e.message)
      .join(),
    /nested too deeply/,
  );
  assert.equal(parseNginx('x {'.repeat(5000)).errors.length > 0, true);
});

test('recognise: nginx files by name and content; postgresql.conf, other YAML/JSON/shell are not', () => {
  const r = (p: string, text: string) => nginxTarget.recognise({ path: p, text }, DEFAULT_SETTINGS);
  assert.equal(r('/w/nginx.conf', 'events {}\n'), true);
  assert.equal(r('/w/conf.d/site.conf', 'server {\n listen 443 ssl;\n}\n'), true);
  assert.equal(r('/etc/nginx/sites-available/default', 'server {\n\tlisten 80 default_server;\n}\n'), true);
  assert.equal(r('/w/postgresql.conf', "listen_addresses = '*'\nssl = on\nssl_cert_file = 'server.crt'\ninclude 'x.conf'\n"), false);
  assert.equal(r('/w/supervisord.conf', '[program:x]\ncommand=/bin/true\n'), false);
  assert.equal(r('/w/app.yaml', 'server:\n  listen: 1\n'), false);
  assert.equal(r('/w/run.sh', 'listen 443;\n'), false);
});

async function set() {
  const ca = await makeCa('Unit CA');
  const leaf = await makeLeaf(ca, { sans: ['example.test', 'www.example.test'] });
  const other = await makeLeaf(ca);
  return { ca, leaf, other };
}

test('include: a snippet with the certificate reaches the server; findings land on the include line', async () => {
  const { leaf, other } = await set();
  const w = tmpWorkspace('nginx-inc-');
  writeFiles(w, {
    'nginx.conf': 'events {}\nhttp {\n  include sites-enabled/*;\n}\n',
    'sites-enabled/site': 'server {\n  listen 443 ssl;\n  server_name example.test;\n  include snippets/tls.conf;\n}\n',
    'snippets/tls.conf': 'ssl_certificate certs/site.crt;\nssl_certificate_key certs/site.key;\n',
    'certs/site.crt': leaf.certPem,
    'certs/site.key': other.keyPem,
  });
  const ds = serviceFor(w).validate(docOf(w, 'sites-enabled/site'));
  const mm = ds.find((d) => d.code === 'tls-key-mismatch');
  assert.ok(mm, JSON.stringify(ds));
  assert.equal(mm.range.start.line, 3);
  assert.match(String(mm.message), /in snippets\/tls\.conf:2/);
  assert.match(String(mm.message), /key values mismatch/);
  fs.rmSync(w, { recursive: true, force: true });
});

test('http-level certificates of nginx.conf are inherited by conf.d servers; server_name checked against them', async () => {
  const { leaf } = await set();
  const w = tmpWorkspace('nginx-inh-');
  writeFiles(w, {
    'nginx.conf':
      'events {}\nhttp {\n  ssl_certificate certs/site.crt;\n  ssl_certificate_key certs/site.key;\n  include conf.d/*.conf;\n}\n',
    'conf.d/a.conf': 'server {\n  listen 443 ssl;\n  server_name www.example.test shop.example.test .example.test _ ~^x ;\n}\n',
    'certs/site.crt': leaf.certPem,
    'certs/site.key': leaf.keyPem,
  });
  const ds = serviceFor(w).validate(docOf(w, 'conf.d/a.conf'));
  assert.deepEqual(
    ds.map((d) => [d.code, d.range.start.character]),
    [
      ['tls-name-not-in-san', 31],
      ['tls-name-not-in-san', 49],
    ],
    JSON.stringify(ds.map((d) => d.message)),
  );
  assert.match(String(ds[1].message), /\*\.example\.test/);
  fs.rmSync(w, { recursive: true, force: true });
});

test('variables in paths are information only; stream servers are checked too', async () => {
  const w = tmpWorkspace('nginx-var-');
  writeFiles(w, {
    'nginx.conf':
      'events {}\nhttp {\n  server {\n    listen 443 ssl;\n    ssl_certificate /etc/ssl/$ssl_server_name.crt;\n    ssl_certificate_key /etc/ssl/$ssl_server_name.key;\n  }\n}\nstream {\n  server {\n    listen 5432 ssl;\n  }\n}\n',
  });
  const ds = serviceFor(w).validate(docOf(w, 'nginx.conf'));
  assert.deepEqual(
    ds.map((d) => [d.code, d.severity]),
    [
      ['nginx-variable-path', 3],
      ['nginx-variable-path', 3],
      ['nginx-no-certificate', 1],
    ],
  );
  fs.rmSync(w, { recursive: true, force: true });
});

test('compose: nginx in a container reads /etc/nginx/certs through the mounts; an unmounted path is named', async () => {
  const { leaf } = await set();
  const w = tmpWorkspace('nginx-compose-');
  writeFiles(w, {
    'docker-compose.yml':
      'services:\n  web:\n    image: nginx:1.27\n    volumes:\n      - ./nginx/site.conf:/etc/nginx/conf.d/site.conf:ro\n      - ./certs:/etc/nginx/certs:ro\n',
    'nginx/site.conf':
      'server {\n  listen 443 ssl;\n  server_name example.test;\n  ssl_certificate certs/site.crt;\n  ssl_certificate_key /etc/nginx/certs/site.key;\n  ssl_client_certificate /etc/ssl/ca.pem;\n  ssl_verify_client on;\n}\n',
    'certs/site.crt': leaf.certPem,
    'certs/site.key': leaf.keyPem,
  });
  const svc = serviceFor(w);
  const ds = svc.validate(docOf(w, 'nginx/site.conf'));
  assert.deepEqual(
    ds.map((d) => d.code),
    ['nginx-path-not-mounted'],
    JSON.stringify(ds.map((d) => d.message)),
  );
  assert.match(String(ds[0].message), /\/etc\/ssl\/ca\.pem/);
  const h = svc.hover(docOf(w, 'nginx/site.conf'), { line: 3, character: 22 });
  assert.match(JSON.stringify(h), /Container `\/etc\/nginx\/certs\/site.crt` → host/);
  const hn = svc.hover(docOf(w, 'nginx/site.conf'), { line: 2, character: 16 });
  assert.match(JSON.stringify(hn), /covers it/);
  assert.equal(svc.links(docOf(w, 'nginx/site.conf')).length, 2);
  fs.rmSync(w, { recursive: true, force: true });
});

test('inline data: PEM is decoded and paired like a file', async () => {
  const { leaf, other } = await set();
  const w = tmpWorkspace('nginx-data-');
  const q = (s: string) => '"data:' + s.replace(/\n/g, '\\n') + '"';
  writeFiles(w, {
    'nginx.conf': `events {}\nhttp {\n  server {\n    listen 443 ssl;\n    ssl_certificate ${q(leaf.certPem)};\n    ssl_certificate_key ${q(other.keyPem)};\n  }\n}\n`,
  });
  const svc = serviceFor(w);
  const ds = svc.validate(docOf(w, 'nginx.conf'));
  assert.deepEqual(
    ds.map((d) => d.code),
    ['tls-key-mismatch'],
  );
  assert.match(JSON.stringify(svc.hover(docOf(w, 'nginx.conf'), { line: 4, character: 30 })), /Inline PEM/);
  fs.rmSync(w, { recursive: true, force: true });
});

test("Debian's stock /etc/nginx is silent (precision)", { skip: !fs.existsSync('/etc/nginx/nginx.conf') && 'no /etc/nginx' }, () => {
  const w = tmpWorkspace('nginx-stock-');
  fs.cpSync('/etc/nginx', w, { recursive: true, dereference: true });
  const svc = serviceFor(w);
  const files: string[] = [];
  const walk = (d: string) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.push(p);
    }
  };
  walk(w);
  let recognised = 0;
  for (const f of files) {
    const doc = docOf(w, path.relative(w, f));
    if (svc.kindOf(doc) === 'nginx') recognised++;
    // Only the snakeoil snippet names files, outside the workspace: information, never a warning or error.
    const loud = svc.validate(doc).filter((d) => (d.severity ?? 1) <= 2);
    assert.deepEqual(loud, [], f);
  }
  assert.ok(recognised >= 3, `recognised ${recognised}`);
  fs.rmSync(w, { recursive: true, force: true });
});

test("a key that is not the certificate's: the hover leads with the finding, the quick fix names the key beside it", async () => {
  const { leaf, other } = await set();
  const w = tmpWorkspace('nginx-key-');
  writeFiles(w, {
    'nginx.conf': `events {}\nhttp {\n  server {\n    listen 443 ssl;\n    server_name example.test;\n    ssl_certificate ${w}/certs/site.crt;\n    ssl_certificate_key ${w}/certs/other.key;\n  }\n}\n`,
    'certs/site.crt': leaf.certPem,
    'certs/site.key': leaf.keyPem,
    'certs/other.key': other.keyPem,
  });
  const svc = serviceFor(w);
  const doc = docOf(w, 'nginx.conf');
  const ds = svc.validate(doc).filter((d) => d.code === 'tls-key-mismatch');
  assert.equal(ds.length, 1);
  assert.match(String(ds[0].message), /^Private key does not match the certificate: certs\/other\.key is not the key of certs\/site\.crt/);
  const line = doc.text.split('\n').findIndex((l) => l.includes('other.key'));
  const v = (svc.hover(doc, { line, character: 30 })!.contents as { value: string }).value;
  assert.equal(v.split('\n').filter((l) => l !== '')[1], '✗ **Private key does not match the certificate** (see Problems)');
  const [a] = svc.codeActions(doc, ds);
  assert.match(a.title, /^Use site\.key, the key of site\.crt/);
  applyWorkspaceEdit(a.edit!);
  assert.deepEqual(
    svc.validate(docOf(w, 'nginx.conf')).map((d) => d.code),
    [],
  );
  fs.rmSync(w, { recursive: true, force: true });
});
