/**
 * Every nginx verdict against Debian's nginx (1.22, OpenSSL 3): each finding
 * we raise ⇔ the failure it predicts, in nginx's or OpenSSL's words; clean ⇔
 * nginx starts and a verifying client completes the handshake.
 *
 * Sources of the texts: nginx src/http/modules/ngx_http_ssl_module.c
 * (ngx_http_ssl_merge_srv_conf: 'no "ssl_certificate_key" is defined for
 * certificate', 'no ssl_client_certificate for ssl_verify_client';
 * ngx_http_ssl_init: 'no "ssl_certificate" is defined for the "listen ... ssl"
 * directive'), src/event/ngx_event_openssl.c (ngx_ssl_certificate: 'cannot load
 * certificate', SSL_CTX_use_PrivateKey … 'key values mismatch'),
 * src/http/modules/ngx_http_proxy_module.c ('no proxy_ssl_trusted_certificate
 * for proxy_ssl_verify'), src/core/ngx_conf_file.c (syntax errors).
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { tmpWorkspace, writeFiles, serviceFor, docOf } from '../support/workspace';
import { applyWorkspaceEdit } from '../support/apply-edit';
import { makeCa, makeLeaf } from '../support/certs';
import { NGINX, makePki, mainConf, nginxTest, startNginx, freePort, handshake, type Pki, type Running } from '../support/nginx';

const skip = NGINX ? false : 'Debian nginx is not installed (.ci/run installs it)';

let pki: Pki;
let work: string;

before(() => {
  if (skip) return;
  work = tmpWorkspace('nginx-real-');
  pki = makePki(path.join(work, 'pki'));
});

after(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const server = (port: number, body: string, names = 'localhost www.example.test') => `server {
    listen 127.0.0.1:${port} ssl;
    server_name ${names};
${body
  .trim()
  .split('\n')
  .map((l) => '    ' + l)
  .join('\n')}
    location / { return 200 "ok $ssl_client_verify\\n"; }
}
`;

let n = 0;
/** A prefix with nginx.conf including conf.d/site.conf, the certificates in certs/; our findings for site.conf. */
function layout(site: string, certs: Record<string, string>): { prefix: string; findings: Diagnostic[] } {
  const prefix = path.join(work, `case-${++n}`);
  writeFiles(prefix, { 'nginx.conf': mainConf(prefix, 'conf.d/site.conf'), 'conf.d/site.conf': site });
  writeFiles(prefix, Object.fromEntries(Object.entries(certs).map(([k, v]) => [`certs/${k}`, v])));
  const findings = serviceFor(prefix).validate(docOf(prefix, 'conf.d/site.conf'));
  return { prefix, findings };
}

const codes = (ds: Diagnostic[], sev = 2) => ds.filter((d) => (d.severity ?? 1) <= sev).map((d) => String(d.code));

interface StaticCase {
  name: string;
  site: (port: number) => string;
  certs: () => Record<string, string>;
  code: string;
  /** nginx -t's own words. */
  nginx: RegExp;
}

const PAIR = 'ssl_certificate certs/fullchain.pem;\nssl_certificate_key certs/leaf.key;';
const fullchain = () => pki.pem['leaf.crt'] + pki.pem['int.crt'];

const STATIC: StaticCase[] = [
  {
    name: 'chain in the wrong order (intermediate first)',
    site: (p) => server(p, PAIR),
    certs: () => ({ 'fullchain.pem': pki.pem['int.crt'] + pki.pem['leaf.crt'], 'leaf.key': pki.pem['leaf.key'] }),
    code: 'tls-chain-leaf-not-first',
    nginx: /key values mismatch/,
  },
  {
    name: 'key of another certificate',
    site: (p) => server(p, PAIR),
    certs: () => ({ 'fullchain.pem': fullchain(), 'leaf.key': pki.pem['other.key'] }),
    code: 'tls-key-mismatch',
    nginx: /key values mismatch/,
  },
  {
    name: 'certificate file missing',
    site: (p) => server(p, 'ssl_certificate certs/nope.pem;\nssl_certificate_key certs/leaf.key;'),
    certs: () => ({ 'leaf.key': pki.pem['leaf.key'] }),
    code: 'tls-file-missing',
    nginx: /cannot load certificate ".*nope\.pem": BIO_new_file\(\) failed .*No such file or directory/,
  },
  {
    name: 'key and certificate swapped',
    site: (p) => server(p, 'ssl_certificate certs/leaf.key;\nssl_certificate_key certs/fullchain.pem;'),
    certs: () => ({ 'fullchain.pem': fullchain(), 'leaf.key': pki.pem['leaf.key'] }),
    code: 'tls-file-wrong-kind',
    nginx: /PEM_read_bio_X509_AUX\(\) failed .*no start line/,
  },
  {
    name: 'listen ... ssl without a certificate',
    site: (p) => server(p, ''),
    certs: () => ({}),
    code: 'nginx-no-certificate',
    nginx: /no "ssl_certificate" is defined for the "listen \.\.\. ssl" directive/,
  },
  {
    name: 'a second ssl_certificate without its key',
    site: (p) => server(p, PAIR + '\nssl_certificate certs/weak.crt;'),
    certs: () => ({ 'fullchain.pem': fullchain(), 'leaf.key': pki.pem['leaf.key'], 'weak.crt': pki.pem['weak.crt'] }),
    code: 'nginx-no-certificate-key',
    nginx: /no "ssl_certificate_key" is defined for certificate "certs\/weak\.crt"/,
  },
  {
    name: 'ssl_verify_client on without ssl_client_certificate',
    site: (p) => server(p, PAIR + '\nssl_verify_client on;'),
    certs: () => ({ 'fullchain.pem': fullchain(), 'leaf.key': pki.pem['leaf.key'] }),
    code: 'nginx-verify-client-no-ca',
    nginx: /no ssl_client_certificate for ssl_verify_client/,
  },
  {
    name: 'proxy_ssl_verify on without proxy_ssl_trusted_certificate',
    site: (p) => server(p, PAIR + '\nlocation /up { proxy_pass https://127.0.0.1:9; proxy_ssl_verify on; }'),
    certs: () => ({ 'fullchain.pem': fullchain(), 'leaf.key': pki.pem['leaf.key'] }),
    code: 'nginx-proxy-verify-no-ca',
    nginx: /no proxy_ssl_trusted_certificate for proxy_ssl_verify/,
  },
  {
    name: 'RSA 1024 at OpenSSL security level 2',
    site: (p) => server(p, 'ssl_certificate certs/weak.crt;\nssl_certificate_key certs/weak.key;'),
    certs: () => ({ 'weak.crt': pki.pem['weak.crt'], 'weak.key': pki.pem['weak.key'] }),
    code: 'tls-rsa-weak',
    nginx: /ee key too small/,
  },
  {
    name: 'a block that is never closed',
    site: (p) => server(p, PAIR).replace(/\}\n$/, ''),
    certs: () => ({ 'fullchain.pem': fullchain(), 'leaf.key': pki.pem['leaf.key'] }),
    code: 'nginx-syntax',
    nginx: /unexpected end of file, expecting "}"/,
  },
];

for (const c of STATIC) {
  test(`nginx -t and we agree: ${c.name}`, { skip }, async () => {
    const { prefix, findings } = layout(c.site(await freePort()), c.certs());
    const t = nginxTest(prefix);
    assert.equal(t.ok, false, 'nginx -t should fail');
    assert.match(t.output, c.nginx);
    assert.ok(codes(findings, 1).includes(c.code), `expected ${c.code}, got ${JSON.stringify(findings.map((d) => [d.code, d.message]))}`);
    // Our message quotes what nginx or OpenSSL says.
    const ours = findings.find((d) => d.code === c.code)!;
    if (c.code !== 'tls-file-missing' && c.code !== 'nginx-syntax' && c.code !== 'tls-file-wrong-kind')
      assert.match(
        String(ours.message),
        new RegExp(
          c.nginx.source
            .replace(/\\\.\\\.\\\./g, '...')
            .split('.*')[0]
            .replace('certs\\/weak\\.crt', '.*'),
        ),
      );
  });
}

test('the quick fix for a reversed chain rewrites the file leaf first, and then nginx -t passes', { skip }, async () => {
  const { prefix, findings } = layout(server(await freePort(), PAIR), {
    'fullchain.pem': pki.pem['int.crt'] + pki.pem['leaf.crt'],
    'leaf.key': pki.pem['leaf.key'],
  });
  assert.equal(nginxTest(prefix).ok, false);
  const svc = serviceFor(prefix);
  const actions = svc.codeActions(docOf(prefix, 'conf.d/site.conf'), findings);
  const fix = actions.find((a) => /leaf certificate first/.test(a.title));
  assert.ok(fix?.edit, JSON.stringify(actions.map((a) => a.title)));
  applyWorkspaceEdit(fix.edit);
  assert.equal(
    fs.readFileSync(path.join(prefix, 'certs/fullchain.pem'), 'utf8'),
    pki.pem['leaf.crt'].trimEnd() + '\n' + pki.pem['int.crt'].trimEnd() + '\n',
  );
  const t = nginxTest(prefix);
  assert.equal(t.ok, true, t.output);
  assert.deepEqual(codes(serviceFor(prefix).validate(docOf(prefix, 'conf.d/site.conf'))), []);
});

interface RuntimeCase {
  name: string;
  body: string;
  names?: string;
  certs: () => Record<string, string>;
  client: () => { servername: string; ca: string; cert?: string; key?: string };
  /** Our finding (error or warning) and the handshake failure it predicts; none ⇒ the handshake succeeds. */
  code?: string;
  failure?: RegExp;
}

const RUNTIME: RuntimeCase[] = [
  {
    name: 'clean: leaf then intermediate, names in the SANs',
    body: PAIR,
    certs: () => ({ 'fullchain.pem': fullchain(), 'leaf.key': pki.pem['leaf.key'] }),
    client: () => ({ servername: 'www.example.test', ca: pki.pem['root.crt'] }),
  },
  {
    name: 'server_name not in the certificate',
    body: PAIR,
    names: 'shop.example.test',
    certs: () => ({ 'fullchain.pem': fullchain(), 'leaf.key': pki.pem['leaf.key'] }),
    client: () => ({ servername: 'shop.example.test', ca: pki.pem['root.crt'] }),
    code: 'tls-name-not-in-san',
    failure: /ERR_TLS_CERT_ALTNAME_INVALID/,
  },
  {
    name: 'cert.pem without the intermediate that sits beside it',
    body: 'ssl_certificate certs/cert.pem;\nssl_certificate_key certs/leaf.key;',
    certs: () => ({ 'cert.pem': pki.pem['leaf.crt'], 'chain.pem': pki.pem['int.crt'], 'leaf.key': pki.pem['leaf.key'] }),
    client: () => ({ servername: 'localhost', ca: pki.pem['root.crt'] }),
    code: 'nginx-chain-incomplete',
    failure: /UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT_LOCALLY/,
  },
  {
    name: 'client CA file with two intermediates, ssl_verify_depth 1',
    body: PAIR + '\nssl_verify_client on;\nssl_client_certificate certs/clients.pem;',
    certs: () => ({
      'fullchain.pem': fullchain(),
      'leaf.key': pki.pem['leaf.key'],
      'clients.pem': pki.pem['int2.crt'] + pki.pem['int.crt'] + pki.pem['root.crt'],
    }),
    client: () => ({ servername: 'localhost', ca: pki.pem['root.crt'], cert: pki.pem['client.crt'], key: pki.pem['client.key'] }),
    code: 'nginx-verify-depth',
    failure: /400 Bad Request/,
  },
  {
    name: 'the same client CA file with ssl_verify_depth 2',
    body: PAIR + '\nssl_verify_client on;\nssl_client_certificate certs/clients.pem;\nssl_verify_depth 2;',
    certs: () => ({
      'fullchain.pem': fullchain(),
      'leaf.key': pki.pem['leaf.key'],
      'clients.pem': pki.pem['int2.crt'] + pki.pem['int.crt'] + pki.pem['root.crt'],
    }),
    client: () => ({ servername: 'localhost', ca: pki.pem['root.crt'], cert: pki.pem['client.crt'], key: pki.pem['client.key'] }),
  },
];

test('nginx starts and handshakes as we predict', { skip }, async () => {
  // An expired leaf (made in-process: the openssl CLI of Debian 12 cannot backdate).
  const ca = await makeCa('Expired Test CA');
  const old = await makeLeaf(ca, { notBefore: new Date(Date.now() - 40 * 86400_000), notAfter: new Date(Date.now() - 86400_000) });
  RUNTIME.push({
    name: 'expired certificate',
    body: 'ssl_certificate certs/old.pem;\nssl_certificate_key certs/old.key;',
    certs: () => ({ 'old.pem': old.certPem, 'old.key': old.keyPem }),
    client: () => ({ servername: 'localhost', ca: ca.certPem }),
    code: 'tls-cert-expired',
    failure: /CERT_HAS_EXPIRED/,
  });
  const prefix = path.join(work, 'runtime');
  const ports: number[] = [];
  const predictions: { c: RuntimeCase; port: number; findings: Diagnostic[] }[] = [];
  for (const [i, c] of RUNTIME.entries()) {
    const port = await freePort();
    ports.push(port);
    const rel = `conf.d/case${i}.conf`;
    writeFiles(prefix, {
      [rel]: server(port, c.body.replace(/certs\//g, `certs${i}/`), c.names),
      ...Object.fromEntries(Object.entries(c.certs()).map(([k, v]) => [`certs${i}/${k}`, v])),
    });
    predictions.push({ c, port, findings: [] });
  }
  writeFiles(prefix, { 'nginx.conf': mainConf(prefix) });
  const svc = serviceFor(prefix);
  for (const [i, p] of predictions.entries()) p.findings = svc.validate(docOf(prefix, `conf.d/case${i}.conf`));
  assert.equal(nginxTest(prefix).ok, true, nginxTest(prefix).output);
  let nginx: Running | undefined;
  try {
    nginx = await startNginx(prefix, ports);
    for (const { c, port, findings } of predictions) {
      const r = await handshake(port, c.client());
      const ours = codes(findings);
      if (!c.code) {
        assert.deepEqual(ours, [], `${c.name}: we flagged ${JSON.stringify(findings.map((d) => d.message))}`);
        assert.equal(r.ok, true, `${c.name}: handshake failed: ${r.error}`);
      } else {
        assert.ok(ours.includes(c.code), `${c.name}: expected ${c.code}, got ${JSON.stringify(ours)}`);
        assert.equal(r.ok, false, `${c.name}: the handshake succeeded`);
        assert.match(r.error ?? '', c.failure!, c.name);
      }
    }
  } finally {
    await nginx?.stop();
  }
});

test('the main nginx.conf of a clean layout is silent and includes reach conf.d', { skip }, () => {
  const prefix = path.join(work, 'runtime');
  const ds = serviceFor(prefix).validate(docOf(prefix, 'nginx.conf'));
  // The findings of the faulty conf.d files show up on the include line of nginx.conf.
  const include = fs
    .readFileSync(path.join(prefix, 'nginx.conf'), 'utf8')
    .split('\n')
    .findIndex((l) => l.includes('include conf.d'));
  assert.ok(ds.length > 0);
  for (const d of ds) assert.equal(d.range.start.line, include, String(d.message));
  assert.ok(ds.some((d) => d.code === 'tls-name-not-in-san' && /in conf\.d\/case1\.conf:\d+/.test(String(d.message))));
});
