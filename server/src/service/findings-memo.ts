/**
 * The findings of one document version, kept briefly for the hovers that lead with them (a path
 * hover's status line is the first finding on that setting): a hover right after the keystroke's
 * validation reuses it instead of running every check again. Valid only for the same model (one
 * document version), the same settings, no workspace change since (`Workspace.epoch`: open texts,
 * watcher events) and at most FINDINGS_TTL_MS, as disk changes without a watcher event are seen
 * only by the next read.
 */
import type { Diagnostic } from 'vscode-languageserver-types';
import type { Workspace } from './workspace';

export const FINDINGS_TTL_MS = 2000;

interface Kept {
  file: string;
  epoch: number;
  settings: object;
  at: number;
  findings: Diagnostic[];
}

const kept = new WeakMap<object, Kept>();

export function memoFindings(model: object, file: string, ws: Workspace, run: () => Diagnostic[]): Diagnostic[] {
  const k = kept.get(model);
  const now = Date.now();
  if (k && k.file === file && k.epoch === ws.epoch && k.settings === ws.settings && now - k.at < FINDINGS_TTL_MS) return [...k.findings];
  const findings = run();
  kept.set(model, { file, epoch: ws.epoch, settings: ws.settings, at: now, findings: [...findings] });
  return findings;
}
