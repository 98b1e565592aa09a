/** Which files "Check workspace" looks at (server/src/workspace-files.ts), on real folders. */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { findWorkspaceFiles, isCandidate } from '../../server/src/workspace-files';
import { tmpWorkspace, writeFiles } from '../support/workspace';

test('candidates: every PEM extension, YAML, .env files, the configs of nginx and PostgreSQL, Milvus clients (.py, README curls), and the user globs', () => {
  for (const f of [
    'a.pem',
    'a.crt',
    'a.cer',
    'a.key',
    'a.csr',
    'b.ca-bundle',
    'milvus.yaml',
    'docker-compose.yml',
    '.env',
    '.env.local',
    'prod.env',
  ])
    assert.equal(isCandidate(f, []), true, f);
  for (const f of ['conf/nginx.conf', 'sites-enabled/default', 'pg_service.conf', 'ssl.json', 'deploy.sh', 'app.py', 'README.md'])
    assert.equal(isCandidate(f, []), true, f);
  for (const f of ['main.go', 'certs/site.cert', 'sites-enabled/a/b']) assert.equal(isCandidate(f, []), false, f);
  assert.equal(isCandidate('certs/site.cert', ['**/*.cert']), true);
  assert.equal(isCandidate(path.join('deep', 'x', 'site.cert'), ['*.cert']), true);
});

test('the walk skips node_modules and .git, survives a symlink loop, and lists in a stable order', () => {
  const root = tmpWorkspace('ws-files-');
  try {
    writeFiles(root, { 'b/x.pem': 'x', 'a/y.yaml': 'y', 'node_modules/p/z.pem': 'z', '.git/config.yaml': 'g', 'a/notes.txt': 'n' });
    fs.symlinkSync(root, path.join(root, 'a', 'loop'));
    const r = findWorkspaceFiles([root], [], 100);
    assert.deepEqual(
      r.files.map((f) => path.relative(root, f)),
      [path.join('a', 'y.yaml'), path.join('b', 'x.pem')],
    );
    assert.equal(r.truncated, false);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

test('the bound: at most maxFiles candidates, and truncated says more may exist', () => {
  const root = tmpWorkspace('ws-files-bound-');
  try {
    writeFiles(root, Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`c/${String(i).padStart(2, '0')}.pem`, 'x'])));
    const r = findWorkspaceFiles([root], [], 10);
    assert.equal(r.files.length, 10);
    assert.equal(r.truncated, true);
    assert.equal(findWorkspaceFiles([root], [], 30).truncated, false);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});
