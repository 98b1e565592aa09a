/**
 * The contract between a target and the TLS pipeline: a target turns its
 * document into slots (which file plays which role, where it is written, who
 * loads it), groups them, and says how the failures read to its users.
 */
import type { Range } from 'vscode-languageserver-types';
import type { Settings } from '../types';
import type { Workspace } from '../workspace';
import type { Decoded } from '../pem/model';

export type SlotRole = 'server-cert' | 'server-key' | 'ca' | 'client-cert' | 'client-key';

/** Which TLS stack loads the files: their verdicts differ (see ../shared/tls-stack-facts.md). */
export type Consumer = 'go' | 'boringssl' | 'openssl' | 'libpq';

export interface Slot {
  role: SlotRole;
  /** The setting as the user wrote it, for messages: "serverPemPath". */
  key: string;
  /** Where the finding goes: the value in the document. */
  range: Range;
  consumer: Consumer;
}

/**
 * A slot as a target extracts it from its document, before anything is read:
 * what the setting says, whether TLS is on for it, and which group it belongs to.
 */
export interface ConfigSlot extends Slot {
  /** A path as the consuming process sees it, or PEM text written inline in the document. */
  value: { path: string } | { pem: string };
  /** Whether the system uses this setting with its current switches (tlsMode, internaltlsEnabled, …). */
  active: boolean;
  /** Which slots are checked together (a server's cert, key and CA). */
  group: string;
  /** Host names clients dial that this slot's certificate must cover. */
  names?: string[];
}

/** A slot whose value the target's deploy context resolved to a host file. */
export interface LocatedSlot extends Slot {
  hostPath: string;
  /** How the path reads to the user: "/milvus/tls/server.pem → host /w/tls/server.pem". */
  where: string;
  /** A missing file under a short-syntax bind mount: Docker creates a directory in its place. */
  dockerCreatesDirectory?: boolean;
}

export interface LoadedSlot extends LocatedSlot {
  items: Decoded[];
  /** The PEM came from a document's text (a Secret key, an inline value): there is no file behind hostPath to re-read. */
  inline?: boolean;
}

export interface GroupWords {
  /** The product that loads the files, for "Milvus fails with …". */
  product: string;
  /** What goes wrong when the server certificate is not issued by the CA slot of this group. */
  caRejects: string;
  /** The clients of this server on gRPC C-core with BoringSSL (pymilvus) and on Go, when both read the CA slot. */
  grpcClients?: { boringssl: string; go: string };
  /** What the loader does with an encrypted private key, when it is not Go's "tls: failed to parse private key". */
  encryptedKey?: string;
}

export interface SlotGroup {
  id: string;
  words: GroupWords;
  /** The name clients dial and must find in the server certificate's SANs, with where it is set. */
  dialName?: { value: string; setting: string; range?: Range };
  /**
   * Names clients are likely to dial when no setting says (localhost, 127.0.0.1, the compose service):
   * a server certificate covering none of them gets a warning.
   */
  likelyNames?: string[];
  /** The server requires and verifies client certificates against the CA slot (mutual TLS). */
  verifiesClients?: boolean;
  /** The CA slot is read by the clients only (one-way TLS with the CA file set): words for its findings. */
  caForClientsOnly?: boolean;
}

export interface PipelineContext {
  ws: Workspace;
  settings: Settings;
  now: Date;
}
