/**
 * What "Generate TLS certs" writes for Kubernetes (server/src/service/certgen/k8s.ts: the Secret
 * manifest and the Helm values fragment; k8s-wire.ts: the wiring of a Milvus CR) read back by the
 * k8s target: the generator and the checker agree, so a freshly generated and wired set has no finding.
 */
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { tmpWorkspace, writeFiles, serviceFor, docOf } from '../support/workspace';
import { generateCertSet } from '../../server/src/service/certgen/generate';
import { DEFAULT_OPTIONS } from '../../server/src/service/certgen/options';
import { k8sNames, secretManifest, valuesFragment } from '../../server/src/service/certgen/k8s';
import { k8sWiringEdits } from '../../server/src/service/certgen/k8s-wire';

const root = tmpWorkspace('k8s-gen-');
after(() => fs.rmSync(root, { recursive: true, force: true }));

const BARE_CR = `apiVersion: milvus.io/v1beta1
kind: Milvus
metadata:
  name: my-release
  labels:
    app: milvus
spec:
  mode: cluster
  dependencies: {}
  components: {}
  config: {}
`;

for (const mode of ['one-way', 'mutual'] as const) {
  test(`a generated ${mode} set: its Secret, the wired CR and the values fragment have no finding`, async () => {
    const files = await generateCertSet({ ...DEFAULT_OPTIONS, names: ['localhost', 'my-release-milvus'], mode });
    const names = k8sNames();
    const { edits } = k8sWiringEdits(BARE_CR, { flavor: 'operator', prefix: [] } as never, names, mode);
    assert.ok(edits.length > 0, 'the wiring edits the CR');
    const cr = TextDocument.applyEdits(TextDocument.create('file:///cr.yaml', 'yaml', 1, BARE_CR), edits);
    const dir = `gen-${mode}`;
    writeFiles(root, {
      [path.join(dir, 'milvus-tls-secret.yaml')]: secretManifest(files, names),
      [path.join(dir, 'milvus.yaml')]: cr,
      [path.join(dir, 'chart', 'milvus-tls-values.yaml')]: valuesFragment(names, mode),
    });
    const svc = serviceFor(root);
    for (const rel of ['milvus-tls-secret.yaml', 'milvus.yaml', 'chart/milvus-tls-values.yaml']) {
      const doc = docOf(root, path.join(dir, rel));
      assert.equal(svc.kindOf(doc), 'k8s', rel);
      assert.deepEqual(
        svc.validate(doc).map((d) => `${d.code}: ${d.message}`),
        [],
        rel,
      );
    }
    // And the chain really runs: a key swapped in the Secret is found from the CR.
    const other = await generateCertSet({ ...DEFAULT_OPTIONS, mode });
    const swapped = secretManifest(
      files.map((f) => (f.name === 'server.key' ? other.find((o) => o.name === 'server.key')! : f)),
      names,
    );
    writeFiles(root, { [path.join(dir, 'milvus-tls-secret.yaml')]: swapped });
    const again = serviceFor(root).validate(docOf(root, path.join(dir, 'milvus.yaml')));
    assert.deepEqual(
      again.map((d) => d.code),
      ['tls-key-mismatch'],
    );
  });
}
