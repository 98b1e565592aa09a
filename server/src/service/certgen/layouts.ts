/**
 * The systems "Generate TLS certs" lays a set out for: file names, the wiring it offers, and what
 * the wizard asks for it. One entry per layout; the wizard lists them in this order, so a new
 * system (a new `GenerateOptions.layout`) is one entry here plus its wiring in commands.ts.
 */
import type { GenerateOptions } from './options';

/** 'milvus' is the set as generated (no `layout` option); the others rename and wire it. */
export type LayoutId = 'milvus' | NonNullable<GenerateOptions['layout']>;

export interface LayoutInfo {
  id: LayoutId;
  label: string;
  /** One line: what is written and wired. */
  description: string;
  /** The client certificate's Common Name is an identity the system checks (Postgres `cert` auth: the database user). */
  clientNameIsUser?: boolean;
  /** Default port clients dial, for the snippet. */
  port: number;
}

export const LAYOUTS: readonly LayoutInfo[] = [
  {
    id: 'milvus',
    label: 'Milvus',
    description: 'ca.pem, server.pem/.key, client.pem/.key; wires milvus.yaml tls.* and the compose mount',
    port: 19530,
  },
  {
    id: 'postgres',
    label: 'PostgreSQL',
    description: 'server.crt/.key, root.crt, postgresql.crt/.key; wires the compose ssl flags and a .env URI',
    clientNameIsUser: true,
    port: 5432,
  },
];

export function layoutInfo(id: unknown): LayoutInfo | undefined {
  return LAYOUTS.find((l) => l.id === id);
}

/** The `layout` option for a layout id ('milvus' is the default set, no option). */
export function layoutOption(id: LayoutId): GenerateOptions['layout'] {
  return id === 'milvus' ? undefined : id;
}
