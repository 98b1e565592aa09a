/** Regenerates docs/diagnostics.md from the code tables, so the docs cannot drift from the service. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { ALL_DIAGNOSTIC_CODES } from '../server/src/service/codes';

const rows = ALL_DIAGNOSTIC_CODES.map((c) => `| \`${c.code}\` | ${c.severity} | ${c.summary} |`);
const text = `# Diagnostics\n\nEvery diagnostic has \`source: tls-config\` and one of these stable codes.\n\n| code | severity | meaning |\n|---|---|---|\n${rows.join('\n')}\n`;
const out = path.join(__dirname, '..', 'docs', 'diagnostics.md');
fs.writeFileSync(out, text);
// The README carries the same table between its markers.
const readme = path.join(__dirname, '..', 'README.md');
const table = `| code | severity | meaning |\n|---|---|---|\n${rows.join('\n')}`;
// A replacer function, not a string: a replacement string would read the table's `$$` as an escaped `$`.
const r = fs
  .readFileSync(readme, 'utf8')
  .replace(
    /<!-- diagnostics:start -->[\s\S]*<!-- diagnostics:end -->/,
    () => `<!-- diagnostics:start -->\n${table}\n<!-- diagnostics:end -->`,
  );
fs.writeFileSync(readme, r);
