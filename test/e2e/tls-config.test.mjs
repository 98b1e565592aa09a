// End-to-end tests: the packaged extension (tls-config.vsix) in a real VS Code workbench
// (code-server), driven through the UI by playwright-core in headless chromium.
// Run through scripts/e2e/run.sh, which builds, installs, starts code-server, creates the
// workspace (support/fixtures.mjs) and passes CS_URL / E2E_WS / E2E_SHOTS / PLAYWRIGHT_CORE.
import { test, before, after, beforeEach, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import tls from 'node:tls';
import { Workbench, WS, TIMEOUTS } from './support/workbench.mjs';
import { LINES, GATEWAY_LINES, k8sLines, APP_SERVER_NAME_LINE } from './support/fixtures.mjs';

/** @type {Workbench} */
let wb;
const timings = {};

before(async () => {
  const t = Date.now();
  wb = await Workbench.open(WS);
  timings.workbenchReady = Date.now() - t;
});

after(async () => {
  await wb?.close();
  console.log('E2E_TIMINGS_MS ' + JSON.stringify(timings));
});

beforeEach(async (t) => {
  t.start = Date.now();
  await wb.closeAllEditors();
});

afterEach(async (t) => {
  timings[t.name] = Date.now() - t.start;
  // keep a picture of the failure
  if (t.passed === false || t.error) await wb.shot('failed-' + t.name.replace(/\W+/g, '-').slice(0, 60)).catch(() => {});
});

const abs = (rel) => path.join(WS, rel);
const forFile = (rows, rel) => rows.filter((r) => r.file === abs(rel));
const loud = (rows) => rows.filter((r) => r.severity === 'error' || r.severity === 'warning');
const fmt = (rows) => rows.map((r) => `${r.severity} ${r.code} Ln ${r.line}`).join('; ') || '(none)';

/** Polls a condition on disk (files are written by the extension host asynchronously). */
async function until(what, fn, timeout = TIMEOUTS.diag) {
  const end = Date.now() + timeout;
  for (;;) {
    const v = fn();
    if (v) return v;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/**
 * Opens `goodRel` first and `badRel` second, waits for the bad file's diagnostic
 * (the server answers in order, so the good file has been checked by then) and
 * returns the Problems rows of both.
 */
async function openPair(goodRel, badRel, firstLine, code, line) {
  await wb.openFile(goodRel, firstLine);
  await wb.openFile(badRel, firstLine);
  await wb.showProblems();
  const rows = await wb.waitProblem(code, { line });
  return { good: forFile(rows, goodRel), bad: forFile(rows, badRel) };
}

test('(1) milvus.yaml: a broken file has squiggles and Problems rows with the expected codes and lines, a correct one none', async () => {
  const { good, bad } = await openPair('good/milvus.yaml', 'bad-mode/milvus.yaml', 'tlsMode', 'milvus-tls-mode-invalid', LINES.tlsMode);
  assert.deepEqual(await wb.squiggleLines('error'), [LINES.tlsMode], 'error squiggle on the tlsMode line');
  const row = bad.find((r) => r.code === 'milvus-tls-mode-invalid');
  assert.ok(row, `bad-mode/milvus.yaml rows: ${fmt(bad)}`);
  assert.equal(row.severity, 'error');
  assert.equal(row.source, 'tls-config');
  assert.equal(row.line, LINES.tlsMode);
  assert.match(row.message, /tlsMode is 5/);
  await wb.shot('problems');

  // the unknown key: a warning on line 3
  await wb.openFile('typo/milvus.yaml', 'tlsMode');
  const rows = await wb.waitProblem('milvus-key-unknown', { line: LINES.serverPemPath });
  const typo = forFile(rows, 'typo/milvus.yaml').find((r) => r.code === 'milvus-key-unknown');
  assert.equal(typo?.severity, 'warning');
  assert.match(typo.message, /serverPemPth.*serverPemPath/);
  await wb.editor.locator('.squiggly-warning').first().waitFor();
  assert.ok((await wb.squiggleLines('warning')).includes(LINES.serverPemPath), 'warning squiggle on line 3');

  // the correct file: no Problems rows, no squiggles
  assert.deepEqual(good, [], `good/milvus.yaml rows: ${fmt(good)}`);
  await wb.openFile('good/milvus.yaml', 'tlsMode');
  await wb.editor.locator('.detected-link', { hasText: '/milvus/tls/server.pem' }).waitFor(); // the server has answered for this file
  assert.deepEqual(await wb.squiggleLines('error'), []);
  assert.deepEqual(await wb.squiggleLines('warning'), []);
});

test('(2a) docker-compose.yml: a missing bind source is flagged on its line, a correct file has no errors or warnings', async () => {
  const { good, bad } = await openPair(
    'good/docker-compose.yml',
    'bad-compose/docker-compose.yml',
    'services',
    'compose-bind-source-missing',
    LINES.missingVolume,
  );
  const row = bad.find((r) => r.code === 'compose-bind-source-missing');
  assert.ok(row, `bad-compose rows: ${fmt(bad)}`);
  assert.equal(row.severity, 'error');
  assert.equal(row.line, LINES.missingVolume);
  assert.match(row.message, /\.\/missing-certs/);
  assert.deepEqual(await wb.squiggleLines('error'), [LINES.missingVolume]);
  assert.deepEqual(loud(good), [], `good/docker-compose.yml rows: ${fmt(good)}`);
});

test('(2b) PEM: expired and CN-only certificates are flagged, a correct certificate is not', async () => {
  await wb.openFile('good/tls/server.pem', 'BEGIN CERTIFICATE');
  await wb.openFile('pem/legacy.pem', 'BEGIN CERTIFICATE');
  await wb.openFile('pem/expired.pem', 'BEGIN CERTIFICATE');
  await wb.showProblems();
  await wb.waitProblem('tls-cert-no-san');
  const rows = await wb.waitProblem('tls-cert-expired');
  const expired = forFile(rows, 'pem/expired.pem').find((r) => r.code === 'tls-cert-expired');
  assert.equal(expired?.severity, 'error', `expired.pem rows: ${fmt(forFile(rows, 'pem/expired.pem'))}`);
  assert.equal(expired.line, 1);
  assert.match(expired.message, /expired/);
  const legacy = forFile(rows, 'pem/legacy.pem').find((r) => r.code === 'tls-cert-no-san');
  assert.equal(legacy?.severity, 'error', `legacy.pem rows: ${fmt(forFile(rows, 'pem/legacy.pem'))}`);
  assert.ok((await wb.squiggleLines('error')).length > 0, 'expired.pem has an error squiggle');
  const good = forFile(rows, 'good/tls/server.pem');
  assert.deepEqual(loud(good), [], `good/tls/server.pem rows: ${fmt(good)}`);
});

test('(8) a folder of certificate files: a key that belongs to another certificate is flagged, and a certificate hover names its set', async () => {
  await wb.openFile('set/client.key', 'BEGIN PRIVATE KEY');
  await wb.showProblems();
  const rows = await wb.waitProblem('set-key-mismatch', { line: 1 });
  const row = forFile(rows, 'set/client.key').find((r) => r.code === 'set-key-mismatch');
  assert.equal(row?.severity, 'error', `set/client.key rows: ${fmt(forFile(rows, 'set/client.key'))}`);
  assert.match(row.message, /^client\.key does not belong to client\.crt/);
  await wb.closeAllEditors();
  await wb.openFile('set-ok/client.crt', 'BEGIN CERTIFICATE');
  const hover = await wb.hoverText('BEGIN CERTIFICATE', 'CERTIFICATE', 'pairs with client.key');
  assert.match(hover, /pairs with client\.key · chains to ca\.crt · clientAuth ✓/);
});

test('(3) hover on the serverPemPath value in milvus.yaml leads with the verdict, then the certificate and a Show certificate link', async () => {
  await wb.openFile('good/milvus.yaml', 'tlsMode');
  await wb.editor.locator('.detected-link', { hasText: '/milvus/tls/server.pem' }).waitFor({ timeout: TIMEOUTS.diag }); // server has the document
  const text = await wb.hoverText('serverPemPath', '/milvus/tls/server.pem', 'CN=localhost');
  assert.match(text, /✓ SAN covers localhost · \d+ days left/);
  assert.match(text, /Certificate CN=localhost/);
  assert.match(text, /Show certificate/);
  assert.ok(text.includes(abs('good/tls/server.pem')) || text.includes('good/tls/server.pem'), `hover names the host file:\n${text}`);
  await wb.shot('hover');
  await wb.page.mouse.move(5, 5);
});

test('(4) the quick fix from the light bulb (Ctrl+.) renames serverPemPth to serverPemPath', async () => {
  const file = abs('typo/milvus.yaml');
  await wb.openFile('typo/milvus.yaml', 'tlsMode');
  await wb.editor.locator('.squiggly-warning').first().waitFor({ timeout: TIMEOUTS.diag });
  await wb.clickText('serverPemPth', 'serverPemPth');
  await wb.page.keyboard.press('Control+.');
  const item = wb.page.locator('.action-widget .monaco-list-row', { hasText: 'Rename to serverPemPath' }).first();
  await item.waitFor();
  await wb.shot('quickfix');
  await item.click();
  await wb.line('serverPemPath: /milvus/tls/server.pem').waitFor();
  await wb.page.keyboard.press('Control+S');
  await until('the fix on disk', () => fs.readFileSync(file, 'utf8').includes('  serverPemPath: /milvus/tls/server.pem\n'));
  assert.doesNotMatch(fs.readFileSync(file, 'utf8'), /serverPemPth/);
  // the warning goes away
  await wb.showProblems();
  await wb.problemRow('milvus-key-unknown').waitFor({ state: 'detached', timeout: TIMEOUTS.diag });
  await wb.editor.locator('.squiggly-warning').first().waitFor({ state: 'detached', timeout: TIMEOUTS.diag });
});

test('(10) postgres: a mistyped sslmode in .env is an error on its line, and the quick fix writes verify-full', async () => {
  const file = abs('postgres/.env');
  await wb.openFile('postgres/.env', 'DATABASE_URL');
  await wb.showProblems();
  const rows = forFile(await wb.waitProblem('pg-sslmode-invalid', { line: LINES.pgSslmode }), 'postgres/.env');
  const row = rows.find((r) => r.code === 'pg-sslmode-invalid');
  assert.ok(row, `postgres/.env rows: ${fmt(rows)}`);
  assert.equal(row.severity, 'error');
  assert.match(row.message, /invalid sslmode value: "verify_full"/);
  assert.deepEqual(await wb.squiggleLines('error'), [LINES.pgSslmode]);
  // The dotenv grammar may split the value into several spans: click into its first word.
  await wb.clickText('DATABASE_URL', 'verify');
  await wb.page.keyboard.press('Control+.');
  const item = wb.page.locator('.action-widget .monaco-list-row', { hasText: 'Set sslmode to verify-full' }).first();
  await item.waitFor();
  await wb.shot('postgres-quickfix');
  await item.click();
  await wb.page.keyboard.press('Control+S');
  await until('the fix on disk', () => fs.readFileSync(file, 'utf8').includes('sslmode=verify-full&sslrootcert=ca.pem'));
  await wb.problemRow('pg-sslmode-invalid').waitFor({ state: 'detached', timeout: TIMEOUTS.diag });
});

test('(6) the Outline of a PEM bundle lists its blocks', async () => {
  await wb.openFile('pem/bundle.pem', 'BEGIN CERTIFICATE');
  await wb.runCommand('Explorer: Focus on Outline View');
  const rows = wb.page.locator('.pane-body.outline-pane .monaco-list-row');
  await rows.nth(1).waitFor();
  const labels = await rows.evaluateAll((rs) => rs.map((r) => r.querySelector('.label-name')?.textContent?.trim()));
  assert.equal(labels.length, 2, `outline: ${labels.join(' | ')}`);
  assert.match(labels[0], /CN=localhost/);
  assert.match(labels[1], /CA/);
  await wb.shot('outline');
});

test('(5) "TLS: Generate TLS certs" writes the files and wires them into milvus.yaml and docker-compose.yml', async () => {
  const gen = abs('gen');
  const out = path.join(gen, 'tls');
  await wb.openFile('gen/milvus.yaml', 'tlsMode');
  await wb.runCommand('TLS: Generate TLS certs', { shot: 'generate-palette' });

  // Answer the steps by their titles ("Generate TLS certs: … (n/N)"), whatever their number and order.
  const enter = () => wb.quickInputBox.press('Enter');
  const steps = [
    { re: /which system/, required: true, answer: () => wb.pick('Milvus') },
    { re: /what for\?/, required: true, answer: () => wb.pick('Mutual TLS') },
    {
      re: /server names/,
      required: true,
      answer: async (v) => {
        assert.match(v, /^localhost, 127\.0\.0\.1/);
        await enter();
      },
    },
    { re: /key type/, required: true, answer: () => wb.pick('P-256') },
    { re: /certificate signing requests/, answer: () => wb.pick('No CSRs') },
    { re: /CA validity in days/, required: true, answer: enter },
    { re: /certificate validity in days/, required: true, answer: enter },
    {
      re: /output folder/,
      required: true,
      answer: async (v) => {
        assert.equal(v, out, 'default output folder is <folder>/tls');
        await enter();
      },
    },
  ];
  const seen = [];
  for (let prev = ''; ;) {
    const title = await wb.nextQuickInputOrDialog(prev);
    if (title === null) break; // a dialog is up
    const step = steps.find((x) => x.re.test(title));
    assert.ok(step, `unexpected step "${title}"`);
    seen.push(title);
    await step.answer(await wb.quickInputBox.inputValue());
    prev = title;
  }
  // One flow, numbered 1..N without repeats, with a back button after the first step.
  const numbers = seen.map((t) => /\((\d+)\/(\d+)\)$/.exec(t)?.slice(1).map(Number));
  assert.ok(
    numbers.every((n, i) => n && n[0] === i + 1 && n[1] === seen.length),
    `steps numbered 1..${seen.length}: ${seen.join(' | ')}`,
  );
  for (const st of steps.filter((x) => x.required))
    assert.ok(
      seen.some((t) => st.re.test(t)),
      `no step ${st.re} in: ${seen.join(' | ')}`,
    );

  const dialog = wb.page.locator('.monaco-dialog-box', { hasText: 'Wrote' });
  await dialog.waitFor({ timeout: TIMEOUTS.diag });
  assert.match(await dialog.innerText(), /Wrote 6 files/);
  await wb.shot('generate');

  // on disk before "Apply": the six files, keys private to the user
  for (const f of ['ca.pem', 'ca.key', 'server.pem', 'server.key', 'client.pem', 'client.key']) {
    const st = fs.statSync(path.join(out, f));
    assert.ok(st.size > 0, f);
    if (f.endsWith('.key')) assert.equal(st.mode & 0o777, 0o600, `${f} mode ${(st.mode & 0o777).toString(8)}`);
  }
  assert.match(fs.readFileSync(path.join(out, 'server.pem'), 'utf8'), /^-----BEGIN CERTIFICATE-----/);

  await dialog.locator('.monaco-button', { hasText: /^Apply$/ }).click();
  await dialog.waitFor({ state: 'detached' });

  // wiring written and saved
  const milvus = await until('tlsMode 2 in gen/milvus.yaml', () => {
    const s = fs.readFileSync(path.join(gen, 'milvus.yaml'), 'utf8');
    return /tlsMode:\s*2\b/.test(s) && s;
  });
  assert.match(milvus, /serverPemPath:/);
  assert.match(milvus, /caPemPath:/);
  const compose = await until('a tls mount in gen/docker-compose.yml', () => {
    const s = fs.readFileSync(path.join(gen, 'docker-compose.yml'), 'utf8');
    return /\.\/tls:/.test(s) && s;
  });
  assert.match(compose, /- \.\/tls:\/milvus\/tls/);

  // the connection snippet opens beside only when asked, read-only (closing it asks nothing)
  const toast = wb.page.locator('.notification-toast', { hasText: 'Wired and saved' });
  await toast.waitFor({ timeout: TIMEOUTS.diag });
  assert.ok(await toast.locator('.monaco-button', { hasText: 'Open folder' }).count(), 'the folder can be revealed');
  await toast.locator('.monaco-button', { hasText: 'Show snippet' }).click();
  await wb.page.locator('.editor-group-container.active .view-line', { hasText: 'Connect to Milvus' }).waitFor();
  await wb.shot('generate-done');

  // Problems: nothing from tls-config about the generated setup
  await wb.runCommand('View: Close Editor'); // the read-only snippet: nothing to save
  await wb.openFile('gen/milvus.yaml', 'tlsMode');
  await wb.line('tlsMode: 2').waitFor();
  await wb.editor.locator('.detected-link', { hasText: 'server.pem' }).first().waitFor({ timeout: TIMEOUTS.diag });
  await wb.openFile('gen/docker-compose.yml', 'services');
  await wb.line('./tls:').waitFor();
  await wb.openFile('good/milvus.yaml', 'tlsMode'); // a later document: when its links show, the gen files are checked
  await wb.editor.locator('.detected-link', { hasText: 'server.pem' }).first().waitFor({ timeout: TIMEOUTS.diag });
  await wb.showProblems();
  const rows = (await wb.problemRows()).filter((r) => r.file?.startsWith(gen + path.sep));
  assert.deepEqual(loud(rows), [], `gen rows: ${fmt(rows)}`);
  await wb.shot('generate-problems');
});

test('(7) "Test TLS connection" from the CodeLens on the tls block: a live mutual-TLS handshake, the result in a Markdown preview', async () => {
  // A project whose compose file publishes the proxy port on a TLS server of this test (mode 2, ALPN h2).
  const dir = abs('probe');
  fs.cpSync(abs('good'), dir, { recursive: true });
  const tlsDir = path.join(dir, 'tls');
  const server = tls.createServer({
    cert: fs.readFileSync(path.join(tlsDir, 'server.pem')),
    key: fs.readFileSync(path.join(tlsDir, 'server.key')),
    ca: fs.readFileSync(path.join(tlsDir, 'ca.pem')),
    requestCert: true,
    rejectUnauthorized: true,
    ALPNProtocols: ['h2'],
  });
  const peers = [];
  const sockets = new Set();
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  server.on('secureConnection', (s) => {
    peers.push(s.getPeerCertificate()?.subject?.CN);
    s.end('ok\n');
  });
  server.on('tlsClientError', () => {});
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  const port = server.address().port;
  try {
    fs.writeFileSync(
      path.join(dir, 'docker-compose.yml'),
      fs.readFileSync(path.join(dir, 'docker-compose.yml'), 'utf8').replace('"19530:19530"', `"${port}:19530"`),
    );
    await wb.openFile('probe/milvus.yaml', 'tlsMode');
    const lens = wb.editor.locator('.codelens-decoration a', { hasText: `Test TLS connection (127.0.0.1:${port})` });
    await lens.waitFor({ timeout: TIMEOUTS.diag });
    await wb.shot('test-connection-lens');
    await lens.click();
    const toast = wb.page.locator('.notification-toast', { hasText: `TLS connection to 127.0.0.1:${port} OK` });
    await toast.waitFor({ timeout: TIMEOUTS.diag });
    assert.match(await toast.innerText(), /TLSv1\.3, ALPN h2, client certificate accepted/);
    assert.ok(await toast.locator('.monaco-button', { hasText: 'Copy openssl command' }).count(), 'the copy button is offered');
    // The preview tab of the result document opens beside the config.
    await wb.page
      .locator('.tab', { hasText: new RegExp(`127\\.0\\.0\\.1_${port}`) })
      .first()
      .waitFor({ timeout: TIMEOUTS.ui });
    // Its rendered Markdown: the verdict, the chain, the openssl command (inside the preview's webview frames).
    const preview = wb.page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
    await preview.locator('h1', { hasText: `TLS connection to 127.0.0.1:${port}` }).waitFor({ timeout: TIMEOUTS.diag });
    const body = await preview.locator('body').innerText();
    assert.match(body, /Presented chain/);
    assert.match(body, /client certificate accepted|asked for: yes/);
    assert.match(body, /openssl s_client -connect 127\.0\.0\.1:\d+ .*-alpn h2/);
    await wb.shot('test-connection');
    assert.ok(
      peers.length >= 1 && peers.every(Boolean),
      `the server saw our handshake with a client certificate: ${JSON.stringify(peers)}`,
    );
  } finally {
    for (const s of sockets) s.destroy();
    await new Promise((r) => server.close(r));
    await wb.dismissOverlays();
  }
});

test('(9) gateways: nginx.conf with the leaf not first and an APISIX SNI outside the SANs are flagged on their lines; hover decodes the path', async () => {
  await wb.openFile('gateway/nginx/nginx.conf', 'ssl_certificate');
  await wb.showProblems();
  let rows = await wb.waitProblem('tls-chain-leaf-not-first', { line: GATEWAY_LINES.nginxCert });
  const leaf = forFile(rows, 'gateway/nginx/nginx.conf').find((r) => r.code === 'tls-chain-leaf-not-first');
  assert.equal(leaf?.severity, 'error', fmt(forFile(rows, 'gateway/nginx/nginx.conf')));
  assert.match(leaf.message, /key values mismatch/);
  assert.deepEqual(await wb.squiggleLines('error'), [GATEWAY_LINES.nginxCert]);
  const text = await wb.hoverText('ssl_certificate tls', 'reversed.pem', 'Host file');
  assert.match(text, /reversed\.pem/);
  await wb.page.mouse.move(5, 5);

  await wb.openFile('gateway/apisix/apisix.yaml', 'ssls');
  rows = await wb.waitProblem('tls-name-not-in-san', { line: GATEWAY_LINES.apisixSnis });
  const sni = forFile(rows, 'gateway/apisix/apisix.yaml').find((r) => r.code === 'tls-name-not-in-san');
  assert.match(sni?.message ?? '', /shop\.example\.test/);
});

// ---- Editor experience (issue 17): certificate tools, untitled PEM, the log, the workspace check, the walkthrough ----
// The workspace check publishes every file's findings, so its case runs last (the profile turns the start-up check off).

/** vscode.env.clipboard in code-server is the browser's clipboard, which headless chromium grants only when asked. */
async function allowClipboard() {
  await wb.page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: new URL(wb.page.url()).origin });
}

test('(12) a PEM file has a CodeLens per certificate; it opens the certificate view beside the text, with fingerprints to copy', async () => {
  await allowClipboard();
  await wb.openFile('good/tls/server.pem', 'BEGIN CERTIFICATE');
  const lens = wb.editor.locator('.codelens-decoration a', { hasText: /^expires in .* · issued by TLS Config CA/ });
  await lens.first().waitFor({ timeout: TIMEOUTS.diag });
  await lens.first().click();
  await wb.page.locator('.tab', { hasText: 'Certificate: server.pem' }).first().waitFor({ timeout: TIMEOUTS.ui });
  const view = wb.page.frameLocator('iframe.webview.ready').first().frameLocator('#active-frame');
  await view.locator('h1', { hasText: 'good/tls/server.pem' }).waitFor({ timeout: TIMEOUTS.diag });
  const body = await view.locator('body').innerText();
  assert.match(body, /No problems found: 1 certificate/);
  assert.match(body, /Certificate CN=localhost/);
  assert.match(body, /Subject alt names\s+DNS:localhost, IP:127\.0\.0\.1/);
  assert.match(body, /CA certificate CN=TLS Config CA \w+\s+ca\.pem/, 'the chain reaches ca.pem of the folder');
  const { X509Certificate } = await import('node:crypto');
  const sha256 = new X509Certificate(fs.readFileSync(abs('good/tls/server.pem'))).fingerprint256;
  assert.ok(body.includes(sha256), `the view shows ${sha256}`);
  await wb.shot('certificate-view');
  await view.locator('button.copy', { hasText: 'Copy' }).first().click();
  await wb.page.locator('.statusbar', { hasText: 'Copied SHA-256' }).waitFor({ timeout: TIMEOUTS.ui });
});

test('(13) "TLS: Copy SHA-256 fingerprint" copies the certificate of the active PEM file and says which', async () => {
  await allowClipboard();
  await wb.openFile('good/tls/ca.pem', 'BEGIN CERTIFICATE');
  await wb.editor.locator('.codelens-decoration a', { hasText: 'self-signed' }).first().waitFor({ timeout: TIMEOUTS.diag });
  await wb.runCommand('TLS: Copy SHA-256 fingerprint');
  const { X509Certificate } = await import('node:crypto');
  const sha256 = new X509Certificate(fs.readFileSync(abs('good/tls/ca.pem'))).fingerprint256;
  const toast = wb.page.locator('.notification-toast', { hasText: 'Copied the SHA-256 fingerprint' });
  await toast.waitFor({ timeout: TIMEOUTS.diag });
  assert.ok((await toast.innerText()).includes(sha256), await toast.innerText());
  assert.equal(await wb.page.evaluate(() => globalThis.navigator.clipboard.readText()), sha256);
  await wb.dismissOverlays();
});

test('(14) a certificate pasted into an untitled editor switches it from Plain Text to PEM, and the PEM features follow', async () => {
  await wb.runCommand('File: New Untitled Text File');
  await wb.editor.locator('.view-lines').click();
  await wb.page.keyboard.insertText(fs.readFileSync(abs('pem/expired.pem'), 'utf8'));
  await wb.page.locator('.statusbar-item', { hasText: /^PEM$/ }).waitFor({ timeout: TIMEOUTS.diag });
  await wb.editor
    .locator('.codelens-decoration a', { hasText: /^expired .* ago · / })
    .first()
    .waitFor({ timeout: TIMEOUTS.diag });
  await wb.shot('untitled-pem');
  await wb.runCommand('View: Revert and Close Editor');
});

test('(15) the output channel logs the start-up facts and each command, and no key material', async () => {
  await wb.runCommand('TLS: Show language server output');
  await wb.page.locator('.panel .monaco-editor').first().waitFor({ timeout: TIMEOUTS.ui });
  // The channel's log file (the view shows only its last lines): <user-data>/logs/<session>/…/TLS Config.log.
  const find = (dir) => {
    for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
      const p = path.join(dir, e.name);
      if (e.isDirectory()) {
        const hit = find(p);
        if (hit) return hit;
      } else if (e.name === 'TLS Config.log') return p;
    }
    return undefined;
  };
  const logs = path.join(path.dirname(WS), 'user-data', 'logs');
  const text = await until('the command in the log', () => {
    const f = fs.existsSync(logs) && find(logs);
    const t = f && fs.readFileSync(f, 'utf8');
    return t && t.includes('command tlsConfig.showOutput') && t;
  });
  assert.match(text, /TLS Config \d+\.\d+\.\d+ on VS Code/);
  assert.match(text, /server: .*dist[/\\]server\.js/);
  assert.match(text, /workspace folders: /);
  assert.match(text, /workspace trust: trusted/);
  assert.match(text, /command tlsConfig\.copyFingerprint/, 'case 13 ran it');
  assert.doesNotMatch(text, /BEGIN [A-Z ]*PRIVATE KEY/);
});

test('(16) the Getting Started walkthrough lists its four steps', async () => {
  await wb.runCommand('Welcome: Open Walkthrough...');
  await wb.pick('Get started with TLS Config');
  for (const step of ['Open an example', 'See the problems', 'Generate certificates', 'Test the connection'])
    await wb.page.locator('.getting-started-step', { hasText: step }).first().waitFor({ timeout: TIMEOUTS.ui });
  await wb.shot('walkthrough');
});

test("(17) Kubernetes: the Operator sample's two mistakes (PEM without |, tls: under common:) are flagged on their lines; the PEM in the Secret decodes on hover", async () => {
  const rel = 'k8s/milvus.yaml';
  const L = k8sLines(fs.readFileSync(abs(rel), 'utf8'));
  await wb.openFile(rel, 'apiVersion');
  await wb.showProblems();
  await wb.waitProblem('milvus-block-misplaced', { line: L.misplacedTls });
  const rows = await wb.waitProblem('k8s-pem-folded', { line: L.caFolded });
  const mine = forFile(rows, rel);
  const folded = mine.filter((r) => r.code === 'k8s-pem-folded').map((r) => r.line);
  assert.deepEqual(
    folded.sort((a, b) => a - b),
    [L.keyFolded, L.caFolded],
    fmt(mine),
  );
  assert.equal(mine.find((r) => r.code === 'k8s-pem-folded')?.severity, 'error', fmt(mine));
  // The PEM inside the Secret decodes on hover, with its verdict.
  const text = await wb.hoverText('-----BEGIN CERTIFICATE-----', 'BEGIN', 'CN=localhost');
  assert.match(text, /✓ SAN covers localhost/);
  await wb.page.mouse.move(5, 5);
});

test('(18) pymilvus: a server_name the Milvus certificate does not cover is flagged on its line; hover on a key argument names the key, never its material', async () => {
  const rel = 'client/app.py';
  await wb.openFile(rel, 'MilvusClient');
  await wb.showProblems();
  const rows = await wb.waitProblem('milvus-client-name-not-in-san', { line: APP_SERVER_NAME_LINE });
  const r = forFile(rows, rel).find((x) => x.code === 'milvus-client-name-not-in-san');
  assert.match(r?.message ?? '', /milvus\.local/, fmt(forFile(rows, rel)));
  const text = await wb.hoverText('client_key_path', 'client.key', 'private key');
  assert.match(text, /EC private key P-256/);
  assert.doesNotMatch(text, /BEGIN/);
  await wb.page.mouse.move(5, 5);
});

test('(11) "Check workspace", found by typing Milvus: findings of files never opened reach Problems, and the status bar says so', async () => {
  await wb.closeAllEditors();
  await wb.dismissOverlays();
  await wb.page.keyboard.press('F1');
  await wb.quickInputBox.fill('>Milvus');
  await wb.page
    .locator('.quick-input-widget .quick-input-list .monaco-list-row', { hasText: 'Check workspace TLS configuration' })
    .first()
    .click();
  const toast = wb.page.locator('.notification-toast', { hasText: /files? checked in/ });
  await toast.waitFor({ timeout: TIMEOUTS.long });
  assert.match(await toast.innerText(), /\d+ files checked in \w+: [1-9]\d* errors?/);
  // set/client.crt was never opened: its finding comes from the workspace check alone.
  await wb.filterProblems('client.crt');
  const rows = forFile(await wb.waitProblem('set-key-mismatch'), 'set/client.crt');
  assert.equal(rows[0]?.severity, 'error', fmt(rows));
  const status = wb.page.locator('.statusbar-item', { hasText: /TLS: \d+ errors?/ });
  await status.waitFor({ timeout: TIMEOUTS.ui });
  await wb.shot('status-bar');
  await wb.filterProblems('');
});
