/** Hover on a TLS argument of a pymilvus call or a curl command: what it is, what this call does with it, the file. */
import type { Hover, Position } from 'vscode-languageserver-types';
import { contains } from '../../text';
import type { Doc, TargetContext } from '../target';
import type { ClientArg, ClientCall, ClientModel } from './model';
import { planOf } from './validate';
import { resolveClientFile } from './files';
import { milvusServersNear, serverFor } from './server';

const PYMILVUS: Record<string, string> = {
  uri: 'where pymilvus dials: `https://` turns TLS on (secure=True); the host is the name verified unless server_name is set. Default port 443 for https, 19530 otherwise.',
  secure: 'True: a TLS channel (grpc.secure_channel); False or absent with an http:// uri: plaintext, every TLS argument ignored.',
  server_pem_path:
    'one-way TLS: the PEM file gRPC trusts as its only root (`root_certificates`). Give the CA certificate (a self-signed server certificate works too). With it set, client_pem_path and client_key_path are **not sent**.',
  ca_pem_path:
    'mutual TLS: the CA certificate that verifies the server, used only together with client_pem_path and client_key_path (and no server_pem_path).',
  client_pem_path:
    'mutual TLS: the client certificate chain presented to Milvus, which verifies it against its tls.caPemPath (EKU must allow clientAuth).',
  client_key_path: "mutual TLS: the client certificate's private key (unencrypted PEM).",
  server_name:
    "the name gRPC verifies in the server certificate's SANs and sends as SNI (`grpc.ssl_target_name_override`); without it, the uri host.",
};

const CURL: Record<string, string> = {
  URL: "where curl dials: `https://` is TLS, and the host is the name checked against the server certificate's SANs.",
  '--cacert': "the CA certificate(s) curl verifies the server with, instead of the system's bundle.",
  '--capath': 'a folder of hashed CA certificates (c_rehash) curl verifies the server with.',
  '--cert':
    'the client certificate presented for mutual TLS (`file:passphrase` carries a pass phrase); the key comes from --key, else from this file.',
  '-E': 'the client certificate presented for mutual TLS (`file:passphrase` carries a pass phrase); the key comes from --key, else from this file.',
  '--key': "the client certificate's private key.",
  '--pass': 'the pass phrase of the private key (its value is never shown here).',
  '-k': 'no verification of the server at all: any certificate and any name are accepted.',
  '--insecure': 'no verification of the server at all: any certificate and any name are accepted.',
};

function argAt(model: ClientModel, pos: Position): { call: ClientCall; arg: ClientArg } | undefined {
  for (const call of model.calls) {
    if (!contains(call.range, pos)) continue;
    for (const arg of call.args) if ((arg.nameRange && contains(arg.nameRange, pos)) || contains(arg.valueRange, pos)) return { call, arg };
  }
  return undefined;
}

export function clientHover(doc: Doc, model: ClientModel, pos: Position, ctx: TargetContext): Hover | null {
  const hit = argAt(model, pos);
  if (!hit) return null;
  const { call, arg } = hit;
  const docs = call.kind === 'pymilvus' ? PYMILVUS : CURL;
  const what = docs[arg.name] ?? docs[arg.name.replace(/^-+/, '--')];
  if (!what) return null;
  const parts = [`**${arg.name}** (${call.kind === 'pymilvus' ? 'pymilvus' : 'curl'}) — ${what}`];
  if (arg.via) parts.push(`Value from \`${arg.via.name}\` (line ${arg.via.line + 1}).`);
  const plan = planOf(call);
  const ignored = plan.ignored.find((i) => i.arg === arg);
  if (ignored && call.secure) parts.push(`In this call it is **ignored**: ${ignored.why}.`);
  const isFile = Object.values(call.files).includes(arg);
  if (isFile && typeof arg.value === 'string' && arg.value && arg.name !== '--pass') {
    const f = resolveClientFile(arg.value, doc.path, ctx.ws, model.markdown);
    // One line about the contents: subjects, key types, dates; never key material.
    parts.push(`File: \`${f.where}\` → \`${f.hostPath}\`\n\n${ctx.describeFile(f.hostPath)}`);
  }
  if (arg.name === 'uri' || arg.name === 'URL' || arg.name === 'server_name') {
    const server = serverFor(call, milvusServersNear(doc.path, ctx));
    if (server)
      parts.push(
        `Milvus here: ${server.label}, tlsMode ${server.mode} (${server.modeSource})${server.serverCert ? `, certificate ${server.serverCert.value}` : ''}.`,
      );
  }
  return { contents: { kind: 'markdown', value: parts.join('\n\n') }, range: arg.valueRange };
}
