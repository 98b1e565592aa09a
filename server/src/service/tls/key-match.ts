/**
 * The key a certificate was issued for, when it sits beside the wrong one: the quick fix of a key mismatch
 * points the setting at it. Only the key's folder is searched (the same mount, so only the file name changes).
 */
import * as path from 'node:path';
import type { Workspace } from '../workspace';
import { loadPemFile, privateKeys } from '../pem/files';
import type { CertInfo } from '../pem/model';

/** What the quick fix needs: the file name that replaces the last path segment of the key setting. */
export interface UseKeyFix {
  kind: 'use-key';
  name: string;
  /** "server.pem (CN=localhost)", for the action's title. */
  certificate: string;
}

const KEY_FILE = /\.(pem|key)$/i;
/** A folder of thousands of files is not searched for one quick fix. */
const MAX_FILES = 200;

export function matchingKeyBeside(keyPath: string, leaf: CertInfo, certPath: string, ws: Workspace): UseKeyFix | undefined {
  const dir = path.dirname(keyPath);
  const names = ws
    .list(dir)
    .filter((n) => KEY_FILE.test(n))
    .sort();
  for (const n of names.slice(0, MAX_FILES)) {
    const file = path.join(dir, n);
    if (file === path.resolve(keyPath) || file === path.resolve(certPath)) continue;
    const items = loadPemFile(file, ws).contents?.items ?? [];
    if (privateKeys(items).some((k) => k.key.publicKey?.spkiSha256 === leaf.publicKey.spkiSha256))
      return { kind: 'use-key', name: n, certificate: `${path.basename(certPath)} (${leaf.subject})` };
  }
  return undefined;
}
