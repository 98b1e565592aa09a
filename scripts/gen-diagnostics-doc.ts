/** Regenerates docs/diagnostics.md from the code tables, so the docs cannot drift from the service. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_DIAGNOSTIC_CODES } from '../server/src/service/codes';

const rows = ALL_DIAGNOSTIC_CODES.map((c) => `| \`${c.code}\` | ${c.severity} | ${c.summary} |`);
const text = `# Diagnostics\n\nEvery diagnostic has \`source: milvus-tls\` and one of these stable codes.\n\n| code | severity | meaning |\n|---|---|---|\n${rows.join('\n')}\n`;
const out = path.join(__dirname, '..', 'docs', 'diagnostics.md');
if (process.argv.includes('--check')) {
  if (fs.readFileSync(out, 'utf8') !== text) {
    process.stderr.write('docs/diagnostics.md is out of date: run npx tsx scripts/gen-diagnostics-doc.ts\n');
    process.exit(1);
  }
} else fs.writeFileSync(out, text);
