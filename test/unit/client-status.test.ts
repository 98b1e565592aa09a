/** The status-bar decision (client/src/status-model.ts) on diagnostics the service really produces. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import { statusFor, expiryOf, type StatusDiagnostic } from '../../client/src/status-model';
import { makeCa, makeLeaf } from '../support/certs';
import { tmpWorkspace, writeFiles, serviceFor, docOf } from '../support/workspace';

const DAY = 86_400_000;
const now = new Date();

function asStatus(file: string, ds: { severity?: number; code?: unknown; message: unknown }[]): StatusDiagnostic[] {
  return ds.map((d) => ({
    file,
    severity: d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'other',
    code: String(d.code),
    message: String(d.message),
  }));
}

async function findings(leafDays: number): Promise<StatusDiagnostic[]> {
  const root = tmpWorkspace('client-status-');
  try {
    const ca = await makeCa('Milvus TLS CA');
    const leaf = await makeLeaf(ca, { notAfter: new Date(Date.now() + leafDays * DAY) });
    writeFiles(root, { 'tls/ca.pem': ca.certPem, 'tls/server.pem': leaf.certPem, 'tls/server.key': leaf.keyPem });
    return asStatus('tls/server.pem', serviceFor(root).validate(docOf(root, 'tls/server.pem')));
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

test('nothing to say, no item: a clean certificate, or warnings that are not about expiry', async () => {
  assert.equal(statusFor(await findings(400), now), undefined);
  assert.equal(
    statusFor([{ file: 'milvus.yaml', severity: 'warning', code: 'milvus-key-unknown', message: 'Unknown key' }], now),
    undefined,
  );
});

test('a certificate expiring within the warning window shows the days left, read from the finding the service wrote', async () => {
  const ds = await findings(12);
  assert.deepEqual(
    ds.map((d) => d.code),
    ['tls-cert-expiring'],
  );
  const view = statusFor(ds, now)!;
  assert.equal(view.kind, 'warning');
  assert.equal(view.text, '$(warning) TLS: certificate expires in 12 days');
  assert.match(view.tooltip, /^Nearest expiry: tls\/server\.pem, in 12 days \(\d{4}-\d{2}-\d{2}\)\nClick to open Problems$/);
});

test('errors lead, with the nearest expiry after them; the nearest of several wins', async () => {
  const soon = await findings(3);
  const later = (await findings(20)).map((d) => ({ ...d, file: 'other/server.pem' }));
  const view = statusFor(
    [
      ...later,
      { file: 'milvus.yaml', severity: 'error', code: 'tls-key-mismatch', message: 'The private key does not belong' },
      { file: 'milvus.yaml', severity: 'error', code: 'milvus-tls-mode-invalid', message: 'tlsMode 5' },
      ...soon,
    ],
    now,
  )!;
  assert.equal(view.kind, 'error');
  assert.equal(view.text, '$(error) TLS: 2 errors · certificate expires in 3 days');
  assert.match(
    view.tooltip,
    /^2 TLS errors in 1 file\nNearest expiry: tls\/server\.pem, in 3 days .*; 2 findings about expiring certificates\n/,
  );
});

test('the end date comes from data when the server sends it, else from the ISO date in either wording', () => {
  const base = { file: 'f', severity: 'warning' as const, code: 'tls-cert-expiring' };
  assert.equal(expiryOf({ ...base, message: 'x', notAfter: '2030-01-02T03:04:05.000Z' })?.toISOString(), '2030-01-02T03:04:05.000Z');
  assert.equal(
    expiryOf({ ...base, message: 'Certificate CN=a expires in 9 days (2030-01-02 03:04 UTC).' })?.toISOString(),
    '2030-01-02T03:04:00.000Z',
  );
  assert.equal(
    expiryOf({ ...base, message: '/tls/server.pem expires on 2030-01-02, in 9 days.' })?.toISOString(),
    '2030-01-02T00:00:00.000Z',
  );
  assert.equal(expiryOf({ ...base, message: 'no date here' }), undefined);
  assert.equal(statusFor([{ ...base, message: 'no date here' }], now)?.text, '$(warning) TLS: certificate expires soon');
});
