/**
 * The generated set laid out as PostgreSQL and libpq expect it: the server's server.crt /
 * server.key (0600) and root.crt (ssl_ca_file, for client certificates), the client's root.crt,
 * postgresql.crt / postgresql.key (the names libpq looks for in ~/.postgresql/), and the lines that
 * wire them into a compose file and a .env URI.
 */
import type { GeneratedFile, GeneratedFileName } from '../../certgen/generate';

const NAMES: Partial<Record<GeneratedFileName, GeneratedFileName>> = {
  'ca.pem': 'root.crt',
  'server.pem': 'server.crt',
  'server.key': 'server.key',
  'client.pem': 'postgresql.crt',
  'client.key': 'postgresql.key',
  'server.csr': 'server.csr',
  'client.csr': 'postgresql.csr',
};

/** Renames the set (ca.key keeps its name: it stays with whoever issues certificates, never on a server). */
export function postgresLayout(files: GeneratedFile[]): GeneratedFile[] {
  return files.map((f) => ({ ...f, name: postgresName(f.name) }));
}

export function postgresName(name: GeneratedFileName): GeneratedFileName {
  return NAMES[name] ?? name;
}

export interface PostgresWiring {
  /** The compose service's command and volume lines. */
  compose: string[];
  /** A libpq URI for the .env file. */
  envUri: string;
}

/** How a set in `certDir` (relative to the compose file) reaches the official image and a client. */
export function postgresWiring(o: {
  certDir: string;
  host: string;
  port?: number;
  dbUser: string;
  db?: string;
  mutual: boolean;
}): PostgresWiring {
  const dir = o.certDir.replace(/\/+$/, '') || '.';
  const flags = [
    '-c ssl=on',
    '-c ssl_cert_file=/etc/postgresql/tls/server.crt',
    '-c ssl_key_file=/etc/postgresql/tls/server.key',
    ...(o.mutual ? ['-c ssl_ca_file=/etc/postgresql/tls/root.crt'] : []),
  ];
  const q = [
    `sslmode=verify-full`,
    `sslrootcert=${dir}/root.crt`,
    ...(o.mutual ? [`sslcert=${dir}/postgresql.crt`, `sslkey=${dir}/postgresql.key`] : []),
  ];
  return {
    compose: [
      `command: ${flags.join(' ')}`,
      'volumes:',
      `  - ${dir}:/etc/postgresql/tls:ro   # server.key: chown 999 (the image's postgres user), chmod 600`,
    ],
    envUri: `DATABASE_URL=postgresql://${encodeURIComponent(o.dbUser)}@${o.host}:${o.port ?? 5432}/${encodeURIComponent(o.db ?? o.dbUser)}?${q.join('&')}`,
  };
}
