/**
 * dist/cli.js. The CLI itself is bundled into dist/core.js, with the service it shares with the
 * language server, so the .vsix carries that code once; this entry only starts it.
 */
import { runCli } from './core';

runCli(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: Error) => {
    process.stderr.write(`tls-config: ${e.message}\n`);
    process.exit(2);
  },
);
