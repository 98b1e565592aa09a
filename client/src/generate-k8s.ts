/**
 * The Kubernetes branch of "Generate TLS certs": when the server finds a Milvus resource or Milvus
 * Helm values, offer the Secret + wiring instead of milvus.yaml / compose files. The server writes
 * the files and applies the wiring edit (workspace/applyEdit, so Undo works); this only asks.
 */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { SERVER_COMMANDS as CMD, type DefaultsResult } from '../../server/src/protocol';
import { exec } from './exec';

/** true when the user chose Kubernetes output (done, or cancelled); false to go on with the files wizard. */
export async function offerKubernetes(client: LanguageClient, folder: string, d: DefaultsResult): Promise<boolean> {
  const k = d.kubernetes;
  if (!k) return false;
  const what = k.flavor === 'operator' ? `Milvus resource ${k.name ?? ''}`.trim() : 'Helm values';
  const pick = await vscode.window.showQuickPick(
    [
      {
        label: 'Kubernetes Secret',
        description: `mutual TLS, wired into ${path.basename(k.file)} (${what})`,
        value: true,
      },
      { label: 'Certificate files only', description: 'the step-by-step wizard for milvus.yaml / docker-compose', value: false },
    ],
    { title: 'Generate TLS certs: this workspace deploys Milvus on Kubernetes', ignoreFocusOut: true },
  );
  if (!pick) return true;
  if (!pick.value) return false;
  const r = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Generating TLS certificates and a Kubernetes Secret…' },
    () => exec(client, CMD.generateCerts, { folder, layout: 'k8s' }),
  );
  // The server already said what it did (window/showMessage); open the wired file so the edit can be reviewed.
  if (r.status === 'written' && r.wiring.applied && r.kubernetes?.target) {
    await vscode.window.showTextDocument(vscode.Uri.file(r.kubernetes.target.file), { preview: false });
  }
  return true;
}
