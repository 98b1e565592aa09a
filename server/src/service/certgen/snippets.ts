/**
 * Copy-paste client snippets for a freshly generated set: pymilvus over gRPC
 * and curl against the RESTful API (same port, same certificates).
 *
 * pymilvus (milvus-io/pymilvus, GrpcHandler._setup_grpc_channel) reads
 * `server_pem_path` as gRPC's *root certificates*, and only when it is empty
 * does it look at `client_pem_path` / `client_key_path` / `ca_pem_path`. So
 * one-way TLS points `server_pem_path` at the CA that signed the server
 * certificate, and mutual TLS must not set `server_pem_path` at all.
 * `server_name` becomes `grpc.ssl_target_name_override`: it must be one of the
 * server certificate's SANs.
 */
import * as path from 'node:path';
import { isIPv6 } from 'node:net';
import type { CertMode } from './options';

export interface SnippetInput {
  mode: CertMode;
  /** The name checked against the server certificate's SANs. */
  serverName: string;
  /** Where clients connect (host name or IP); defaults to serverName. */
  host?: string;
  /** Milvus port; 19530 serves gRPC and REST. */
  port?: number;
  /** Host folder holding ca.pem / client.pem / client.key (as the client machine sees it). */
  dir: string;
}

export interface ClientSnippets {
  pymilvus: string;
  curl: string;
}

export const DEFAULT_MILVUS_PORT = 19530;

export function clientSnippets(input: SnippetInput): ClientSnippets {
  const host = (input.host ?? '').trim() || input.serverName;
  const port = input.port ?? DEFAULT_MILVUS_PORT;
  const file = (name: string) => joinLike(input.dir, name);
  const uri = `https://${urlHost(host)}:${port}`;

  const py = (s: string) => JSON.stringify(s); // a JSON string is a valid Python string literal
  const args =
    input.mode === 'mutual'
      ? [
          `uri=${py(uri)}`,
          'secure=True',
          `client_pem_path=${py(file('client.pem'))}`,
          `client_key_path=${py(file('client.key'))}`,
          `ca_pem_path=${py(file('ca.pem'))}`,
          `server_name=${py(input.serverName)}`,
        ]
      : [`uri=${py(uri)}`, 'secure=True', `server_pem_path=${py(file('ca.pem'))}`, `server_name=${py(input.serverName)}`];
  const comment =
    input.mode === 'mutual'
      ? '# Two-way TLS (tlsMode: 2): the client proves itself with client.pem / client.key.'
      : '# One-way TLS (tlsMode: 1): pymilvus uses server_pem_path as the trusted root,\n# so it points at the CA that signed server.pem.';
  const pymilvus = [
    'from pymilvus import MilvusClient',
    '',
    comment,
    'client = MilvusClient(',
    ...args.map((a) => `    ${a},`),
    ')',
    'print(client.list_collections())',
    '',
  ].join('\n');

  // curl checks the name in the URL; when clients dial another address than
  // the certificate name, keep the name in the URL and reroute the connection.
  const sameName = host.toLowerCase() === input.serverName.toLowerCase();
  const url = `https://${urlHost(input.serverName)}:${port}/v2/vectordb/collections/list`;
  const curlArgs = ['curl', '--cacert', sh(file('ca.pem'))];
  if (input.mode === 'mutual') curlArgs.push('--cert', sh(file('client.pem')), '--key', sh(file('client.key')));
  if (!sameName) curlArgs.push('--connect-to', sh(`${urlHost(input.serverName)}:${port}:${urlHost(host)}:${port}`));
  curlArgs.push('-X', 'POST', '-H', sh('Content-Type: application/json'), '-d', sh('{}'), sh(url));
  const curl = curlArgs.join(' ') + '\n';

  return { pymilvus, curl };
}

function urlHost(h: string): string {
  return isIPv6(h) ? `[${h}]` : h;
}

/** Joins with the separator style the folder already uses (a Windows folder stays Windows). */
function joinLike(dir: string, name: string): string {
  const windows = /^[A-Za-z]:[\\/]|^\\\\/.test(dir) || (dir.includes('\\') && !dir.includes('/'));
  return windows ? path.win32.join(dir, name) : path.posix.join(dir, name);
}

/** POSIX shell quoting: bare when safe, else single quotes. */
function sh(s: string): string {
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
