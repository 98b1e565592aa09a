/**
 * The read-only "how to connect" document shown after generating, per layout: pymilvus and
 * curl for Milvus, a libpq URI and psql for PostgreSQL. Markdown with code blocks only, which
 * renders the same in every editor's preview.
 */
import * as path from 'node:path';
import { clientSnippets, type SnippetInput } from './snippets';
import type { LayoutId } from './layouts';
import { postgresWiring } from '../targets/postgres/layout';

export interface SnippetDocumentInput extends SnippetInput {
  layout?: LayoutId;
  dbUser?: string;
  db?: string;
}

export function snippetDocument(input: SnippetDocumentInput): { title: string; markdown: string } {
  if (!input || typeof input !== 'object' || typeof input.dir !== 'string' || typeof input.serverName !== 'string') {
    throw new Error('snippets needs { mode, serverName, dir }');
  }
  if (input.layout === 'postgres') {
    const user = input.dbUser?.trim() || 'postgres';
    const w = postgresWiring({
      certDir: input.dir,
      host: (input.host ?? '').trim() || input.serverName,
      port: input.port,
      dbUser: user,
      db: input.db,
      mutual: input.mode === 'mutual',
    });
    const uri = w.envUri.replace(/^DATABASE_URL=/, '');
    return {
      title: 'Connect to PostgreSQL with these certificates',
      markdown: [
        '# Connect to PostgreSQL with these certificates',
        '',
        input.mode === 'mutual'
          ? `With \`cert\` authentication (\`hostssl … cert\` in pg_hba.conf) the client certificate's CN, \`${user}\`, is the database user.`
          : 'The client verifies the server against root.crt and the host name (sslmode=verify-full).',
        '',
        '```sh',
        `psql '${uri.replace(/'/g, `'\\''`)}'`,
        '```',
        '',
        'The server side, in the compose service:',
        '',
        '```yaml',
        ...w.compose,
        '```',
        '',
      ].join('\n'),
    };
  }
  const s = clientSnippets(input);
  return {
    title: 'Connect to Milvus with these certificates',
    markdown: `# Connect to Milvus with these certificates\n\nFiles in ${path.basename(input.dir)}/.\n\n\`\`\`python\n${s.pymilvus}\`\`\`\n\n\`\`\`sh\n${s.curl}\`\`\`\n`,
  };
}
