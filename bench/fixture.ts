/**
 * The benchmark's workspaces, made in temp folders: the stock 1,481-line
 * milvus.yaml turned into a mode-2 TLS config with real certificates mounted
 * through a compose file, the JSON schema the comparison tool validates it
 * against, a folder of 1,000 distinct certificates for the CLI, and a
 * workspace of many deployments side by side (section 6).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { webcrypto } from 'node:crypto';
import { URI } from 'vscode-uri';

const REPO = path.resolve(__dirname, '..');
export const STOCK_MILVUS_YAML = path.join(REPO, 'test/fixtures/milvus-2.6-default.yaml');

const temps: string[] = [];

/** A fresh temp folder (real path), removed by removeTemps(). */
export function tempDir(prefix: string): string {
  const d = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), `milvus-tls-bench-${prefix}-`)));
  temps.push(d);
  return d;
}

export function removeTemps(): void {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
}

function write(root: string, rel: string, contents: string): string {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, contents, { mode: rel.endsWith('.key') ? 0o600 : 0o644 });
  return p;
}

/** The stock config with the TLS guide's edits: mode 2, every tls path under the /milvus/tls mount. */
export function mode2MilvusYaml(stock: string): string {
  const out = stock
    .replaceAll('configs/cert/', '/milvus/tls/')
    .replace(/^(\s+tlsMode:\s*)0\b/m, (_m, lead: string) => `${lead}2`)
    // Milvus 2.6 refuses TLS while REST shares the gRPC port: give proxy.http.port its own (listener_manager.go).
    .replace(/^( {4}port:)( +# high-level restful api)/m, '$1 8080$2');
  if (!/^\s+tlsMode: 2\b/m.test(out)) throw new Error('could not set common.security.tlsMode: 2 in the stock milvus.yaml');
  if (!/^tls:\n\s+serverPemPath: \/milvus\/tls\/server\.pem/m.test(out))
    throw new Error('could not point tls.serverPemPath at /milvus/tls/server.pem');
  return out;
}

/** A small JSON schema of the TLS keys, for yaml-language-server. */
export const TLS_SCHEMA = {
  title: 'Milvus TLS keys (benchmark)',
  type: 'object',
  properties: {
    tls: {
      type: 'object',
      description: 'External TLS (proxy, gRPC and RESTful).',
      properties: {
        serverPemPath: { type: 'string', description: 'Path of the server certificate (PEM) inside the container.' },
        serverKeyPath: { type: 'string', description: 'Path of the server private key (PEM) inside the container.' },
        caPemPath: { type: 'string', description: 'Path of the CA certificate (PEM) that signed the client certificates.' },
      },
    },
    internaltls: {
      type: 'object',
      description: 'TLS between Milvus components.',
      properties: {
        serverPemPath: { type: 'string', description: 'Path of the server certificate (PEM).' },
        serverKeyPath: { type: 'string', description: 'Path of the server private key (PEM).' },
        caPemPath: { type: 'string', description: 'Path of the CA certificate (PEM).' },
        sni: { type: 'string', description: 'Server name the components dial; must be in the certificate.' },
      },
    },
    common: {
      type: 'object',
      properties: {
        security: {
          type: 'object',
          properties: {
            tlsMode: { enum: [0, 1, 2], description: '0 = no TLS, 1 = one-way TLS, 2 = mutual TLS.' },
            internaltlsEnabled: { type: 'boolean', description: 'Enable TLS between Milvus components.' },
          },
        },
      },
    },
  },
};

export interface CertFile {
  name: string;
  contents: string;
}

export interface MilvusWorkspace {
  root: string;
  milvusPath: string;
  milvusUri: string;
  milvusText: string;
  composePath: string;
  serverPemPath: string;
  serverPemUri: string;
  serverPemText: string;
  schemaPath: string;
  schemaUri: string;
  /** Zero-based position inside the value of tls.serverPemPath. */
  serverPemValuePos: { line: number; character: number };
  /** Zero-based position inside the base64 body of the server certificate. */
  insideCertPos: { line: number; character: number };
}

export function makeMilvusWorkspace(certs: CertFile[], composeYaml: string): MilvusWorkspace {
  const base = tempDir('ws');
  const root = path.join(base, 'project');
  const milvusText = mode2MilvusYaml(fs.readFileSync(STOCK_MILVUS_YAML, 'utf8'));
  const milvusPath = write(root, 'milvus.yaml', milvusText);
  const composePath = write(root, 'docker-compose.yml', composeYaml);
  fs.mkdirSync(path.join(root, 'volumes/milvus'), { recursive: true });
  for (const c of certs) write(root, path.join('tls', c.name), c.contents);
  const serverPemPath = path.join(root, 'tls/server.pem');
  if (!fs.existsSync(serverPemPath)) throw new Error('the generated set has no server.pem');
  const serverPemText = fs.readFileSync(serverPemPath, 'utf8');
  // The schema lives outside the project folder: no server sees it as a workspace file.
  const schemaPath = write(base, 'schema/milvus-tls.schema.json', JSON.stringify(TLS_SCHEMA, null, 2));

  const lines = milvusText.split('\n');
  const tlsLine = lines.findIndex((l) => /^tls:\s*$/.test(l));
  const pemLine = lines.findIndex((l, i) => i > tlsLine && /^\s+serverPemPath:/.test(l));
  if (tlsLine < 0 || pemLine < 0) throw new Error('tls.serverPemPath not found in milvus.yaml');
  const valueStart = lines[pemLine].indexOf('/milvus/tls/');
  const pemLines = serverPemText.split('\n');
  const begin = pemLines.findIndex((l) => l.startsWith('-----BEGIN CERTIFICATE-----'));
  if (begin < 0) throw new Error('server.pem has no certificate');
  return {
    root,
    milvusPath,
    milvusUri: URI.file(milvusPath).toString(),
    milvusText,
    composePath,
    serverPemPath,
    serverPemUri: URI.file(serverPemPath).toString(),
    serverPemText,
    schemaPath,
    schemaUri: URI.file(schemaPath).toString(),
    serverPemValuePos: { line: pemLine, character: valueStart + 5 },
    insideCertPos: { line: begin + 2, character: 10 },
  };
}

/**
 * `count` distinct leaf certificates (own serial, CN and SAN each) signed by
 * one CA, all for one leaf key: signing is cheap, key generation is not what
 * the CLI benchmark is about. Written as cert-NNNN.pem; returns the folder.
 */
export async function makeCertFolder(count: number): Promise<string> {
  await import('reflect-metadata');
  const x509 = await import('@peculiar/x509');
  x509.cryptoProvider.set(webcrypto as never);
  const alg = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
  const caKeys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const leafKeys = (await webcrypto.subtle.generateKey(alg, true, ['sign', 'verify'])) as webcrypto.CryptoKeyPair;
  const now = Date.now();
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: '01',
    name: 'CN=Bench CA',
    notBefore: new Date(now - 3600_000),
    notAfter: new Date(now + 3650 * 86400_000),
    keys: caKeys,
    signingAlgorithm: alg,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const common = [
    new x509.BasicConstraintsExtension(false),
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension(['1.3.6.1.5.5.7.3.1']),
    await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    await x509.SubjectKeyIdentifierExtension.create(leafKeys.publicKey),
  ];
  const dir = path.join(tempDir('certs'), 'certs');
  fs.mkdirSync(dir);
  for (let i = 0; i < count; i++) {
    const host = `node-${String(i).padStart(4, '0')}.milvus.bench.invalid`;
    const cert = await x509.X509CertificateGenerator.create({
      serialNumber: (0x10000 + i).toString(16),
      subject: `CN=${host}`,
      issuer: ca.subject,
      notBefore: new Date(now - 3600_000),
      notAfter: new Date(now + 365 * 86400_000),
      publicKey: leafKeys.publicKey,
      signingKey: caKeys.privateKey,
      signingAlgorithm: alg,
      extensions: [...common, new x509.SubjectAlternativeNameExtension([{ type: 'dns', value: host }])],
    });
    fs.writeFileSync(path.join(dir, `cert-${String(i).padStart(4, '0')}.pem`), cert.toString('pem') + '\n');
  }
  return dir;
}

export interface ManyFile {
  path: string;
  uri: string;
  languageId: string;
}

/**
 * `deployments` Milvus standalone deployments side by side, each one folder as
 * the TLS guide leaves it: the mode-2 stock milvus.yaml (internal TLS on too),
 * a compose file mounting ./tls and the config, and its own mutual certgen set
 * with CSRs in ./tls (8 PEM files: ca, server, client certificates and keys,
 * two CSRs). 200 deployments = 200 compose files, 200 milvus.yaml, 1,600 PEM files.
 */
export async function makeDeploymentsWorkspace(deployments: number, composeYaml: string): Promise<{ root: string; files: ManyFile[] }> {
  const cg = await import('../server/src/service/certgen');
  const root = path.join(tempDir('many'), 'deployments');
  const milvusText = mode2MilvusYaml(fs.readFileSync(STOCK_MILVUS_YAML, 'utf8')).replace(
    /^(\s+internaltlsEnabled:\s*)false\b/m,
    (_m, lead: string) => `${lead}true`,
  );
  const files: ManyFile[] = [];
  const add = (p: string, languageId: string) => files.push({ path: p, uri: URI.file(p).toString(), languageId });
  for (let i = 0; i < deployments; i++) {
    const dir = `milvus-${String(i).padStart(3, '0')}`;
    add(write(root, path.join(dir, 'docker-compose.yml'), composeYaml), 'dockercompose');
    add(write(root, path.join(dir, 'milvus.yaml'), milvusText), 'yaml');
    const set = await cg.generateCertSet({
      ...cg.DEFAULT_OPTIONS,
      mode: 'mutual',
      csr: true,
      names: [`${dir}.bench.invalid`, 'localhost', '127.0.0.1'],
    });
    for (const f of set) add(write(root, path.join(dir, 'tls', f.name), f.contents), 'pem');
    fs.mkdirSync(path.join(root, dir, 'volumes/milvus'), { recursive: true });
  }
  return { root, files };
}
