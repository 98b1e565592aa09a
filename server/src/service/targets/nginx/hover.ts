/** Hover on nginx's TLS directives: the file a path reaches and what it holds; the certificate a server_name gets. */
import type { Hover, Position, Range } from 'vscode-languageserver-types';
import { contains } from '../../text';
import { loadPemFile, certificates } from '../../pem/files';
import { fileCard, inlineCard, untrustedPathCard } from '../file-card';
import { certServes } from '../../tls/openssl';
import { decodeInline } from '../../tls/inline';
import { resolveNginxPath, type Located, type NginxModel } from './model';
import { validateNginx, type NginxContext } from './validate';

export const PATH_DIRECTIVES = new Set([
  'ssl_certificate',
  'ssl_certificate_key',
  'ssl_client_certificate',
  'ssl_trusted_certificate',
  'ssl_crl',
  'ssl_dhparam',
  'ssl_password_file',
  'proxy_ssl_certificate',
  'proxy_ssl_certificate_key',
  'proxy_ssl_trusted_certificate',
  'include',
]);

/** This document's directives containing the position, outermost first. */
function pathTo(list: Located[], pos: Position, out: Located[] = []): Located[] {
  for (const d of list) {
    if (d.file || !contains(d.range, pos)) continue;
    out.push(d);
    if (d.block) pathTo(d.block, pos, out);
    return out;
  }
  return out;
}

export function fileMarkdown(value: string, model: NginxModel, ctx: NginxContext, at?: { range: Range; file: string }): string {
  if (value.startsWith('data:')) return `Inline PEM (\`data:\`)\n\n${inlineCard(decodeInline(value.slice(5)).items, ctx)}`;
  if (value.includes('$')) return `\`${value}\` has variables: nginx opens the file per handshake.`;
  if (!ctx.settings.trusted) return untrustedPathCard(value);
  const r = resolveNginxPath(value, model.deploy);
  if (!r.ok)
    return `\`${r.containerPath}\` in the container: ${r.reason === 'named-volume' ? 'in a named volume' : 'no volume covers it'}.`;
  const findings = at ? validateNginx(model, at.file, ctx) : undefined;
  return fileCard(r.hostPath, ctx, {
    via: r.containerPath ? `Container \`${r.containerPath}\` → host` : 'Host file',
    findings,
    range: at?.range,
  });
}

export function nginxHover(model: NginxModel, pos: Position, ctx: NginxContext, file?: string): Hover | null {
  const chain = pathTo(model.directives, pos);
  const d = chain.at(-1);
  if (!d) return null;
  const arg = d.args.find((a) => contains(a.range, pos));
  if (!arg) return null;
  if (PATH_DIRECTIVES.has(d.name) && d.name !== 'include')
    return {
      contents: {
        kind: 'markdown',
        value: `**${d.name}**\n\n${fileMarkdown(arg.value, model, ctx, file ? { range: arg.range, file } : undefined)}`,
      },
      range: arg.range,
    };
  if (d.name === 'server_name') {
    const server = [...chain].reverse().find((x) => x.name === 'server');
    const own = server?.block ?? model.directives;
    let certs = own.filter((x) => x.name === 'ssl_certificate');
    if (certs.length === 0)
      certs = model.directives
        .filter((x) => x.name === 'ssl_certificate')
        .concat(model.inherited.filter((x) => x.name === 'ssl_certificate'));
    if (certs.length === 0)
      return { contents: { kind: 'markdown', value: `\`${arg.value}\`: no ssl_certificate in this server.` }, range: arg.range };
    const lines = [`**${arg.value}** is served with:`];
    for (const c of certs) {
      const v = c.args[0]?.value ?? '';
      const r = v && !v.includes('$') && !v.startsWith('data:') ? resolveNginxPath(v, model.deploy) : undefined;
      const items = r?.ok
        ? (loadPemFile(r.hostPath, ctx.ws).contents?.items ?? [])
        : v.startsWith('data:')
          ? decodeInline(v.slice(5)).items
          : [];
      const leaf = certificates(items)[0]?.cert;
      const name = arg.value.startsWith('.') ? arg.value.slice(1) : arg.value;
      lines.push(
        leaf
          ? `- \`${v}\`: ${leaf.subject}, SANs ${leaf.sans.map((s) => s.value).join(', ') || 'none'} — ${certServes(leaf, name) ? 'covers it' : '**does not cover it**'}`
          : `- \`${v}\``,
      );
    }
    return { contents: { kind: 'markdown', value: lines.join('\n') }, range: arg.range };
  }
  return null;
}
