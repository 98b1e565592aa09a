/** What the output channel says (client/src/log-lines.ts): start-up facts, command lines, and no key material ever. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { startupLines, redact, commandLine } from '../../client/src/log-lines';
import { makeCa } from '../support/certs';

test('start-up names the version, the server, the folders and the trust state', () => {
  assert.deepEqual(
    startupLines({
      version: '0.1.0',
      vscodeVersion: '1.91.0',
      serverPath: '/ext/dist/server.js',
      folders: ['/w/a', '/w/b'],
      trusted: false,
    }),
    [
      'TLS Config 0.1.0 on VS Code 1.91.0',
      'server: /ext/dist/server.js',
      'workspace folders: /w/a, /w/b',
      'workspace trust: restricted (only open files are checked; trust the folder for the rest)',
    ],
  );
  assert.match(startupLines({ version: '1', vscodeVersion: '1', serverPath: 's', folders: [], trusted: true })[2], /none/);
});

test('a private key in an error or an argument never reaches the log, whole or cut off', async () => {
  const { keyPem } = await makeCa();
  const body = keyPem.split('\n')[1];
  assert.equal(redact(`failed: ${keyPem} end`), 'failed: [PRIVATE KEY block removed]\n end');
  assert.equal(redact(`cut ${keyPem.slice(0, 80)}`), 'cut [PRIVATE KEY block removed]');
  const line = commandLine('tlsConfig.server.x', [{ uri: 'file:///a.pem', text: keyPem }, keyPem]);
  assert.ok(!line.includes(body), line);
  assert.equal(line, 'command tlsConfig.server.x (uri=file:///a.pem, text)');
});

test('command lines keep paths and positions, and say nothing about other values', () => {
  assert.equal(commandLine('c', []), 'command c');
  assert.equal(commandLine('c', [{ fsPath: '/w/tls' }, [1, 2]]), 'command c (/w/tls, 2 items)');
  assert.equal(commandLine('c', [{ uri: 'file:///x', line: 3, secret: 'pw' }]), 'command c (uri=file:///x line=3)');
  assert.equal(commandLine('c', [{ mode: 'mutual' }]), 'command c (options)');
});
