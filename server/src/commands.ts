/**
 * Server-side commands (workspace/executeCommand), shared by every LSP client
 * and the CLI: the VS Code client only gathers answers and shows progress.
 */
import * as path from 'node:path';
import type { Diagnostic, WorkspaceEdit } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import type { LanguageService } from './service';
import type { Workspace } from './service/workspace';
import { validateOptions, validateOptionFields, nameNotes, DEFAULT_OPTIONS, type GenerateOptions } from './service/certgen/options';
import { LAYOUTS, layoutInfo } from './service/certgen/layouts';
import { snippetDocument } from './service/certgen/snippet-document';
import { findPostgresProject, planPostgresWiring } from './service/targets/postgres/wire';
import { clientSnippets } from './service/certgen/snippets';
import type { GeneratedFileName } from './service/certgen/generate';
import { postgresLayout, postgresName } from './service/targets/postgres/layout';
import { planWrite } from './service/certgen/write';
import { planWiring } from './service/targets/milvus/wire';
import { candidateComposeFiles, loadCompose, isComposeFileName } from './service/deploy/compose';
import { findMilvusService } from './service/targets/milvus/deploy';
import { PEM_EXT } from './service/targets/pem/siblings';
import { generateCertsK8s, k8sApplyLines, k8sTargetNear } from './commands-k8s';
import { k8sFiles, k8sNames, validateK8sOptions, SECRET_MANIFEST, VALUES_FRAGMENT } from './service/certgen/k8s';
import { planK8sWiring } from './service/certgen/k8s-wire';
import {
  SERVER_COMMANDS,
  type ServerCommand,
  type CommandParams,
  type CommandResult,
  type DefaultsResult,
  type GenerateParams,
  type GenerateCertsResult,
  type GenerateCertsParams,
  type CheckCertificateSetResult,
  type LayoutChoice,
  type ValidateGenerateParams,
  type ValidateGenerateResult,
  type WiringParams,
  type WiringResult,
} from './protocol';

export { SERVER_COMMANDS };

/** The editor a command talks to when it acts on its own; absent in the CLI and unit tests. */
export interface Editor {
  showMessage(kind: 'info' | 'warning' | 'error', text: string): void;
  /** Present only when the client applies workspace edits with documentChanges. */
  applyEdit?: (edit: WorkspaceEdit) => Promise<boolean>;
  /** The client accepts `create` file operations in an edit (wiring creates a missing milvus.yaml). */
  canCreateFiles?: boolean;
  /** Shows findings of a file that may not be open (publishDiagnostics). */
  publish?: (uri: string, diagnostics: Diagnostic[]) => void;
}

export interface CommandContext {
  ws: Workspace;
  service: LanguageService;
  openText: (file: string) => string | undefined;
  editor?: Editor;
  /** Cancels a long command (the connection test): the client's cancellation of workspace/executeCommand. */
  signal?: AbortSignal;
}

/** Compose file and Milvus service near a folder, for default names and wiring. */
export function nearestCompose(folder: string, ws: Workspace): { composePath?: string; service?: string } {
  const probe = path.join(folder, 'milvus.yaml');
  for (const c of [
    ...ws
      .list(folder)
      .filter(isComposeFileName)
      .map((n) => path.join(folder, n)),
    ...candidateComposeFiles(probe, ws),
  ]) {
    const m = loadCompose(c, ws, process.env);
    const s = m && findMilvusService(m);
    if (s) return { composePath: c, service: s.name };
  }
  return {};
}

/** Suggested names, output folder and compose file for certificates asked for in `folder`. */
function defaultsFor(folder: string, ws: Workspace): DefaultsResult {
  const near = nearestCompose(folder, ws);
  const names = ['localhost', '127.0.0.1', ...(near.service ? [near.service] : [])];
  const out = near.composePath
    ? path.join(path.dirname(near.composePath), 'tls')
    : path.basename(folder) === 'tls'
      ? folder
      : path.join(folder, 'tls');
  const caExists = ws.kind(path.join(out, 'ca.pem')) === 'file' && ws.kind(path.join(out, 'ca.key')) === 'file';
  const layouts = layoutChoices(folder, ws, { out, composePath: near.composePath, service: near.service });
  // The system whose compose file is nearest the folder (fewest folders up); Milvus on a tie.
  const up = (compose: string) =>
    path
      .relative(path.dirname(compose), folder)
      .split(path.sep)
      .filter((x) => x && x !== '..').length;
  const found = layouts.filter((l) => l.detected && l.composePath).sort((a, b) => up(a.composePath!) - up(b.composePath!));
  const layout = found[0]?.id ?? 'milvus';
  const kubernetes = near.composePath ? undefined : k8sTargetNear(folder, ws);
  return {
    names,
    out,
    composePath: near.composePath,
    service: near.service,
    caExists,
    options: DEFAULT_OPTIONS,
    layouts,
    layout,
    ...(kubernetes ? { kubernetes } : {}),
  };
}

/** Every layout with the folder and compose file it would use here. */
function layoutChoices(folder: string, ws: Workspace, milvus: { out: string; composePath?: string; service?: string }): LayoutChoice[] {
  const dflt = path.basename(folder) === 'tls' ? folder : path.join(folder, 'tls');
  return LAYOUTS.map((l): LayoutChoice => {
    if (l.id === 'milvus') {
      const detected =
        milvus.service && milvus.composePath ? `service ${milvus.service} in ${path.basename(milvus.composePath)}` : undefined;
      return { ...l, ...milvus, ...(detected ? { detected } : {}) };
    }
    if (l.id === 'postgres') {
      const pg = findPostgresProject(folder, ws);
      if (!pg) return { ...l, out: dflt, dbUser: 'postgres', db: 'postgres' };
      return {
        ...l,
        out: path.join(path.dirname(pg.composePath), 'tls'),
        composePath: pg.composePath,
        service: pg.service,
        detected: `service ${pg.service} in ${path.basename(pg.composePath)}`,
        port: pg.hostPort ?? l.port,
        dbUser: pg.dbUser,
        db: pg.db,
      };
    }
    return { ...l, out: dflt };
  });
}

/** The generator's checks on partial answers, per field; with reuseCa the CA in `out` is read as generate would. */
function validateGenerate(a: ValidateGenerateParams, ws: Workspace): ValidateGenerateResult {
  const given = a && typeof a.options === 'object' && a.options ? a.options : {};
  const options = { ...DEFAULT_OPTIONS, ...given, reuseCa: undefined } as GenerateOptions;
  const errors = validateOptionFields(options).filter((e) => !(a.reuseCa && (e.field === 'caDays' || /caDays/.test(e.message))));
  if (a.reuseCa) {
    const out = typeof a.out === 'string' && path.isAbsolute(a.out) ? a.out : undefined;
    const [cert, key] = out ? [caFileName(options), 'ca.key'].map((n) => ws.read(path.join(out, n))) : [];
    if (!cert?.ok || !key?.ok) errors.push({ field: 'reuseCa', message: `no CA to reuse in ${out ?? 'the output folder'}` });
  }
  const notes = Array.isArray(options.names) ? nameNotes(options.names).map((message) => ({ field: 'names' as const, message })) : [];
  return { errors, notes };
}

function caFileName(o: GenerateOptions): string {
  return o.layout === 'postgres' ? postgresName('ca.pem') : 'ca.pem';
}

function wiring(w: WiringParams, ws: Workspace): WiringResult {
  if (w?.layout === 'postgres') {
    return planPostgresWiring(
      {
        certDir: w.certDir,
        mode: w.mode,
        composePath: w.composePath,
        envPath: w.envPath,
        dbUser: w.dbUser,
        db: w.db,
        host: w.host,
        port: w.port,
      },
      ws,
    );
  }
  if (w?.layout && !layoutInfo(w.layout)) throw new Error(`unknown layout ${String(w.layout)}`);
  if (w?.layout && w.layout !== 'milvus') {
    // A layout listed before its wiring exists: say so rather than wire it as Milvus.
    return {
      edit: { documentChanges: [] },
      summary: [`no automatic wiring for the ${layoutInfo(w.layout)!.label} layout yet: point its config at ${w.certDir}`],
    };
  }
  return planWiring(w, ws);
}

// Arguments come off the wire unchecked: each handler and the service validate what they use.
type Handlers = { [C in ServerCommand]: (arg: CommandParams<C>, ctx: CommandContext) => CommandResult<C> | Promise<CommandResult<C>> };

const handlers: Handlers = {
  [SERVER_COMMANDS.defaults]: (a, ctx) => defaultsFor(String(a.folder ?? ctx.ws.roots[0] ?? process.cwd()), ctx.ws),
  [SERVER_COMMANDS.plan]: (g, ctx) => {
    const options = { ...DEFAULT_OPTIONS, ...g.options } as GenerateOptions;
    const names = fileNames(options, !!g.reuseCa);
    const files = planWrite(
      g.out,
      names.map((name) => ({ name, contents: '', secret: name.endsWith('.key') })),
    );
    const caFiles = [caFileName(options), 'ca.key'];
    const caExists = caFiles.every((n) => ctx.ws.kind(path.join(String(g.out), n)) === 'file');
    return { files, errors: validateOptions(options), caExists, caFiles };
  },
  [SERVER_COMMANDS.generate]: (g, ctx) => generate(g, ctx.ws),
  [SERVER_COMMANDS.wiring]: (w, ctx) => wiring(w, ctx.ws),
  [SERVER_COMMANDS.snippets]: (s) =>
    s?.layout && s.layout !== 'milvus' ? snippetDocument(s) : { ...clientSnippets(s), ...snippetDocument(s) },
  [SERVER_COMMANDS.generateCerts]: (a, ctx) => generateCertsWithDefaults(a.folder, ctx, a),
  [SERVER_COMMANDS.kubernetesWiring]: (w, ctx) => planK8sWiring(w, ctx.ws),
  [SERVER_COMMANDS.checkCertificateSet]: (a, ctx) => checkCertificateSet(a.paths, ctx),
  // The connection tester is the only code that opens a socket; loaded when the user asks for a test.
  [SERVER_COMMANDS.testConnection]: async (a, ctx) =>
    (await import('./probe/command')).testConnection(a, { ...ctx, say: (kind, text) => ctx.editor?.showMessage(kind, text) }),
  [SERVER_COMMANDS.validateGenerate]: (a, ctx) => validateGenerate(a, ctx.ws),
};

/** The PEM files of the folders and files given, each validated (set findings included) and published. */
function checkCertificateSet(paths: unknown, ctx: CommandContext): CheckCertificateSetResult {
  if (!Array.isArray(paths) || paths.length === 0 || !paths.every((p) => typeof p === 'string' && path.isAbsolute(p))) {
    throw new Error(`${SERVER_COMMANDS.checkCertificateSet} needs { paths: absolute paths of folders or PEM files }.`);
  }
  const files = new Set<string>();
  for (const p of paths as string[]) {
    if (ctx.ws.kind(p) !== 'directory') files.add(path.resolve(p));
    else for (const n of ctx.ws.list(p).sort()) if (PEM_EXT.test(n)) files.add(path.join(p, n));
  }
  const out: CheckCertificateSetResult = { files: [], errors: 0, warnings: 0, summary: '' };
  for (const file of files) {
    const r = ctx.ws.read(file);
    const uri = URI.file(file).toString();
    const diagnostics = r.ok
      ? ctx.service.validate({ path: file, uri, text: ctx.openText(file) ?? Buffer.from(r.bytes).toString('utf8') })
      : [
          {
            range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } },
            severity: 1 as const,
            code: 'file-unreadable',
            source: 'tls-config',
            message: r.message,
          },
        ];
    out.errors += diagnostics.filter((d) => d.severity === 1).length;
    out.warnings += diagnostics.filter((d) => d.severity === 2).length;
    out.files.push({ uri, diagnostics });
    ctx.editor?.publish?.(uri, diagnostics);
  }
  const where = paths.length === 1 ? path.basename(paths[0] as string) : `${paths.length} selections`;
  out.summary =
    files.size === 0
      ? `No PEM file in ${where}.`
      : `${files.size} PEM file${files.size === 1 ? '' : 's'} in ${where}: ${out.errors} error${out.errors === 1 ? '' : 's'}, ${out.warnings} warning${out.warnings === 1 ? '' : 's'}.`;
  return out;
}

function isServerCommand(command: string): command is ServerCommand {
  return Object.hasOwn(handlers, command);
}

export async function executeServerCommand(command: string, args: unknown[], ctx: CommandContext): Promise<unknown> {
  if (!isServerCommand(command)) throw new Error(`unknown command ${command}`);
  const arg = (args[0] ?? {}) as never;
  return handlers[command](arg, ctx);
}

/**
 * "Generate TLS certs" without questions, for editors that have no wizard:
 * the defaults the wizard would propose, never over existing files, then the
 * wiring edit when the client can apply it.
 */
async function generateCertsWithDefaults(
  folder: unknown,
  ctx: CommandContext,
  params: Partial<GenerateCertsParams> = {},
): Promise<GenerateCertsResult> {
  const say = (kind: 'info' | 'warning' | 'error', text: string) => ctx.editor?.showMessage(kind, text);
  if (typeof folder !== 'string' || !path.isAbsolute(folder)) {
    const text = `${SERVER_COMMANDS.generateCerts} needs { folder: an absolute path }.`;
    say('error', text);
    throw new Error(text);
  }
  const d = defaultsFor(folder, ctx.ws);
  // A Kubernetes workspace (a Milvus resource or Milvus Helm values, no compose file running Milvus) gets Kubernetes output.
  if (params.layout === 'k8s' || (params.layout === undefined && d.kubernetes)) {
    return generateCertsK8s({ folder, namespace: str(params.namespace), secretName: str(params.secretName), layout: 'k8s' }, ctx, generate);
  }
  const options: GenerateOptions = { ...DEFAULT_OPTIONS, names: d.names };
  // Checked before generating so a refusal costs no key generation; writeCertSet still refuses a file that appears meanwhile.
  const existing = planWrite(
    d.out,
    fileNames(options, false).map((name) => ({ name, contents: '', secret: false })),
  )
    .filter((f) => f.exists)
    .map((f) => f.path);
  if (existing.length) {
    const message = `Not generating TLS certificates in ${d.out}: ${existing.map((f) => path.basename(f)).join(', ')} already ${existing.length === 1 ? 'exists' : 'exist'}. Nothing was changed; move ${existing.length === 1 ? 'it' : 'them'} away or choose another folder.`;
    say('warning', message);
    return { status: 'refused', out: d.out, existing, message };
  }
  let written: string[];
  try {
    written = (await generate({ out: d.out, options }, ctx.ws)).written;
  } catch (e) {
    say('error', `Generate TLS certs failed: ${(e as Error).message}`);
    throw e;
  }
  const plan = planWiring({ certDir: d.out, mode: options.mode === 'mutual' ? 2 : 1, composePath: d.composePath }, ctx.ws);
  const creates = (plan.edit.documentChanges ?? []).some((c) => 'kind' in c && c.kind === 'create');
  const canApply = !!ctx.editor?.applyEdit && (!creates || !!ctx.editor.canCreateFiles);
  const applied = plan.summary.length > 0 && canApply ? await ctx.editor!.applyEdit!(plan.edit).catch(() => false) : false;
  const wrote = `Wrote ${written.map((f) => path.basename(f)).join(', ')} to ${d.out} (names: ${d.names.join(', ')}).`;
  const wiring = !plan.summary.length
    ? 'The config already points at these files.'
    : applied
      ? `Edited, not saved: ${plan.summary.join('; ')}.`
      : `To use them: ${plan.summary.join('; ')}.`;
  const message = `${wrote} ${wiring}`;
  say('info', message);
  return { status: 'written', out: d.out, written, wiring: { applied, summary: plan.summary }, message };
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v ? v : undefined;
}

function fileNames(o: GenerateOptions, reuseCa: boolean): GeneratedFileName[] {
  const names: GeneratedFileName[] = reuseCa ? [] : ['ca.pem', 'ca.key'];
  names.push('server.pem', 'server.key');
  if (o.csr) names.push('server.csr');
  if (o.mode === 'mutual') {
    names.push('client.pem', 'client.key');
    if (o.csr) names.push('client.csr');
  }
  if (o.layout === 'k8s') names.push(SECRET_MANIFEST, VALUES_FRAGMENT);
  return o.layout === 'postgres' ? names.map(postgresName) : names;
}

export async function generate(g: GenerateParams, ws: Workspace): Promise<CommandResult<typeof SERVER_COMMANDS.generate>> {
  const options = { ...DEFAULT_OPTIONS, ...g.options } as GenerateOptions;
  if (g.reuseCa) {
    const cert = ws.read(path.join(g.out, caFileName(options)));
    const key = ws.read(path.join(g.out, 'ca.key'));
    if (!cert.ok || !key.ok) throw new Error(`cannot reuse the CA: ${!cert.ok ? cert.message : ''} ${!key.ok ? key.message : ''}`.trim());
    options.reuseCa = { certPem: Buffer.from(cert.bytes).toString('utf8'), keyPem: Buffer.from(key.bytes).toString('utf8') };
  }
  const k8s = options.layout === 'k8s' ? { ...g.kubernetes } : undefined;
  const errors = [...validateOptions(options), ...(k8s ? validateK8sOptions(k8s) : [])];
  if (errors.length) throw new Error(errors.join('; '));
  // Loaded on first use: @peculiar/x509 and its ASN.1 schemas would otherwise add ~60 ms to server start-up.
  const { generateCertSet } = await import('./service/certgen/generate');
  const { writeCertSet } = await import('./service/certgen/write');
  let files = await generateCertSet(options);
  if (options.layout === 'postgres') files = postgresLayout(files);
  // The Kubernetes files go in the same write as the PEM files: all of them or none.
  if (k8s) files = [...files, ...k8sFiles(files, k8sNames(k8s), options.mode, options.reuseCa?.certPem)];
  const res = await writeCertSet(g.out, files, { overwrite: !!g.overwrite });
  for (const f of res.written) ws.invalidate(f);
  if (!k8s) return { written: res.written, out: g.out };
  return {
    written: res.written,
    out: g.out,
    kubernetes: {
      secretManifest: path.join(g.out, SECRET_MANIFEST),
      valuesFragment: path.join(g.out, VALUES_FRAGMENT),
      apply: k8sApplyLines(g.out, undefined, k8s.namespace),
    },
  };
}
