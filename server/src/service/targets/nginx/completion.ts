/** Completion of nginx's TLS directive names at the start of a statement. */
import type { CompletionItem, Position } from 'vscode-languageserver-types';
import { LineIndex } from '../../text';

const DIRECTIVES: [string, string][] = [
  ['ssl_certificate', 'PEM file: the server certificate first, then its intermediates'],
  ['ssl_certificate_key', 'PEM private key of the first certificate of ssl_certificate'],
  ['ssl_client_certificate', 'CA file that issued the client certificates (ssl_verify_client)'],
  ['ssl_trusted_certificate', 'CA file for OCSP stapling and client chains, not sent to clients'],
  ['ssl_verify_client', 'on | off | optional | optional_no_ca'],
  ['ssl_verify_depth', 'intermediates allowed above a client certificate (default 1)'],
  ['ssl_protocols', 'TLSv1.2 TLSv1.3'],
  ['proxy_ssl_certificate', 'client certificate nginx presents to the upstream'],
  ['proxy_ssl_certificate_key', 'key of proxy_ssl_certificate'],
  ['proxy_ssl_trusted_certificate', 'CA file to verify the upstream (proxy_ssl_verify on)'],
  ['proxy_ssl_verify', 'on | off (default off: the upstream is not verified)'],
  ['proxy_ssl_server_name', 'on: send SNI to the upstream'],
];

export function nginxCompletion(text: string, pos: Position): CompletionItem[] {
  const line = new LineIndex(text).lineText(pos.line).slice(0, pos.character);
  const m = /^\s*([a-z_]*)$/.exec(line);
  if (!m) return [];
  return DIRECTIVES.filter(([n]) => n.startsWith(m[1])).map(([label, detail]) => ({ label, detail, kind: 14, insertText: label + ' ' }));
}
