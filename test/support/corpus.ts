/**
 * The bad-input corpus of issue 7, built in temp folders on every run (no
 * committed binaries): each case is its own workspace folder holding the
 * input, and names the exact findings it must produce through
 * LanguageService.validate (the file opened as a document) and through the
 * CLI's check() over the folder.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createHash, createPrivateKey } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { pemFixtures } from './pem-fixtures';
import { composeYaml, milvusYaml } from './workspace';
import { aliasBomb } from './bad-inputs';
import { milvusCr, secretYaml } from './k8s';

export const MB = 1024 * 1024;

export interface CorpusCase {
  /** The input, as the table shows it. */
  name: string;
  files: Record<string, string | Uint8Array>;
  /** Anything files cannot express: symlinks, FIFOs, modes. Runs after the files are written. */
  setup?: (dir: string, outside: string) => void;
  /** The file opened as a document (relative to the case folder). */
  open: string;
  /** Text of the open document when it is not the file's UTF-8 text (e.g. a 20 MB string). */
  text?: (dir: string) => string;
  /** Codes validate() must produce for the open document, in order. */
  expect: string[];
  /** A message of the finding must match (first finding with `expect[0]`'s code, unless `messageCode`). */
  message?: RegExp;
  messageCode?: string;
  /** CLI findings over the case folder, "file code" per finding; defaults to the open file with `expect`. */
  cli?: string[];
  /** The validate() call must finish within this (a freeze guard; default 2 s). */
  maxMs?: number;
}

/** Deterministic "random" bytes: SHA-256 in counter mode. */
export function prngBytes(n: number, seed = 'corpus'): Buffer {
  const out = Buffer.alloc(n);
  for (let i = 0, off = 0; off < n; i++) {
    const h = createHash('sha256').update(`${seed}:${i}`).digest();
    h.copy(out, off);
    off += h.length;
  }
  return out;
}

/** An nginx.conf with one TLS server whose body is `tls`. */
const ngx = (tls: string) =>
  `events {}\nhttp {\n    server {\n        listen 443 ssl;\n        server_name localhost;\n${tls
    .split('\n')
    .map((l) => '        ' + l)
    .join('\n')}\n    }\n}\n`;

/** A standalone apisix.yaml with one SSL object for localhost. */
const apx = (cert: string, key: string) => {
  const block = (pem: string) =>
    pem
      .trim()
      .split('\n')
      .map((l) => '      ' + l)
      .join('\n');
  return `ssls:\n  - snis: [localhost]\n    cert: |\n${block(cert)}\n    key: |\n${block(key)}\n#END\n`;
};

const hostMilvus = (o: Parameters<typeof milvusYaml>[0] = {}) =>
  milvusYaml({ server: 'tls/server.pem', key: 'tls/server.key', ca: 'tls/ca.pem', ...o });

export async function corpusCases(): Promise<CorpusCase[]> {
  const fx = await pemFixtures();
  const der = new Uint8Array(fx.leaf.cert.rawData);
  const keyDer = new Uint8Array(createPrivateKey(fx.keys.ecPkcs8).export({ type: 'pkcs8', format: 'der' }));
  const crlf = (s: string) => s.replace(/\r?\n/g, '\r\n');
  const k8sGood = secretYaml('certs', { 'server.pem': fx.leaf.certPem, 'server.key': fx.keys.ecPkcs8, 'ca.pem': fx.ca.certPem });
  const good = { 'tls/server.pem': fx.leaf.certPem, 'tls/server.key': fx.keys.ecPkcs8, 'tls/ca.pem': fx.ca.certPem };
  const huge = (dir: string) => fs.readFileSync(path.join(dir, 'huge.pem'), 'latin1');
  const bigBytes = () => Buffer.concat([Buffer.from(fx.leaf.certPem), Buffer.alloc(20 * MB, 'A')]);
  const cases: CorpusCase[] = [
    // --- files opened on their own ---------------------------------------
    { name: 'random bytes named binary.pem', files: { 'binary.pem': prngBytes(4096) }, open: 'binary.pem', expect: ['pem-binary'] },
    // Opened as text (the editor, the CLI) DER is binary; the message says how to convert it. Referenced from milvus.yaml (bytes) it is tls-file-der.
    {
      name: 'DER certificate named server.crt',
      files: { 'server.crt': der },
      open: 'server.crt',
      expect: ['pem-binary'],
      message: /openssl x509 -inform der/,
    },
    {
      name: 'DER PKCS#8 key named server.key',
      files: { 'server.key': keyDer },
      open: 'server.key',
      expect: ['pem-binary'],
      message: /openssl pkey -inform der/,
    },
    {
      name: '20 MB file named huge.pem',
      files: { 'huge.pem': bigBytes() },
      open: 'huge.pem',
      text: huge,
      expect: ['file-too-large'],
      message: /20\.\d MB; files over 5 MB are not checked/,
      cli: ['huge.pem file-unreadable'],
    },
    { name: 'empty empty.pem', files: { 'empty.pem': '' }, open: 'empty.pem', expect: [] },
    { name: 'only a BOM in bom.pem', files: { 'bom.pem': '\ufeff' }, open: 'bom.pem', expect: ['pem-bom'] },
    { name: 'certificate with CRLF line ends', files: { 'crlf.pem': crlf(fx.leaf.certPem + fx.ca.certPem) }, open: 'crlf.pem', expect: [] },
    { name: 'BOM + certificate', files: { 'bom-cert.pem': '\ufeff' + fx.ca.certPem }, open: 'bom-cert.pem', expect: ['pem-bom'] },
    {
      name: 'nested BEGIN inside a block',
      files: { 'nested.pem': fx.ca.certPem.replace(/\n(?=[A-Za-z0-9+/]{64}\n)/, '\n-----BEGIN CERTIFICATE-----\n') },
      open: 'nested.pem',
      expect: ['pem-begin-without-end'],
    },
    {
      name: 'PEM header of 1 MB',
      files: {
        'header.pem': fx.keys.ecPkcs8.replace('-----\n', `-----\nProc-Type: 4,ENCRYPTED\nDEK-Info: AES-256-CBC,${'A'.repeat(MB)}\n\n`),
      },
      open: 'header.pem',
      // The header says encrypted; the key sits in a 0644 file.
      expect: ['tls-key-encrypted', 'pem-key-permissions'],
      maxMs: 2000,
    },

    // --- milvus.yaml (host mode: paths relative to its folder) -------------
    {
      name: 'milvus.yaml, certificates all good (control)',
      files: { 'milvus.yaml': hostMilvus(), ...good },
      open: 'milvus.yaml',
      expect: [],
    },
    {
      name: 'milvus.yaml and PEMs with CRLF line ends',
      files: {
        'milvus.yaml': crlf(hostMilvus()),
        'tls/server.pem': crlf(fx.leaf.certPem),
        'tls/server.key': crlf(fx.keys.ecPkcs8),
        'tls/ca.pem': crlf(fx.ca.certPem),
      },
      open: 'milvus.yaml',
      expect: [],
    },
    { name: 'milvus.yaml with a BOM', files: { 'milvus.yaml': '\ufeff' + hostMilvus(), ...good }, open: 'milvus.yaml', expect: [] },
    {
      name: 'tab indentation in the tls block',
      files: { 'milvus.yaml': hostMilvus().replace('\n  serverKeyPath', '\n\tserverKeyPath'), ...good },
      open: 'milvus.yaml',
      expect: [
        'milvus-yaml-syntax',
        'milvus-yaml-syntax',
        'milvus-yaml-syntax',
        'milvus-key-unknown',
        'milvus-tls-key-required',
        'milvus-tls-key-required',
      ],
      message: /tab/i,
    },
    {
      name: 'duplicate key in tls (last one wins)',
      files: {
        'milvus.yaml': hostMilvus().replace('  caPemPath: tls/ca.pem\n', '  caPemPath: tls/ca.pem\n  caPemPath: tls/nope.pem\n'),
        ...good,
      },
      open: 'milvus.yaml',
      // yaml.v2 keeps the last: the earlier line is ignored (a warning on it), the last names a missing file.
      expect: ['milvus-key-duplicate', 'tls-file-missing'],
    },
    {
      // The alias takes the anchored value: caPemPath becomes the server certificate, which is no CA.
      name: 'anchor and alias inside the tls block',
      files: {
        'milvus.yaml': hostMilvus()
          .replace('  serverPemPath: tls/server.pem', '  serverPemPath: &cert tls/server.pem')
          .replace('  caPemPath: tls/ca.pem', '  caPemPath: *cert'),
        ...good,
      },
      open: 'milvus.yaml',
      expect: ['tls-ca-not-ca', 'tls-cert-not-from-ca'],
    },
    {
      name: 'alias to an anchor in another block',
      files: {
        'milvus.yaml': hostMilvus({ internal: true })
          .replace('  serverPemPath: tls/server.pem', '  serverPemPath: &cert tls/server.pem')
          .replace(/(internaltls:\n {2}serverPemPath: )tls\/server\.pem/, '$1*cert'),
        ...good,
      },
      open: 'milvus.yaml',
      expect: [],
    },
    {
      name: 'alias without an anchor',
      files: { 'milvus.yaml': hostMilvus().replace('  caPemPath: tls/ca.pem', '  caPemPath: *nowhere'), ...good },
      open: 'milvus.yaml',
      expect: ['milvus-yaml-syntax', 'milvus-tls-key-required'],
      message: /unknown anchor "nowhere"/,
    },
    {
      name: 'billion laughs at the top of milvus.yaml',
      files: { 'milvus.yaml': aliasBomb(12).join('\n') + '\n' + hostMilvus(), ...good },
      open: 'milvus.yaml',
      expect: [],
      maxMs: 2000,
    },
    {
      name: 'billion laughs inside the tls block',
      files: { 'milvus.yaml': hostMilvus().replace('tls:\n', 'tls:\n' + aliasBomb(12, 9, '  ').join('\n') + '\n'), ...good },
      open: 'milvus.yaml',
      expect: Array(13).fill('milvus-key-unknown'),
      maxMs: 2000,
    },
    // Milvus reads only the first document: TLS settings in the second one are ignored, and we say so.
    {
      name: 'multi-document milvus.yaml',
      files: { 'milvus.yaml': 'etcd:\n  endpoints: x\n---\n' + hostMilvus() + '---\nproxy:\n  port: 1\n', ...good },
      open: 'milvus.yaml',
      expect: ['milvus-later-document'],
    },
    {
      name: 'cert path is a symlink inside the workspace',
      files: { 'milvus.yaml': hostMilvus({ server: 'tls/link.pem' }), ...good },
      setup: (d) => fs.symlinkSync('server.pem', path.join(d, 'tls/link.pem')),
      open: 'milvus.yaml',
      expect: [],
    },
    {
      name: 'cert path is a symlink loop',
      files: { 'milvus.yaml': hostMilvus({ server: 'tls/loop-a.pem' }), ...good },
      setup: (d) => {
        fs.symlinkSync('loop-b.pem', path.join(d, 'tls/loop-a.pem'));
        fs.symlinkSync('loop-a.pem', path.join(d, 'tls/loop-b.pem'));
      },
      open: 'milvus.yaml',
      expect: ['tls-file-unreadable'],
      message: /symbolic link loop/,
      cli: ['milvus.yaml tls-file-unreadable', 'tls/loop-a.pem file-unreadable', 'tls/loop-b.pem file-unreadable'],
    },
    {
      name: 'cert path is a symlink to a file outside the workspace',
      files: { 'milvus.yaml': hostMilvus({ server: 'tls/escape.pem' }), ...good },
      setup: (d, outside) => fs.symlinkSync(path.join(outside, 'server.pem'), path.join(d, 'tls/escape.pem')),
      open: 'milvus.yaml',
      expect: ['tls-file-outside-workspace'],
      message: /links to .*outside the workspace folders/,
      cli: ['milvus.yaml tls-file-outside-workspace', 'tls/escape.pem file-unreadable'],
    },
    {
      name: 'path with .. that stays inside',
      files: { 'milvus.yaml': hostMilvus({ server: 'tls/../tls/./server.pem' }), ...good },
      open: 'milvus.yaml',
      expect: [],
    },
    {
      name: 'path with .. that leaves the workspace',
      files: { 'milvus.yaml': hostMilvus({ server: '../outside/server.pem' }), ...good },
      open: 'milvus.yaml',
      expect: ['tls-file-outside-workspace'],
    },
    {
      name: 'path starting with ~/',
      files: { 'milvus.yaml': hostMilvus({ server: '~/server.pem' }), ...good },
      open: 'milvus.yaml',
      expect: ['tls-file-outside-workspace'],
    },
    {
      name: 'cert path under a file (ENOTDIR)',
      files: { 'milvus.yaml': hostMilvus({ server: 'tls/server.pem/server.pem' }), ...good },
      open: 'milvus.yaml',
      expect: ['tls-file-missing'],
    },
    {
      name: 'cert path is a directory',
      files: { 'milvus.yaml': hostMilvus({ server: 'tls' }), ...good },
      open: 'milvus.yaml',
      expect: ['tls-file-directory'],
    },
    {
      name: 'cert path is a FIFO',
      files: { 'milvus.yaml': hostMilvus({ server: 'tls/fifo.pem' }), ...good },
      setup: (d) => execFileSync('mkfifo', [path.join(d, 'tls/fifo.pem')]),
      open: 'milvus.yaml',
      expect: ['tls-file-unreadable'],
      message: /not a regular file/,
    },
    {
      name: 'cert path is a 20 MB file',
      files: { 'milvus.yaml': hostMilvus({ server: 'tls/huge.pem' }), ...good, 'tls/huge.pem': bigBytes() },
      open: 'milvus.yaml',
      expect: ['tls-file-too-large'],
      message: /20\.\d MB; files over 5 MB are not read/,
      cli: ['milvus.yaml tls-file-too-large', 'tls/huge.pem file-unreadable'],
    },
    {
      name: 'cert path is an empty file',
      files: { 'milvus.yaml': hostMilvus(), ...good, 'tls/server.pem': '' },
      open: 'milvus.yaml',
      expect: ['tls-file-empty'],
      cli: ['milvus.yaml tls-file-empty'],
    },
    {
      name: 'cert path is a BOM-only file',
      files: { 'milvus.yaml': hostMilvus(), ...good, 'tls/server.pem': '\ufeff' },
      open: 'milvus.yaml',
      expect: ['tls-file-empty'],
      cli: ['milvus.yaml tls-file-empty', 'tls/server.pem pem-bom'],
    },
    {
      name: 'cert path is random bytes',
      files: { 'milvus.yaml': hostMilvus(), ...good, 'tls/server.pem': prngBytes(4096) },
      open: 'milvus.yaml',
      expect: ['tls-file-wrong-kind'],
      message: /binary data, not PEM/,
      cli: ['milvus.yaml tls-file-wrong-kind', 'tls/server.pem pem-binary'],
    },
    {
      name: 'cert path is a DER .crt',
      files: { 'milvus.yaml': hostMilvus({ server: 'tls/server.crt' }), ...good, 'tls/server.crt': der },
      open: 'milvus.yaml',
      expect: ['tls-file-der'],
      cli: ['milvus.yaml tls-file-der', 'tls/server.crt pem-binary'],
    },
    {
      name: 'Windows path (C:\\certs\\server.pem) on a host',
      files: { 'milvus.yaml': hostMilvus({ server: 'C:\\certs\\server.pem' }), ...good },
      open: 'milvus.yaml',
      expect: ['tls-file-missing'],
    },

    // --- compose -------------------------------------------------------------
    {
      name: 'compose + milvus.yaml, all good (control)',
      files: { 'docker-compose.yml': composeYaml(), 'milvus.yaml': milvusYaml(), ...good },
      setup: volumesDir,
      open: 'docker-compose.yml',
      expect: [],
    },
    {
      name: 'compose interpolates an undefined variable',
      files: {
        'docker-compose.yml': composeYaml().replace(
          '${DOCKER_VOLUME_DIRECTORY:-.}/tls:/milvus/tls:ro',
          '${UNDEFINED_TLS_DIR}/tls:/milvus/tls:ro',
        ),
        'milvus.yaml': milvusYaml(),
        ...good,
      },
      setup: volumesDir,
      open: 'docker-compose.yml',
      // Compose substitutes "": the mount becomes /tls, outside the workspace, so milvus.yaml's files are not read.
      expect: ['compose-undefined-variable'],
      message: /UNDEFINED_TLS_DIR/,
      cli: ['docker-compose.yml compose-undefined-variable', ...Array(3).fill('milvus.yaml tls-file-outside-workspace')],
    },
    {
      name: 'compose requires an unset variable (${X:?})',
      files: {
        'docker-compose.yml': composeYaml().replace(
          '${DOCKER_VOLUME_DIRECTORY:-.}/tls:/milvus/tls:ro',
          '${TLS_DIR:?set TLS_DIR}:/milvus/tls:ro',
        ),
        'milvus.yaml': milvusYaml(),
        ...good,
      },
      setup: volumesDir,
      open: 'docker-compose.yml',
      // The paths the missing mount leaves uncovered are reported once, on milvus.yaml (it is checked against this service).
      expect: ['compose-required-variable'],
      message: /TLS_DIR/,
      cli: ['docker-compose.yml compose-required-variable', ...Array(3).fill('milvus.yaml milvus-path-not-mounted')],
    },
    {
      name: 'billion laughs in compose',
      files: { 'docker-compose.yml': aliasBomb(12).join('\n') + '\n' + composeYaml(), 'milvus.yaml': milvusYaml(), ...good },
      setup: volumesDir,
      open: 'docker-compose.yml',
      expect: [],
      maxMs: 2000,
    },
    {
      name: 'billion laughs inside a service',
      files: {
        'docker-compose.yml': composeYaml().replace(
          '    container_name: milvus-standalone\n',
          '    container_name: milvus-standalone\n' + aliasBomb(12, 9, '    x-').join('\n') + '\n',
        ),
        'milvus.yaml': milvusYaml(),
        ...good,
      },
      setup: volumesDir,
      open: 'docker-compose.yml',
      expect: [],
      maxMs: 2000,
    },
    {
      name: 'compose with CRLF line ends',
      files: { 'docker-compose.yml': crlf(composeYaml()), 'milvus.yaml': milvusYaml(), ...good },
      setup: volumesDir,
      open: 'docker-compose.yml',
      expect: [],
    },
    {
      name: 'compose with a tab',
      files: {
        'docker-compose.yml': composeYaml().replace('    image: milvusdb', '\timage: milvusdb'),
        'milvus.yaml': milvusYaml(),
        ...good,
      },
      setup: volumesDir,
      open: 'docker-compose.yml',
      expect: Array(7).fill('compose-yaml-syntax'),
      cli: [...Array(7).fill('docker-compose.yml compose-yaml-syntax'), ...Array(3).fill('milvus.yaml milvus-path-not-mounted')],
    },
    {
      name: 'compose with a duplicate key',
      files: {
        'docker-compose.yml': composeYaml().replace(
          '    image: milvusdb/milvus:v2.6.0\n',
          '    image: milvusdb/milvus:v2.6.0\n    image: milvusdb/milvus:v2.5.0\n',
        ),
        'milvus.yaml': milvusYaml(),
        ...good,
      },
      setup: volumesDir,
      open: 'docker-compose.yml',
      expect: ['compose-yaml-syntax'],
    },
    {
      name: 'multi-document compose',
      files: { 'docker-compose.yml': composeYaml() + '---\nservices: {}\n', 'milvus.yaml': milvusYaml(), ...good },
      setup: volumesDir,
      open: 'docker-compose.yml',
      expect: ['compose-yaml-syntax'],
    },
    {
      name: 'compose with a Windows host path',
      files: {
        'docker-compose.yml': composeYaml().replace('${DOCKER_VOLUME_DIRECTORY:-.}/tls:/milvus/tls:ro', 'C:\\certs\\tls:/milvus/tls:ro'),
        'milvus.yaml': milvusYaml(),
        ...good,
      },
      setup: volumesDir,
      open: 'docker-compose.yml',
      // A Windows drive path is not on this machine: milvus.yaml says its files are not read.
      expect: [],
      cli: Array(3).fill('milvus.yaml tls-file-outside-workspace'),
    },
    // Certificate sets: a folder's PEM files judged together (targets/cert-set).
    {
      name: 'set: client.key is random bytes beside client.crt',
      files: { 'ca.crt': fx.ca.certPem, 'client.crt': fx.clientOnly.certPem, 'client.key': prngBytes(2048, 'set') },
      open: 'client.crt',
      expect: [],
      cli: ['client.key pem-binary'],
    },
    {
      name: 'set: certificate and key swapped between client.crt and client.key',
      files: { 'ca.crt': fx.ca.certPem, 'client.crt': fx.clientOnly.keyPem, 'client.key': fx.clientOnly.certPem },
      open: 'client.crt',
      // The key sits in a 0644 file: the permissions lint is right too.
      expect: ['pem-key-permissions', 'set-file-content'],
      message: /^client\.crt is named as a certificate but holds a private key/,
      messageCode: 'set-file-content',
      cli: ['client.crt pem-key-permissions', 'client.crt set-file-content', 'client.key set-file-content'],
    },
    {
      name: 'set: an encrypted client.key',
      files: { 'ca.crt': fx.ca.certPem, 'client.crt': fx.clientOnly.certPem, 'client.key': fx.keys.encryptedPkcs8 },
      open: 'client.crt',
      expect: [],
      cli: ['client.key tls-key-encrypted'],
    },
    {
      name: 'set: the same key twice (client.key and client-key.pem)',
      files: {
        'ca.crt': fx.ca.certPem,
        'client.crt': fx.clientOnly.certPem,
        'client.key': fx.clientOnly.keyPem,
        'client-key.pem': fx.clientOnly.keyPem,
      },
      open: 'client.key',
      expect: [],
      cli: ['client-key.pem pem-key-permissions'],
    },
    {
      name: 'set: 80 certificates and a key that matches none (a data folder, left alone)',
      files: {
        ...Object.fromEntries(Array.from({ length: 80 }, (_, i) => [`cert${i}.pem`, fx.leaf.certPem])),
        'stray.key': fx.keys.ecPkcs8,
      },
      open: 'stray.key',
      expect: [],
      cli: [],
    },
    // --- postgres (issue 14) ---------------------------------------------
    { name: '.env: a URI cut after the scheme', files: { '.env': 'DATABASE_URL=postgresql://\n' }, open: '.env', expect: [] },
    {
      name: '.env: sslmode with a percent-encoding error',
      files: { '.env': 'DATABASE_URL=postgresql://db/app?sslmode=verify%2_full\n' },
      open: '.env',
      expect: ['pg-sslmode-invalid'],
    },
    {
      name: '.env: an unterminated quote in a key=value string',
      files: { '.env': 'DB="host=db sslmode=\'verify-full dbname=app"\n' },
      open: '.env',
      expect: [],
    },
    {
      name: '.env: sslrootcert is a directory',
      files: { '.env': 'DATABASE_URL=postgresql://db/app?sslmode=verify-full&sslrootcert=certs\n', 'certs/x': '' },
      open: '.env',
      expect: ['tls-file-directory'],
    },
    {
      name: '.env: sslrootcert is a DER file',
      files: { '.env': 'DATABASE_URL=postgresql://db/app?sslmode=verify-full&sslrootcert=ca.der\n', 'ca.der': der },
      open: '.env',
      expect: ['tls-file-der'],
    },
    {
      name: '.env: sslrootcert holds a private key',
      files: { '.env': 'DATABASE_URL=postgresql://db/app?sslmode=verify-ca&sslrootcert=ca.crt\n', 'ca.crt': fx.keys.ecPkcs8 },
      open: '.env',
      expect: ['tls-file-wrong-kind'],
      cli: ['.env tls-file-wrong-kind', 'ca.crt pem-key-permissions', 'ca.crt set-file-content'],
    },
    {
      name: 'pg_service.conf: binary bytes',
      files: { 'pg_service.conf': prngBytes(2048, 'pg') },
      open: 'pg_service.conf',
      expect: [],
      cli: [],
    },
    {
      name: 'postgresql.conf: ssl = on, the default server.crt missing',
      files: { 'postgresql.conf': 'ssl = on\n' },
      open: 'postgresql.conf',
      expect: ['tls-file-missing', 'tls-file-missing'],
    },
    {
      name: 'compose: command: under environment: of postgres',
      files: { 'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n    environment:\n      command: -c ssl=on\n' },
      open: 'docker-compose.yml',
      expect: ['pg-command-under-environment'],
    },
    {
      name: 'compose: a postgres command that is a number',
      files: { 'docker-compose.yml': 'services:\n  db:\n    image: postgres:16\n    command: 5\n' },
      open: 'docker-compose.yml',
      expect: [],
    },
    // --- nginx (issue 15) -------------------------------------------------
    {
      name: 'nginx.conf, certificates all good (control)',
      files: { 'nginx.conf': ngx('ssl_certificate tls/server.pem;\nssl_certificate_key tls/server.key;'), ...good },
      open: 'nginx.conf',
      expect: [],
    },
    {
      name: 'nginx.conf with CRLF line ends and a BOM',
      files: { 'nginx.conf': '\ufeff' + crlf(ngx('ssl_certificate tls/server.pem;\nssl_certificate_key tls/server.key;')), ...good },
      open: 'nginx.conf',
      expect: [],
    },
    {
      name: 'nginx.conf: unterminated quote',
      files: { 'nginx.conf': ngx('ssl_certificate "tls/server.pem;\nssl_certificate_key tls/server.key;'), ...good },
      open: 'nginx.conf',
      expect: ['nginx-syntax'],
    },
    {
      name: 'nginx.conf: 20,000 nested blocks',
      files: { 'nginx.conf': 'a {'.repeat(20000) },
      open: 'nginx.conf',
      expect: ['nginx-syntax'],
      maxMs: 2000,
    },
    {
      name: 'nginx.conf includes itself and a glob of 300 files',
      files: {
        'nginx.conf': 'events {}\nhttp {\n  include nginx.conf;\n  include conf.d/*.conf;\n}\n',
        ...Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`conf.d/f${i}.conf`, 'include ../nginx.conf;\ninclude *.conf;\n'])),
      },
      open: 'nginx.conf',
      expect: [],
      cli: [],
    },
    {
      name: 'nginx ssl_certificate is a directory',
      files: { 'nginx.conf': ngx('ssl_certificate tls;\nssl_certificate_key tls/server.key;'), ...good },
      open: 'nginx.conf',
      expect: ['tls-file-directory'],
    },
    // --- APISIX (issue 15) ------------------------------------------------
    {
      name: 'apisix.yaml, SSL object all good (control)',
      files: { 'apisix.yaml': apx(fx.leaf.certPem, fx.keys.ecPkcs8) },
      open: 'apisix.yaml',
      expect: [],
    },
    {
      name: 'apisix.yaml without #END, CRLF line ends',
      files: { 'apisix.yaml': crlf(apx(fx.leaf.certPem, fx.keys.ecPkcs8).replace('#END\n', '')) },
      open: 'apisix.yaml',
      expect: ['apisix-missing-end'],
    },
    {
      name: 'apisix.yaml: billion laughs in ssls',
      files: {
        'apisix.yaml':
          'a: &a [x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nssls: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n#END\n',
      },
      open: 'apisix.yaml',
      expect: [],
    },
    {
      name: 'SSL JSON body nested 20,000 deep',
      files: { 'ssl.json': '{"snis": ["a"], "cert": ' + '['.repeat(20000) + ']'.repeat(20000) + '}' },
      open: 'ssl.json',
      expect: ['apisix-syntax'],
      maxMs: 2000,
    },
    {
      name: 'curl with a 1 MB literal body',
      files: {
        'setup.sh': `curl http://127.0.0.1:9180/apisix/admin/ssls/1 -X PUT -d '{"snis": ["a.test"], "cert": "${'A'.repeat(MB)}", "key": "x"}'\n`,
      },
      open: 'setup.sh',
      expect: ['tls-file-wrong-kind', 'apisix-too-short'],
    },
    {
      name: 'pymilvus call with an unterminated string and no closing parenthesis',
      files: {
        'client.py': "from pymilvus import MilvusClient\nc = MilvusClient(uri=\"https://localhost:19530, server_pem_path='tls/ca.pem'\n",
      },
      open: 'client.py',
      expect: [],
    },
    {
      name: 'pymilvus script of 100,000 nested MilvusClient( calls',
      files: { 'nested.py': 'from pymilvus import MilvusClient\n' + 'MilvusClient('.repeat(100_000) + '\n' },
      open: 'nested.py',
      expect: [],
      maxMs: 2000,
    },
    {
      name: 'pymilvus call naming a missing CA file, CRLF line ends',
      files: {
        'client.py': crlf(
          'from pymilvus import MilvusClient\nc = MilvusClient(uri="https://db.example.test:19530", server_pem_path="tls/missing.pem")\n',
        ),
      },
      open: 'client.py',
      expect: ['tls-file-missing'],
    },
    {
      name: 'shell line of 200,000 curl commands',
      files: { 'many.sh': 'curl -k https://localhost:19530/v2/vectordb/x;'.repeat(200_000) + '\n' },
      open: 'many.sh',
      expect: [],
      maxMs: 2000,
    },
    {
      name: 'README with an unclosed fence, a curl with an unclosed quote and a random-bytes CA',
      files: {
        'README.md': '# Milvus\n\n```sh\ncurl --cacert tls/ca.bin "https://localhost:19530/v2/vectordb/collections/list\n',
        'tls/ca.bin': prngBytes(2048, 'client-ca'),
      },
      open: 'README.md',
      expect: ['tls-file-wrong-kind'],
    },
    // --- Kubernetes (issue 13) --------------------------------------------
    {
      name: 'Milvus CR with its Secret, all good (control)',
      files: { 'milvus-cr.yaml': `${k8sGood}---\n${milvusCr()}` },
      open: 'milvus-cr.yaml',
      expect: [],
    },
    {
      name: 'Secret: PEM without |, CRLF line ends',
      files: { 'secret.yaml': crlf(secretYaml('certs', { 'server.pem': fx.leaf.certPem }, { folded: ['server.pem'] })) },
      open: 'secret.yaml',
      expect: ['k8s-pem-folded'],
    },
    {
      name: 'Secret data: 1 MB that is not base64',
      files: { 'secret.yaml': `apiVersion: v1\nkind: Secret\nmetadata:\n  name: big\ndata:\n  tls.crt: ${'é'.repeat(MB / 2)}\n` },
      open: 'secret.yaml',
      expect: ['k8s-secret-data-not-base64'],
    },
    {
      name: 'Milvus CR: billion laughs in spec.config',
      files: {
        'cr.yaml':
          'apiVersion: milvus.io/v1beta1\nkind: Milvus\nmetadata:\n  name: x\nspec:\n  config:\n    a: &a [x, x, x, x, x, x, x, x, x]\n    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\n    tls: [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n',
      },
      open: 'cr.yaml',
      expect: [],
    },
    {
      name: 'kind: Secret followed by 64 KB of random bytes',
      files: { 'garbage.yaml': Buffer.concat([Buffer.from('apiVersion: v1\nkind: Secret\n'), prngBytes(64 * 1024, 'k8s')]) },
      open: 'garbage.yaml',
      expect: ['k8s-yaml-syntax'],
      cli: ['garbage.yaml k8s-yaml-syntax'],
    },
  ];
  return cases;
}

function volumesDir(d: string): void {
  fs.mkdirSync(path.join(d, 'volumes/milvus'), { recursive: true });
}
