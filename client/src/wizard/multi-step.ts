/**
 * Renders the step machine as one multi-step QuickInput flow, as VS Code's "multi-step input"
 * sample does (createQuickPick / createInputBox with step and totalSteps, QuickInputButtons.Back):
 * each answer is checked by the machine (the server's validation) while typing and on Enter,
 * and a refused answer stays on its step with the reason.
 */
import * as vscode from 'vscode';
import type { GenerateWizard, StepView, PickItem } from './generate-steps';

type Outcome = 'next' | 'back' | 'cancel';

/** Asks every step; true when all answers are in, false when the user closed the flow. */
export async function runWizard(w: GenerateWizard): Promise<boolean> {
  while (!w.done) {
    const v = w.view()!;
    const r = v.kind === 'pick' ? await pick(w, v) : await input(w, v);
    if (r === 'cancel') return false;
    if (r === 'back') w.back();
  }
  return true;
}

function common(q: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox, v: StepView): void {
  q.title = v.title;
  q.step = v.step;
  q.totalSteps = v.totalSteps;
  q.ignoreFocusOut = true;
  q.buttons = v.canGoBack ? [vscode.QuickInputButtons.Back] : [];
}

function settle(
  q: vscode.QuickPick<vscode.QuickPickItem & { value: string }> | vscode.InputBox,
  run: (done: (o: Outcome) => void, d: vscode.Disposable[]) => void,
): Promise<Outcome> {
  return new Promise<Outcome>((resolve) => {
    const d: vscode.Disposable[] = [];
    let settled = false;
    const done = (o: Outcome) => {
      if (settled) return;
      settled = true;
      for (const x of d) x.dispose();
      q.dispose();
      resolve(o);
    };
    d.push(
      q.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && done('back')),
      q.onDidHide(() => done('cancel')),
    );
    run(done, d);
    q.show();
  });
}

function pick(w: GenerateWizard, v: StepView): Promise<Outcome> {
  type Item = vscode.QuickPickItem & { value: string };
  const q = vscode.window.createQuickPick<Item>();
  common(q, v);
  if (v.prompt) q.placeholder = v.prompt;
  const items: Item[] = v.items!.map((i: PickItem) => ({ label: i.label, description: i.description, detail: i.detail, value: i.value }));
  q.items = items;
  const active = items.find((i) => i.value === v.active);
  if (active) q.activeItems = [active];
  return settle(q, (done, d) =>
    d.push(
      q.onDidAccept(async () => {
        const chosen = q.selectedItems[0] ?? q.activeItems[0];
        if (!chosen) return;
        q.busy = true;
        const r = await w.accept(chosen.value).catch((e: Error) => ({ error: e.message }));
        q.busy = false;
        if (r.error) void vscode.window.showErrorMessage(r.error);
        else done('next');
      }),
    ),
  );
}

function input(w: GenerateWizard, v: StepView): Promise<Outcome> {
  const q = vscode.window.createInputBox();
  common(q, v);
  q.value = v.value ?? '';
  if (v.prompt) q.prompt = v.prompt;
  let latest = 0;
  const show = async (text: string) => {
    const n = ++latest;
    const c = await w.check(text).catch((e: Error) => ({ error: e.message, note: undefined }));
    if (n !== latest) return; // a later keystroke is being checked
    q.validationMessage = c.error
      ? { message: c.error, severity: vscode.InputBoxValidationSeverity.Error }
      : c.note
        ? { message: c.note, severity: vscode.InputBoxValidationSeverity.Info }
        : undefined;
  };
  return settle(q, (done, d) => {
    void show(q.value);
    d.push(
      q.onDidChangeValue((text) => void show(text)),
      q.onDidAccept(async () => {
        q.busy = true;
        q.enabled = false;
        const r = await w.accept(q.value).catch((e: Error) => ({ error: e.message }));
        q.busy = false;
        q.enabled = true;
        if (r.error) q.validationMessage = { message: r.error, severity: vscode.InputBoxValidationSeverity.Error };
        else done('next');
      }),
    );
  });
}
