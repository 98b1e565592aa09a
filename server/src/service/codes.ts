/** Every diagnostic code the service can publish, in one table (the README's diagnostics table is generated from it). */
import { PEM_DIAGNOSTIC_CODES } from './pem/lint';
import { COMPOSE_DIAGNOSTIC_CODES } from './compose';
import { MILVUS_DIAGNOSTIC_CODES } from './milvus/validate';

export const GENERAL_DIAGNOSTIC_CODES = [
  { code: 'file-too-large', severity: 'warning', summary: 'Document over 5 MB is not analysed' },
  { code: 'file-unreadable', severity: 'error', summary: 'CLI: a file given cannot be read' },
  { code: 'internal-error', severity: 'warning', summary: 'The checker failed on this file (a bug; other features keep working)' },
  { code: 'compose-tls-path-not-mounted', severity: 'error', summary: 'Compose: a TLS path in the mounted milvus.yaml that no volume covers' },
];

export const ALL_DIAGNOSTIC_CODES: { code: string; severity: string; summary: string }[] = [
  ...MILVUS_DIAGNOSTIC_CODES,
  ...COMPOSE_DIAGNOSTIC_CODES,
  ...PEM_DIAGNOSTIC_CODES.map((c) => ({ ...c, severity: String(c.severity) })),
  ...GENERAL_DIAGNOSTIC_CODES,
];
