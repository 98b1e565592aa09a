/**
 * The certificate sets of a folder: each leaf certificate with the key that
 * carries its public key (by key, whatever the names say), the certificates of
 * its own file after it, and the CA certificates of the folder. Computed once
 * per directory listing and shared by every file of the folder.
 */
import * as path from 'node:path';
import type { Workspace } from '../../workspace';
import type { CertInfo, FileContents, KeyInfo } from '../../pem/model';
import { loadPemFile, certificates, privateKeys } from '../../pem/files';
import { PEM_EXT } from '../pem/siblings';
import { certStem, isCaName, keyStem, namedRole, type NamedRole } from './naming';

/** Folders with more PEM files than this are data, not a deployment's set: left alone. */
export const MAX_SET_FILES = 64;

export interface CertFile {
  path: string;
  certs: CertInfo[];
  /** Holds only CA certificates, or is named as a CA file. */
  isCa: boolean;
}

export interface KeyFile {
  path: string;
  key: KeyInfo;
}

export interface CertSet {
  leaf: CertInfo;
  file: CertFile;
  role: NamedRole;
  /** The key file whose public key is the leaf's, if any. */
  key?: KeyFile;
  /** The key file the names pair with the certificate (may be the wrong key). */
  namedKey?: KeyFile;
}

export interface FolderSets {
  certFiles: CertFile[];
  keyFiles: KeyFile[];
  sets: CertSet[];
  /** CA certificates of the folder: the anchors and intermediates chains may use. */
  authorities: { cert: CertInfo; file: string }[];
}

const cache = new WeakMap<string[], FolderSets>();

function isCaCert(c: CertInfo): boolean {
  return c.basicConstraints?.ca === true || (c.selfSigned && !!c.keyUsage?.includes('keyCertSign'));
}

/** The sets of a folder, or undefined when it holds no private key (a bundle or a folder of certificates to trust). */
export function folderSets(dir: string, ws: Workspace): FolderSets | undefined {
  const names = ws.list(dir);
  let hit = cache.get(names);
  if (!hit) {
    hit = build(dir, names, ws);
    cache.set(names, hit);
  }
  return hit.keyFiles.length > 0 ? hit : undefined;
}

function build(dir: string, names: string[], ws: Workspace): FolderSets {
  const pems = names.filter((n) => PEM_EXT.test(n)).sort();
  const out: FolderSets = { certFiles: [], keyFiles: [], sets: [], authorities: [] };
  if (pems.length > MAX_SET_FILES) return out;
  // A folder without a private key is certificates to trust (a bundle, a CA folder): decode nothing.
  if (!pems.some((n) => mayHoldKey(path.join(dir, n), ws))) return out;
  const contents: { path: string; c: FileContents }[] = [];
  for (const n of pems) {
    const p = path.join(dir, n);
    const c = loadPemFile(p, ws).contents;
    if (c) contents.push({ path: p, c });
  }
  for (const { path: p, c } of contents) {
    const certs = certificates(c.items).map((d) => d.cert);
    const keys = privateKeys(c.items).filter((d) => !d.key.encrypted && d.key.publicKey);
    if (certs.length) {
      const f: CertFile = { path: p, certs, isCa: isCaName(p) || certs.every(isCaCert) };
      out.certFiles.push(f);
      for (const cert of certs) if (isCaCert(cert)) out.authorities.push({ cert, file: p });
    }
    // A file with both (a combined PEM) pairs within itself like any other.
    if (keys.length === 1) out.keyFiles.push({ path: p, key: keys[0].key });
  }
  for (const file of out.certFiles) {
    if (file.isCa) continue;
    const leaf = file.certs[0];
    if (isCaCert(leaf)) continue;
    const key = out.keyFiles.find((k) => k.key.publicKey!.spkiSha256 === leaf.publicKey.spkiSha256);
    const stem = certStem(file.path);
    const namedKey = stem === undefined ? undefined : out.keyFiles.find((k) => k.path === file.path || keyStem(k.path) === stem);
    out.sets.push({ leaf, file, role: namedRole(file.path), key, namedKey });
  }
  return out;
}

const KEY_ARMOUR = Buffer.from('PRIVATE KEY-----');

/** A cheap look at the bytes: PEM private-key armour, or binary that may be a DER key. */
function mayHoldKey(file: string, ws: Workspace): boolean {
  const r = ws.read(file);
  if (!r.ok) return false;
  const b = Buffer.from(r.bytes.buffer, r.bytes.byteOffset, r.bytes.byteLength);
  return b.includes(KEY_ARMOUR) || b[0] === 0x30;
}

/** Whether the leaf's name or a key in the folder ties it into a set we judge (a loose certificate is not ours to judge). */
export function isTied(s: CertSet): boolean {
  return !!s.key || !!s.namedKey || s.role !== undefined;
}
