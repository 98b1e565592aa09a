/**
 * Runs test/support/go-milvus-config (a Go program that builds the configuration the way Milvus
 * does and loads the TLS files with crypto/tls as the proxy does) on a layout the test describes
 * itself: which host file sits at which container path, the container's environment, the mounts.
 * Built once per source hash with Debian's golang-go and golang-gopkg-yaml.v2-dev (GOPATH mode, no
 * network).
 */
import { execFile } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

const SRC = path.join(__dirname, 'go-milvus-config', 'main.go');
const YAML_V2 = '/usr/share/gocode/src/gopkg.in/yaml.v2';

export interface MilvusLayout {
  /** Container path of a config file → host file. */
  files: Record<string, string>;
  env?: Record<string, string>;
  /** Container path (file or folder) → host path. */
  mounts?: Record<string, string>;
  /** Apply 2.6's HTTP port sharing rule. */
  http?: boolean;
}

export interface MilvusVerdict {
  read?: string[];
  values?: Record<string, string>;
  sources?: Record<string, 'env' | 'file'>;
  tlsMode?: number;
  internaltlsEnabled?: boolean;
  startError?: string;
}

/** Whether the Go toolchain and yaml.v2 are there (CI installs both; .ci/run). */
export function goMilvusAvailable(): boolean {
  return existsSync(YAML_V2) && existsSync('/usr/bin/go');
}

let built: Promise<string> | undefined;

function build(): Promise<string> {
  built ??= (async () => {
    const hash = createHash('sha256').update(readFileSync(SRC)).digest('hex').slice(0, 16);
    const root = path.join(os.tmpdir(), 'milvus-tls-gomilvus');
    const exe = path.join(root, `gomilvus-${hash}`);
    if (existsSync(exe)) return exe;
    mkdirSync(root, { recursive: true });
    const tmp = `${exe}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    await new Promise<void>((resolve, reject) =>
      execFile(
        'go',
        ['build', '-o', tmp, SRC],
        {
          env: {
            ...process.env,
            GO111MODULE: 'off',
            GOPATH: '/usr/share/gocode',
            GOCACHE: path.join(root, 'gocache'),
            GOFLAGS: '',
            GOPROXY: 'off',
            GOTOOLCHAIN: 'local',
            CGO_ENABLED: '0',
          },
          timeout: 180_000,
        },
        (err, _out, stderr) => (err ? reject(new Error(`go build failed: ${stderr}`)) : resolve()),
      ),
    );
    renameSync(tmp, exe);
    return exe;
  })();
  return built;
}

export async function milvusAsGoSeesIt(layout: MilvusLayout): Promise<MilvusVerdict> {
  const exe = await build();
  return new Promise((resolve, reject) => {
    const child = execFile(exe, [], { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) return reject(new Error(`gomilvus failed: ${stderr}`));
      resolve(JSON.parse(String(stdout)) as MilvusVerdict);
    });
    child.stdin!.end(JSON.stringify({ files: layout.files, env: layout.env ?? {}, mounts: layout.mounts ?? {}, http: !!layout.http }));
  });
}
