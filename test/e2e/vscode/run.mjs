// The ecosystem's conventional runner: downloads VS Code (needs internet) and runs suite/index.cjs
// inside its extension host with this repository as the extension under development.
// Usage: npm run build && node test/e2e/vscode/run.mjs      (Linux without a display: xvfb-run -a node …)
// Env: VSCODE_VERSION (default "stable"), VSCODE_TEST_CACHE (download cache, default <repo>/.e2e/vscode-test, git-ignored).
// The code-server suite (scripts/e2e/run.sh) is the one that runs offline; both build the same workspace.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runTests } from '@vscode/test-electron';
import { buildWorkspace, ROOT } from '../support/fixtures.mjs';

const here = path.dirname(fileURLToPath(import.meta.url));
if (!fs.existsSync(path.join(ROOT, 'dist/extension.js'))) {
  console.error('dist/extension.js is missing: run `npm run build` first');
  process.exit(1);
}
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'milvus-tls-vscode-'));
const ws = await buildWorkspace(path.join(scratch, 'ws'));
let rc = 0;
try {
  await runTests({
    version: process.env.VSCODE_VERSION || 'stable',
    cachePath: process.env.VSCODE_TEST_CACHE || path.join(ROOT, '.e2e/vscode-test'),
    extensionDevelopmentPath: ROOT,
    extensionTestsPath: path.join(here, 'suite/index.cjs'),
    extensionTestsEnv: { TLS_CONFIG_E2E_WS: ws },
    launchArgs: [
      ws,
      '--disable-extensions', // other extensions off; the one under development still loads
      '--disable-workspace-trust',
      '--skip-welcome',
      '--skip-release-notes',
      '--user-data-dir',
      path.join(scratch, 'user-data'),
      '--extensions-dir',
      path.join(scratch, 'extensions'),
    ],
  });
} catch (e) {
  console.error('VS Code tests failed:', e instanceof Error ? e.message : e);
  rc = 1;
} finally {
  fs.rmSync(scratch, { recursive: true, force: true });
}
process.exit(rc);
