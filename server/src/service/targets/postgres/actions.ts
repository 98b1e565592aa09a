/** Quick fixes: replace a mistyped sslmode (or a weak one) with the mode the diagnostic names. */
import type { CodeAction, Diagnostic } from 'vscode-languageserver-types';

export function postgresCodeActions(uri: string, diagnostics: Diagnostic[]): CodeAction[] {
  const out: CodeAction[] = [];
  for (const d of diagnostics) {
    if (typeof d.code !== 'string' || !d.code.startsWith('pg-')) continue;
    const fix = (d.data as { fix?: { kind?: string; value?: unknown } } | undefined)?.fix;
    if (fix?.kind !== 'pg-set-value' || typeof fix.value !== 'string') continue;
    // A weak mode's fix replaces the sslmode value; a DSQL finding on the host only names the mode.
    if (d.code === 'pg-dsql-sslmode') continue;
    out.push({
      title: `Set sslmode to ${fix.value}`,
      kind: 'quickfix',
      diagnostics: [d],
      isPreferred: d.code === 'pg-sslmode-invalid' || d.code === 'pg-sslmode-driver-only',
      edit: { changes: { [uri]: [{ range: d.range, newText: fix.value }] } },
    });
  }
  return out;
}
