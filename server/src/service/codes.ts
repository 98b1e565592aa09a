/** Every diagnostic code the service can publish, in one table (the README's diagnostics table is generated from it). */
import { TARGETS } from './targets/registry';
import type { DiagnosticCodeInfo } from './targets/target';
import { TLS_DIAGNOSTIC_CODES } from './tls/codes';

export const GENERAL_DIAGNOSTIC_CODES: DiagnosticCodeInfo[] = [
  { code: 'file-too-large', severity: 'warning', summary: 'Document over 5 MB is not analysed' },
  { code: 'file-unreadable', severity: 'error', summary: 'CLI: a file given cannot be read' },
  {
    code: 'untrusted-not-checked',
    severity: 'information',
    summary: 'Restricted Mode: checks that read other files were skipped; trusting the folder shows them',
  },
  { code: 'internal-error', severity: 'warning', summary: 'The checker failed on this file (a bug; other features keep working)' },
];

export const ALL_DIAGNOSTIC_CODES: DiagnosticCodeInfo[] = [
  ...TLS_DIAGNOSTIC_CODES,
  ...TARGETS.flatMap((t) => t.codes),
  ...GENERAL_DIAGNOSTIC_CODES,
];
