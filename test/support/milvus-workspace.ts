/** A mode-2 workspace (compose + milvus.yaml + a generated set) for the milvus feature tests. */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { generateCertSet, DEFAULT_OPTIONS, type GeneratedFile } from '../../server/src/service/certgen';
import { tmpWorkspace, writeFiles, composeYaml, milvusYaml } from './workspace';

let cached: Promise<GeneratedFile[]> | undefined;

export async function mtlsWorkspace(milvus = milvusYaml(), compose = composeYaml()): Promise<string> {
  cached ??= generateCertSet(DEFAULT_OPTIONS);
  const set = await cached;
  const root = tmpWorkspace('milvus-');
  const files: Record<string, string> = { 'docker-compose.yml': compose, 'milvus.yaml': milvus };
  for (const f of set) files['tls/' + f.name] = f.contents;
  writeFiles(root, files);
  fs.mkdirSync(path.join(root, 'volumes/milvus'), { recursive: true });
  return root;
}

export function positionOf(text: string, needle: string, offsetInNeedle = 0): { line: number; character: number } {
  const lines = text.split('\n');
  const line = lines.findIndex((l) => l.includes(needle));
  if (line < 0) throw new Error(`${needle} not found`);
  return { line, character: lines[line].indexOf(needle) + offsetInNeedle };
}
