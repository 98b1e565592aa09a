/** Real folders on disk holding compose + milvus.yaml + certificates, made per test and removed after. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { URI } from 'vscode-uri';
import { LanguageService, Workspace } from '../../server/src/service';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';

export function tmpWorkspace(prefix = 'mtls-'): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), prefix)));
}

export function writeFiles(root: string, files: Record<string, string | Uint8Array>): void {
  for (const [rel, contents] of Object.entries(files)) {
    const p = path.join(root, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, contents, { mode: rel.endsWith('.key') ? 0o600 : 0o644 });
  }
}

export function serviceFor(root: string, now?: Date): LanguageService {
  return new LanguageService(new Workspace([root], { ...DEFAULT_SETTINGS }), {}, now ? () => now : undefined);
}

export function docOf(root: string, rel: string) {
  const p = path.join(root, rel);
  return { path: p, uri: URI.file(p).toString(), text: fs.readFileSync(p, 'utf8') };
}

/** The official standalone compose file's Milvus service with the TLS guide's two mounts. */
export function composeYaml(extraVolumes: string[] = [], opts: { tls?: boolean; config?: boolean } = {}): string {
  const vols = [
    '${DOCKER_VOLUME_DIRECTORY:-.}/volumes/milvus:/var/lib/milvus',
    ...(opts.tls === false ? [] : ['${DOCKER_VOLUME_DIRECTORY:-.}/tls:/milvus/tls:ro']),
    ...(opts.config === false ? [] : ['${DOCKER_VOLUME_DIRECTORY:-.}/milvus.yaml:/milvus/configs/milvus.yaml']),
    ...extraVolumes,
  ];
  return `version: '3.5'

services:
  etcd:
    container_name: milvus-etcd
    image: quay.io/coreos/etcd:v3.5.18
    volumes:
      - \${DOCKER_VOLUME_DIRECTORY:-.}/volumes/etcd:/etcd
    command: etcd -advertise-client-urls=http://etcd:2379 -listen-client-urls http://0.0.0.0:2379 --data-dir /etcd

  standalone:
    container_name: milvus-standalone
    image: milvusdb/milvus:v2.6.0
    command: ["milvus", "run", "standalone"]
    environment:
      ETCD_ENDPOINTS: etcd:2379
    volumes:
${vols.map((v) => `      - ${v}`).join('\n')}
    ports:
      - "19530:19530"
      - "9091:9091"
    depends_on:
      - "etcd"

networks:
  default:
    name: milvus
`;
}

export function milvusYaml(
  o: {
    mode?: number | string;
    server?: string;
    key?: string;
    ca?: string | null;
    internal?: boolean;
    sni?: string;
    extraTls?: string;
  } = {},
): string {
  // proxy.http.port apart from proxy.port: Milvus 2.6 refuses TLS when REST shares the gRPC port (listener_manager.go).
  const lines = ['etcd:', '  endpoints: localhost:2379', '', 'proxy:', '  port: 19530', '  http:', '    port: 8080', '', 'tls:'];
  lines.push(`  serverPemPath: ${o.server ?? '/milvus/tls/server.pem'}`);
  lines.push(`  serverKeyPath: ${o.key ?? '/milvus/tls/server.key'}`);
  if (o.ca !== null) lines.push(`  caPemPath: ${o.ca ?? '/milvus/tls/ca.pem'}`);
  if (o.extraTls) lines.push(o.extraTls);
  lines.push(
    '',
    'internaltls:',
    `  serverPemPath: ${o.server ?? '/milvus/tls/server.pem'}`,
    `  serverKeyPath: ${o.key ?? '/milvus/tls/server.key'}`,
    `  caPemPath: ${o.ca ?? '/milvus/tls/ca.pem'}`,
    `  sni: ${o.sni ?? 'localhost'}`,
  );
  lines.push(
    '',
    'common:',
    '  defaultPartitionName: _default',
    '  security:',
    '    authorizationEnabled: false',
    `    internaltlsEnabled: ${o.internal ? 'true' : 'false'}`,
    `    tlsMode: ${o.mode ?? 2}`,
    '',
  );
  return lines.join('\n');
}
