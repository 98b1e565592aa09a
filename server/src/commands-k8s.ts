/**
 * "Generate TLS certs" for a Kubernetes workspace: the PEM set, a Secret manifest and a Helm values
 * fragment next to it (written together, all or none), and the edit that wires the Secret into the
 * Milvus resource or Helm values file. What it says names files and keys, never their contents.
 */
import * as path from 'node:path';
import { DEFAULT_OPTIONS, type GenerateOptions } from './service/certgen/options';
import { findK8sTargets, k8sServiceNames, type K8sTarget } from './service/certgen/k8s-detect';
import { k8sNames, SECRET_MANIFEST, VALUES_FRAGMENT, validateK8sOptions } from './service/certgen/k8s';
import { planK8sWiring } from './service/certgen/k8s-wire';
import { planWrite } from './service/certgen/write';
import type { Workspace } from './service/workspace';
import type { GenerateCertsParams, GenerateCertsResult, GenerateParams, GenerateResult } from './protocol';
import type { CommandContext } from './commands';

/** The commands that put the generated files into the cluster, for people to run. */
export function k8sApplyLines(out: string, target?: K8sTarget, namespace?: string): string[] {
  const ns = namespace ? ` -n ${namespace}` : '';
  const lines = [`kubectl apply${ns} -f ${path.join(out, SECRET_MANIFEST)}`];
  if (target?.flavor === 'operator') lines.push(`kubectl apply${ns} -f ${target.file}`);
  else if (target?.flavor === 'helm')
    lines.push(`helm upgrade --install <release> zilliztech/milvus${ns} -f ${target.file}   # after the wiring edit`);
  else lines.push(`helm upgrade --install <release> zilliztech/milvus${ns} -f <your values> -f ${path.join(out, VALUES_FRAGMENT)}`);
  return lines;
}

/** Where the defaults put a Kubernetes set: tls/ beside the wired file, else tls/ in (or as) the folder. */
function outFor(folder: string, target?: K8sTarget): string {
  if (target) return path.join(path.dirname(target.file), 'tls');
  return path.basename(folder) === 'tls' ? folder : path.join(folder, 'tls');
}

export function k8sTargetNear(folder: string, ws: Workspace): K8sTarget | undefined {
  return findK8sTargets(folder, ws)[0];
}

type Generate = (g: GenerateParams, ws: Workspace) => Promise<GenerateResult>;

export async function generateCertsK8s(a: GenerateCertsParams, ctx: CommandContext, generate: Generate): Promise<GenerateCertsResult> {
  const say = (kind: 'info' | 'warning' | 'error', text: string) => ctx.editor?.showMessage(kind, text);
  const target = k8sTargetNear(a.folder, ctx.ws);
  const namespace = a.namespace ?? target?.namespace;
  const kubernetes = { namespace, ...(a.secretName ? { secretName: a.secretName } : {}) };
  const problems = validateK8sOptions(kubernetes);
  if (problems.length) {
    const text = `Cannot generate TLS certs for Kubernetes: ${problems.join('; ')}.`;
    say('error', text);
    throw new Error(text);
  }
  const out = outFor(a.folder, target);
  const names = ['localhost', '127.0.0.1', ...(target ? k8sServiceNames(target, namespace) : [])];
  const options: GenerateOptions = { ...DEFAULT_OPTIONS, names, layout: 'k8s' };
  const planned = ['ca.pem', 'ca.key', 'server.pem', 'server.key', 'client.pem', 'client.key', SECRET_MANIFEST, VALUES_FRAGMENT] as const;
  const existing = planWrite(
    out,
    planned.map((name) => ({ name, contents: '', secret: false })),
  )
    .filter((f) => f.exists)
    .map((f) => f.path);
  if (existing.length) {
    const message = `Not generating TLS certificates in ${out}: ${existing.map((f) => path.basename(f)).join(', ')} already ${existing.length === 1 ? 'exists' : 'exist'}. Nothing was changed; move ${existing.length === 1 ? 'it' : 'them'} away or choose another folder.`;
    say('warning', message);
    return { status: 'refused', out, existing, message };
  }
  let res: GenerateResult;
  try {
    res = await generate({ out, options, kubernetes }, ctx.ws);
  } catch (e) {
    say('error', `Generate TLS certs failed: ${(e as Error).message}`);
    throw e;
  }
  const secretName = k8sNames(kubernetes).secretName;
  const plan = target
    ? planK8sWiring({ file: target.file, mode: options.mode === 'mutual' ? 2 : 1, secretName }, ctx.ws)
    : { edit: { documentChanges: [] }, summary: [] as string[] };
  const changes = (plan.edit.documentChanges ?? []).length > 0;
  const applied = changes && ctx.editor?.applyEdit ? await ctx.editor.applyEdit(plan.edit).catch(() => false) : false;
  const apply = k8sApplyLines(out, target, namespace);
  const wrote = `Wrote ${res.written.map((f) => path.basename(f)).join(', ')} to ${out} (names: ${names.join(', ')}); ${SECRET_MANIFEST} holds private keys (0600), keep it out of version control.`;
  const wiring = !target
    ? `No Milvus resource or Milvus Helm values found near ${a.folder}: use ${VALUES_FRAGMENT} with Helm, or mount Secret ${secretName} yourself.`
    : !changes
      ? `${path.basename(target.file)} already uses Secret ${secretName}${plan.summary.length ? ` (${plan.summary.join('; ')})` : ''}.`
      : applied
        ? `Edited, not saved: ${plan.summary.join('; ')}.`
        : `To use them: ${plan.summary.join('; ')}.`;
  const message = `${wrote} ${wiring} Then run: ${apply.join(' && ')}`;
  say('info', message);
  return {
    status: 'written',
    out,
    written: res.written,
    wiring: { applied, summary: plan.summary },
    kubernetes: { target, edit: plan.edit, secretManifest: path.join(out, SECRET_MANIFEST), apply },
    message,
  };
}
