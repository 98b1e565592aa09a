/** Hover on a libpq setting: what the sslmode does, what an Aurora DSQL host needs, what the root file holds. */
import * as path from 'node:path';
import type { Hover, Position } from 'vscode-languageserver-types';
import { LineIndex } from '../../text';
import type { TargetContext } from '../target';
import type { Param } from './conninfo';
import { DSQL_HOST, DSQL_GUIDE, hostDeploy, validateFile, type PgModel } from './validate';
import { fileCard, untrustedPathCard } from '../file-card';

const MODES: Record<string, string> = {
  disable: 'no TLS at all.',
  allow: 'plain text first, TLS only if the server insists; the server is never verified.',
  prefer: "libpq's default: TLS if the server offers it, else plain text; the server is not verified (unless a root file exists).",
  require:
    'TLS or nothing, but the server is not authenticated; if a root file exists (sslrootcert or ~/.postgresql/root.crt) libpq verifies the chain as with verify-ca.',
  'verify-ca': 'TLS, and the server certificate must chain to the root file; the host name is not checked.',
  'verify-full':
    "TLS, the chain is verified against the root file, and the host must be in the certificate's SANs (or its CN when it has none).",
};

export function postgresHover(file: string, text: string, model: PgModel, pos: Position, ctx: TargetContext): Hover | null {
  const lines = new LineIndex(text);
  const off = lines.offsetAt(pos);
  const params: Param[] = [];
  for (const s of model.sections ?? []) params.push(...s.conn.params.values());
  for (const c of model.scanned?.conns ?? []) params.push(...c.params.values(), ...c.hosts);
  params.push(...(model.scanned?.env ?? []));
  const p = params.find((x) => x.valueStart <= off && off <= x.valueEnd);
  if (!p) return null;
  const range = lines.range(p.valueStart, p.valueEnd);
  const md = (value: string): Hover => ({ contents: { kind: 'markdown', value }, range });
  if (p.key === 'sslmode') {
    const m = MODES[p.value];
    return md(
      m ? `**sslmode=${p.value}** — ${m}` : `**sslmode=${p.value}** is not a libpq mode: use one of ${Object.keys(MODES).join(', ')}.`,
    );
  }
  if (p.key === 'host') {
    const h = p.value.split(',')[0];
    if (DSQL_HOST.test(h))
      return md(
        `**Aurora DSQL endpoint** \`${h}\`\n\nDSQL speaks the PostgreSQL protocol and always uses TLS. Its certificate chains to **Amazon Root CA 1**: use \`sslmode=verify-full\` with \`sslrootcert=system\` (libpq 16+; Windows psql fails with "SSL error: unregistered scheme") or a root file holding Amazon Root CA 1 (Debian: \`/etc/ssl/certs/Amazon_Root_CA_1.pem\`). The password is an IAM authentication token, not a stored password. [DSQL guide](${DSQL_GUIDE})`,
      );
    return md(`**host** \`${h}\` — with \`sslmode=verify-full\` libpq checks this name against the server certificate's SANs.`);
  }
  if (p.key === 'sslrootcert' || p.key === 'sslcert' || p.key === 'sslkey') {
    if (p.value === 'system' && p.key === 'sslrootcert')
      return md(
        "**sslrootcert=system** — libpq 16+ uses the system's trusted roots (OpenSSL default paths) and then requires `sslmode=verify-full`.",
      );
    if (!ctx.settings.trusted) return md(`**${p.key}**\n\n${untrustedPathCard(p.value)}`);
    const r = hostDeploy(path.dirname(path.resolve(file)), ctx.processEnv).resolve(p.value);
    if (!r.ok) return null;
    return md(`**${p.key}**\n\n${fileCard(r.hostPath, ctx, { findings: validateFile(file, text, ctx, model), range })}`);
  }
  return null;
}
