import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { Workspace } from '../../server/src/service/workspace';

function tmp(): string {
  return fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'tls-config-ws-')));
}

test('an open document is encoded once per version, however often it is read', () => {
  const root = tmp();
  try {
    const file = path.join(root, 'docker-compose.yml');
    const ws = new Workspace([root]);
    ws.setOverlay(file, 'services: {}\n# ü\n', 3);
    const a = ws.read(file);
    const b = ws.read(file);
    assert.ok(a.ok && b.ok);
    assert.equal(a.bytes, b.bytes, 'the same bytes for the same version');
    assert.equal(Buffer.from(a.bytes).toString('utf8'), 'services: {}\n# ü\n');
    assert.equal(a.size, Buffer.byteLength('services: {}\n# ü\n'));
    assert.equal(a.mtimeMs, 3);

    ws.setOverlay(file, 'services: {x: {}}\n', 4);
    const c = ws.read(file);
    assert.ok(c.ok);
    assert.notEqual(c.bytes, a.bytes);
    assert.equal(Buffer.from(c.bytes).toString('utf8'), 'services: {x: {}}\n');
    assert.equal(c.mtimeMs, 4);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('derive on an open document computes once per version and sees that version', () => {
  const root = tmp();
  try {
    const file = path.join(root, 'server.pem');
    fs.writeFileSync(file, 'on disk\n');
    const ws = new Workspace([root]);
    const seen: string[] = [];
    const len = () =>
      ws.derive(file, 'len', (r) => {
        const text = r.ok ? Buffer.from(r.bytes).toString('utf8') : '';
        seen.push(text);
        return text.length;
      });
    assert.equal(len(), 8);
    ws.setOverlay(file, 'open v1\n!', 1);
    assert.equal(len(), 9);
    assert.equal(len(), 9);
    ws.setOverlay(file, 'v2\n', 2);
    assert.equal(len(), 3);
    ws.clearOverlay(file);
    assert.equal(len(), 8, 'closed: the disk copy again');
    assert.deepEqual(seen, ['on disk\n', 'open v1\n!', 'v2\n']);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('openKeepsAnswers: true unless a check asked about the file and would now see other bytes', () => {
  const root = tmp();
  try {
    const cert = path.join(root, 'ca.pem');
    const unread = path.join(root, 'server.pem');
    const missing = path.join(root, 'client.pem');
    fs.writeFileSync(cert, 'disk\n');
    fs.writeFileSync(unread, 'disk\n');
    const ws = new Workspace([root]);
    ws.read(cert);
    ws.read(missing);
    assert.equal(ws.openKeepsAnswers(cert, 'disk\n'), true, 'the bytes already read');
    assert.equal(ws.openKeepsAnswers(cert, 'edited\n'), false);
    assert.equal(ws.openKeepsAnswers(unread, 'anything\n'), true, 'nothing read it');
    assert.equal(ws.openKeepsAnswers(missing, ''), false, 'it was reported missing');
    ws.setOverlay(cert, 'open\n', 1);
    assert.equal(ws.openKeepsAnswers(cert, 'open\n'), true);
    assert.equal(ws.openKeepsAnswers(cert, 'open 2\n'), false);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
