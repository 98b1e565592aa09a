/**
 * Writes the bundled example workspaces (committed; re-run to refresh them):
 *   examples/mtls-ok      a correct mutual-TLS setup: compose + milvus.yaml + certs
 *   examples/mtls-broken  the mistakes users make, one per file, for the README's first command
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateCertSet, DEFAULT_OPTIONS } from '../server/src/service/certgen';
import { makeCa, makeLeaf } from '../test/support/certs';
import { composeYaml, milvusYaml } from '../test/support/workspace';

function write(root: string, files: Record<string, string>): void {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text, { mode: rel.endsWith('.key') ? 0o600 : 0o644 });
  }
}

async function main(): Promise<void> {
  const base = path.join(__dirname, '..', 'examples');
  fs.rmSync(base, { recursive: true, force: true });
  const names = ['localhost', '127.0.0.1', 'standalone'];
  const ok = await generateCertSet({ ...DEFAULT_OPTIONS, names, leafDays: 3650, caDays: 7300 });
  const okFiles: Record<string, string> = {};
  for (const f of ok) okFiles['tls/' + f.name] = f.contents;
  write(path.join(base, 'mtls-ok'), {
    ...okFiles,
    'docker-compose.yml': composeYaml(),
    'milvus.yaml': milvusYaml(),
    'volumes/milvus/.keep': '',
  });

  // Broken: the server key belongs to another set, caPemPath points where no volume reaches,
  // the CA bundle is a CN-only leaf, a typo in a key name, and a compose mount whose source is missing.
  const other = await generateCertSet({ ...DEFAULT_OPTIONS, names });
  const ca = await makeCa('Example CA');
  const cnOnly = await makeLeaf(ca, { sans: [], cn: 'localhost' });
  const broken: Record<string, string> = {
    'tls/ca.pem': okFiles['tls/ca.pem'],
    'tls/server.pem': okFiles['tls/server.pem'],
    'tls/server.key': other.find((f) => f.name === 'server.key')!.contents,
    'tls/legacy-cn-only.pem': cnOnly.certPem + ca.certPem,
    'docker-compose.yml': composeYaml(['./certs-that-do-not-exist:/milvus/extra:ro']),
    'milvus.yaml': milvusYaml({ ca: '/etc/milvus/tls/ca.pem', extraTls: '  serverPemPth: /milvus/tls/server.pem' }),
    'volumes/milvus/.keep': '',
  };
  write(path.join(base, 'mtls-broken'), broken);
  process.stdout.write(`wrote ${base}\n`);
}

void main();
