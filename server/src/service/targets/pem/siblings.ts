/** The other PEM files of a certificate's folder: a CA beside a leaf tells a private PKI from a public one. */
import * as path from 'node:path';
import type { Workspace } from '../../workspace';
import type { FileContents } from '../../pem/model';
import { loadPemFile } from '../../pem/files';

export const PEM_EXT = /\.(pem|crt|cer|key|csr|ca-bundle)$/i;

/**
 * Decoded PEM files of a folder, computed once per directory listing (the workspace hands out the same
 * listing until a watcher event or its TTL): checking 1,000 certificates in one folder must not cost
 * 1,000 × 200 file stats.
 */
const folderPems = new WeakMap<string[], { path: string; contents: FileContents }[]>();

export function siblingPems(file: string, ws: Workspace): FileContents[] {
  const dir = path.dirname(file);
  const names = ws.list(dir);
  let all = folderPems.get(names);
  if (!all) {
    all = [];
    for (const n of names) {
      if (!PEM_EXT.test(n)) continue;
      const contents = loadPemFile(path.join(dir, n), ws).contents;
      if (contents) all.push({ path: path.join(dir, n), contents });
      if (all.length > 200) break;
    }
    folderPems.set(names, all);
  }
  return all.filter((x) => x.path !== path.resolve(file)).map((x) => x.contents);
}

/** Which certificate in the key's folder carries this public key: "server.pem (CN=localhost)". */
export function certificateFor(keyPath: string, spkiSha256: string, ws: Workspace): string | undefined {
  const dir = path.dirname(keyPath);
  for (const n of ws.list(dir).sort()) {
    if (!PEM_EXT.test(n)) continue;
    const c = loadPemFile(path.join(dir, n), ws).contents;
    for (const item of c?.items ?? []) {
      if (item.kind === 'certificate' && item.cert.publicKey.spkiSha256 === spkiSha256) return `${n} (${item.cert.subject})`;
    }
  }
  return undefined;
}
