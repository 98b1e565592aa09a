/**
 * The client side of Milvus: pymilvus calls and curl commands, judged against the Milvus of the
 * workspace (a mode-2 compose + milvus.yaml + a generated set, test/support/milvus-workspace.ts).
 * How pymilvus turns arguments into a channel is milvus-io/pymilvus grpc_handler.py
 * _create_grpc_channel; the real-handshake counterparts are in milvus-client-handshake.test.ts.
 */
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { mtlsWorkspace } from '../support/milvus-workspace';
import { writeFiles, serviceFor, docOf, composeYaml, milvusYaml } from '../support/workspace';
import { pymilvusCalls, tokenizePython } from '../../server/src/service/targets/milvus-client/python';
import { curlCommands } from '../../server/src/service/targets/milvus-client/curl';

let root: string;
before(async () => {
  root = await mtlsWorkspace();
});
after(() => fs.rmSync(root, { recursive: true, force: true }));

function check(rel: string, text: string, at = root) {
  writeFiles(at, { [rel]: text });
  return serviceFor(at).validate(docOf(at, rel));
}
const codes = (rel: string, text: string, at = root) => check(rel, text, at).map((d) => String(d.code));

const PY = 'from pymilvus import MilvusClient\n';
const MTLS = 'client_pem_path="tls/client.pem", client_key_path="tls/client.key", ca_pem_path="tls/ca.pem", server_name="localhost"';

test('a complete mutual-TLS MilvusClient call against the mode-2 Milvus is clean', () => {
  assert.deepEqual(codes('ok.py', `${PY}client = MilvusClient(uri="https://localhost:19530", ${MTLS})\n`), []);
  // The values may come from module-level names.
  assert.deepEqual(
    codes(
      'names.py',
      `${PY}CA = "tls/ca.pem"\nCERT = 'tls/client.pem'\nKEY = r"tls/client.key"\nURI = "https://localhost:19530"\n\ndef make():\n    return MilvusClient(URI, client_pem_path=CERT, client_key_path=KEY, ca_pem_path=CA)\n`,
    ),
    [],
  );
});

test('what Python does not say at rest is never judged: f-strings, os.getenv, **kwargs, Milvus Lite, a remote host', () => {
  for (const text of [
    `${PY}import os\nc = MilvusClient(uri=os.getenv("MILVUS_URI"), ca_pem_path=f"{base}/ca.pem")\n`,
    `${PY}opts = {}\nc = MilvusClient(uri="https://localhost:19530", **opts)\n`,
    `${PY}c = MilvusClient("./milvus_demo.db")\n`,
    `${PY}c = MilvusClient(uri="https://in01-abc.aws-us-west-2.vectordb.zillizcloud.com:19538", token="x")\n`,
    `${PY}# MilvusClient(uri="http://localhost:19530")\ns = "MilvusClient(uri='http://localhost:19530')"\n`,
  ])
    assert.deepEqual(codes('quiet.py', text), [], text);
});

test('http:// against tlsMode 2 is an error on the uri, naming where the mode is set', () => {
  const ds = check('plain.py', `${PY}c = MilvusClient(uri="http://localhost:19530")\n`);
  assert.deepEqual(
    ds.map((d) => [d.code, d.range.start.line, d.range.start.character]),
    [['milvus-client-plaintext-to-tls', 1, 21]],
  );
  assert.match(String(ds[0].message), /tlsMode 2 \(common\.security\.tlsMode: 2 in milvus\.yaml:\d+\)/);
  // The default uri is plaintext localhost:19530 too.
  assert.deepEqual(codes('default.py', `${PY}c = MilvusClient()\n`), ['milvus-client-plaintext-to-tls']);
});

test('TLS arguments on a plaintext channel are ignored, and pymilvus says nothing about it: a warning', () => {
  const ds = check(
    'ignored.py',
    `${PY}from pymilvus import connections\nconnections.connect(host="localhost", port=19530, server_pem_path="tls/ca.pem")\n`,
  );
  assert.deepEqual(
    ds.map((d) => d.code),
    ['milvus-client-tls-args-ignored', 'milvus-client-plaintext-to-tls'],
  );
});

test('secure=True or https:// against tlsMode 0 is an error; environment and user.yaml layers decide the mode', async () => {
  const off = await mtlsWorkspace(milvusYaml({ mode: 0 }));
  try {
    assert.deepEqual(codes('a.py', `${PY}c = MilvusClient(uri="https://localhost:19530", ${MTLS})\n`, off), [
      'milvus-client-tls-to-plaintext',
    ]);
    // COMMON_SECURITY_TLSMODE=2 in the compose environment turns TLS on: then the same call is right.
    writeFiles(off, {
      'docker-compose.yml': composeYaml().replace(
        'ETCD_ENDPOINTS: etcd:2379',
        'ETCD_ENDPOINTS: etcd:2379\n      COMMON_SECURITY_TLSMODE: "2"',
      ),
    });
    assert.deepEqual(codes('a.py', `${PY}c = MilvusClient(uri="https://localhost:19530", ${MTLS})\n`, off), []);
  } finally {
    fs.rmSync(off, { recursive: true, force: true });
  }
});

test('a plain and a TLS compose file side by side: each client is judged against the variant it matches', async () => {
  const both = await mtlsWorkspace(milvusYaml({ mode: 0 }));
  try {
    writeFiles(both, {
      'docker-compose.tls.yml': composeYaml().replace(
        'ETCD_ENDPOINTS: etcd:2379',
        'ETCD_ENDPOINTS: etcd:2379\n      COMMON_SECURITY_TLSMODE: "2"',
      ),
    });
    assert.deepEqual(codes('tls.py', `${PY}c = MilvusClient(uri="https://localhost:19530", ${MTLS})\n`, both), []);
    assert.deepEqual(codes('plain.py', `${PY}c = MilvusClient(uri="http://localhost:19530")\n`, both), []);
  } finally {
    fs.rmSync(both, { recursive: true, force: true });
  }
});

test('pymilvus argument combinations that silently change the TLS: server_pem_path with client files, ca_pem_path alone, no ca_pem_path', () => {
  assert.deepEqual(
    codes(
      'a.py',
      `${PY}c = MilvusClient(uri="https://localhost:19530", server_pem_path="tls/ca.pem", client_pem_path="tls/client.pem", client_key_path="tls/client.key", server_name="localhost")\n`,
    ),
    ['milvus-client-server-pem-drops-client-cert', 'milvus-client-no-client-cert'],
  );
  assert.deepEqual(codes('b.py', `${PY}c = MilvusClient(uri="https://localhost:19530", ca_pem_path="tls/ca.pem")\n`), [
    'milvus-client-ca-ignored',
    'milvus-client-untrusted-server',
    'milvus-client-no-client-cert',
  ]);
  assert.deepEqual(
    codes(
      'c.py',
      `${PY}c = MilvusClient(uri="https://localhost:19530", client_pem_path="tls/client.pem", client_key_path="tls/client.key")\n`,
    ),
    ['milvus-client-cert-not-sent', 'milvus-client-untrusted-server', 'milvus-client-no-client-cert'],
  );
});

test('client files: a missing path (relative to the script folder, then the folders above it) is a warning; a key of another certificate an error', () => {
  const ds = check(
    'scripts/a.py',
    `${PY}c = MilvusClient(uri="https://localhost:19530", client_pem_path="tls/client.pem", client_key_path="tls/server.key", ca_pem_path="certs/ca.pem")\n`,
  );
  assert.deepEqual(
    ds.map((d) => [d.code, d.severity]),
    [
      ['tls-file-missing', 2],
      ['tls-key-mismatch', 1],
    ],
  );
  assert.match(String(ds[0].message), /certs\/ca\.pem \(from the script's folder, where we assume it runs\)/);
  // tls/client.pem is not beside the script but in the folder above it: found there.
  assert.match(String(ds[1].message), /tls\/server\.key \(from \.\., above the script's folder\)/);
  // An absolute path that does not exist is an error whatever the working directory.
  const abs = check('scripts/b.py', `${PY}c = MilvusClient(uri="https://localhost:19530", server_pem_path="${root}/nope/ca.pem")\n`);
  assert.deepEqual(
    abs.filter((d) => d.code === 'tls-file-missing').map((d) => d.severity),
    [1],
  );
});

test('server_name or the uri host outside the SANs is an error on that value', () => {
  const ds = check(
    'n.py',
    `${PY}c = MilvusClient(uri="https://standalone:19530", client_pem_path="tls/client.pem", client_key_path="tls/client.key", ca_pem_path="tls/ca.pem")\n`,
  );
  assert.deepEqual(
    ds.map((d) => [d.code, d.range.start.character]),
    [['milvus-client-name-not-in-san', 21]],
  );
  assert.match(String(ds[0].message), /the URI host is standalone/);
});

test('curl: the README fenced blocks and scripts; a missing file in a README is a warning; curl to other services is not judged', () => {
  const md = check(
    'README.md',
    'Check:\n\n```bash\ncurl --cacert tls/nope.pem --cert tls/client.pem --key tls/client.key \\\n  https://localhost:19530/v2/vectordb/collections/list\n```\n\ncurl http://localhost:19530 outside a block is prose.\n',
  );
  assert.deepEqual(
    md.map((d) => [d.code, d.severity, d.range.start.line]),
    [['tls-file-missing', 2, 3]],
  );
  assert.deepEqual(codes('other.sh', 'curl --cacert missing.pem https://example.com/api\ncurl -s http://localhost:8000/health\n'), []);
  assert.deepEqual(
    codes('vars.sh', 'curl --cacert "$CA" --cert "$CERT" --key "$KEY" "https://$HOST:19530/v2/vectordb/collections/list"\n'),
    [],
  );
  // -k: no verification, so no trust or name findings; the client certificate is still needed.
  assert.deepEqual(codes('k.sh', 'curl -sk https://standalone:19530/v2/vectordb/collections/list\n'), ['milvus-client-no-client-cert']);
  assert.deepEqual(
    codes('nokey.sh', 'curl --cacert tls/ca.pem --cert tls/client.pem https://localhost:19530/v2/vectordb/collections/list\n'),
    ['milvus-client-curl-no-key'],
  );
});

test('hover on a TLS argument says what it is and what the file holds, never key material', () => {
  const text = `${PY}c = MilvusClient(uri="https://localhost:19530", ${MTLS})\n`;
  writeFiles(root, { 'h.py': text });
  const svc = serviceFor(root);
  const at = (needle: string) => ({ line: 1, character: text.split('\n')[1].indexOf(needle) + 2 });
  const hover = (needle: string) => {
    const h = svc.hover(docOf(root, 'h.py'), at(needle));
    return h && typeof h.contents === 'object' && 'value' in h.contents ? h.contents.value : '';
  };
  const key = hover('tls/client.key');
  assert.match(key, /client_key_path/);
  assert.match(key, /private key/i);
  assert.doesNotMatch(key, /BEGIN|MII|PRIVATE KEY-----/);
  assert.match(hover('server_name'), /ssl_target_name_override/);
  assert.match(hover('https://'), /tlsMode 2/);
});

test('"Test TLS connection" targets carry server_name and the files the call would use', () => {
  writeFiles(root, {
    't.py': `${PY}a = MilvusClient(uri="https://127.0.0.1:19530", ${MTLS})\nb = MilvusClient(uri="http://localhost:19530")\n`,
  });
  const targets = serviceFor(root).connectionTargets(docOf(root, 't.py'));
  assert.equal(targets.length, 1);
  const t = targets[0];
  assert.equal(t.range.start.line, 1);
  assert.deepEqual(
    { host: t.target.host, port: t.target.port, serverName: t.target.serverName, alpn: t.target.alpn },
    { host: '127.0.0.1', port: 19530, serverName: 'localhost', alpn: ['h2'] },
  );
  assert.ok(t.target.ca?.endsWith('tls/ca.pem') && t.target.cert?.endsWith('tls/client.pem') && t.target.key?.endsWith('tls/client.key'));
  assert.equal(t.facts.tlsMode, 2);
});

test('the tokenizer: strings of every form, comments, brackets; calls with positional and keyword arguments', () => {
  const src =
    'x = """MilvusClient(\n"""  # MilvusClient(\ny = b\'\\x41\' rb"\\n" f"{a}"\nMilvusClient(\n  "https://h:1",  # the uri\n  secure=True, server_name=("a" "b"), timeout=len([1, 2]),\n)\n';
  const strings = tokenizePython(src).filter((t) => t.kind === 'string');
  assert.deepEqual(
    strings.map((t) => t.value),
    ['MilvusClient(\n', 'A', '\\n', undefined, 'https://h:1', 'a', 'b'],
  );
  const [call] = pymilvusCalls(src);
  assert.equal(call.callee, 'MilvusClient');
  assert.deepEqual(
    call.args.map((a) => [a.name ?? a.index, a.value.kind === 'string' || a.value.kind === 'bool' ? a.value.value : a.value.kind]),
    [
      [0, 'https://h:1'],
      ['secure', true],
      ['server_name', 'dynamic'],
      ['timeout', 'dynamic'],
    ],
  );
  assert.deepEqual(pymilvusCalls('def MilvusClient(uri): pass\nclass MilvusClient(Base): pass\n'), []);
});

test('curl words: quotes, continuations, glued -E, cert:password; the pass phrase is not kept', () => {
  const [c] = curlCommands(
    "curl -sS \\\n  -Eclient.pem:s3cret --key 'my key.pem' \"https://localhost:19530/v2/vectordb/x\" -H 'a: b'\n",
    false,
  );
  assert.equal(c.url?.value, 'https://localhost:19530/v2/vectordb/x');
  assert.deepEqual(
    c.options.map((o) => [o.name, o.value?.value]),
    [
      ['--cert', 'client.pem:s3cret'],
      ['--key', 'my key.pem'],
    ],
  );
  writeFiles(root, {
    'p.sh': 'curl -Etls/client.pem:s3cret --key tls/client.key --cacert tls/ca.pem https://localhost:19530/v2/vectordb/x\n',
  });
  const ds = serviceFor(root).validate(docOf(root, 'p.sh'));
  assert.deepEqual(ds, []);
  assert.deepEqual(curlCommands('echo "curl https://x" # curl https://y\n', false), []);
});
