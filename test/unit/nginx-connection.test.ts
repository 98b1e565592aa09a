/**
 * "Test TLS connection" for nginx: the endpoint each `listen … ssl` server block describes,
 * derived from the config alone, is probed against Debian's nginx running that very config
 * on 127.0.0.1 (started once for the file), with and without client-certificate verification.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { tmpWorkspace, writeFiles, serviceFor, docOf } from '../support/workspace';
import { NGINX, makePki, mainConf, startNginx, freePort, handshake, type Pki, type Running } from '../support/nginx';
import { runProbe } from '../../server/src/probe';
import { parseListen } from '../../server/src/service/targets/nginx/connection';
import type { ConnectionTarget } from '../../server/src/service/targets/target';

const skip = NGINX ? false : 'Debian nginx is not installed (.ci/run installs it)';

let work: string;
let prefix: string;
let pki: Pki;
let nginx: Running | undefined;
let ports: number[];
let targets: ConnectionTarget[];

before(async () => {
  if (skip) return;
  work = tmpWorkspace('nginx-conn-');
  pki = makePki(path.join(work, 'pki'));
  prefix = path.join(work, 'site');
  ports = [await freePort(), await freePort()];
  const p = pki.pem;
  const site = `server {
    listen 127.0.0.1:${ports[0]} ssl;
    server_name localhost;
    ssl_certificate certs/server.crt;
    ssl_certificate_key certs/server.key;
    location / { return 200 "ok\\n"; }
}

server {
    listen 127.0.0.1:${ports[1]} ssl;
    server_name www.example.test;
    ssl_certificate mtls/server.crt;
    ssl_certificate_key mtls/server.key;
    ssl_verify_client on;
    ssl_verify_depth 3;
    ssl_client_certificate clients/client-ca.pem;
    location / { return 200 "ok $ssl_client_verify\\n"; }
}

server {
    listen 127.0.0.1:${await freePort()};
    server_name plain.example.test;
}
`;
  writeFiles(prefix, {
    'nginx.conf': mainConf(prefix, 'conf.d/site.conf'),
    'conf.d/site.conf': site,
    'certs/server.crt': p['leaf.crt'] + p['int.crt'],
    'certs/server.key': p['leaf.key'],
    'certs/ca.pem': p['root.crt'],
    'mtls/server.crt': p['leaf.crt'] + p['int.crt'],
    'mtls/server.key': p['leaf.key'],
    'mtls/ca.crt': p['root.crt'],
    'clients/client-ca.pem': p['int2.crt'] + p['int.crt'] + p['root.crt'],
    'clients/client.pem': p['client.crt'] + p['int2.crt'],
    'clients/client.key': p['client.key'],
  });
  targets = serviceFor(prefix).connectionTargets(docOf(prefix, 'conf.d/site.conf'));
  nginx = await startNginx(prefix, ports);
});

after(async () => {
  await nginx?.stop();
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

const readFile = (f: string) => {
  try {
    return { bytes: fs.readFileSync(f) };
  } catch (e) {
    return { error: (e as Error).message };
  }
};

test('listen as nginx reads it: address:port, *:port, [v6]:port, a bare port, a bare address', () => {
  assert.deepEqual(parseListen('127.0.0.1:8443'), { host: '127.0.0.1', port: 8443 });
  assert.deepEqual(parseListen('*:443'), { host: undefined, port: 443 });
  assert.deepEqual(parseListen('[::1]:8443'), { host: '::1', port: 8443 });
  assert.deepEqual(parseListen('443'), { host: undefined, port: 443 });
  assert.deepEqual(parseListen('localhost'), { host: 'localhost', port: 80 });
  assert.equal(parseListen('unix:/run/nginx.sock'), undefined);
});

test('each `listen … ssl` server block is one endpoint, on its server line; a plaintext server is none', { skip }, () => {
  assert.equal(targets.length, 2, JSON.stringify(targets.map((t) => t.label)));
  const [one, two] = targets;
  assert.equal(one.range.start.line, 0);
  assert.deepEqual([one.target.host, one.target.port, one.target.serverName], ['127.0.0.1', ports[0], 'localhost']);
  assert.equal(one.target.ca, path.join(prefix, 'certs/ca.pem'));
  assert.equal(one.target.cert, undefined);
  assert.equal(one.facts.serverCert, path.join(prefix, 'certs/server.crt'));
  assert.equal(two.range.start.line, 8);
  assert.equal(two.target.serverName, 'www.example.test');
  assert.equal(two.target.ca, path.join(prefix, 'mtls/ca.crt'));
  assert.equal(two.target.cert, path.join(prefix, 'clients/client.pem'));
  assert.equal(two.target.key, path.join(prefix, 'clients/client.key'));
});

test('the derived endpoints pass the connection test against the nginx that runs this config', { skip }, async () => {
  for (const t of targets) {
    const r = await runProbe(t.target, { readFile, facts: t.facts, timeoutMs: 5000 });
    assert.equal(r.ok, true, `${t.label}: ${r.error}`);
  }
});

test('without the client set, the mutual-TLS server block fails the test: nginx answers 400 after the handshake', { skip }, async () => {
  const t = targets[1];
  const r = await runProbe({ ...t.target, cert: undefined, key: undefined }, { readFile, facts: t.facts, timeoutMs: 5000 });
  assert.equal(r.ok, false);
  assert.equal(r.findings[0]?.code, 'probe-client-cert-required', JSON.stringify(r.findings));
  assert.match(r.error ?? '', /No required SSL certificate was sent/);
  // What the sentence claims, from nginx itself: the handshake completes, the request is refused.
  const http = await handshake(ports[1], { servername: 'www.example.test', ca: pki.pem['root.crt'] });
  assert.match(http.status ?? '', / 400 /);
});
