/** SARIF 2.1.0 as GitHub code scanning accepts it: one rule per code, 1-based regions, relative URIs. */
import type { Finding } from '../cli';
import { ALL_DIAGNOSTIC_CODES } from '../service/codes';

const LEVEL: Record<Finding['severity'], 'error' | 'warning' | 'note'> = {
  error: 'error',
  warning: 'warning',
  information: 'note',
  hint: 'note',
};

export function toSarif(findings: Finding[], base: string): object {
  const codes = [...new Set(findings.map((f) => f.code))].sort();
  const summaries = new Map(ALL_DIAGNOSTIC_CODES.map((c) => [c.code, c.summary]));
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'tls-config',
            informationUri: 'https://example.invalid/tls-config',
            version: '0.1.0',
            rules: codes.map((c) => ({
              id: c,
              name: c,
              shortDescription: { text: summaries.get(c) ?? c },
              helpUri: 'https://example.invalid/tls-config#diagnostics',
            })),
          },
        },
        originalUriBaseIds: { SRCROOT: { uri: 'file://' + base.replace(/\/?$/, '/') } },
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: codes.indexOf(f.code),
          level: LEVEL[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: { uri: f.file, uriBaseId: 'SRCROOT' },
                region: {
                  startLine: f.range.start.line + 1,
                  startColumn: f.range.start.character + 1,
                  endLine: f.range.end.line + 1,
                  endColumn: Math.max(f.range.end.character + 1, f.range.start.line === f.range.end.line ? f.range.start.character + 2 : 1),
                },
              },
            },
          ],
        })),
      },
    ],
  };
}
