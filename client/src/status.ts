/** The status-bar item: shown only when there is something to say (status-model.ts decides), and a click opens Problems. */
import * as vscode from 'vscode';
import { statusFor, type StatusDiagnostic } from './status-model';

const SOURCE = 'tls-config';
const DEBOUNCE_MS = 250;

function collect(): StatusDiagnostic[] {
  const out: StatusDiagnostic[] = [];
  for (const [uri, diagnostics] of vscode.languages.getDiagnostics()) {
    for (const d of diagnostics) {
      if (d.source !== SOURCE) continue;
      const data = (d as vscode.Diagnostic & { data?: { notAfter?: unknown } }).data;
      out.push({
        file: vscode.workspace.asRelativePath(uri),
        severity:
          d.severity === vscode.DiagnosticSeverity.Error ? 'error' : d.severity === vscode.DiagnosticSeverity.Warning ? 'warning' : 'other',
        code: String(typeof d.code === 'object' ? d.code.value : (d.code ?? '')),
        message: d.message,
        notAfter: typeof data?.notAfter === 'string' ? data.notAfter : undefined,
      });
    }
  }
  return out;
}

export function statusBar(): vscode.Disposable {
  const item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  item.name = 'TLS Config';
  item.command = 'workbench.actions.view.problems';
  let timer: NodeJS.Timeout | undefined;
  const update = () => {
    const view = statusFor(collect(), new Date());
    if (!view) {
      item.hide();
      return;
    }
    item.text = view.text;
    item.tooltip = view.tooltip;
    item.backgroundColor = new vscode.ThemeColor(
      view.kind === 'error' ? 'statusBarItem.errorBackground' : 'statusBarItem.warningBackground',
    );
    item.show();
  };
  const sub = vscode.languages.onDidChangeDiagnostics(() => {
    clearTimeout(timer);
    timer = setTimeout(update, DEBOUNCE_MS);
  });
  update();
  return vscode.Disposable.from(item, sub, { dispose: () => clearTimeout(timer) });
}
