/**
 * Kubernetes manifests for the tests, in the shapes of the Milvus Operator's samples
 * (zilliztech/milvus-operator config/samples/external_tls.yaml, internal_tls.yaml) and the Milvus
 * chart's values (zilliztech/milvus-helm charts/milvus/values.yaml), written for these tests.
 */
import * as fs from 'node:fs';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';

/** PEM text indented as the lines of a block scalar. */
export function indentPem(pem: string, n: number): string {
  return pem
    .trim()
    .split('\n')
    .map((l) => ' '.repeat(n) + l)
    .join('\n');
}

export const b64 = (s: string) => Buffer.from(s).toString('base64');

export interface SecretFiles {
  [key: string]: string;
}

/** A Secret with its PEM values under stringData as literal blocks (the correct way). */
export function secretYaml(name: string, files: SecretFiles, opts: { namespace?: string; type?: string; folded?: string[] } = {}): string {
  const entries = Object.entries(files)
    .map(([k, v]) => (opts.folded?.includes(k) ? `  ${k}:\n${indentPem(v, 4)}` : `  ${k}: |\n${indentPem(v, 4)}`))
    .join('\n');
  return `apiVersion: v1
kind: Secret
metadata:
  name: ${name}${opts.namespace ? `\n  namespace: ${opts.namespace}` : ''}
type: ${opts.type ?? 'Opaque'}
stringData:
${entries}
`;
}

/** A Secret with base64 `data`. */
export function dataSecretYaml(name: string, data: Record<string, string>, type = 'Opaque'): string {
  return `apiVersion: v1
kind: Secret
metadata:
  name: ${name}
type: ${type}
data:
${Object.entries(data)
  .map(([k, v]) => `  ${k}: ${v}`)
  .join('\n')}
`;
}

export interface CrOptions {
  /** The operator sample's mistake: tls: under common:. */
  tlsUnderCommon?: boolean;
  tlsMode?: number;
  paths?: { cert?: string; key?: string; ca?: string };
  mountPath?: string;
  subPath?: string;
  secretName?: string;
  mode?: 'standalone' | 'cluster';
}

/** A Milvus CR turning on external TLS with certificates from a Secret volume. */
export function milvusCr(o: CrOptions = {}): string {
  const p = { cert: '/certs/server.pem', key: '/certs/server.key', ca: '/certs/ca.pem', ...o.paths };
  const tls = `tls:
      serverPemPath: ${p.cert}
      serverKeyPath: ${p.key}
      caPemPath: ${p.ca}`;
  const config = o.tlsUnderCommon
    ? `    common:
      security:
        tlsMode: ${o.tlsMode ?? 1}
      # the proxy's certificates
      ${tls.replace(/\n {6}/g, '\n        ')}`
    : `    common:
      security:
        tlsMode: ${o.tlsMode ?? 1}
    ${tls}`;
  return `apiVersion: milvus.io/v1beta1
kind: Milvus
metadata:
  name: my-release
  labels:
    app: milvus
spec:
${o.mode ? `  mode: ${o.mode}\n` : ''}  config:
    proxy:
      http:
        port: 8080
${config}
  components:
    volumes:
      - name: certs
        secret:
          secretName: ${o.secretName ?? 'certs'}
    volumeMounts:
      - name: certs
        mountPath: ${o.mountPath ?? '/certs'}${o.subPath ? `\n        subPath: ${o.subPath}` : ''}
        readOnly: true
`;
}

/** The text after applying one code action's edits to `file` (written back to disk). */
export function applyAction(file: string, uri: string, action: CodeAction): string {
  const text = fs.readFileSync(file, 'utf8');
  const edits = (action.edit?.changes?.[uri] ?? []) as TextEdit[];
  const next = TextDocument.applyEdits(TextDocument.create(uri, 'yaml', 1, text), edits);
  fs.writeFileSync(file, next);
  return next;
}

/** The line number (0-based) of the first line containing `needle`, after line `from`. */
export function lineOf(text: string, needle: string, from = 0): number {
  const lines = text.split('\n');
  for (let i = from; i < lines.length; i++) if (lines[i].includes(needle)) return i;
  throw new Error(`not found: ${needle}`);
}
