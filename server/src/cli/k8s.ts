/** `generate --layout k8s` in the CLI: defaults from a nearby Milvus resource, and what to do after writing. */
import * as path from 'node:path';
import type { Workspace } from '../service/workspace';
import type { CertMode } from '../service/certgen/options';
import { k8sNames, SECRET_MANIFEST, type K8sOptions } from '../service/certgen/k8s';
import { k8sServiceNames, type K8sTarget } from '../service/certgen/k8s-detect';
import { planK8sWiring } from '../service/certgen/k8s-wire';
import { k8sApplyLines, k8sTargetNear } from '../commands-k8s';

/** The Milvus resource or values file beside the output folder, the namespace to use and the names its Service answers to. */
export function k8sDefaults(out: string, ws: Workspace, namespace?: string): { target?: K8sTarget; namespace?: string; names: string[] } {
  const target = k8sTargetNear(path.dirname(out), ws);
  const ns = namespace ?? target?.namespace;
  return { target, namespace: ns, names: ['localhost', '127.0.0.1', ...(target ? k8sServiceNames(target, ns) : [])] };
}

export function k8sNextSteps(out: string, mode: CertMode, o: K8sOptions, target: K8sTarget | undefined, ws: Workspace): string {
  const names = k8sNames(o);
  const lines = [`${SECRET_MANIFEST} holds private keys (written 0600): keep it out of version control.`];
  if (target) {
    const plan = planK8sWiring({ file: target.file, mode: mode === 'mutual' ? 2 : 1, secretName: names.secretName }, ws);
    const fromCwd = path.relative(process.cwd(), target.file);
    const rel = fromCwd && !fromCwd.startsWith('..') ? fromCwd : target.file;
    if ((plan.edit.documentChanges ?? []).length) {
      lines.push(
        `To wire Secret ${names.secretName} into ${rel} (not edited here; the editor's "Generate TLS certs" applies it as one edit):`,
      );
    } else if (!plan.summary.length) lines.push(`${rel} already uses Secret ${names.secretName}.`);
    for (const s of plan.summary) lines.push(`  ${s}`);
  }
  lines.push('Then run:', ...k8sApplyLines(out, target, o.namespace).map((l) => `  ${l}`));
  return lines.join('\n') + '\n';
}
