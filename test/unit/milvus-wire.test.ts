import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { planWiring } from '../../server/src/service/targets/milvus/wire';
import { generate } from '../../server/src/commands';
import { Workspace } from '../../server/src/service';
import { DEFAULT_SETTINGS } from '../../server/src/service/types';
import { applyWorkspaceEdit } from '../support/apply-edit';
import { tmpWorkspace, writeFiles, serviceFor, docOf, composeYaml } from '../support/workspace';
import { check } from '../../server/src/cli';

const STOCK = fs.readFileSync(path.join(__dirname, '../fixtures/milvus-2.6-default.yaml'), 'utf8');

async function wiredWorkspace(mode: 1 | 2, files: Record<string, string>) {
  const root = tmpWorkspace('wire-');
  writeFiles(root, files);
  const ws = new Workspace([root], { ...DEFAULT_SETTINGS });
  await generate(
    { out: path.join(root, 'tls'), options: { mode: mode === 2 ? 'mutual' : 'one-way', names: ['localhost', '127.0.0.1', 'standalone'] } },
    ws,
  );
  const plan = planWiring({ certDir: path.join(root, 'tls'), mode, composePath: path.join(root, 'docker-compose.yml') }, ws, {});
  applyWorkspaceEdit(plan.edit);
  return { root, plan };
}

for (const mode of [1, 2] as const) {
  test(`wiring a mode-${mode} set into the stock milvus.yaml and a compose file without TLS mounts validates clean`, async () => {
    const { root, plan } = await wiredWorkspace(mode, {
      'milvus.yaml': STOCK,
      'docker-compose.yml': composeYaml([], { tls: false, config: false }),
    });
    assert.ok(
      plan.summary.some((s) => s.includes(`tlsMode: 0 → ${mode}`)),
      plan.summary.join('\n'),
    );
    // Written like its neighbours: the compose file's volumes all start with ${DOCKER_VOLUME_DIRECTORY:-.}/.
    assert.ok(
      plan.summary.some((s) => s.includes('add volume ${DOCKER_VOLUME_DIRECTORY:-.}/tls:/milvus/tls:ro')),
      plan.summary.join('\n'),
    );
    assert.ok(plan.summary.some((s) => s.includes('${DOCKER_VOLUME_DIRECTORY:-.}/milvus.yaml:/milvus/configs/milvus.yaml')));
    const milvus = fs.readFileSync(path.join(root, 'milvus.yaml'), 'utf8');
    assert.match(milvus, /serverPemPath: \/milvus\/tls\/server\.pem/);
    assert.match(milvus, new RegExp(`tlsMode: ${mode}`));
    // Only the TLS lines changed: the rest of the 1,481-line file is untouched.
    assert.equal(milvus.split('\n').length, STOCK.split('\n').length);
    assert.deepEqual(serviceFor(root).validate(docOf(root, 'milvus.yaml')), []);
    assert.deepEqual(serviceFor(root).validate(docOf(root, 'docker-compose.yml')), []);
    const { findings } = check([root]);
    assert.deepEqual(
      findings.filter((f) => f.severity === 'error' || f.severity === 'warning'),
      [],
    );
  });
}

test('wiring creates milvus.yaml when there is none and adds volumes to a service without any', async () => {
  const compose = `services:\n  standalone:\n    image: milvusdb/milvus:v2.6.0\n    command: ["milvus", "run", "standalone"]\n`;
  const { root } = await wiredWorkspace(2, { 'docker-compose.yml': compose });
  const milvus = fs.readFileSync(path.join(root, 'milvus.yaml'), 'utf8');
  assert.match(milvus, /tlsMode: 2/);
  const c = fs.readFileSync(path.join(root, 'docker-compose.yml'), 'utf8');
  assert.match(c, / {4}volumes:\n {6}- \.\/tls:\/milvus\/tls:ro\n {6}- \.\/milvus\.yaml:\/milvus\/configs\/milvus\.yaml/);
  assert.deepEqual(serviceFor(root).validate(docOf(root, 'milvus.yaml')), []);
  assert.deepEqual(serviceFor(root).validate(docOf(root, 'docker-compose.yml')), []);
});

test('wiring twice changes nothing the second time', async () => {
  const { root } = await wiredWorkspace(2, { 'milvus.yaml': STOCK, 'docker-compose.yml': composeYaml([], { tls: false, config: false }) });
  const ws = new Workspace([root], { ...DEFAULT_SETTINGS });
  const again = planWiring({ certDir: path.join(root, 'tls'), mode: 2, composePath: path.join(root, 'docker-compose.yml') }, ws, {});
  assert.deepEqual(again.summary, []);
});
