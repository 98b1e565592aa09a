/** The shared pipeline's codes: one table whether a certificate is judged in its own file or in a config's slot. */
import type { DiagnosticCodeInfo } from '../targets/target';
import { TLS_FILE_CODES } from './file-lint';
import { TLS_PIPELINE_CODES } from './pipeline';
import { TLS_OPENSSL_CODES } from './openssl';

const seen = new Set<string>();
export const TLS_DIAGNOSTIC_CODES: DiagnosticCodeInfo[] = [...TLS_FILE_CODES, ...TLS_PIPELINE_CODES, ...TLS_OPENSSL_CODES].filter(
  (c) => !seen.has(c.code) && seen.add(c.code),
);
