import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { MarkupContent } from 'vscode-languageserver-types';
import { composeVolumeHover, HOVER_MAX_ENTRIES } from '../../server/src/service/targets/compose/hover';
import { Workspace } from '../../server/src/service/workspace';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';

function withDir(fn: (dir: string, ws: Workspace, compose: string) => void): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'compose-hover-'));
  try {
    fn(dir, new Workspace([dir]), path.join(dir, 'docker-compose.yml'));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const TEXT = `services:
  standalone:
    image: milvusdb/milvus:v2.4.0
    volumes:
      - \${DOCKER_VOLUME_DIRECTORY:-.}/tls:/milvus/tls:ro
      - ./missing:/milvus/missing
      - data:/var/lib/milvus
      - ./milvus.yaml:/milvus/configs/milvus.yaml
      - type: bind
        source: ./big
        target: /big
      - /anon
volumes:
  data:
`;

const value = (h: ReturnType<typeof composeVolumeHover>): string => ((h?.contents as MarkupContent) ?? { value: '' }).value;

test('hover on a bind folder: host path, interpolation, and each file described', () => {
  withDir((dir, ws, compose) => {
    fs.mkdirSync(path.join(dir, 'tls', 'sub'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'tls', 'ca.pem'), 'x'.repeat(1500));
    fs.writeFileSync(path.join(dir, 'tls', 'server.key'), 'k');
    // Like the service's describeFile: what the file holds, not its name.
    const h = composeVolumeHover(TEXT, { line: 4, character: 20 }, compose, ws, {}, () => 'certificate CN=test');
    assert.ok(h);
    assert.deepEqual(h.range, { start: { line: 4, character: 8 }, end: { line: 4, character: 56 } });
    const v = value(h);
    assert.match(v, new RegExp(`host \`${path.join(dir, 'tls').replace(/[\\^$.*+?()[\]{}|]/g, '\\$&')}\``));
    assert.match(v, /container `\/milvus\/tls`/);
    assert.match(v, /read-only/);
    assert.match(v, /Interpolated: `\$\{DOCKER_VOLUME_DIRECTORY:-\.\}\/tls:\/milvus\/tls:ro` → `\.\/tls:\/milvus\/tls:ro`/);
    assert.match(v, /Exists \(folder\), 3 entries/);
    assert.match(v, /- `ca\.pem`: certificate CN=test/);
    assert.match(v, /- `server\.key`: certificate CN=test/);
    assert.match(v, /- `sub\/`/);
  });
});

test('default description: name and size', () => {
  withDir((dir, ws, compose) => {
    fs.mkdirSync(path.join(dir, 'tls'));
    fs.writeFileSync(path.join(dir, 'tls', 'ca.pem'), 'x'.repeat(2048));
    fs.writeFileSync(path.join(dir, 'milvus.yaml'), 'tls: {}\n');
    const v = value(composeVolumeHover(TEXT, { line: 4, character: 8 }, compose, ws, {}));
    assert.match(v, /`ca\.pem`: 2\.0 KB/);
    const f = value(composeVolumeHover(TEXT, { line: 7, character: 30 }, compose, ws, {}));
    assert.match(f, /Exists \(file\): `milvus\.yaml`: 8 B/);
    assert.doesNotMatch(f, /Interpolated/);
  });
});

test('missing host path, named volume, anonymous volume, long syntax', () => {
  withDir((dir, ws, compose) => {
    const missing = value(composeVolumeHover(TEXT, { line: 5, character: 12 }, compose, ws, {}));
    assert.match(missing, /\*\*Does not exist\*\*: Docker will create an empty directory/);
    const named = value(composeVolumeHover(TEXT, { line: 6, character: 10 }, compose, ws, {}));
    assert.match(named, /Named volume.*`data`.*`\/var\/lib\/milvus`/);
    const anon = value(composeVolumeHover(TEXT, { line: 11, character: 9 }, compose, ws, {}));
    assert.match(anon, /Anonymous volume/);
    const long = composeVolumeHover(TEXT, { line: 10, character: 12 }, compose, ws, {});
    assert.deepEqual(long?.range, { start: { line: 8, character: 8 }, end: { line: 10, character: 20 } });
    assert.match(value(long), /long syntax/);
    assert.match(value(long), /bind source path does not exist/);
  });
});

test('folder listings are capped', () => {
  withDir((dir, ws, compose) => {
    fs.mkdirSync(path.join(dir, 'big'));
    for (let i = 0; i < 45; i++) fs.writeFileSync(path.join(dir, 'big', `f${String(i).padStart(2, '0')}.pem`), '');
    const v = value(composeVolumeHover(TEXT, { line: 9, character: 18 }, compose, ws, {}));
    assert.match(v, /45 entries/);
    assert.equal((v.match(/^- `f\d+\.pem`/gm) ?? []).length, HOVER_MAX_ENTRIES);
    assert.match(v, /… and 15 more/);
  });
});

test('no hover outside volume entries; untrusted workspace does not list; bad input', () => {
  withDir((dir, ws, compose) => {
    assert.equal(composeVolumeHover(TEXT, { line: 2, character: 10 }, compose, ws, {}), null);
    assert.equal(composeVolumeHover(TEXT, { line: 100, character: 0 }, compose, ws, {}), null);
    fs.mkdirSync(path.join(dir, 'tls'));
    fs.writeFileSync(path.join(dir, 'tls', 'secret.key'), 'k');
    const untrusted = new Workspace([dir], { ...DEFAULT_SETTINGS, trusted: false });
    const v = value(composeVolumeHover(TEXT, { line: 4, character: 10 }, compose, untrusted, {}));
    assert.match(v, /not trusted/);
    assert.doesNotMatch(v, /secret\.key/);
    for (const t of ['', '- a', 'services: [', 'services:\n  s:\n    volumes:\n      - 1\n']) {
      assert.doesNotThrow(() => composeVolumeHover(t, { line: 0, character: 0 }, compose, ws, {}));
    }
    // a throwing describeFile does not break the hover
    const h = composeVolumeHover(TEXT, { line: 4, character: 10 }, compose, ws, {}, () => {
      throw new Error('boom');
    });
    assert.match(value(h), /`secret\.key`/);
  });
});

test('through the service: each entry of a mounted folder is named, then described from its PEM contents', async () => {
  const { makeCa, makeLeaf } = await import('../support/certs');
  const { URI } = await import('vscode-uri');
  const { LanguageService } = await import('../../server/src/service');
  const ca = await makeCa('Hover CA');
  const leaf = await makeLeaf(ca);
  withDir((dir, ws, compose) => {
    fs.mkdirSync(path.join(dir, 'tls'));
    fs.writeFileSync(path.join(dir, 'tls', 'ca.pem'), ca.certPem);
    fs.writeFileSync(path.join(dir, 'tls', 'server.pem'), leaf.certPem);
    fs.writeFileSync(path.join(dir, 'tls', 'server.key'), leaf.keyPem, { mode: 0o600 });
    fs.writeFileSync(compose, TEXT);
    const h = new LanguageService(ws, {}).hover(
      { path: compose, uri: URI.file(compose).toString(), text: TEXT },
      { line: 4, character: 20 },
    );
    const v = value(h);
    assert.match(v, /^- `ca\.pem`: CA certificate CN=Hover CA/m);
    assert.match(v, /^- `server\.pem`: Certificate CN=localhost/m);
    assert.match(v, /^- `server\.key`: EC private key P-256/m);
  });
});
