/**
 * The rules, client and server side. Every libpq message quoted here is the one libpq 15-17
 * prints (postgres src/interfaces/libpq/fe-connect.c, fe-secure-openssl.c; the server's
 * src/backend/libpq/be-secure-common.c check_ssl_key_file), and test/unit/postgres-real.test.ts
 * makes a real psql / postgres print it.
 */
import * as path from 'node:path';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { dedupeDiagnostics, diag, Severity, type Settings } from '../../types';
import type { Workspace } from '../../workspace';
import { LineIndex } from '../../text';
import { loadSlot } from '../../tls/pipeline';
import type { GroupWords, LoadedSlot } from '../../tls/slots';
import { certificates, privateKeys, loadPemFile } from '../../pem/files';
import type { CertInfo } from '../../pem/model';
import { issues } from '../../tls/chain';
import { isCa } from '../../tls/usages';
import { judgeDates } from '../../tls/dates';
import { resolveThrough, type Resolved } from '../../deploy/context';
import { candidateComposeFiles, loadCompose, type ComposeService } from '../../deploy/compose';
import type { DiagnosticCodeInfo } from '../target';
import type { ConnInfo, Param } from './conninfo';
import { envConn, gucBool, parsePostgresqlConf, parseServiceFile, scanText, type ConfSetting, type ServiceSection } from './scan';
import { isPostgresServer, parsePgCompose, serverUid, type PgComposeService } from './compose';

export interface PgContext {
  ws: Workspace;
  settings: Settings;
  now: Date;
  processEnv: Record<string, string | undefined>;
}

export const SSLMODES = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'] as const;
export type SslMode = (typeof SSLMODES)[number];
const STRENGTH: Record<SslMode, number> = { disable: 0, allow: 1, prefer: 2, require: 3, 'verify-ca': 4, 'verify-full': 5 };

/** Amazon Root CA 1, SHA-256 of its SubjectPublicKeyInfo (Debian ca-certificates Amazon_Root_CA_1.pem). */
export const AMAZON_ROOT_CA_1_SPKI = 'fbe3018031f9586bcbf41727e417b7d1c45c2f47f93be372a17b96b50757d5a2';
export const DSQL_HOST = /^[a-z0-9]+\.dsql(?:-[a-z0-9]+)?\.[a-z0-9-]+\.on\.aws$/i;
export const DSQL_GUIDE = 'https://docs.aws.amazon.com/aurora-dsql/latest/userguide/SECTION_authentication-token.html';

const WORDS: GroupWords = { product: 'libpq', caRejects: 'libpq fails with "certificate verify failed"' };

/** A typo's intended mode. */
export function sslmodeFix(v: string): SslMode | undefined {
  const s = v.trim().toLowerCase().replace(/[_ ]/g, '-');
  if ((SSLMODES as readonly string[]).includes(s)) return s as SslMode;
  const alias: Record<string, SslMode> = {
    required: 'require',
    true: 'require',
    on: 'require',
    yes: 'require',
    ssl: 'require',
    false: 'disable',
    off: 'disable',
    no: 'disable',
    none: 'disable',
    disabled: 'disable',
    preferred: 'prefer',
    verifyfull: 'verify-full',
    'verify-identity': 'verify-full',
    full: 'verify-full',
    verifyca: 'verify-ca',
    'verify-ful': 'verify-full',
    'verify-fulll': 'verify-full',
    'verify-c': 'verify-ca',
    'verify-all': 'verify-full',
    verify: 'verify-full',
  };
  return alias[s];
}

type Fix = { kind: 'pg-set-value'; value: string } | { kind: 'chmod-600'; path: string };

function d(range: Range, sev: 1 | 2 | 3 | 4, code: string, message: string, fix?: Fix): Diagnostic {
  return diag(range, sev, code, message, fix ? { fix } : undefined);
}

/** How paths a client or server names reach host files, and whose home ~ is. */
export interface Deploy {
  resolve(value: string): Resolved;
  /** HOME of the user the client runs as, as that process sees it. */
  home: string;
  /** "this machine", "service app of docker-compose.yml". */
  label: string;
  compose?: { composePath: string; service: ComposeService };
}

export function hostDeploy(base: string, processEnv: Record<string, string | undefined>): Deploy {
  const home = processEnv.HOME ?? '/root';
  return { resolve: (v) => resolveThrough(v, { kind: 'host', hostBase: base }, home), home, label: 'this machine' };
}

export function composeDeploy(composePath: string, service: ComposeService, workdir: string): Deploy {
  return {
    resolve: (v) =>
      resolveThrough(v.startsWith('~/') ? '/root/' + v.slice(2) : v, {
        kind: 'compose',
        composePath,
        serviceName: service.name,
        volumes: service.volumes,
        workdir,
      }),
    home: '/root',
    label: `service ${service.name} of ${path.basename(composePath)}`,
    compose: { composePath, service },
  };
}

/** A server certificate the workspace holds for a connection's host, and how it is reached. */
export interface ServerCert {
  leaf: CertInfo;
  hostPath: string;
  /** Names it answers to (compose service names) — undefined: any host. */
  names?: string[];
  /** The certificates of ssl_ca_file, which client certificates must chain to; where it is. */
  clientCas?: { certs: CertInfo[]; where: string };
}

/** The workspace's server a connection reaches: by compose service name, or any local server for localhost. */
function serverFor(serverCerts: ServerCert[], host: string | undefined): ServerCert | undefined {
  if (!host || host.startsWith('/')) return undefined;
  const first = host.split(',')[0];
  return serverCerts.find((s) => !s.names || s.names.includes(first) || /^(localhost|127\.0\.0\.1|::1)$/.test(first));
}

interface Doc {
  path: string;
  text: string;
  lines: LineIndex;
}

const rangeOf = (doc: Doc, s: number, e: number): Range => doc.lines.range(s, e);

// ---------------------------------------------------------------------------------------------
// Client side
// ---------------------------------------------------------------------------------------------

interface Effective {
  params: Map<string, Param & { foreign?: boolean }>;
  conn: ConnInfo;
  /** Where findings about settings from other files go. */
  anchor: Range;
}

/** Connection-string settings win over the service file's, which win over PG* variables (libpq's order). */
function effective(doc: Doc, conn: ConnInfo, env: ConnInfo | undefined, services: ServiceLookup, out: Diagnostic[]): Effective {
  const params = new Map<string, Param & { foreign?: boolean }>();
  for (const [k, p] of env?.params ?? []) if (conn.kind !== 'env') params.set(k, p);
  const svc = conn.params.get('service') ?? env?.params.get('service');
  const anchor = rangeOf(doc, conn.start, Math.min(conn.end, conn.start + 200));
  if (svc && !svc.placeholder) {
    const found = services.find(svc.value);
    if (found.section)
      for (const [k, p] of found.section.conn.params)
        params.set(k, { ...p, foreign: found.foreign, origin: `${p.origin} of ${found.file}` });
    else if (found.file)
      out.push(
        d(
          rangeOf(doc, svc.valueStart, svc.valueEnd),
          Severity.Error,
          'pg-service-unknown',
          `Service "${svc.value}" is not in ${found.file}; libpq fails with 'definition of service "${svc.value}" not found'. Add a [${svc.value}] section or fix the name${found.names.length ? ` (it has ${found.names.join(', ')})` : ''}.`,
        ),
      );
  }
  for (const [k, p] of conn.params) params.set(k, p);
  return { params, conn, anchor };
}

export interface ServiceLookup {
  find(name: string): { section?: ServiceSection; file?: string; foreign: boolean; names: string[] };
}

/** pg_service.conf as libpq finds it: PGSERVICEFILE, else a pg_service.conf / .pg_service.conf in the workspace beside the file or above it. */
export function serviceLookup(
  file: string,
  ws: Workspace,
  processEnv: Record<string, string | undefined>,
  self?: ServiceSection[],
): ServiceLookup {
  return {
    find(name) {
      if (self)
        return { section: self.find((s) => s.name === name), file: path.basename(file), foreign: false, names: self.map((s) => s.name) };
      const candidates: string[] = [];
      if (processEnv.PGSERVICEFILE) candidates.push(processEnv.PGSERVICEFILE);
      let dir = path.dirname(path.resolve(file));
      for (let i = 0; i < 4; i++) {
        candidates.push(path.join(dir, 'pg_service.conf'), path.join(dir, '.pg_service.conf'));
        const up = path.dirname(dir);
        if (up === dir || !ws.isInsideRoots(up)) break;
        dir = up;
      }
      for (const c of candidates) {
        if (ws.kind(c) !== 'file') continue;
        const r = ws.read(c);
        if (!r.ok) continue;
        const sections = ws.derive(c, 'pg-service', (rr) => (rr.ok ? parseServiceFile(Buffer.from(rr.bytes).toString('utf8')) : [])) ?? [];
        const rel = path.relative(path.dirname(path.resolve(file)), c) || path.basename(c);
        return { section: sections.find((s) => s.name === name), file: rel, foreign: true, names: sections.map((s) => s.name) };
      }
      return { foreign: true, names: [] };
    },
  };
}

export interface ClientInputs {
  doc: Doc;
  conn: ConnInfo;
  env?: ConnInfo;
  deploy: Deploy;
  services: ServiceLookup;
  serverCerts: ServerCert[];
  ctx: PgContext;
}

function paramRange(doc: Doc, e: Effective, p: (Param & { foreign?: boolean }) | undefined): Range {
  if (!p || p.foreign) return e.anchor;
  return rangeOf(doc, p.valueStart, p.valueEnd);
}

/** Everything about one connection's TLS settings. */
export function checkClient(inp: ClientInputs, out: Diagnostic[]): void {
  const { doc, deploy, ctx } = inp;
  const e = effective(doc, inp.conn, inp.env, inp.services, out);
  const P = e.params;
  const jdbc = inp.conn.kind === 'jdbc';
  const libpq = ctx.settings.postgresLibpqVersion ?? 16;
  const modeP = P.get('sslmode');
  const root = P.get('sslrootcert');
  const hostP = P.get('host');
  const host = hostP && !hostP.placeholder ? hostP.value : undefined;
  const dsql = !!host && host.split(',').some((h) => DSQL_HOST.test(h));

  let mode: SslMode;
  if (modeP) {
    if (modeP.placeholder) return;
    const v = modeP.value;
    if (v === 'no-verify' && inp.conn.kind === 'uri') {
      // node-postgres (pg-connection-string) reads it as TLS without verification; libpq refuses it.
      out.push(
        d(
          paramRange(doc, e, modeP),
          Severity.Warning,
          'pg-sslmode-driver-only',
          `sslmode=no-verify is understood only by node-postgres (TLS without any verification); libpq, psql and every other driver refuse the URI with 'invalid sslmode value: "no-verify"'. Use sslmode=require for the same effect everywhere, or verify-full with a root file to authenticate the server.`,
          { kind: 'pg-set-value', value: 'require' },
        ),
      );
      return;
    }
    if (!(SSLMODES as readonly string[]).includes(v)) {
      const fix = sslmodeFix(v);
      out.push(
        d(
          paramRange(doc, e, modeP),
          Severity.Error,
          'pg-sslmode-invalid',
          `sslmode "${v}" is not a mode ${jdbc ? 'pgjdbc' : 'libpq'} knows; ${jdbc ? 'the driver refuses the URL' : `libpq fails with 'invalid sslmode value: "${v}"'`}. ${fix ? `Write ${fix}` : 'Use one of ' + SSLMODES.join(', ')}.`,
          fix ? { kind: 'pg-set-value', value: fix } : undefined,
        ),
      );
      return;
    }
    mode = v as SslMode;
  } else {
    const rs = P.get('requiressl');
    mode = root?.value === 'system' && libpq >= 16 && !jdbc ? 'verify-full' : rs?.value === '1' ? 'require' : 'prefer';
  }
  const modeRange = modeP ? paramRange(doc, e, modeP) : e.anchor;

  if (dsql && STRENGTH[mode] < STRENGTH['verify-full']) {
    out.push(
      d(
        hostP && !hostP.foreign ? rangeOf(doc, hostP.valueStart, hostP.valueEnd) : modeRange,
        Severity.Warning,
        'pg-dsql-sslmode',
        `${host} is an Aurora DSQL endpoint and sslmode is ${mode}${modeP ? '' : ' (the default)'}: the connection is encrypted but the server is not authenticated. The DSQL guide recommends sslmode=verify-full with sslrootcert=system (libpq 16+) or a file holding Amazon Root CA 1.`,
        { kind: 'pg-set-value', value: 'verify-full' },
      ),
    );
  }

  // sslrootcert=system (libpq 16: the system's trusted roots; older libpq: a file named "system").
  let rootFile: { value: string; explicit: boolean } | undefined;
  if (root && !root.placeholder && root.value === 'system' && !jdbc) {
    if (libpq >= 16) {
      if (modeP && mode !== 'verify-full') {
        out.push(
          d(
            modeRange,
            Severity.Error,
            'pg-rootcert-system-weak',
            `sslrootcert=system trusts every certificate any public CA issues, so libpq requires verify-full with it and fails with 'weak sslmode "${mode}" may not be used with sslrootcert=system (use "verify-full")'. Set sslmode=verify-full.`,
            { kind: 'pg-set-value', value: 'verify-full' },
          ),
        );
      }
      return checkClientCert(inp, e, jdbc, out);
    }
    if (STRENGTH[mode] >= STRENGTH['verify-ca']) {
      out.push(
        d(
          paramRange(doc, e, root),
          Severity.Error,
          'pg-rootcert-system-old-libpq',
          `sslrootcert=system needs libpq 16 or later; libpq ${libpq} (setting tlsConfig.postgres.libpqVersion) reads it as a file named "system" and fails with 'root certificate file "system" does not exist'. Upgrade the client, or point sslrootcert at a CA file (on Debian /etc/ssl/certs/ca-certificates.crt).`,
        ),
      );
      return checkClientCert(inp, e, jdbc, out);
    }
    rootFile = { value: 'system', explicit: true };
  } else if (root && !root.placeholder && root.value !== '') rootFile = { value: root.value, explicit: true };
  else if (!root) rootFile = { value: `${deploy.home}/.postgresql/root.crt`, explicit: false };

  const verify = STRENGTH[mode] >= STRENGTH['verify-ca'];
  let cas: CertInfo[] | undefined;
  let rootSlot: LoadedSlot | undefined;
  if (rootFile && mode !== 'disable' && mode !== 'allow') {
    const r = deploy.resolve(rootFile.value);
    const shown = rootFile.value;
    const at = rootFile.explicit ? paramRange(doc, e, root) : modeRange;
    const kind = r.ok ? ctx.ws.kind(r.hostPath) : 'missing';
    if (!r.ok && r.reason === 'named-volume') {
      // A named volume: cannot be checked from here.
    } else if (!r.ok) {
      // No mount of the client's service covers it: the image or a start script may provide it.
      if (verify)
        out.push(
          d(
            at,
            Severity.Information,
            'pg-path-not-mounted',
            `sslmode=${mode} needs the root file ${shown}, and no volume of ${deploy.label} provides it, so it must come from the image or a start script; if it is not there, libpq fails with 'root certificate file "${shown}" does not exist'. Mount the CA file (for example ./certs/ca.crt:${shown}:ro) to have it checked.`,
          ),
        );
    } else if (kind === 'missing') {
      if (verify) {
        out.push(
          d(
            at,
            Severity.Error,
            'pg-rootcert-missing',
            `sslmode=${mode} needs the CA certificate that signed the server, but ${rootFile.explicit ? `the root file ${shown}` : `no sslrootcert is set and the default ${shown}`} does not exist${r.ok && r.containerPath ? ` (no mount of ${deploy.label} provides it)` : r.ok && r.hostPath !== shown ? ` (${r.hostPath})` : ''}; ${jdbc ? `pgjdbc fails with "Could not open SSL root certificate file ${shown}"` : `libpq fails with 'root certificate file "${shown}" does not exist'`}. ${rootFile.explicit ? 'Create the file or fix the path' : 'Set sslrootcert to the CA file'}${libpq >= 16 ? ', or use sslrootcert=system for a server with a publicly trusted certificate' : ''}.`,
          ),
        );
      }
    } else if (r.ok && (kind === 'file' || kind === 'directory')) {
      rootSlot = loadSlot(
        {
          role: 'ca',
          key: rootFile.explicit ? 'sslrootcert' : `the default root file ${shown}`,
          range: at,
          consumer: 'libpq',
          hostPath: r.hostPath,
          where: r.containerPath ? `${r.containerPath} → host ${rel(doc, r.hostPath)}` : rel(doc, r.hostPath),
        },
        WORDS,
        ctx,
        out,
      );
      cas = rootSlot ? certificates(rootSlot.items).map((c) => c.cert) : undefined;
      if (rootSlot && cas && cas.length > 0) {
        if (!cas.some((c) => isCa(c) || c.selfSigned)) {
          out.push(
            d(
              at,
              Severity.Error,
              'pg-rootcert-not-ca',
              `${rel(doc, r.hostPath)} holds no CA certificate (${cas[0].subject} is a leaf issued by ${cas[0].issuer}); OpenSSL cannot build a chain to it and libpq fails with "certificate verify failed". Put the CA certificate that issued the server certificate in it.`,
            ),
          );
        }
        if (dsql && !cas.some((c) => c.publicKey.spkiSha256 === AMAZON_ROOT_CA_1_SPKI)) {
          out.push(
            d(
              at,
              Severity.Error,
              'pg-dsql-root-ca',
              `${host} is an Aurora DSQL endpoint, whose certificate chains to Amazon Root CA 1, but ${rel(doc, r.hostPath)} does not hold it (${cas.length} certificate${cas.length === 1 ? '' : 's'}: ${cas
                .slice(0, 2)
                .map((c) => c.subjectCN ?? c.subject)
                .join(
                  ', ',
                )}${cas.length > 2 ? ', …' : ''}); libpq fails with "certificate verify failed". Use a bundle with Amazon Root CA 1 (Debian: /etc/ssl/certs/Amazon_Root_CA_1.pem)${libpq >= 16 ? ' or sslrootcert=system' : ''}.`,
            ),
          );
        }
      }
    }
  }

  // The server certificate, when the workspace holds it: signed by the root file, host in its names.
  if (cas && cas.length && host && !host.startsWith('/') && STRENGTH[mode] >= STRENGTH.require) {
    const firstHost = host.split(',')[0];
    const server = inp.serverCerts.find((s) => !s.names || s.names.includes(firstHost) || /^(localhost|127\.0\.0\.1|::1)$/.test(firstHost));
    if (server) {
      const signed = cas.some((ca) => ca.sha256 === server.leaf.sha256 || issues(ca, server.leaf));
      if (!signed) {
        out.push(
          d(
            rootSlot!.range,
            Severity.Error,
            'pg-rootcert-not-signing',
            `The server certificate ${rel(doc, server.hostPath)} (${server.leaf.subject}, issued by ${server.leaf.issuer}) is not signed by any certificate in ${rootSlot!.where}; libpq fails with "certificate verify failed"${mode === 'require' ? ' (with sslmode=require a root file that exists is used, as verify-ca)' : ''}. Put the CA that issued the server certificate in the root file.`,
          ),
        );
      } else if (mode === 'verify-full' && !hostCheck(server.leaf, firstHost).ok) {
        const names = hostCheck(server.leaf, firstHost).names;
        const first = names[0] ?? '';
        const others = names.length > 1 ? ` (and ${names.length - 1} other name${names.length > 2 ? 's' : ''})` : '';
        out.push(
          d(
            hostP && !hostP.foreign
              ? rangeOf(doc, inp.conn.hosts[0]?.valueStart ?? hostP.valueStart, inp.conn.hosts[0]?.valueEnd ?? hostP.valueEnd)
              : e.anchor,
            Severity.Error,
            'pg-host-mismatch',
            `sslmode=verify-full checks the host name, and ${firstHost} is not among the server certificate's names (${names.join(', ') || server.leaf.subjectCN || 'none'}); libpq fails with 'server certificate for "${first}"${others} does not match host name "${firstHost}"'. Connect to one of those names or reissue the certificate with ${firstHost} as a SAN.`,
          ),
        );
      }
    }
  }
  checkClientCert(inp, e, jdbc, out);
}

/**
 * libpq's host check (fe-secure-common.c, fe-secure-openssl.c verify_peer_name_matches_certificate):
 * SAN entries of the host's type (dNSName for a name, iPAddress for an IP); the CN only when there
 * are none of that type. Returns the names libpq examined, in its order, for its message.
 */
export function hostCheck(leaf: CertInfo, host: string): { ok: boolean; names: string[] } {
  const ip = /^[\d.]+$|:/.test(host);
  const dns = leaf.sans.filter((s) => s.type === 'dns').map((s) => s.value);
  const ips = leaf.sans.filter((s) => s.type === 'ip').map((s) => s.value);
  const names = [...dns, ...ips];
  const useCn = ip ? ips.length === 0 : dns.length === 0;
  if (useCn && leaf.subjectCN) names.push(leaf.subjectCN);
  let ok: boolean;
  try {
    if (ip) ok = (ips.length > 0 && leaf.x509.checkIP(host) !== undefined) || (useCn && leaf.subjectCN === host);
    else ok = leaf.x509.checkHost(host, { subject: useCn ? 'always' : 'never' }) !== undefined;
  } catch {
    ok = false;
  }
  return { ok, names };
}

function rel(doc: Doc, p: string): string {
  const r = path.relative(path.dirname(doc.path), p);
  return r && !r.startsWith('..') && !path.isAbsolute(r) ? r : p;
}

function checkClientCert(inp: ClientInputs, e: Effective, jdbc: boolean, out: Diagnostic[]): void {
  const { doc, deploy, ctx } = inp;
  const P = e.params;
  const certP = P.get('sslcert');
  const keyP = P.get('sslkey');
  const modeP = P.get('sslmode');
  if (modeP?.value === 'disable') return;
  if (!certP || certP.placeholder || certP.value === '') return;
  const cr = deploy.resolve(certP.value);
  if (!cr.ok) return;
  const certRange = paramRange(doc, e, certP);
  const ck = ctx.ws.kind(cr.hostPath);
  if (ck === 'missing') {
    out.push(
      d(
        certRange,
        Severity.Warning,
        'pg-client-cert-missing',
        `The client certificate ${certP.value} does not exist${cr.containerPath ? ` in ${deploy.label}` : ''}; libpq then sends no certificate at all, and a server that requires one ("cert" in pg_hba.conf, clientcert=verify-full) refuses with 'connection requires a valid client certificate'. Fix the path.`,
      ),
    );
    return;
  }
  if (ck !== 'file') return;
  const certSlot = loadSlot(
    {
      role: 'client-cert',
      key: 'sslcert',
      range: certRange,
      consumer: 'libpq',
      hostPath: cr.hostPath,
      where: cr.containerPath ? `${cr.containerPath} → host ${rel(doc, cr.hostPath)}` : rel(doc, cr.hostPath),
    },
    WORDS,
    ctx,
    out,
  );
  const leaf = certSlot ? certificates(certSlot.items)[0]?.cert : undefined;
  const hostP = P.get('host');
  const server = serverFor(inp.serverCerts, hostP && !hostP.placeholder ? hostP.value : undefined);
  if (leaf && server?.clientCas?.certs.length && !server.clientCas.certs.some((ca) => ca.sha256 === leaf.sha256 || issues(ca, leaf))) {
    out.push(
      d(
        certRange,
        Severity.Error,
        'pg-client-cert-not-trusted',
        `The client certificate ${rel(doc, cr.hostPath)} (${leaf.subject}, issued by ${leaf.issuer}) is not signed by the server's ssl_ca_file ${rel(doc, server.clientCas.where)}; the server rejects it and libpq fails with "SSL error: tlsv1 alert unknown ca". Issue the client certificate from that CA, or add its CA to ssl_ca_file.`,
      ),
    );
  }
  if (leaf?.extKeyUsage?.length && !leaf.extKeyUsage.includes('clientAuth') && !leaf.extKeyUsage.includes('anyExtendedKeyUsage')) {
    out.push(
      d(
        certRange,
        Severity.Error,
        'pg-client-cert-eku',
        `The client certificate ${rel(doc, cr.hostPath)} has extended key usage ${leaf.extKeyUsage.join(', ')} without clientAuth; the server's OpenSSL rejects it ("unsupported certificate purpose"). Reissue it with EKU clientAuth.`,
      ),
    );
  }
  const keyValue = keyP && !keyP.placeholder && keyP.value ? keyP.value : `${deploy.home}/.postgresql/postgresql.key`;
  const kr = deploy.resolve(keyValue);
  if (!kr.ok) return;
  const keyRange = keyP ? paramRange(doc, e, keyP) : certRange;
  const kk = ctx.ws.kind(kr.hostPath);
  if (kk === 'missing') {
    out.push(
      d(
        keyRange,
        Severity.Error,
        'pg-client-key-missing',
        `The client certificate is set but its key ${keyValue} does not exist${keyP ? '' : ' (no sslkey is set; this is the default)'}; libpq fails with 'certificate present, but not private key file "${keyValue}"'. ${keyP ? 'Fix the path' : 'Set sslkey to the key file'}.`,
      ),
    );
    return;
  }
  if (kk !== 'file') return;
  const read = ctx.ws.read(kr.hostPath);
  if (read.ok && read.uid !== undefined) {
    const bad = read.uid === 0 ? read.mode & 0o037 : read.mode & 0o077;
    if (bad) {
      out.push(
        d(
          keyRange,
          Severity.Error,
          'pg-client-key-permissions',
          `The client key ${rel(doc, kr.hostPath)} is mode ${(read.mode & 0o777).toString(8).padStart(4, '0')}${read.uid === 0 ? ' (owned by root)' : ''}; libpq refuses it: 'private key file "${keyValue}" has group or world access; file must have permissions u=rw (0600) or less if owned by the current user, or permissions u=rw,g=r (0640) or less if owned by root'. Run chmod 600 on it.`,
          read.uid === 0 ? undefined : { kind: 'chmod-600', path: kr.hostPath },
        ),
      );
    }
  }
  const loaded = loadPemFile(kr.hostPath, ctx.ws);
  if (jdbc) {
    // pgjdbc reads sslkey as PKCS#8 DER unless it is a .p12/.pfx keystore.
    if (/\.(p12|pfx)$/i.test(kr.hostPath)) return;
    if (loaded.contents && !loaded.contents.der) {
      out.push(
        d(
          keyRange,
          Severity.Warning,
          'pg-jdbc-key-format',
          `pgjdbc reads sslkey as a PKCS#8 DER file (.pk8) or a PKCS#12 keystore (.p12), but ${rel(doc, kr.hostPath)} is PEM; the driver fails to read the key. Convert it: openssl pkcs8 -topk8 -inform PEM -outform DER -nocrypt -in ${path.basename(kr.hostPath)} -out ${path.basename(kr.hostPath).replace(/\.[^.]*$/, '')}.pk8.`,
        ),
      );
    }
    return;
  }
  const keySlot = loadSlotQuiet(
    {
      role: 'client-key',
      key: 'sslkey',
      range: keyRange,
      consumer: 'libpq',
      hostPath: kr.hostPath,
      where: kr.containerPath ? `${kr.containerPath} → host ${rel(doc, kr.hostPath)}` : rel(doc, kr.hostPath),
    },
    !!P.get('sslpassword'),
    ctx,
    out,
  );
  const key = keySlot ? privateKeys(keySlot.items)[0]?.key : undefined;
  if (leaf && key?.publicKey && key.publicKey.spkiSha256 !== leaf.publicKey.spkiSha256) {
    out.push(
      d(
        keyRange,
        Severity.Error,
        'pg-client-key-mismatch',
        `The key ${rel(doc, kr.hostPath)} does not belong to the client certificate ${rel(doc, cr.hostPath)} (${leaf.subject}); libpq fails with 'could not load private key file "${keyValue}": key values mismatch'. Point sslkey at the key the certificate was issued for.`,
      ),
    );
  }
}

/** loadSlot with libpq's view of encrypted keys: they work with sslpassword (or an interactive prompt). */
function loadSlotQuiet(
  slot: Parameters<typeof loadSlot>[0],
  hasPassword: boolean,
  ctx: PgContext,
  out: Diagnostic[],
): LoadedSlot | undefined {
  const mine: Diagnostic[] = [];
  const r = loadSlot(slot, WORDS, ctx, mine);
  for (const x of mine) {
    if (x.code === 'tls-key-encrypted') {
      if (hasPassword) continue;
      x.severity = Severity.Warning;
      x.message = `${slot.key}: ${slot.where} is an encrypted private key; libpq asks for its passphrase on a terminal and fails without one ("could not load private key file ... bad decrypt"). Set sslpassword, or decrypt it: openssl pkey -in FILE -out FILE.unencrypted (and chmod 600).`;
    }
    out.push(x);
  }
  return r;
}

// ---------------------------------------------------------------------------------------------
// Server side
// ---------------------------------------------------------------------------------------------

export interface ServerSetting {
  value: string;
  range: Range;
  keyRange: Range;
}

export interface ServerInputs {
  doc: Doc;
  settings: Map<string, ServerSetting>;
  /** Where findings about defaults go (the ssl setting). */
  anchor: Range;
  deploy: Deploy;
  /** The database user's uid when known (official image: 999); undefined: any owner but root counts as the user. */
  dbUid?: number;
  /** pg_hba.conf text and name, when at hand. */
  hba?: { text: string; file: string };
  ctx: PgContext;
}

/** ssl=on: the certificate and key load, the key's owner and mode, the pair matches, ssl_ca_file when pg_hba.conf needs it. */
export function checkServer(inp: ServerInputs, out: Diagnostic[]): ServerCert | undefined {
  const { doc, settings: S, deploy, ctx } = inp;
  const ssl = S.get('ssl');
  if (!ssl || gucBool(ssl.value) !== true) return undefined;
  const certS = S.get('ssl_cert_file');
  const keyS = S.get('ssl_key_file');
  const caS = S.get('ssl_ca_file');
  const certValue = certS?.value || 'server.crt';
  const keyValue = keyS?.value || 'server.key';
  const cr = deploy.resolve(certValue);
  const kr = deploy.resolve(keyValue);
  let leaf: CertInfo | undefined;
  let certHost: string | undefined;
  const where = (r: Resolved & { ok: true }) =>
    r.containerPath ? `${r.containerPath} → host ${rel(doc, r.hostPath)}` : rel(doc, r.hostPath);
  if (cr.ok) {
    const slot = loadSlot(
      {
        role: 'server-cert',
        key: certS ? 'ssl_cert_file' : 'ssl_cert_file (default server.crt)',
        range: certS?.range ?? inp.anchor,
        consumer: 'libpq',
        hostPath: cr.hostPath,
        where: where(cr),
      },
      { ...WORDS, product: 'PostgreSQL' },
      ctx,
      out,
    );
    leaf = slot ? certificates(slot.items)[0]?.cert : undefined;
    certHost = cr.hostPath;
    if (leaf) {
      const dates = judgeDates(leaf, ctx.now, ctx.settings.expiryWarningDays);
      if (dates?.code === 'tls-cert-expired')
        out.push(
          d(
            certS?.range ?? inp.anchor,
            Severity.Error,
            'tls-cert-expired',
            `${rel(doc, cr.hostPath)} expired on ${leaf.notAfter.toISOString().slice(0, 10)}; PostgreSQL still starts, but every verifying client fails with "certificate verify failed" (certificate has expired). Renew it.`,
          ),
        );
    }
  }
  if (kr.ok) {
    const kind = ctx.ws.kind(kr.hostPath);
    const keyRange = keyS?.range ?? inp.anchor;
    if (kind === 'file') {
      const read = ctx.ws.read(kr.hostPath);
      if (read.ok && read.uid !== undefined) {
        const shown = kr.containerPath ?? keyValue;
        if (inp.dbUid !== undefined && read.uid !== inp.dbUid && read.uid !== 0) {
          out.push(
            d(
              keyRange,
              Severity.Error,
              'pg-server-key-owner',
              `${rel(doc, kr.hostPath)} is owned by uid ${read.uid}, but PostgreSQL ${deploy.compose ? `in ${deploy.label}` : `(the owner of ${path.basename(doc.path)})`} runs as uid ${inp.dbUid}; it refuses to start: 'private key file "${shown}" must be owned by the database user or root'. chown ${inp.dbUid} (and chmod 600) the file, or chown root and chmod 640.`,
            ),
          );
        } else {
          const bad = read.uid === 0 ? read.mode & 0o037 : read.mode & 0o077;
          if (bad)
            out.push(
              d(
                keyRange,
                Severity.Error,
                'pg-server-key-permissions',
                `${rel(doc, kr.hostPath)} is mode ${(read.mode & 0o777).toString(8).padStart(4, '0')}${read.uid === 0 ? ' (owned by root)' : ''}; PostgreSQL refuses to start: 'private key file "${shown}" has group or world access' (0600 or less if owned by the database user, 0640 or less if owned by root). Run chmod ${read.uid === 0 ? '640' : '600'} on it.`,
                read.uid === 0 ? undefined : { kind: 'chmod-600', path: kr.hostPath },
              ),
            );
        }
      }
    }
    const keyDiags: Diagnostic[] = [];
    const slot2 = loadSlot(
      {
        role: 'server-key',
        key: keyS ? 'ssl_key_file' : 'ssl_key_file (default server.key)',
        range: keyRange,
        consumer: 'libpq',
        hostPath: kr.hostPath,
        where: where(kr),
      },
      { ...WORDS, product: 'PostgreSQL' },
      ctx,
      keyDiags,
    );
    for (const x of keyDiags) {
      if (x.code === 'tls-key-encrypted')
        x.message = `${rel(doc, kr.hostPath)} is an encrypted private key; PostgreSQL can only load it with ssl_passphrase_command and otherwise fails to start ("could not load private key file"). Decrypt it: openssl pkey -in FILE -out FILE.unencrypted.`;
      out.push(x);
    }
    const key = slot2 ? privateKeys(slot2.items)[0]?.key : undefined;
    if (leaf && key?.publicKey && key.publicKey.spkiSha256 !== leaf.publicKey.spkiSha256) {
      out.push(
        d(
          keyRange,
          Severity.Error,
          'pg-server-key-mismatch',
          `The key ${rel(doc, kr.hostPath)} does not belong to the certificate ${certHost ? rel(doc, certHost) : certValue} (${leaf.subject}); PostgreSQL refuses to start: 'could not load private key file "${kr.containerPath ?? keyValue}": key values mismatch'. Point ssl_key_file at the key the certificate was issued for.`,
        ),
      );
    }
  }
  const caSet = caS && caS.value !== '';
  let clientCas: ServerCert['clientCas'];
  if (caSet) {
    const r = deploy.resolve(caS.value);
    if (r.ok) {
      const slot = loadSlot(
        { role: 'ca', key: 'ssl_ca_file', range: caS.range, consumer: 'libpq', hostPath: r.hostPath, where: where(r) },
        { ...WORDS, product: 'PostgreSQL' },
        ctx,
        out,
      );
      if (slot) clientCas = { certs: certificates(slot.items).map((c) => c.cert), where: r.hostPath };
    }
  }
  if (inp.hba && !caSet) {
    const need = hbaCertLine(inp.hba.text);
    if (need)
      out.push(
        d(
          caS?.range ?? inp.anchor,
          Severity.Error,
          'pg-hba-cert-without-ca',
          `${inp.hba.file} line ${need.line} (${need.text}) checks client certificates, but ssl_ca_file is not set; the server starts, but every connection that line matches fails with "FATAL: client certificates can only be checked if a root certificate store is available". Set ssl_ca_file to the CA that issues the client certificates.`,
        ),
      );
  }
  return leaf && certHost ? { leaf, hostPath: certHost, clientCas } : undefined;
}

/** The first pg_hba.conf line that needs client certificates: method cert, or clientcert=verify-ca|verify-full. */
export function hbaCertLine(text: string): { line: number; text: string } | undefined {
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const t = lines[i].replace(/#.*/, '').trim();
    if (!t) continue;
    const f = t.split(/\s+/);
    if (!/^host(ssl)?$/.test(f[0]) && f[0] !== 'local') continue;
    if (f.some((x) => x === 'cert') || /clientcert=(verify-ca|verify-full|1)\b/.test(t)) return { line: i + 1, text: t };
  }
  return undefined;
}

export function confToSettings(doc: Doc, conf: Map<string, ConfSetting>): Map<string, ServerSetting> {
  const out = new Map<string, ServerSetting>();
  for (const [k, s] of conf)
    out.set(k, { value: s.value, range: rangeOf(doc, s.valueStart, s.valueEnd), keyRange: rangeOf(doc, s.keyStart, s.keyEnd) });
  return out;
}

// ---------------------------------------------------------------------------------------------
// Documents
// ---------------------------------------------------------------------------------------------

export type FileKind = 'postgresql.conf' | 'pg_service.conf' | 'config';

export function fileKind(file: string): FileKind {
  const b = path.basename(file).toLowerCase();
  if (/^postgresql(\.auto)?\.conf$/.test(b) || /^postgresql.*\.conf(\.sample)?$/.test(b)) return 'postgresql.conf';
  if (/^\.?pg_service\.conf$/.test(b)) return 'pg_service.conf';
  return 'config';
}

function docOf(file: string, text: string): Doc {
  return { path: path.resolve(file), text, lines: new LineIndex(text) };
}

/** Server certificates of the workspace near a file: compose Postgres services beside it, a postgresql.conf beside it. */
function serverCertsNear(file: string, ctx: PgContext): ServerCert[] {
  const out: ServerCert[] = [];
  const dir = path.dirname(path.resolve(file));
  for (const c of candidateComposeFiles(file, ctx.ws)) {
    if (path.dirname(c) !== dir) continue;
    const r = ctx.ws.read(c);
    if (!r.ok) continue;
    out.push(...composeServerCerts(c, Buffer.from(r.bytes).toString('utf8'), ctx));
  }
  for (const name of ['postgresql.conf']) {
    const p = path.join(dir, name);
    if (ctx.ws.kind(p) !== 'file') continue;
    const r = ctx.ws.read(p);
    if (!r.ok) continue;
    const text = Buffer.from(r.bytes).toString('utf8');
    const sc = checkServer(
      {
        doc: docOf(p, text),
        settings: confToSettings(docOf(p, text), parsePostgresqlConf(text)),
        anchor: zero,
        deploy: hostDeploy(dir, ctx.processEnv),
        ctx,
      },
      [],
    );
    if (sc) out.push(sc);
  }
  return out;
}

const zero: Range = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };

function composeServerCerts(composePath: string, text: string, ctx: PgContext): ServerCert[] {
  const out: ServerCert[] = [];
  const model = loadCompose(composePath, ctx.ws, ctx.processEnv);
  if (!model) return out;
  const doc = docOf(composePath, text);
  for (const s of parsePgCompose(text)) {
    if (!isPostgresServer(s)) continue;
    const svc = model.services.find((x) => x.name === s.name);
    if (!svc) continue;
    const settings = flagSettings(doc, s);
    const sc = checkServer({ doc, settings, anchor: zero, deploy: composeDeploy(composePath, svc, pgdata(s)), ctx }, []);
    if (sc) out.push({ ...sc, names: s.names });
  }
  return out;
}

function pgdata(s: PgComposeService): string {
  return s.environment.get('PGDATA')?.value || '/var/lib/postgresql/data';
}

function flagSettings(doc: Doc, s: PgComposeService): Map<string, ServerSetting> {
  const settings = new Map<string, ServerSetting>();
  for (const [k, f] of s.flags)
    settings.set(k, {
      value: f.value.value,
      range: rangeOf(doc, f.value.start, f.value.end),
      keyRange: rangeOf(doc, f.name.start, f.name.end),
    });
  return settings;
}

/** A document parsed once per version: what validation and hover share. */
export interface PgModel {
  kind: FileKind;
  conf?: Map<string, ConfSetting>;
  sections?: ServiceSection[];
  scanned?: ReturnType<typeof scanText>;
}

export function parsePgDocument(file: string, text: string): PgModel {
  const kind = fileKind(file);
  if (kind === 'postgresql.conf') return { kind, conf: parsePostgresqlConf(text) };
  if (kind === 'pg_service.conf') return { kind, sections: parseServiceFile(text) };
  return { kind, scanned: scanText(text) };
}

/** A non-compose document: .env, YAML/JSON/properties configs, pg_service.conf, postgresql.conf. */
export function validateFile(file: string, text: string, ctx: PgContext, model: PgModel = parsePgDocument(file, text)): Diagnostic[] {
  const out: Diagnostic[] = [];
  const doc = docOf(file, text);
  const kind = model.kind;
  const dir = path.dirname(doc.path);
  if (kind === 'postgresql.conf') {
    const conf = model.conf ?? parsePostgresqlConf(text);
    const settings = confToSettings(doc, conf);
    const ssl = settings.get('ssl');
    if (!ssl) return out;
    const hbaSetting = conf.get('hba_file')?.value;
    const hbaPath = hbaSetting ? path.resolve(dir, hbaSetting) : path.join(dir, 'pg_hba.conf');
    let hba: ServerInputs['hba'];
    if (ctx.ws.kind(hbaPath) === 'file') {
      const r = ctx.ws.read(hbaPath);
      if (r.ok) hba = { text: Buffer.from(r.bytes).toString('utf8'), file: rel(doc, hbaPath) };
    }
    // postgresql.conf lives in the data directory (or /etc/postgresql/…), owned by the database user:
    // its owner, when it is not root, is the user the server runs as.
    const self = ctx.ws.overlayText(doc.path) === undefined ? ctx.ws.read(doc.path) : undefined;
    const dbUid = self?.ok && self.uid !== undefined && self.uid !== 0 ? self.uid : undefined;
    checkServer({ doc, settings, anchor: ssl.range, deploy: hostDeploy(dir, ctx.processEnv), dbUid, hba, ctx }, out);
    return out;
  }
  const deploy = hostDeploy(dir, ctx.processEnv);
  const serverCerts = serverCertsNear(file, ctx);
  if (kind === 'pg_service.conf') {
    const sections = model.sections ?? parseServiceFile(text);
    for (const s of sections) {
      for (const b of s.bad)
        out.push(
          d(
            rangeOf(doc, b.start, b.end),
            Severity.Error,
            'pg-service-syntax',
            `"${b.line}" is not a key=value line; libpq stops reading the file with 'syntax error in service file "${path.basename(file)}"'. Write key=value.`,
          ),
        );
      checkClient({ doc, conn: s.conn, deploy, services: serviceLookup(file, ctx.ws, ctx.processEnv, sections), serverCerts, ctx }, out);
    }
    return out;
  }
  const { conns, env } = model.scanned ?? scanText(text);
  const envC = envConn(env);
  const services = serviceLookup(file, ctx.ws, ctx.processEnv);
  for (const c of conns) checkClient({ doc, conn: c, env: envC, deploy, services, serverCerts, ctx }, out);
  if (envC && (envC.params.has('sslmode') || envC.params.has('sslrootcert') || envC.params.has('sslcert') || envC.params.has('service')))
    checkClient({ doc, conn: envC, deploy, services, serverCerts, ctx }, out);
  return dedupeDiagnostics(out);
}

/** A compose file: the Postgres servers' `-c` flags, the clients' settings per service, `command:` under `environment:`. */
export function validateCompose(composePath: string, ctx: PgContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  const r = ctx.ws.read(composePath);
  if (!r.ok) return out;
  const text = Buffer.from(r.bytes).toString('utf8');
  if (!/postgres|PGSSL|sslmode|ssl=|ssl_cert_file/i.test(text)) return out;
  const doc = docOf(composePath, text);
  const model = loadCompose(composePath, ctx.ws, ctx.processEnv);
  const pg = parsePgCompose(text);
  const serverCerts: ServerCert[] = [];
  for (const s of pg) {
    if (s.commandUnderEnv) {
      out.push(
        d(
          rangeOf(doc, s.commandUnderEnv.start, s.commandUnderEnv.end),
          Severity.Error,
          'pg-command-under-environment',
          `command is indented under environment: of service ${s.name}, so it is only an environment variable named "command" and PostgreSQL never sees its flags (ssl stays off). Move command: out to the level of environment:.`,
        ),
      );
    }
    const svc = model?.services.find((x) => x.name === s.name);
    if (!svc || !isPostgresServer(s) || !s.flags.has('ssl')) continue;
    const settings = flagSettings(doc, s);
    const sc = checkServer(
      {
        doc,
        settings,
        anchor: settings.get('ssl')!.range,
        deploy: composeDeploy(composePath, svc, pgdata(s)),
        dbUid: serverUid(s),
        ctx,
      },
      out,
    );
    if (sc) serverCerts.push({ ...sc, names: s.names });
  }
  const services = serviceLookup(composePath, ctx.ws, ctx.processEnv);
  for (const s of pg) {
    const svc = model?.services.find((x) => x.name === s.name);
    if (!svc) continue;
    const { conns, env } = scanText(text, s.start, s.end);
    const envC = envConn(env);
    const deploy = composeDeploy(composePath, svc, '/');
    for (const c of conns) checkClient({ doc, conn: c, env: envC, deploy, services, serverCerts, ctx }, out);
    if (envC && (envC.params.has('sslmode') || envC.params.has('sslrootcert') || envC.params.has('sslcert')))
      checkClient({ doc, conn: envC, deploy, services, serverCerts, ctx }, out);
  }
  return dedupeDiagnostics(out);
}

export const POSTGRES_DIAGNOSTIC_CODES: DiagnosticCodeInfo[] = [
  {
    code: 'pg-sslmode-invalid',
    severity: 'error',
    summary:
      'sslmode is not disable, allow, prefer, require, verify-ca or verify-full (libpq: "invalid sslmode value"); the fix names the intended mode.',
  },
  {
    code: 'pg-rootcert-system-weak',
    severity: 'error',
    summary:
      'sslrootcert=system with an sslmode weaker than verify-full (libpq 16+: "weak sslmode ... may not be used with sslrootcert=system").',
  },
  {
    code: 'pg-rootcert-system-old-libpq',
    severity: 'error',
    summary: 'sslrootcert=system with libpq older than 16 (tlsConfig.postgres.libpqVersion), which reads it as a file named "system".',
  },
  {
    code: 'pg-rootcert-missing',
    severity: 'error',
    summary:
      'verify-ca / verify-full and the root file (sslrootcert, or ~/.postgresql/root.crt of the user the client runs as) does not exist.',
  },
  {
    code: 'pg-path-not-mounted',
    severity: 'information',
    summary: "Compose: the root file lies in the client's container but no volume provides it (the image may); not checked.",
  },
  { code: 'pg-rootcert-not-ca', severity: 'error', summary: 'The root file holds no CA certificate (a leaf issued by someone else).' },
  {
    code: 'pg-rootcert-not-signing',
    severity: 'error',
    summary: 'The workspace\'s server certificate is not signed by the root file (libpq: "certificate verify failed").',
  },
  {
    code: 'pg-host-mismatch',
    severity: 'error',
    summary:
      'verify-full and the host is not among the server certificate\'s names (libpq: "server certificate for ... does not match host name").',
  },
  {
    code: 'pg-client-cert-missing',
    severity: 'warning',
    summary: 'sslcert names a file that does not exist: libpq silently sends no client certificate.',
  },
  {
    code: 'pg-client-key-missing',
    severity: 'error',
    summary: 'The client certificate exists but its key does not (libpq: "certificate present, but not private key file").',
  },
  {
    code: 'pg-client-key-permissions',
    severity: 'error',
    summary: 'The client key has group or world access (0600, or 0640 owned by root, at most).',
  },
  {
    code: 'pg-client-key-mismatch',
    severity: 'error',
    summary: 'sslkey does not belong to sslcert (libpq: "could not load private key file ...: key values mismatch").',
  },
  {
    code: 'pg-client-cert-not-trusted',
    severity: 'error',
    summary: 'The client certificate is not signed by the workspace server\'s ssl_ca_file ("tlsv1 alert unknown ca").',
  },
  { code: 'pg-client-cert-eku', severity: 'error', summary: 'The client certificate has an EKU without clientAuth.' },
  {
    code: 'pg-jdbc-key-format',
    severity: 'warning',
    summary: 'pgjdbc reads sslkey as PKCS#8 DER (.pk8) or PKCS#12 (.p12); the file is PEM.',
  },
  { code: 'pg-service-unknown', severity: 'error', summary: 'service= names a service the workspace pg_service.conf does not define.' },
  {
    code: 'pg-service-syntax',
    severity: 'error',
    summary: 'A pg_service.conf line that is not key=value (libpq: "syntax error in service file").',
  },
  {
    code: 'pg-dsql-sslmode',
    severity: 'warning',
    summary: 'An Aurora DSQL endpoint with sslmode weaker than verify-full (the DSQL guide recommends verify-full).',
  },
  {
    code: 'pg-dsql-root-ca',
    severity: 'error',
    summary: 'An Aurora DSQL endpoint whose root file lacks Amazon Root CA 1 (compared by SPKI fingerprint).',
  },
  { code: 'pg-server-key-permissions', severity: 'error', summary: 'ssl_key_file has group or world access; the server refuses to start.' },
  {
    code: 'pg-server-key-owner',
    severity: 'error',
    summary: 'ssl_key_file is owned by neither the database user (uid 999 in the official image) nor root; the server refuses to start.',
  },
  {
    code: 'pg-server-key-mismatch',
    severity: 'error',
    summary: 'ssl_key_file does not belong to ssl_cert_file ("key values mismatch"); the server refuses to start.',
  },
  {
    code: 'pg-hba-cert-without-ca',
    severity: 'error',
    summary: 'pg_hba.conf requires client certificates (cert, clientcert=) but ssl_ca_file is not set.',
  },
  {
    code: 'pg-command-under-environment',
    severity: 'error',
    summary: 'Compose: command: indented under environment:, so the -c ssl=on flags never reach PostgreSQL.',
  },
];
