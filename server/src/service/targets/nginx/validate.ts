/**
 * nginx's TLS directives, judged the way `nginx -t` and a handshake judge them.
 * The texts in quotes are nginx 1.22's and OpenSSL 3's own (Debian bookworm),
 * from src/http/modules/ngx_http_ssl_module.c (ngx_http_ssl_merge_srv_conf,
 * ngx_http_ssl_init), src/event/ngx_event_openssl.c (ngx_ssl_certificate) and
 * src/http/modules/ngx_http_proxy_module.c; test/unit/nginx-real.test.ts runs
 * every one of them against Debian's nginx.
 */
import * as path from 'node:path';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { dedupeDiagnostics, diag, Severity, type Settings } from '../../types';
import type { Workspace } from '../../workspace';
import type { DiagnosticCodeInfo } from '../target';
import { loadSlot } from '../../tls/pipeline';
import { loadInline } from '../../tls/inline';
import type { GroupWords, LoadedSlot, SlotRole } from '../../tls/slots';
import {
  checkCaFile,
  checkNames,
  checkPair,
  checkServerLeaf,
  depthNeeded,
  missingIntermediate,
  KEY_VALUES_MISMATCH,
  type DialName,
  type OpensslWords,
} from '../../tls/openssl';
import { siblingPems } from '../pem/siblings';
import { certificates } from '../../pem/files';
import { anchor, origin, resolveNginxPath, type Located, type NginxModel } from './model';
import type { Word } from './tokenize';
import { shownPath } from '../../shown-path';

export interface NginxContext {
  ws: Workspace;
  settings: Settings;
  now: Date;
}

const WORDS: GroupWords = { product: 'nginx', caRejects: '' };

const OSSL: OpensslWords = {
  product: 'nginx',
  keyMismatch: (_c, k) => `"SSL_CTX_use_PrivateKey("${k.hostPath}") failed (SSL: ${KEY_VALUES_MISMATCH})" at nginx -t`,
  clients: 'browsers and curl',
};

/** A level of the config where ssl_* directives can be written; what is not set here comes from the parent. */
export interface Level {
  kind: 'http' | 'stream' | 'server' | 'location';
  own: Located[];
  parent?: Level;
  /** The `server` directive, for server levels. */
  head?: Located;
}

export function eff(level: Level | undefined, name: string): Located[] {
  for (let l = level; l; l = l.parent) {
    const x = l.own.filter((d) => d.name === name);
    if (x.length) return x;
  }
  return [];
}

/** Written in this document or brought in by one of its includes (not inherited from the nginx.conf above it). */
export function mine(d: Located, model: NginxModel): boolean {
  return !model.inherited.includes(d);
}

export function validateNginx(model: NginxModel, file: string, ctx: NginxContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  // nginx stops at its first syntax error and loads nothing: so do we (the rest would be guesses about the structure).
  const e = model.parsed.errors[0];
  if (e)
    return [diag(e.range, Severity.Error, 'nginx-syntax', `nginx -t fails: ${e.message}. Fix the braces, quotes or the missing ";" here.`)];
  const levels = collectLevels(model);
  const loaded = new Map<Located, LoadedSlot | null>();
  const load = (d: Located, arg: Word, role: SlotRole) => {
    if (!loaded.has(d)) loaded.set(d, loadArg(d, arg, role, model, file, ctx, out) ?? null);
    return loaded.get(d) ?? undefined;
  };
  for (const level of levels) {
    checkLevelPairs(level, model, load, ctx, out);
    if (level.kind === 'server') checkServer(level, model, load, out);
    if (level.kind !== 'stream') checkProxy(level, model, load, out);
  }
  for (const d of allOwn(levels)) {
    if (d.name === 'ssl' && d.args[0]?.value === 'on' && mine(d, model))
      out.push(
        diag(
          anchor(d),
          Severity.Warning,
          'nginx-ssl-directive',
          `${origin(d, model.deploy.prefix)}"ssl on" is deprecated ("the "ssl" directive is deprecated, use the "listen ... ssl" directive instead") and gone in nginx 1.25.1 ("unknown directive"). Remove it and write "listen 443 ssl;".`,
        ),
      );
  }
  return dedupeDiagnostics(out);
}

function allOwn(levels: Level[]): Located[] {
  return levels.flatMap((l) => l.own);
}

export function collectLevels(model: NginxModel): Level[] {
  const levels: Level[] = [];
  const inheritedHttp: Level | undefined = model.inherited.length ? { kind: 'http', own: model.inherited } : undefined;
  const visit = (list: Located[], parent: Level | undefined, kind: Level['kind'], head?: Located) => {
    const level: Level = { kind, own: list.filter((d) => !d.block), parent, head };
    levels.push(level);
    for (const d of list) {
      if (!d.block) continue;
      if (d.name === 'server' && (kind === 'http' || kind === 'stream')) visit(d.block, level, 'server', d);
      else if (d.name === 'location' && (kind === 'server' || kind === 'location')) visit(d.block, level, 'location');
      else if (d.name === 'http' || d.name === 'stream') visit(d.block, undefined, d.name);
      else if (d.name === 'if' || d.name === 'limit_except') visit(d.block, level, 'location');
    }
  };
  if (model.topContext === 'main') {
    for (const d of model.directives) if ((d.name === 'http' || d.name === 'stream') && d.block) visit(d.block, undefined, d.name);
  } else if (model.topContext === 'server') {
    visit(model.directives, inheritedHttp, 'server');
  } else {
    visit(model.directives, inheritedHttp, 'http');
  }
  return levels;
}

const CERT_PAIRS: { cert: string; key: string; role: 'server' | 'client' }[] = [
  { cert: 'ssl_certificate', key: 'ssl_certificate_key', role: 'server' },
  { cert: 'proxy_ssl_certificate', key: 'proxy_ssl_certificate_key', role: 'client' },
];

type Load = (d: Located, arg: Word, role: SlotRole) => LoadedSlot | undefined;

function checkLevelPairs(level: Level, model: NginxModel, load: Load, ctx: NginxContext, out: Diagnostic[]): void {
  for (const p of CERT_PAIRS) {
    const certs = level.own.filter((d) => d.name === p.cert && mine(d, model));
    if (certs.length === 0) continue;
    const keys = level.own.filter((d) => d.name === p.key);
    const keysEff = keys.length ? keys : eff(level.parent, p.key);
    certs.forEach((c, i) => {
      const arg = c.args[0];
      if (!arg) return;
      const k = keysEff[i];
      if (!k) {
        // proxy_ssl_certificate without a key: nginx -t says 'no "proxy_ssl_certificate_key" is defined for certificate "…"'.
        out.push(
          diag(
            anchor(c, arg.range),
            Severity.Error,
            'nginx-no-certificate-key',
            `${origin(c, model.deploy.prefix)}nginx -t fails: no "${p.key}" is defined for certificate "${arg.value}". Add "${p.key} <file>;" ${keys.length || certs.length > 1 ? `(the ${ordinal(i + 1)} one pairs with the ${ordinal(i + 1)} ${p.cert})` : 'beside it'}.`,
          ),
        );
        return;
      }
      const certSlot = load(c, arg, p.role === 'server' ? 'server-cert' : 'client-cert');
      const keyArg = k.args[0];
      const keySlot = keyArg ? load(k, keyArg, p.role === 'server' ? 'server-key' : 'client-key') : undefined;
      if (certSlot && keySlot) checkPair(certSlot, keySlot, OSSL, out, ctx.ws);
      if (certSlot && p.role === 'server') {
        checkServerLeaf(certSlot, ctx, OSSL, out);
        if (!certSlot.hostPath.includes('#')) {
          const beside = siblingPems(certSlot.hostPath, ctx.ws).flatMap((f) => certificates(f.items).map((x) => x.cert));
          const missing = missingIntermediate(certSlot, beside);
          if (missing)
            out.push(
              diag(
                certSlot.range,
                Severity.Warning,
                'nginx-chain-incomplete',
                `${certSlot.where} ends with ${certificates(certSlot.items).at(-1)!.cert.subject}, but not its issuer, the intermediate ${missing.subject} that sits beside it: clients that do not have it fail with "unable to verify the first certificate" (OpenSSL; curl: "unable to get local issuer certificate"). Append the intermediate to the file (use fullchain.pem, not cert.pem).`,
              ),
            );
        }
      }
    });
  }
}

function ordinal(n: number): string {
  return n === 1 ? 'first' : n === 2 ? 'second' : n === 3 ? 'third' : `${n}th`;
}

export function isSslServer(level: Level): Located | undefined {
  return level.own.find(
    (d) =>
      (d.name === 'listen' && d.args.slice(1).some((a) => a.value === 'ssl' || a.value === 'quic')) ||
      (d.name === 'ssl' && d.args[0]?.value === 'on'),
  );
}

function checkServer(level: Level, model: NginxModel, load: Load, out: Diagnostic[]): void {
  const listen = isSslServer(level);
  const certs = eff(level, 'ssl_certificate');
  if (listen && certs.length === 0 && mine(listen, model)) {
    out.push(
      diag(
        anchor(listen),
        Severity.Error,
        'nginx-no-certificate',
        `${origin(listen, model.deploy.prefix)}nginx -t fails: no "ssl_certificate" is defined for the "listen ... ssl" directive. Add ssl_certificate and ssl_certificate_key to this server (or to http).`,
      ),
    );
  }
  // ssl_verify_client on|optional needs the CA that issued the client certificates.
  const verify = eff(level, 'ssl_verify_client').at(-1);
  const verifying = verify && (verify.args[0]?.value === 'on' || verify.args[0]?.value === 'optional');
  const clientCa = eff(level, 'ssl_client_certificate').at(-1);
  if (verifying && !clientCa && mine(verify, model) && (listen || certs.length)) {
    out.push(
      diag(
        anchor(verify, verify.args[0].range),
        Severity.Error,
        'nginx-verify-client-no-ca',
        `${origin(verify, model.deploy.prefix)}nginx -t fails: "no ssl_client_certificate for ssl_verify_client". Add "ssl_client_certificate <CA file>;" naming the CA that issued the client certificates, or use "ssl_verify_client optional_no_ca".`,
      ),
    );
  }
  if (clientCa?.args[0] && mine(clientCa, model)) {
    const ca = load(clientCa, clientCa.args[0], 'ca');
    if (ca) {
      const cas = checkCaFile(ca, OSSL, out);
      const depthD = eff(level, 'ssl_verify_depth').at(-1);
      const depth = depthD && /^\d+$/.test(depthD.args[0]?.value ?? '') ? Number(depthD.args[0].value) : 1;
      const need = depthNeeded(cas);
      if (verifying && need > depth + 1)
        out.push(
          diag(
            depthD ? anchor(depthD, depthD.args[0].range) : ca.range,
            Severity.Warning,
            'nginx-verify-depth',
            `Client certificates issued under ${ca.where} sit ${need} certificates below its root, but ssl_verify_depth is ${depth}${depthD ? '' : ' (the default)'}: nginx rejects them ("certificate chain too long", 400 "The SSL certificate error"). Set "ssl_verify_depth ${need - 1};".`,
          ),
        );
    }
  }
  for (const d of level.own.filter((x) => x.name === 'ssl_trusted_certificate' && mine(x, model) && x.args[0])) {
    const ca = load(d, d.args[0], 'ca');
    if (ca) checkCaFile(ca, OSSL, out);
  }
  // The names clients dial must be in the certificate nginx serves for them.
  if (!listen) return;
  const names = serverNames(level, model);
  if (names.length === 0) return;
  for (const c of certs) {
    const arg = c.args[0];
    if (!arg || arg.value.includes('$')) continue;
    const slot = load(c, arg, 'server-cert');
    if (slot) checkNames(slot, names, OSSL, out);
  }
}

/** Names of server_name that a client can dial: exact names and leading wildcards (".a.com" is a.com and *.a.com). */
function serverNames(level: Level, model: NginxModel): DialName[] {
  const out: DialName[] = [];
  for (const d of level.own.filter((x) => x.name === 'server_name')) {
    if (!mine(d, model)) continue;
    for (const a of d.args) {
      const v = a.value;
      if (
        !v ||
        v === '_' ||
        v.startsWith('~') ||
        v.includes('$') ||
        /\*./.test(v.replace(/^\*\./, '')) ||
        v.endsWith('*') ||
        v === 'localhost.localdomain'
      )
        continue;
      const range = anchor(d, a.range);
      if (v.startsWith('.')) {
        out.push({ value: v.slice(1), setting: 'server_name', range }, { value: '*' + v, setting: 'server_name', range });
      } else out.push({ value: v, setting: 'server_name', range });
    }
  }
  return out;
}

function checkProxy(level: Level, model: NginxModel, load: Load, out: Diagnostic[]): void {
  const verify = level.own.find((d) => d.name === 'proxy_ssl_verify' && d.args[0]?.value === 'on' && mine(d, model));
  if (verify && eff(level, 'proxy_ssl_trusted_certificate').length === 0)
    out.push(
      diag(
        anchor(verify, verify.args[0].range),
        Severity.Error,
        'nginx-proxy-verify-no-ca',
        `${origin(verify, model.deploy.prefix)}nginx -t fails: "no proxy_ssl_trusted_certificate for proxy_ssl_verify". Add "proxy_ssl_trusted_certificate <CA file>;" naming the CA of the upstream's certificate.`,
      ),
    );
  for (const d of level.own.filter((x) => x.name === 'proxy_ssl_trusted_certificate' && mine(x, model) && x.args[0])) {
    const ca = load(d, d.args[0], 'ca');
    if (ca) checkCaFile(ca, OSSL, out);
  }
}

/** One path (or `data:` PEM) argument → a loaded slot, with nginx's own failure text where nginx -t fails. */
function loadArg(
  d: Located,
  arg: Word,
  role: SlotRole,
  model: NginxModel,
  file: string,
  ctx: NginxContext,
  out: Diagnostic[],
): LoadedSlot | undefined {
  const at: Range = anchor(d, arg.range);
  const pre = origin(d, model.deploy.prefix);
  const value = arg.value;
  if (value.startsWith('data:')) {
    return loadInline(
      { role, key: d.name, range: at, consumer: 'openssl', where: `${pre}${d.name} data:…`, docPath: file + '#' + d.name },
      value.slice(5),
      'nginx',
      out,
    );
  }
  if (value.startsWith('engine:')) return undefined;
  if (value.includes('$')) {
    out.push(
      diag(
        at,
        Severity.Information,
        'nginx-variable-path',
        `${pre}${d.name} ${value} has variables: nginx loads the file at each handshake (not at nginx -t), so it is checked at runtime, not here. A file that is missing then fails the handshake, not the start.`,
      ),
    );
    return undefined;
  }
  const r = resolveNginxPath(value, model.deploy);
  if (!r.ok) {
    const svc = model.deploy.compose?.service.name;
    out.push(
      r.reason === 'named-volume'
        ? diag(
            at,
            Severity.Information,
            'nginx-path-in-named-volume',
            `${pre}${r.containerPath} lies in a named volume of service ${svc}; its contents cannot be checked from here.`,
          )
        : diag(
            at,
            Severity.Error,
            'nginx-path-not-mounted',
            `${pre}nginx in service ${svc} opens ${r.containerPath}, but no volume of the service covers it, so nginx fails with "cannot load certificate "${r.containerPath}": BIO_new_file() failed (… No such file or directory)". Mount the folder holding it (e.g. ./certs:${path.posix.dirname(r.containerPath)}:ro).`,
          ),
    );
    return undefined;
  }
  const host = shownPath(r.hostPath, ctx.ws.roots);
  const where = `${pre}${r.containerPath ? `${r.containerPath} → host ${host}` : host}`;
  const tmp: Diagnostic[] = [];
  const slot = loadSlot({ role, key: d.name, range: at, consumer: 'openssl', hostPath: r.hostPath, where }, WORDS, ctx, tmp);
  const shown = r.containerPath ?? r.hostPath;
  for (const x of tmp) {
    const isKey = role.endsWith('-key');
    if (x.code === 'tls-key-encrypted')
      x.message = `${where} is an encrypted private key: nginx asks for the passphrase at start, or fails with "cannot load certificate key "${shown}": PEM_read_bio_PrivateKey() failed (… bad decrypt)" without a terminal. Decrypt it (openssl pkey -in FILE -out FILE) or give ssl_password_file.`;
    else if (x.code === 'tls-file-missing')
      x.message += ` nginx -t fails: cannot load certificate${isKey ? ' key' : ''} "${shown}": BIO_new_file() failed (… No such file or directory).`;
    else if (x.code === 'tls-file-wrong-kind')
      x.message += isKey
        ? ` nginx -t fails: cannot load certificate key "${shown}": PEM_read_bio_PrivateKey() failed (… No supported data to decode).`
        : ` nginx -t fails: cannot load certificate "${shown}": PEM_read_bio_X509_AUX() failed (… no start line).`;
    else if (x.code === 'tls-file-der')
      x.message = `${where} is DER (binary); nginx reads PEM only and fails with "PEM_read_bio_X509_AUX() failed (… no start line)". Convert it: openssl ${isKey ? 'pkey' : 'x509'} -inform DER -in FILE -out FILE.pem.`;
    out.push(x);
  }
  return slot;
}

export const NGINX_DIAGNOSTIC_CODES: DiagnosticCodeInfo[] = [
  { code: 'nginx-syntax', severity: 'error', summary: 'nginx cannot parse the file (braces, quotes, a missing ";").' },
  { code: 'nginx-no-certificate', severity: 'error', summary: 'A "listen ... ssl" server without ssl_certificate; nginx -t fails.' },
  { code: 'nginx-no-certificate-key', severity: 'error', summary: 'An ssl_certificate without its ssl_certificate_key; nginx -t fails.' },
  {
    code: 'nginx-verify-client-no-ca',
    severity: 'error',
    summary: 'ssl_verify_client on|optional without ssl_client_certificate; nginx -t fails.',
  },
  {
    code: 'nginx-verify-depth',
    severity: 'warning',
    summary: "ssl_verify_depth is below the client certificates' chain length; nginx rejects them.",
  },
  {
    code: 'nginx-proxy-verify-no-ca',
    severity: 'error',
    summary: 'proxy_ssl_verify on without proxy_ssl_trusted_certificate; nginx -t fails.',
  },
  {
    code: 'nginx-chain-incomplete',
    severity: 'warning',
    summary: 'The certificate file lacks the intermediate that sits beside it (cert.pem instead of fullchain.pem).',
  },
  { code: 'nginx-variable-path', severity: 'information', summary: 'A path with $variables: loaded per handshake, checked at runtime.' },
  { code: 'nginx-path-not-mounted', severity: 'error', summary: 'nginx runs in compose and no volume covers the path.' },
  { code: 'nginx-path-in-named-volume', severity: 'information', summary: 'The path lies in a named volume; contents cannot be checked.' },
  {
    code: 'nginx-ssl-directive',
    severity: 'warning',
    summary: '"ssl on" is deprecated and removed in nginx 1.25.1; use "listen ... ssl".',
  },
];
