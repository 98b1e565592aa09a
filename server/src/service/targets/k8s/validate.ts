/** Every finding of a Kubernetes file: YAML errors, Secrets' PEM values, Milvus CRs, Ingress TLS, workloads' Secret items, a chart values file. */
import type { Diagnostic } from 'vscode-languageserver-types';
import { diag, Severity } from '../../types';
import type { TargetContext } from '../target';
import type { K8sModel } from './model';
import { checkSecret } from './pem-scalars';
import { checkMilvusCr, isMilvusCr } from './operator';
import { checkIngress, checkWorkload, isWorkload } from './ingress';
import { checkHelmValues } from './helm';
import type { ChainContext } from './chain';

export function validateK8s(m: K8sModel, file: string, ctx: TargetContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of m.file.errors.slice(0, 10))
    out.push(
      diag(
        e.range,
        Severity.Error,
        'k8s-yaml-syntax',
        `YAML error: ${e.message}. kubectl and Helm refuse a file they cannot parse; fix the indentation or quoting here.`,
      ),
    );
  const cc: ChainContext = { ws: ctx.ws, settings: ctx.settings, now: ctx.now, local: m.secrets };
  for (const s of m.secrets) checkSecret(m.file, s, cc, out);
  for (const o of m.file.objects) {
    if (isMilvusCr(o)) checkMilvusCr(m.file, o, file, cc, out);
    else if (o.kind === 'Ingress') checkIngress(m.file, o, file, cc, out);
    else if (isWorkload(o)) checkWorkload(m.file, o, file, cc, out);
  }
  if (m.helm) checkHelmValues(m.file, file, m.helm, cc, out);
  // Three paths through one broken mount or one absent Secret are one finding on that line.
  const seen = new Set<string>();
  return out.filter((d) => {
    const k = `${d.code} ${d.range.start.line}:${d.range.start.character} ${d.message}`;
    return !seen.has(k) && !!seen.add(k);
  });
}
