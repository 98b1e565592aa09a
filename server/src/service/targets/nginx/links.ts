/** Paths of nginx's TLS directives and includes become links to the host file. */
import { URI } from 'vscode-uri';
import type { DocumentLink } from 'vscode-languageserver-types';
import type { Workspace } from '../../workspace';
import { resolveNginxPath, type NginxModel } from './model';
import type { Directive } from './tokenize';
import { PATH_DIRECTIVES } from './hover';

export function nginxLinks(model: NginxModel, ws: Workspace): DocumentLink[] {
  const out: DocumentLink[] = [];
  const visit = (list: Directive[]) => {
    for (const d of list) {
      if (d.block) visit(d.block);
      const a = d.args[0];
      if (!PATH_DIRECTIVES.has(d.name) || !a || a.value.includes('$') || /[*?[]/.test(a.value) || a.value.startsWith('data:')) continue;
      const r = resolveNginxPath(a.value, model.deploy);
      if (r.ok && ws.kind(r.hostPath) === 'file')
        out.push({ range: a.range, target: URI.file(r.hostPath).toString(), tooltip: `Open ${r.hostPath}` });
    }
  };
  visit(model.parsed.directives);
  return out;
}
