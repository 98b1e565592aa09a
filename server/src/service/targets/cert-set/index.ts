/**
 * A folder of certificates and keys with no config we know (mkcert, certbot,
 * openssl guides, Kubernetes tls.crt/tls.key): judged as sets. It owns no
 * document of its own; it adds its findings and its hover line to the PEM
 * files of such a folder.
 */
import type { Target } from '../target';
import { CERT_SET_CODES, certSetFindings, certSetSummary } from './checks';

export const certSetTarget: Target<undefined> = {
  id: 'cert-set',
  recognise: () => false,
  parse: () => undefined,
  validate: () => [],
  pemChecks: (doc, contents, ctx) => certSetFindings(doc.path, contents, ctx.ws),
  pemSummary: (file, cert, ctx) => certSetSummary(file, cert, ctx.ws),
  codes: CERT_SET_CODES,
};
