/**
 * The certificate view's page (client/src/cert-view-model.ts) rendered from real reports of
 * server/src/service/targets/pem/report.ts: facts, chain, copy buttons, verdict, escaping, no key.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { certificatePage, escapeHtml, fingerprintChoices } from '../../client/src/cert-view-model';
import { certificateReport, certificateLenses, issuerName } from '../../server/src/service/targets/pem/report';
import { decodeFile } from '../../server/src/service/pem/decode';
import { Workspace } from '../../server/src/service/workspace';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';
import { makeCa, makeLeaf } from '../support/certs';
import { tmpWorkspace, writeFiles, serviceFor, docOf } from '../support/workspace';

async function fixture() {
  const root = tmpWorkspace('client-view-');
  const ca = await makeCa('Milvus TLS CA');
  const leaf = await makeLeaf(ca, { cn: 'milvus<standalone>' });
  const expired = await makeLeaf(ca, {
    cn: 'old',
    notBefore: new Date(Date.now() - 90 * 86400_000),
    notAfter: new Date(Date.now() - 86400_000),
  });
  writeFiles(root, {
    'tls/ca.pem': ca.certPem,
    'tls/server.pem': leaf.certPem + leaf.keyPem,
    'tls/old.pem': expired.certPem,
  });
  const ws = new Workspace([root], { ...DEFAULT_SETTINGS });
  const report = (rel: string) => {
    const file = path.join(root, rel);
    const diagnostics = serviceFor(root).validate(docOf(root, rel));
    return certificateReport(file, decodeFile(fs.readFileSync(file)), diagnostics, { ws, now: new Date(), expiryWarningDays: 30 });
  };
  return { root, ca, leaf, report };
}

test('the page shows the verdict, each certificate with its facts, its chain and copy buttons for both fingerprints', async () => {
  const f = await fixture();
  try {
    const r = f.report('tls/server.pem');
    const html = certificatePage({ ...r, focus: 0 }, { nonce: 'n0nce' });
    const cert = r.items[0];
    assert.equal(cert.kind, 'certificate');
    if (cert.kind !== 'certificate') return;
    assert.ok(html.includes(`data-copy="${cert.sha256}"`), 'SHA-256 copy button');
    assert.ok(html.includes(`data-copy="${cert.sha1}"`), 'SHA-1 copy button');
    assert.match(html, /<li>CA certificate CN=Milvus TLS CA <span class="where">ca\.pem<\/span><\/li>/);
    assert.match(html, /<div class="verdict (ok|warning|information)"/);
    // The subject holds markup characters: escaped, never markup.
    assert.ok(html.includes('CN=milvus&lt;standalone&gt;'));
    assert.ok(!html.includes('<standalone>'));
    // One script, with the nonce the CSP allows.
    assert.equal(html.match(/<script/g)?.length, 1);
    assert.match(html, /script-src 'nonce-n0nce'/);
    assert.match(html, /<script nonce="n0nce">/);
    // The key block is described, never shown.
    for (const line of f.leaf.keyPem.split('\n').filter((l) => l && !l.startsWith('-----'))) assert.ok(!html.includes(line));
    assert.match(html, /The key itself is never shown/);
  } finally {
    fs.rmSync(f.root, { recursive: true, force: true });
  }
});

test('an expired certificate: the verdict is an error that leads with the finding, and the validity is marked', async () => {
  const f = await fixture();
  try {
    const r = f.report('tls/old.pem');
    assert.equal(r.verdict.level, 'error');
    assert.deepEqual(
      r.verdict.problems.map((p) => p.code),
      ['tls-cert-expired'],
    );
    const html = certificatePage({ ...r, focus: 0 }, { nonce: 'x' });
    assert.match(html, /<div class="verdict error"[^>]*><strong>✗ [^<]*expired/);
    assert.match(html, /<p class="validity expired">expired (24 hours|1 day) ago<\/p>/);
    assert.match(html, /<li class="error">Line 1: .*<code>tls-cert-expired<\/code><\/li>/);
  } finally {
    fs.rmSync(f.root, { recursive: true, force: true });
  }
});

test('Copy SHA-256 fingerprint: the focused certificate alone, else every certificate of the file to pick from', async () => {
  const f = await fixture();
  try {
    const bundle = path.join(f.root, 'tls/bundle.pem');
    fs.writeFileSync(bundle, f.leaf.certPem + f.ca.certPem);
    const r = f.report('tls/bundle.pem');
    assert.deepEqual(
      fingerprintChoices({ ...r, focus: 1 }).map((c) => c.label),
      ['CA certificate CN=Milvus TLS CA'],
    );
    const key = f.report('tls/server.pem');
    // Focus on the key block: the file's only certificate is offered.
    assert.deepEqual(
      fingerprintChoices({ ...key, focus: 1 }).map((c) => c.label),
      ['Certificate CN=milvus<standalone>'],
    );
    const all = fingerprintChoices({ ...r, focus: 5 });
    assert.equal(all.length, 2);
    assert.match(all[0].sha256, /^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
  } finally {
    fs.rmSync(f.root, { recursive: true, force: true });
  }
});

test('CodeLens titles: expiry and issuer CN, "self-signed" for a root', async () => {
  const f = await fixture();
  try {
    const contents = decodeFile(Buffer.from(f.leaf.certPem + f.ca.certPem));
    const lenses = certificateLenses('file:///b.pem', contents, new Date(), 'cmd');
    assert.deepEqual(
      lenses.map((l) => l.command!.title),
      ['expires in 12 months · issued by Milvus TLS CA', 'expires in 10 years · self-signed'],
    );
    assert.equal(issuerName({ issuer: 'O=Acme\\, Inc., CN=Acme Root' }), 'Acme Root');
    assert.equal(issuerName({ issuer: 'O=Acme' }), 'O=Acme');
  } finally {
    fs.rmSync(f.root, { recursive: true, force: true });
  }
});

test('escapeHtml escapes the five characters that matter in text and attributes', () => {
  assert.equal(escapeHtml(`<a href="x" title='y'>&</a>`), '&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;');
});
