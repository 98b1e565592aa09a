/**
 * A small LSP client over stdio, speaking the protocol by hand (Content-Length
 * framing), so tests and the benchmark see exactly what any editor would.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as path from 'node:path';
import { URI } from 'vscode-uri';

type Json = any; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface Published {
  uri: string;
  version?: number;
  diagnostics: Json[];
  at: bigint;
}

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  private buf = Buffer.alloc(0);
  private nextId = 1;
  private waiting = new Map<number, { resolve: (v: Json) => void; reject: (e: Error) => void }>();
  private listeners: ((msg: Json) => void)[] = [];
  readonly published: Published[] = [];
  readonly logs: string[] = [];
  readonly stdoutNoise: string[] = [];
  stderr = '';
  exited: Promise<number | null>;

  constructor(cmd: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv } = {}) {
    this.proc = spawn(cmd[0], cmd.slice(1), { cwd: opts.cwd, env: opts.env ?? process.env, stdio: 'pipe' });
    this.proc.stdout.on('data', (d: Buffer) => this.onData(d));
    this.proc.stderr.on('data', (d: Buffer) => (this.stderr += d.toString()));
    this.exited = new Promise((r) => this.proc.on('exit', (code) => r(code)));
  }

  static ours(env?: NodeJS.ProcessEnv): LspClient {
    return new LspClient([process.execPath, path.join(__dirname, '../../dist/server.js'), '--stdio'], { env: { ...process.env, ...env } });
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const headerEnd = this.buf.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buf.subarray(0, headerEnd).toString('ascii');
      const m = /Content-Length: (\d+)/i.exec(header);
      if (!m) {
        // Not a protocol frame: something wrote to stdout. Record it; tests assert there is none.
        this.stdoutNoise.push(header);
        this.buf = this.buf.subarray(headerEnd + 4);
        continue;
      }
      const len = Number(m[1]);
      if (this.buf.length < headerEnd + 4 + len) return;
      const body = this.buf.subarray(headerEnd + 4, headerEnd + 4 + len).toString('utf8');
      this.buf = this.buf.subarray(headerEnd + 4 + len);
      this.dispatch(JSON.parse(body));
    }
  }

  private dispatch(msg: Json): void {
    if (msg.id !== undefined && msg.method === undefined) {
      const w = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      if (msg.error) w?.reject(new Error(msg.error.message));
      else w?.resolve(msg.result);
      return;
    }
    if (msg.method === 'textDocument/publishDiagnostics') this.published.push({ ...msg.params, at: process.hrtime.bigint() });
    if (msg.method === 'window/logMessage') this.logs.push(msg.params.message);
    if (msg.id !== undefined && msg.method) {
      // Server-to-client requests (registerCapability, configuration): answer politely.
      this.send({ jsonrpc: '2.0', id: msg.id, result: msg.method === 'workspace/configuration' ? [] : null });
    }
    for (const l of this.listeners) l(msg);
  }

  send(msg: Json): void {
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.proc.stdin.write(`Content-Length: ${body.length}\r\n\r\n`);
    this.proc.stdin.write(body);
  }

  request<T = Json>(method: string, params: Json, timeoutMs = 15000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`${method} timed out`)), timeoutMs);
      this.waiting.set(id, {
        resolve: (v) => {
          clearTimeout(t);
          resolve(v);
        },
        reject: (e) => {
          clearTimeout(t);
          reject(e);
        },
      });
      this.send({ jsonrpc: '2.0', id, method, params });
    });
  }

  notify(method: string, params: Json): void {
    this.send({ jsonrpc: '2.0', method, params });
  }

  async initialize(rootPath: string, extra: Json = {}): Promise<Json> {
    const r = await this.request('initialize', {
      processId: process.pid,
      rootUri: URI.file(rootPath).toString(),
      workspaceFolders: [{ uri: URI.file(rootPath).toString(), name: path.basename(rootPath) }],
      capabilities: { workspace: { didChangeWatchedFiles: { dynamicRegistration: true } }, textDocument: { publishDiagnostics: { versionSupport: true } } },
      ...extra,
    });
    this.notify('initialized', {});
    return r;
  }

  open(file: string, text: string, languageId = 'plaintext', version = 1): string {
    const uri = URI.file(file).toString();
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return uri;
  }

  change(uri: string, version: number, text: string): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Resolves with the first publishDiagnostics for `uri` (at `version`, when given) after this call. */
  nextDiagnostics(uri: string, version?: number, timeoutMs = 15000): Promise<Published> {
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`no diagnostics for ${uri}`)), timeoutMs);
      const l = (msg: Json) => {
        if (msg.method === 'textDocument/publishDiagnostics' && msg.params.uri === uri && (version === undefined || msg.params.version === version)) {
          clearTimeout(t);
          this.listeners = this.listeners.filter((x) => x !== l);
          resolve(this.published[this.published.length - 1]);
        }
      };
      this.listeners.push(l);
    });
  }

  async shutdown(): Promise<void> {
    try {
      await this.request('shutdown', null, 5000);
      this.notify('exit', null);
    } catch {
      /* already gone */
    }
    const t = setTimeout(() => this.proc.kill('SIGKILL'), 3000);
    await this.exited;
    clearTimeout(t);
  }
}
