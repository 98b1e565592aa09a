/**
 * The rules on a client call, judged against the Milvus the workspace runs. Each rule is what the
 * client's real stack does: pymilvus is gRPC C-core (BoringSSL in the PyPI wheels), curl is
 * OpenSSL 3; the server is Go's crypto/tls as the Milvus proxy configures it
 * (milvus-io/milvus `internal/distributed/proxy/listener_manager.go`, service.go: tlsMode 2 is
 * `ClientAuth: tls.RequireAndVerifyClientCert` with `ClientCAs` from tls.caPemPath and TLS 1.3).
 * Certificate facts come from the shared pipeline (loadSlot, goVerify, clientCertRefusal,
 * coversName); this file only says which files the client hands its stack and words the findings.
 */
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { diag, Severity } from '../../types';
import type { Doc, DiagnosticCodeInfo, TargetContext } from '../target';
import { loadSlot, clientCertRefusal, goCertificates } from '../../tls/pipeline';
import { goVerify, issues } from '../../tls/chain';
import { coversName } from '../../tls/names';
import { allowsClientAuth } from '../../tls/usages';
import type { GroupWords, LoadedSlot, SlotRole } from '../../tls/slots';
import { privateKeys } from '../../pem/files';
import type { CertInfo } from '../../pem/model';
import { looksLikeMilvusRest, type ClientArg, type ClientCall, type ClientModel, type FileArgRole } from './model';
import { milvusServersNear, serverFor, type MilvusServer } from './server';
import { resolveClientFile } from './files';

const d = (range: Range, sev: 1 | 2 | 3 | 4, code: string, message: string) => diag(range, sev, code, message);

/** What the client's stack does with the call's files. */
export interface ClientPlan {
  /** The file the stack trusts as its root(s); undefined = the system roots. */
  root?: { role: FileArgRole; arg: ClientArg };
  /** The client certificate and key it presents, when it presents one. */
  cert?: ClientArg;
  key?: ClientArg;
  /** Given but not used, with why. */
  ignored: { arg: ClientArg; why: string }[];
  /** Why no client certificate is sent, for the mode-2 finding. */
  noCertBecause: string;
  /** The name the stack verifies (and sends as SNI) and where it comes from. */
  name?: { value: string; arg?: ClientArg; from: string };
}

/** pymilvus `_create_grpc_channel` and curl's options, as a plan (see model.ts for the pymilvus source). */
export function planOf(call: ClientCall): ClientPlan {
  const f = call.files;
  const plan: ClientPlan = { ignored: [], noCertBecause: '' };
  if (call.kind === 'pymilvus') {
    if (f['server-pem']) {
      plan.root = { role: 'server-pem', arg: f['server-pem'] };
      for (const role of ['client-cert', 'client-key', 'ca'] as const) {
        const a = f[role];
        if (a) plan.ignored.push({ arg: a, why: 'server_pem_path is set' });
      }
      plan.noCertBecause =
        f['client-cert'] || f['client-key'] ? ': with server_pem_path set, pymilvus ignores client_pem_path and client_key_path' : '';
    } else if (f['client-cert'] && f['client-key'] && f.ca) {
      plan.root = { role: 'ca', arg: f.ca };
      plan.cert = f['client-cert'];
      plan.key = f['client-key'];
    } else {
      const given = (['client-cert', 'client-key', 'ca'] as const).filter((r) => f[r]);
      for (const role of given)
        plan.ignored.push({ arg: f[role]!, why: 'pymilvus uses client_pem_path, client_key_path and ca_pem_path only all three together' });
      const missing = (['client-cert', 'client-key', 'ca'] as const).filter((r) => !f[r]).map((r) => PY_NAME[r]);
      plan.noCertBecause = given.length
        ? `: ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not set, so pymilvus sends none of them`
        : '';
    }
    const sn = call.serverName;
    if (sn && typeof sn.value === 'string') plan.name = { value: sn.value, arg: sn, from: 'server_name' };
    else if (!sn && call.host) plan.name = { value: call.host, arg: call.uri, from: 'the URI host' };
  } else {
    if (f.ca) plan.root = { role: 'ca', arg: f.ca };
    if (f['client-cert']) {
      plan.cert = f['client-cert'];
      plan.key = f['client-key'];
    } else if (f['client-key']) plan.ignored.push({ arg: f['client-key'], why: '--key without --cert presents nothing' });
    if (call.host) plan.name = { value: call.host, arg: call.uri, from: 'the URL host' };
  }
  return plan;
}

const PY_NAME: Record<FileArgRole, string> = {
  'server-pem': 'server_pem_path',
  ca: 'ca_pem_path',
  'client-cert': 'client_pem_path',
  'client-key': 'client_key_path',
};

function stackOf(call: ClientCall): string {
  return call.kind === 'pymilvus' ? 'pymilvus (gRPC, BoringSSL)' : 'curl (OpenSSL)';
}

function words(call: ClientCall): GroupWords {
  return {
    product: call.kind === 'pymilvus' ? 'pymilvus' : 'curl',
    caRejects: '',
    encryptedKey:
      call.kind === 'pymilvus'
        ? 'pymilvus hands it to grpc.ssl_channel_credentials, which takes no pass phrase, so the channel cannot use it.'
        : 'curl asks for its pass phrase on the terminal (a script stops there); give it with --pass, or',
  };
}

const ROLE: Record<FileArgRole, SlotRole> = { 'server-pem': 'ca', ca: 'ca', 'client-cert': 'client-cert', 'client-key': 'client-key' };

function load(
  call: ClientCall,
  arg: ClientArg,
  role: FileArgRole,
  doc: Doc,
  model: ClientModel,
  ctx: TargetContext,
  out: Diagnostic[],
): LoadedSlot | undefined {
  if (typeof arg.value !== 'string' || call.nonPem) return undefined;
  const file = resolveClientFile(arg.value, doc.path, ctx.ws, model.markdown);
  const found: Diagnostic[] = [];
  const slot = loadSlot(
    {
      role: ROLE[role],
      key: arg.name,
      range: arg.valueRange,
      consumer: call.kind === 'pymilvus' ? 'boringssl' : 'openssl',
      hostPath: file.hostPath,
      where: file.where,
    },
    words(call),
    { ws: ctx.ws, settings: ctx.settings, now: ctx.now },
    found,
  );
  for (const f of found) {
    // A relative path depends on the working directory we assume (and a README names files its reader makes
    // first): missing there, it is a warning; an absolute path that does not exist is an error.
    if (f.code === 'tls-file-missing' && (model.markdown || file.base)) f.severity = Severity.Warning;
    // curl takes an encrypted key with --pass.
    if (f.code === 'tls-key-encrypted' && call.passphrase) continue;
    out.push(f);
  }
  return slot;
}

function certsOf(slot: LoadedSlot | undefined): CertInfo[] {
  return slot ? goCertificates(slot.items).filter((c) => !c.goRefuses) : [];
}

export function validateClient(doc: Doc, model: ClientModel, ctx: TargetContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  let servers: MilvusServer[] | undefined;
  for (const call of model.calls) {
    servers ??= milvusServersNear(doc.path, ctx);
    const server = serverFor(call, servers);
    // A curl to something that is not Milvus's REST API is not ours to judge.
    if (call.kind === 'curl' && !server && !looksLikeMilvusRest(call)) continue;
    judge(call, server, doc, model, ctx, out);
  }
  return out;
}

function judge(
  call: ClientCall,
  server: MilvusServer | undefined,
  doc: Doc,
  model: ClientModel,
  ctx: TargetContext,
  out: Diagnostic[],
): void {
  const at = call.uri?.valueRange ?? call.calleeRange;
  const uriText =
    typeof call.uri?.value === 'string'
      ? call.uri.value
      : call.kind === 'pymilvus'
        ? 'http://localhost:19530 (the default uri)'
        : 'the URL';
  if (call.secure === false) {
    const given = Object.values(call.files).filter((a): a is ClientArg => !!a);
    if (call.kind === 'pymilvus' && given.length)
      out.push(
        d(
          call.secureArg?.valueRange ?? given[0].nameRange ?? given[0].valueRange,
          Severity.Warning,
          'milvus-client-tls-args-ignored',
          `pymilvus opens a plaintext channel here (${call.secureFrom}) and ignores ${given.map((a) => a.name).join(', ')}. Use an https:// uri or pass secure=True.`,
        ),
      );
    if (server && server.mode !== 0)
      out.push(
        d(
          at,
          Severity.Error,
          'milvus-client-plaintext-to-tls',
          `${call.kind === 'pymilvus' ? `${call.callee} dials` : 'curl dials'} ${uriText} without TLS (${call.secureFrom}), but Milvus (${server.label}) has tlsMode ${server.mode} (${server.modeSource}) and expects a TLS handshake: it drops the plaintext connection ("tls: first record does not look like a TLS handshake"; ${call.kind === 'pymilvus' ? `pymilvus: "Fail connecting to server on ${call.host ?? 'localhost'}:${call.port ?? 19530}, illegal connection params or server unavailable"` : 'curl: "Empty reply from server", exit 52; a REST port of its own answers HTTP 400 "Client sent an HTTP request to an HTTPS server"'}). Use an https:// ${call.kind === 'pymilvus' ? 'uri (or secure=True) with server_pem_path or ca_pem_path' : 'URL with --cacert'}${server.mode === 2 ? ' and a client certificate' : ''}.`,
        ),
      );
    return;
  }
  const plan = planOf(call);
  if (call.kind === 'pymilvus' && call.secure === true) {
    const serverPem = call.files['server-pem'];
    const clientGiven = call.files['client-cert'] ?? call.files['client-key'];
    if (serverPem && clientGiven)
      out.push(
        d(
          serverPem.nameRange ?? serverPem.valueRange,
          Severity.Warning,
          'milvus-client-server-pem-drops-client-cert',
          `With server_pem_path set, pymilvus trusts only that file and sends no client certificate: client_pem_path and client_key_path are ignored, so mutual TLS silently becomes one-way and a Milvus with tlsMode 2 refuses the connection ("client didn't provide a certificate"). Remove server_pem_path and give ca_pem_path (the CA) with the client files.`,
        ),
      );
    else if (!serverPem && call.files.ca && !call.files['client-cert'] && !call.files['client-key'] && !call.open)
      out.push(
        d(
          call.files.ca.nameRange ?? call.files.ca.valueRange,
          Severity.Warning,
          'milvus-client-ca-ignored',
          `pymilvus reads ca_pem_path only together with client_pem_path and client_key_path; alone it is ignored and the server is verified against the system roots, which do not hold a private CA. For one-way TLS pass the CA as server_pem_path instead.`,
        ),
      );
    else if (!serverPem && clientGiven && !(call.files['client-cert'] && call.files['client-key'] && call.files.ca) && !call.open) {
      const missing = (['client-cert', 'client-key', 'ca'] as const).filter((r) => !call.files[r]).map((r) => PY_NAME[r]);
      out.push(
        d(
          clientGiven.nameRange ?? clientGiven.valueRange,
          Severity.Warning,
          'milvus-client-cert-not-sent',
          `pymilvus sends the client certificate only when client_pem_path, client_key_path and ca_pem_path are all set; ${missing.join(' and ')} ${missing.length > 1 ? 'are' : 'is'} missing, so it sends none and verifies the server against the system roots. Set ${missing.join(' and ')}.`,
        ),
      );
    }
  }
  // The files the stack opens (pymilvus opens only those it uses; curl every one it is given).
  const opened: [FileArgRole, ClientArg][] = [];
  if (call.kind === 'pymilvus') {
    if (plan.root) opened.push([plan.root.role, plan.root.arg]);
    if (plan.cert) opened.push(['client-cert', plan.cert]);
    if (plan.key) opened.push(['client-key', plan.key]);
  } else for (const [role, arg] of Object.entries(call.files) as [FileArgRole, ClientArg][]) opened.push([role, arg]);
  if (call.secure === undefined && call.kind === 'pymilvus') return;
  const slots = new Map<FileArgRole, LoadedSlot>();
  for (const [role, arg] of opened) {
    const s = load(call, arg, role, doc, model, ctx, out);
    if (s) slots.set(role, s);
  }
  const clientCerts = certsOf(slots.get('client-cert'));
  const clientLeaf = clientCerts[0];
  // The key pair: curl reads the key from the --cert file when --key is not given.
  const keySlot = slots.get('client-key') ?? (call.kind === 'curl' && !call.files['client-key'] ? slots.get('client-cert') : undefined);
  if (clientLeaf && plan.cert) {
    const key = keySlot ? privateKeys(keySlot.items)[0]?.key : undefined;
    if (call.kind === 'curl' && !call.files['client-key'] && !key && !call.nonPem)
      out.push(
        d(
          plan.cert.valueRange,
          Severity.Error,
          'milvus-client-curl-no-key',
          `--cert ${plan.cert.value} holds no private key and no --key is given: curl fails with "unable to set private key file" (exit 58). Add --key with the client's key file.`,
        ),
      );
    else if (key?.publicKey && key.publicKey.spkiSha256 !== clientLeaf.publicKey.spkiSha256)
      out.push(
        d(
          (call.files['client-key'] ?? plan.cert).valueRange,
          Severity.Error,
          'tls-key-mismatch',
          `The private key ${keySlot!.where} does not belong to the client certificate ${slots.get('client-cert')!.where} (${clientLeaf.subject}): ${call.kind === 'pymilvus' ? 'gRPC cannot build the channel credentials from a certificate and a key that do not belong together, so every call fails' : 'curl fails with "unable to set private key file" (exit 58)'}. Point ${call.files['client-key']?.name ?? '--key'} at the key the certificate was issued for.`,
        ),
      );
  }
  if (!server) {
    // No Milvus to compare with; a client certificate that a Go server refuses for its usage is still wrong.
    if (clientLeaf && plan.cert && !allowsClientAuth(clientLeaf))
      out.push(
        d(
          plan.cert.valueRange,
          Severity.Warning,
          'milvus-client-cert-rejected',
          `The client certificate ${slots.get('client-cert')!.where} (${clientLeaf.subject}) has extended key usage ${clientLeaf.extKeyUsage!.join(', ')} without clientAuth: Milvus (Go, tlsMode 2) refuses it ("x509: certificate specifies an incompatible key usage"). Reissue it with \`extendedKeyUsage = clientAuth\`.`,
        ),
      );
    return;
  }
  if (call.secure === undefined) return;
  if (server.mode === 0) {
    out.push(
      d(
        call.secureArg?.valueRange ?? at,
        Severity.Error,
        'milvus-client-tls-to-plaintext',
        `${call.kind === 'pymilvus' ? call.callee : 'curl'} speaks TLS here (${call.secureFrom}), but Milvus (${server.label}) has tlsMode 0 (${server.modeSource}) and serves plaintext: the handshake fails (${call.kind === 'pymilvus' ? `gRPC logs WRONG_VERSION_NUMBER and pymilvus raises "Fail connecting to server on ${call.host ?? 'localhost'}:${call.port ?? 19530}, illegal connection params or server unavailable"` : 'curl: "wrong version number", exit 35'}). Use http:// ${call.kind === 'pymilvus' ? 'without secure=True' : ''}, or turn TLS on in Milvus (common.security.tlsMode: 1 or 2).`,
      ),
    );
    return;
  }
  const leaf = server.serverCert?.certs[0];
  if (leaf && !call.insecure) {
    const rootSlot = plan.root ? slots.get(plan.root.role) : undefined;
    if (plan.root && rootSlot) {
      const roots = certsOf(rootSlot);
      const r = roots.length ? goVerify(leaf, server.serverCert!.certs.slice(1), roots, { now: ctx.now, usage: 'serverAuth' }) : undefined;
      const arg = plan.root.arg;
      if (r?.ok && r.chain.length === 1 && !leaf.selfSigned)
        out.push(
          d(
            arg.valueRange,
            Severity.Error,
            'milvus-client-untrusted-server',
            `${arg.name} ${rootSlot.where} holds the server certificate itself (${leaf.subject}), not the CA that issued it (${leaf.issuer}): ${stackOf(call)} does not accept a pinned leaf and fails with "unable to get local issuer certificate". Point ${arg.name} at the CA certificate (${server.ca?.shown ?? 'the CA file'}).`,
          ),
        );
      else if (r && !r.ok && (r.failure.kind === 'unknown-authority' || r.failure.kind === 'signature'))
        out.push(
          d(
            arg.valueRange,
            Severity.Error,
            'milvus-client-untrusted-server',
            `${arg.name} ${rootSlot.where} does not verify the certificate Milvus (${server.label}) serves, ${server.serverCert!.value} → ${server.serverCert!.shown} (${leaf.subject}, issuer ${leaf.issuer}): ${stackOf(call)} fails with "certificate verify failed: unable to get local issuer certificate". Point ${arg.name} at the CA that issued it${server.ca ? ` (${server.ca.shown})` : ''}.`,
          ),
        );
    } else if (!plan.root && !call.open && !call.capath) {
      const privateCa = leaf.selfSigned || server.ca?.certs.some((c) => issues(c, leaf));
      if (privateCa)
        out.push(
          d(
            call.calleeRange,
            Severity.Error,
            'milvus-client-untrusted-server',
            `No CA is given${plan.ignored.some((i) => i.arg === call.files.ca) ? ' that pymilvus uses' : ''}, so ${stackOf(call)} verifies Milvus's certificate (${leaf.subject}, issuer ${leaf.issuer}) against the system roots, which do not hold this private CA: "certificate verify failed: unable to get local issuer certificate". ${call.kind === 'pymilvus' ? 'Pass the CA as server_pem_path (one-way) or as ca_pem_path with client_pem_path and client_key_path (mutual)' : 'Add --cacert with the CA file'}${server.ca ? ` (${server.ca.shown})` : ''}.`,
          ),
        );
    }
    // server_name may hide in **kwargs; the URI host is then no claim.
    const name = call.open && !call.serverName ? undefined : plan.name;
    if (name && !nameMatches(leaf, name.value)) {
      const sans = leaf.sans.map((s) => s.value).join(', ') || `none; CN ${leaf.subjectCN ?? '(none)'}`;
      out.push(
        d(
          name.from === 'server_name' ? name.arg!.valueRange : (name.arg?.valueRange ?? at),
          Severity.Error,
          'milvus-client-name-not-in-san',
          `${name.from} is ${name.value}, but the certificate Milvus serves (${server.serverCert!.value}) is valid for ${sans}: ${stackOf(call)} fails with "${call.kind === 'pymilvus' ? 'Peer name ' + name.value + ' is not in peer certificate' : 'SSL: no alternative certificate subject name matches target host name'}". ${call.kind === 'pymilvus' ? `Set server_name to one of the certificate's names` : `Dial one of the certificate's names (or pin it with --resolve NAME:PORT:127.0.0.1)`}, or reissue the certificate with ${name.value}.`,
        ),
      );
    }
  }
  if (server.mode === 2) {
    if (!plan.cert) {
      const cause =
        call.files['server-pem'] && (call.files['client-cert'] || call.files['client-key']) ? call.files['server-pem'] : undefined;
      if (!call.open || cause)
        out.push(
          d(
            cause?.nameRange ?? call.calleeRange,
            Severity.Error,
            'milvus-client-no-client-cert',
            `Milvus (${server.label}) has tlsMode 2 (${server.modeSource}) and requires a client certificate, but this call sends none${plan.noCertBecause}. The server ends the handshake with "tls: client didn't provide a certificate" (in TLS 1.3 the client sees it at its first request: "certificate required"). ${call.kind === 'pymilvus' ? 'Pass client_pem_path, client_key_path and ca_pem_path (and no server_pem_path)' : 'Add --cert and --key with the client certificate and key'}.`,
          ),
        );
    } else if (clientLeaf && server.ca?.certs.length) {
      const refused = clientCertRefusal(clientCerts, server.ca.certs, 'tls.caPemPath', ctx.now);
      if (refused)
        out.push(
          d(
            plan.cert.valueRange,
            Severity.Error,
            'milvus-client-cert-rejected',
            `Milvus (${server.label}) refuses the client certificate ${slots.get('client-cert')!.where} (${clientLeaf.subject}): ${refused.why}. Go's server ends the handshake with "${refused.goError}" (the client sees "bad certificate" at its first request). Issue the client certificate from ${server.ca.shown} (tls.caPemPath) with EKU clientAuth.`,
          ),
        );
    }
  }
}

/**
 * The name check of BoringSSL (gRPC's peer name check) and OpenSSL (curl's X509_check_host):
 * the SANs when the certificate has DNS or IP SANs; with no SAN at all, a DNS name falls back to
 * the Common Name (Go does not, which is the server-side finding tls-cert-no-san).
 */
function nameMatches(leaf: CertInfo, name: string): boolean {
  if (leaf.hasSanExtension && leaf.sans.length) return coversName(leaf, name);
  if (/^[\d.]+$|:/.test(name)) return false;
  const cn = (leaf.subjectCN ?? '').toLowerCase();
  return (
    cn === name.toLowerCase() ||
    (cn.startsWith('*.') && name.toLowerCase().endsWith(cn.slice(1)) && !name.slice(0, -cn.length + 1).includes('.'))
  );
}

export const MILVUS_CLIENT_CODES: DiagnosticCodeInfo[] = [
  {
    code: 'milvus-client-plaintext-to-tls',
    severity: 'error',
    summary: 'A pymilvus call or curl without TLS (http://, no secure=True) to a Milvus in the workspace whose tlsMode is 1 or 2',
  },
  {
    code: 'milvus-client-tls-to-plaintext',
    severity: 'error',
    summary: 'secure=True / https:// to a Milvus in the workspace whose effective tlsMode is 0: "wrong version number"',
  },
  {
    code: 'milvus-client-no-client-cert',
    severity: 'error',
    summary: 'tlsMode 2, and the call sends no client certificate (none given, or pymilvus drops it)',
  },
  {
    code: 'milvus-client-cert-rejected',
    severity: 'error',
    summary: "tlsMode 2: the client certificate fails the server's check (not from tls.caPemPath, no clientAuth EKU, expired)",
  },
  {
    code: 'milvus-client-untrusted-server',
    severity: 'error',
    summary:
      'The CA the client trusts (server_pem_path, ca_pem_path, --cacert, or the system roots) does not verify the server certificate',
  },
  {
    code: 'milvus-client-name-not-in-san',
    severity: 'error',
    summary: "server_name (or the URI / URL host) is not in the server certificate's SANs",
  },
  {
    code: 'milvus-client-server-pem-drops-client-cert',
    severity: 'warning',
    summary: 'pymilvus with server_pem_path and client files: it sends no client certificate, so mutual TLS becomes one-way',
  },
  {
    code: 'milvus-client-ca-ignored',
    severity: 'warning',
    summary: 'pymilvus ca_pem_path without client_pem_path and client_key_path: ignored',
  },
  {
    code: 'milvus-client-cert-not-sent',
    severity: 'warning',
    summary: 'pymilvus client_pem_path / client_key_path without all three of them and ca_pem_path: no client certificate is sent',
  },
  {
    code: 'milvus-client-tls-args-ignored',
    severity: 'warning',
    summary: 'pymilvus TLS file arguments on a plaintext channel (http:// and no secure=True): ignored',
  },
  { code: 'milvus-client-curl-no-key', severity: 'error', summary: 'curl --cert without --key, and the certificate file holds no key' },
];
