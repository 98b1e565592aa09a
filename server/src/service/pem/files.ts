/** Decoded contents of a referenced certificate or key file, cached by the workspace on mtime. */
import type { Workspace } from '../workspace';
import type { ReadResult } from '../types';
import type { FileContents, Decoded } from '../pem/model';
import { decodeFile } from '../pem/decode';

export interface LoadedFile {
  read: ReadResult;
  contents?: FileContents;
}

export function loadPemFile(hostPath: string, ws: Workspace): LoadedFile {
  const read = ws.read(hostPath);
  if (!read.ok) return { read };
  const contents = ws.derive(hostPath, 'pem-contents', (r) => (r.ok ? decodeFile(r.bytes) : undefined));
  return { read, contents };
}

export function certificates(items: Decoded[]): Extract<Decoded, { kind: 'certificate' }>[] {
  return items.filter((d): d is Extract<Decoded, { kind: 'certificate' }> => d.kind === 'certificate');
}

export function privateKeys(items: Decoded[]): Extract<Decoded, { kind: 'privateKey' }>[] {
  return items.filter((d): d is Extract<Decoded, { kind: 'privateKey' }> => d.kind === 'privateKey');
}

/** What a file holds, in a few words, for "expected a certificate but found …" messages. */
export function holds(c: FileContents): string {
  if (c.framing.binary && c.items.length === 0) return 'binary data, not PEM';
  if (c.items.length === 0) return 'no PEM block';
  const kinds = c.items.map((d) =>
    d.kind === 'certificate'
      ? 'a certificate'
      : d.kind === 'privateKey'
        ? 'a private key'
        : d.kind === 'csr'
          ? 'a certificate signing request (CSR)'
          : d.kind === 'publicKey'
            ? 'a public key'
            : d.kind === 'error'
              ? 'an undecodable block'
              : `a "${d.block.label}" block`,
  );
  return [...new Set(kinds)].join(' and ');
}
