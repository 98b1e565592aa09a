/**
 * The endpoints a document's libpq settings describe, for "Test TLS connection": each
 * `sslmode=verify-full` URI or key=value string gives host, port, the root file to verify
 * against, and the client certificate and key. Only verify-full: the test checks the name
 * as well as the chain, which is what libpq does in that mode and no other. Derivation only.
 */
import * as path from 'node:path';
import type { ConnectionTarget, Doc } from '../target';
import { LineIndex } from '../../text';
import type { PgModel } from './validate';

const DEFAULT_PORT = 5432;

export function postgresConnectionTargets(doc: Doc, model: PgModel): ConnectionTarget[] {
  const conns = model.scanned?.conns ?? [];
  if (conns.length === 0) return [];
  const lines = new LineIndex(doc.text);
  const dir = path.dirname(doc.path);
  const out: ConnectionTarget[] = [];
  for (const c of conns) {
    const get = (k: string) => {
      const p = c.params.get(k);
      return p && !p.placeholder ? p.value : undefined;
    };
    if (get('sslmode') !== 'verify-full') continue;
    const host = c.hosts[0]?.value || get('host');
    // A Unix socket (a path) or a placeholder has no TLS endpoint to test.
    if (!host || host.startsWith('/') || /\$\{|\$[A-Za-z_]/.test(host)) continue;
    const port = Number(get('port') ?? DEFAULT_PORT);
    if (!Number.isInteger(port) || port < 1 || port > 65535) continue;
    // libpq reads relative paths from the client's working directory; the document's folder is the best guess here.
    const file = (v: string | undefined) => (v && v !== 'system' ? path.resolve(dir, v) : undefined);
    const rootcert = get('sslrootcert');
    const derivation = [`host ${host} and port ${port} from ${c.kind === 'kv' ? 'the connection string' : 'the URI'}`];
    if (rootcert) derivation.push(rootcert === 'system' ? 'CA: the system roots (sslrootcert=system)' : `CA ${rootcert} (sslrootcert)`);
    else derivation.push('CA: none given; libpq would read ~/.postgresql/root.crt, this test uses the system roots');
    if (get('sslcert')) derivation.push(`client certificate ${get('sslcert')} and key ${get('sslkey') ?? '(none)'}`);
    out.push({
      label: `PostgreSQL ${host}:${port}`,
      range: { start: lines.positionAt(c.start), end: lines.positionAt(c.end) },
      target: {
        host,
        port,
        serverName: host,
        ca: file(rootcert),
        cert: file(get('sslcert')),
        key: file(get('sslkey')),
        protocol: get('sslnegotiation') === 'direct' ? 'postgres-direct' : 'postgres',
      },
      facts: { product: 'PostgreSQL', configFile: doc.path, derivation },
    });
  }
  return out;
}
