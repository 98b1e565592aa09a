// Bundles the entry points; the .vsix then needs no node_modules.
// @peculiar/x509 (+ reflect-metadata and its ASN.1 stack, ~320 KB) lives in its own
// dist/x509.js, required only when a certificate is generated or a CSR decoded, so the
// language server does not parse it at start-up.
import * as esbuild from 'esbuild';

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  // Maps stay in dist/ for debugging and stack traces (node --enable-source-maps); the .vsix ships only the .js files.
  sourcemap: 'linked',
  minify: process.env.MINIFY !== '0',
  keepNames: true,
  legalComments: 'none',
  logLevel: 'warning',
};

const x509External = {
  name: 'x509-external',
  setup(build) {
    build.onResolve({ filter: /^(@peculiar\/x509|reflect-metadata)$/ }, () => ({ path: './x509.js', external: true }));
  },
};

const coreExternal = {
  name: 'core-external',
  setup(build) {
    build.onResolve({ filter: /^\.\/core$/ }, () => ({ path: './core.js', external: true }));
  },
};

await Promise.all([
  esbuild.build({ ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] }),
  esbuild.build({ ...common, entryPoints: ['server/src/x509.ts'], outfile: 'dist/x509.js' }),
  esbuild.build({ ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js', plugins: [x509External, coreExternal] }),
  esbuild.build({ ...common, entryPoints: ['server/src/core.ts'], outfile: 'dist/core.js', plugins: [x509External] }),
  esbuild.build({
    ...common,
    entryPoints: ['server/src/cli-entry.ts'],
    outfile: 'dist/cli.js',
    banner: { js: '#!/usr/bin/env node' },
    plugins: [coreExternal],
  }),
]);
