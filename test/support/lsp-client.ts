/**
 * A small LSP client over stdio, speaking the protocol by hand (Content-Length
 * framing), so tests and the benchmark see exactly what any editor would:
 * - answers `workspace/configuration` from a settings object (yaml-language-server
 *   pulls its settings that way),
 * - time stamps on every publishDiagnostics and on spawn,
 * - waits for diagnostics by version, or published after a given instant (servers
 *   that do not echo the document version),
 * - records anything on stdout that is not a protocol frame, the server's log and its
 *   window/showMessage notifications,
 * - records workspace/applyEdit requests and answers them from `applyEditAnswer`
 *   (it applies nothing itself),
 * - peak RSS of the server process (VmHWM), and a registry so every spawned
 *   server can be killed at exit, whatever happens.
 */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { URI } from 'vscode-uri';

type Json = any;

export interface Published {
  uri: string;
  version?: number;
  diagnostics: Json[];
  at: bigint;
}

const live = new Set<LspClient>();

/** Kills (SIGKILL, by pid) every server this process started that is still running. */
export function killAllServers(): void {
  for (const c of live) c.kill();
}

/** Looks up `a.b.c` in a settings object; null when absent (what VS Code answers). */
function section(settings: Json, name: string | undefined): Json {
  if (!name) return settings ?? null;
  let cur = settings;
  for (const part of name.split('.')) {
    if (cur === null || typeof cur !== 'object' || !(part in cur)) return null;
    cur = cur[part];
  }
  return cur ?? null;
}

export class LspClient {
  readonly proc: ChildProcessWithoutNullStreams;
  readonly spawnedAt: bigint;
  private buf = Buffer.alloc(0);
  private nextId = 1;
  private waiting = new Map<number, { resolve: (v: Json) => void; reject: (e: Error) => void }>();
  private listeners: ((msg: Json) => void)[] = [];
  readonly published: Published[] = [];
  readonly serverRequests: string[] = [];
  /** window/logMessage texts. */
  readonly logs: string[] = [];
  /** window/showMessage notifications (type 1 error, 2 warning, 3 info). */
  readonly messages: { type: number; message: string }[] = [];
  /** Params of every workspace/applyEdit request. */
  readonly applyEditRequests: Json[] = [];
  /** The answer to workspace/applyEdit. */
  applyEditAnswer: Json = { applied: false, failureReason: 'the test client applies no edits' };
  /** Anything on stdout that is not a protocol frame (tests assert there is none). */
  readonly stdoutNoise: string[] = [];
  stderr = '';
  exitCode: number | null | undefined = undefined;
  readonly exited: Promise<number | null>;
  /** Settings handed out for `workspace/configuration` requests. */
  settings: Json = {};

  constructor(cmd: string[], opts: { cwd?: string; env?: NodeJS.ProcessEnv; settings?: Json } = {}) {
    this.settings = opts.settings ?? {};
    this.spawnedAt = process.hrtime.bigint();
    this.proc = spawn(cmd[0], cmd.slice(1), { cwd: opts.cwd, env: opts.env ?? process.env, stdio: 'pipe' });
    live.add(this);
    this.proc.stdout.on('data', (d: Buffer) => this.onData(d));
    this.proc.stderr.on('data', (d: Buffer) => {
      if (this.stderr.length < 20000) this.stderr += d.toString();
    });
    this.proc.stdin.on('error', () => undefined); // EPIPE when the server died: surfaced by timeouts instead
    this.exited = new Promise((r) =>
      this.proc.on('exit', (code) => {
        this.exitCode = code;
        live.delete(this);
        for (const w of this.waiting.values())
          w.reject(new Error(`server exited (${code})${this.stderr ? ': ' + this.stderr.slice(-300) : ''}`));
        this.waiting.clear();
        r(code);
      }),
    );
  }

  /** Our own server, built to dist/server.js. */
  static ours(env?: NodeJS.ProcessEnv): LspClient {
    return new LspClient([process.execPath, path.join(__dirname, '../../dist/server.js'), '--stdio'], { env: { ...process.env, ...env } });
  }

  get pid(): number | undefined {
    return this.proc.pid;
  }

  private onData(d: Buffer): void {
    this.buf = Buffer.concat([this.buf, d]);
    for (;;) {
      const headerEnd = this.buf.indexOf('\r\n\r\n');
      if (headerEnd < 0) return;
      const header = this.buf.subarray(0, headerEnd).toString('ascii');
      const m = /Content-Length: (\d+)/i.exec(header);
      if (!m) {
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
    if (msg.method === 'window/showMessage') this.messages.push(msg.params);
    if (msg.id !== undefined && msg.method) {
      this.serverRequests.push(msg.method);
      let result: Json = null;
      if (msg.method === 'workspace/configuration') result = (msg.params?.items ?? []).map((i: Json) => section(this.settings, i.section));
      else if (msg.method === 'workspace/workspaceFolders') result = null;
      else if (msg.method === 'workspace/applyEdit') {
        this.applyEditRequests.push(msg.params);
        result = this.applyEditAnswer;
      }
      this.send({ jsonrpc: '2.0', id: msg.id, result });
    }
    for (const l of this.listeners) l(msg);
  }

  send(msg: Json): void {
    if (!this.proc.stdin.writable) return;
    const body = Buffer.from(JSON.stringify(msg), 'utf8');
    this.proc.stdin.write(Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]));
  }

  request<T = Json>(method: string, params: Json, timeoutMs = 15000): Promise<T> {
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const t = setTimeout(() => {
        this.waiting.delete(id);
        reject(new Error(`${method} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
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

  async initialize(rootPath: string, extra: Json = {}, timeoutMs = 30000): Promise<Json> {
    const r = await this.request(
      'initialize',
      {
        processId: process.pid,
        rootUri: URI.file(rootPath).toString(),
        rootPath,
        workspaceFolders: [{ uri: URI.file(rootPath).toString(), name: path.basename(rootPath) }],
        capabilities: {
          workspace: {
            configuration: true,
            didChangeConfiguration: { dynamicRegistration: true },
            didChangeWatchedFiles: { dynamicRegistration: true },
            workspaceFolders: true,
          },
          textDocument: {
            publishDiagnostics: { versionSupport: true },
            hover: { contentFormat: ['markdown', 'plaintext'] },
            synchronization: { didSave: true, dynamicRegistration: true },
          },
        },
        ...extra,
      },
      timeoutMs,
    );
    this.notify('initialized', {});
    return r;
  }

  open(file: string, text: string, languageId: string, version = 1): string {
    const uri = URI.file(file).toString();
    this.notify('textDocument/didOpen', { textDocument: { uri, languageId, version, text } });
    return uri;
  }

  change(uri: string, version: number, text: string): void {
    this.notify('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ text }] });
  }

  /** Resolves with the first publishDiagnostics for `uri` (at `version`, when given) published from now on. */
  nextDiagnostics(uri: string, version?: number, timeoutMs = 15000): Promise<Published> {
    return this.diagnosticsAfter(uri, process.hrtime.bigint(), version, timeoutMs, true);
  }

  /**
   * The first publishDiagnostics for `uri` received after `after` (hrtime) whose
   * version is `version` (or carries no version: not every server echoes it).
   */
  diagnosticsAfter(uri: string, after: bigint, version?: number, timeoutMs = 15000, strictVersion = false): Promise<Published> {
    const matches = (p: Published) =>
      p.uri === uri && p.at >= after && (version === undefined || (!strictVersion && p.version === undefined) || p.version === version);
    const already = this.published.find(matches);
    if (already) return Promise.resolve(already);
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => {
        this.listeners = this.listeners.filter((x) => x !== l);
        reject(new Error(`no diagnostics for ${path.basename(uri)} (version ${version}) within ${timeoutMs} ms`));
      }, timeoutMs);
      const l = (msg: Json) => {
        if (msg.method !== 'textDocument/publishDiagnostics') return;
        const p = this.published[this.published.length - 1];
        if (!matches(p)) return;
        clearTimeout(t);
        this.listeners = this.listeners.filter((x) => x !== l);
        resolve(p);
      };
      this.listeners.push(l);
    });
  }

  /** Peak resident set size of the server process in KiB (VmHWM), or undefined. */
  peakRssKb(): number | undefined {
    if (this.pid === undefined) return undefined;
    try {
      const m = /VmHWM:\s+(\d+)\s*kB/.exec(fs.readFileSync(`/proc/${this.pid}/status`, 'utf8'));
      return m ? Number(m[1]) : undefined;
    } catch {
      return undefined;
    }
  }

  kill(): void {
    if (this.exitCode === undefined && this.pid !== undefined) {
      try {
        process.kill(this.pid, 'SIGKILL');
      } catch {
        /* already gone */
      }
    }
  }

  async shutdown(): Promise<void> {
    if (this.exitCode !== undefined) return;
    try {
      await this.request('shutdown', null, 3000);
      this.notify('exit', null);
    } catch {
      /* already gone or hung: killed below */
    }
    const t = setTimeout(() => this.kill(), 2000);
    await this.exited;
    clearTimeout(t);
  }
}
