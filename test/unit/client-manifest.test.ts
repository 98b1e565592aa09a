/** package.json as a first-time user meets it: commands findable by the systems' names, the walkthrough, the icon. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { CERTIFICATE_VIEW_TYPE, CLIENT_COMMANDS } from '../../server/src/protocol';

const repo = path.join(__dirname, '../..');
const pkg = JSON.parse(fs.readFileSync(path.join(repo, 'package.json'), 'utf8'));

/** What the command palette matches a query against: "Category: Title". */
const labels: string[] = pkg.contributes.commands.map(
  (c: { category?: string; title: string }) => `${c.category ? c.category + ': ' : ''}${c.title}`,
);

test('typing a system name in the palette finds the generate, check and test commands', () => {
  for (const name of ['Milvus', 'PostgreSQL', 'nginx', 'APISIX']) {
    const found = labels.filter((l) => l.toLowerCase().includes(name.toLowerCase()));
    // The connection test derives endpoints from Milvus and PostgreSQL configs (other endpoints by host:port).
    const commands = ['Milvus', 'PostgreSQL'].includes(name)
      ? [/Generate TLS certs/, /Check workspace/, /Test connection/]
      : [/Generate TLS certs/, /Check workspace/];
    for (const what of commands)
      assert.ok(
        found.some((l) => what.test(l)),
        `${name} does not find ${what}: ${found.join(' | ')}`,
      );
  }
  assert.ok(labels.some((l) => l.includes('Kubernetes') && /Check workspace/.test(l)));
  // The old labels stay a prefix of the new ones: what people typed before still finds them.
  assert.ok(labels.includes(`TLS: Generate TLS certs (Milvus, PostgreSQL, nginx, APISIX, Kubernetes)…`));
});

test('the walkthrough: four steps, each with markdown media that exists and links only to contributed commands', () => {
  const [w] = pkg.contributes.walkthroughs;
  assert.deepEqual(
    w.steps.map((s: { id: string }) => s.id),
    ['openExample', 'seeProblems', 'generate', 'testConnection'],
  );
  const ours = new Set<string>(Object.values(CLIENT_COMMANDS));
  for (const step of w.steps) {
    const media = path.join(repo, step.media.markdown);
    assert.ok(fs.existsSync(media), step.media.markdown);
    // Images the markdown shows are in the repository too.
    for (const m of fs.readFileSync(media, 'utf8').matchAll(/!\[[^\]]*\]\(([^)]+)\)/g))
      assert.ok(fs.existsSync(path.join(path.dirname(media), m[1])), `${step.media.markdown} → ${m[1]}`);
    for (const m of String(step.description).matchAll(/\(command:([\w.]+)\)/g)) assert.ok(ours.has(m[1]), m[1]);
  }
});

test('the icon is a 128×128 PNG in the repository and goes into the package', () => {
  const png = fs.readFileSync(path.join(repo, pkg.icon));
  assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
  assert.equal(png.subarray(12, 16).toString('ascii'), 'IHDR');
  assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [128, 128]);
  const ignore = fs.readFileSync(path.join(repo, '.vscodeignore'), 'utf8').split('\n');
  // The example without its key: vsce refuses a package with a private key in it; the key is written when the example is copied.
  for (const keep of [`!${pkg.icon}`, '!docs/walkthrough/**', '!examples/mtls-broken/tls/*.pem']) assert.ok(ignore.includes(keep), keep);
  assert.deepEqual(
    ignore.filter((l) => l.startsWith('!examples')),
    ['!examples/mtls-broken/*.y*ml', '!examples/mtls-broken/tls/*.pem', '!examples/mtls-broken/volumes/**'],
  );
});

test('the certificate view is an optional editor for certificate files, under the protocol view type', () => {
  const [editor] = pkg.contributes.customEditors;
  assert.equal(editor.viewType, CERTIFICATE_VIEW_TYPE);
  assert.equal(editor.priority, 'option');
  assert.deepEqual(
    editor.selector.map((s: { filenamePattern: string }) => s.filenamePattern),
    ['*.pem', '*.crt', '*.cer', '*.ca-bundle'],
  );
});
