import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import * as https from 'node:https';
import type { AddressInfo } from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { clientSnippets, DEFAULT_OPTIONS, generateCertSet, type GeneratedFile } from '../../server/src/service/certgen';
import { snippetDocument } from '../../server/src/service/certgen/snippet-document';

/** MilvusClient(...) keyword arguments, read by Python's own parser. */
function pythonKwargs(src: string): Record<string, unknown> {
  const prog = [
    'import ast, json, sys',
    'tree = ast.parse(sys.stdin.read())',
    'call = next(n for n in ast.walk(tree) if isinstance(n, ast.Call) and getattr(n.func, "id", "") == "MilvusClient")',
    'print(json.dumps({k.arg: ast.literal_eval(k.value) for k in call.keywords}))',
  ].join('\n');
  return JSON.parse(execFileSync('python3', ['-c', prog], { input: src, encoding: 'utf8' }));
}

describe('clientSnippets: pymilvus', () => {
  it('one-way: server_pem_path is the CA (pymilvus uses it as gRPC root), no client files', () => {
    const s = clientSnippets({ mode: 'one-way', serverName: 'localhost', host: 'localhost', port: 19530, dir: '/srv/milvus/tls' });
    assert.match(s.pymilvus, /^from pymilvus import MilvusClient\n/);
    assert.match(s.pymilvus, /uri="https:\/\/localhost:19530"/);
    assert.match(s.pymilvus, /server_pem_path="\/srv\/milvus\/tls\/ca\.pem"/);
    assert.doesNotMatch(s.pymilvus, /client_pem_path|client_key_path|ca_pem_path/);
    {
      assert.deepEqual(pythonKwargs(s.pymilvus), {
        uri: 'https://localhost:19530',
        secure: true,
        server_pem_path: '/srv/milvus/tls/ca.pem',
        server_name: 'localhost',
      });
    }
  });

  it('mutual: client_pem_path, client_key_path, ca_pem_path and server_name, never server_pem_path', () => {
    const s = clientSnippets({ mode: 'mutual', serverName: 'milvus.internal', host: '10.0.0.7', port: 443, dir: '/certs' });
    assert.doesNotMatch(s.pymilvus, /server_pem_path/, 'pymilvus ignores the client files when server_pem_path is set');
    const expected = {
      uri: 'https://10.0.0.7:443',
      secure: true,
      client_pem_path: '/certs/client.pem',
      client_key_path: '/certs/client.key',
      ca_pem_path: '/certs/ca.pem',
      server_name: 'milvus.internal',
    };
    assert.deepEqual(pythonKwargs(s.pymilvus), expected);
    for (const [k, v] of Object.entries(expected))
      if (typeof v === 'string') assert.ok(s.pymilvus.includes(`${k}=${JSON.stringify(v)}`), k);
  });

  it('brackets IPv6 hosts, defaults port and host, and keeps Windows folders Windows-style', () => {
    const s = clientSnippets({ mode: 'mutual', serverName: 'localhost', host: '::1', dir: 'C:\\Users\\me\\tls' });
    assert.match(s.pymilvus, /uri="https:\/\/\[::1\]:19530"/);
    assert.ok(s.pymilvus.includes('ca_pem_path="C:\\\\Users\\\\me\\\\tls\\\\ca.pem"'));
    assert.equal(pythonKwargs(s.pymilvus).client_key_path, 'C:\\Users\\me\\tls\\client.key');
    const d = clientSnippets({ mode: 'one-way', serverName: 'db.local', dir: '/x' });
    assert.match(d.pymilvus, /uri="https:\/\/db\.local:19530"/);
    assert.match(d.curl, /https:\/\/db\.local:19530\/v2\/vectordb\/collections\/list\n$/);
    assert.doesNotMatch(d.curl, /--connect-to/);
  });

  it('escapes quotes in paths so the Python stays valid', () => {
    const s = clientSnippets({ mode: 'mutual', serverName: 'localhost', host: 'localhost', dir: '/tmp/a "b" \\c' });
    assert.equal(pythonKwargs(s.pymilvus).ca_pem_path, '/tmp/a "b" \\c/ca.pem');
  });
});

describe('clientSnippets: curl', () => {
  it('one-way trusts ca.pem; mutual adds --cert and --key', () => {
    const one = clientSnippets({ mode: 'one-way', serverName: 'localhost', host: 'localhost', port: 19530, dir: '/tls' });
    assert.equal(
      one.curl,
      "curl --cacert /tls/ca.pem -X POST -H 'Content-Type: application/json' -d '{}' https://localhost:19530/v2/vectordb/collections/list\n",
    );
    const two = clientSnippets({ mode: 'mutual', serverName: 'localhost', host: 'localhost', port: 19530, dir: '/tls' });
    assert.match(two.curl, /^curl --cacert \/tls\/ca\.pem --cert \/tls\/client\.pem --key \/tls\/client\.key /);
  });

  it('keeps the certificate name in the URL and reroutes with --connect-to when the host differs', () => {
    const s = clientSnippets({ mode: 'one-way', serverName: 'milvus.internal', host: '::1', port: 19530, dir: '/tls' });
    assert.match(s.curl, /--connect-to 'milvus\.internal:19530:\[::1\]:19530'/);
    assert.match(s.curl, /https:\/\/milvus\.internal:19530\//);
  });

  describe('runs for real against a mutual-TLS HTTPS server', () => {
    let files: GeneratedFile[];
    let dir: string;
    let server: https.Server;
    let port: number;
    const get = (n: string) => files.find((f) => f.name === n)!.contents;
    before(async () => {
      files = await generateCertSet({ ...DEFAULT_OPTIONS, names: ['localhost', '127.0.0.1'] });
      dir = path.join(mkdtempSync(path.join(os.tmpdir(), 'certgen-snip-')), "my certs 'v1'");
      mkdirSync(dir, { recursive: true });
      for (const f of files) writeFileSync(path.join(dir, f.name), f.contents, { mode: 0o600 });
      server = https.createServer(
        { cert: get('server.pem'), key: get('server.key'), ca: get('ca.pem'), requestCert: true, rejectUnauthorized: true },
        (req, res) => {
          res.setHeader('content-type', 'application/json');
          res.end(JSON.stringify({ code: 0, data: ['demo'], method: req.method, url: req.url }));
        },
      );
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      port = (server.address() as AddressInfo).port;
    });
    after(() => {
      server?.close();
      if (dir) rmSync(path.dirname(dir), { recursive: true, force: true });
    });

    const sh = (script: string) =>
      new Promise<{ code: number; out: string; err: string }>((resolve) =>
        execFile('/bin/sh', ['-c', `${script.trim()} --silent --show-error --max-time 10`], (e, out, err) =>
          resolve({ code: e ? Number((e as { code?: number }).code ?? 1) : 0, out, err }),
        ),
      );

    it('the mutual snippet succeeds, dialling 127.0.0.1 while verifying "localhost"', async () => {
      const s = clientSnippets({ mode: 'mutual', serverName: 'localhost', host: '127.0.0.1', port, dir });
      const r = await sh(s.curl);
      assert.equal(r.code, 0, r.err);
      assert.deepEqual(JSON.parse(r.out), { code: 0, data: ['demo'], method: 'POST', url: '/v2/vectordb/collections/list' });
    });

    it('the one-way snippet is rejected by this mutual server (no client certificate)', async () => {
      const s = clientSnippets({ mode: 'one-way', serverName: '127.0.0.1', host: '127.0.0.1', port, dir });
      const r = await sh(s.curl);
      assert.notEqual(r.code, 0);
    });
  });
});

it('the snippet document for Milvus holds the pymilvus and curl snippets as code blocks, no table', () => {
  const input = { mode: 'mutual' as const, serverName: 'localhost', dir: '/w/tls' };
  const s = clientSnippets(input);
  const doc = snippetDocument(input);
  assert.equal(doc.title, 'Connect to Milvus with these certificates');
  assert.ok(doc.markdown.includes('```python\n' + s.pymilvus + '```'), doc.markdown);
  assert.ok(doc.markdown.includes('```sh\n' + s.curl + '```'), doc.markdown);
  assert.doesNotMatch(doc.markdown, /\|---/);
  assert.throws(() => snippetDocument(null as never), /snippets needs/);
});
