/** PEM files (.pem .crt .cer .key .csr .ca-bundle): framing, certificate and key lints, hover, outline, folding. */
import * as path from 'node:path';
import type { Target, TargetContext } from '../target';
import { matchesAny } from '../../glob';
import { parsePem } from '../../pem/parse';
import { decodeBlock } from '../../pem/decode';
import type { FileContents } from '../../pem/model';
import { PEM_DIAGNOSTIC_CODES } from '../../pem/lint';
import { lintContents } from '../../tls/file-lint';
import { pemHover } from '../../pem/hover';
import { pemSymbols, pemFolding } from '../../pem/symbols';
import { PEM_EXT, siblingPems, certificateFor } from './siblings';
import { servicesSeeing } from '../../deploy/compose';

export const pemTarget: Target<FileContents> = {
  id: 'pem',
  recognise: (doc, settings) =>
    doc.languageId === 'pem' || PEM_EXT.test(path.basename(doc.path)) || matchesAny(doc.path, settings.pemGlobs),
  parse(doc) {
    const framing = parsePem(doc.text);
    return { framing, items: framing.binary ? [] : framing.blocks.map(decodeBlock), der: false };
  },
  validate: (doc, model, ctx) => [
    ...lintContents(model, {
      settings: ctx.settings,
      now: ctx.now,
      fileMode: model.items.some((i) => i.kind === 'privateKey') && keyModeMatters(doc.path, ctx) ? ctx.ws.mode(doc.path) : undefined,
      siblingFiles: () => siblingPems(doc.path, ctx.ws),
    }),
    // What other targets see in this file (the sets of a folder of certificates and keys).
    ...ctx.targets.flatMap((t) => t.pemChecks?.(doc, model, ctx) ?? []),
  ],
  hover: (doc, _model, pos, ctx) =>
    pemHover(doc.text, pos, {
      now: ctx.now,
      findMatchingCertificate: (spki) => certificateFor(doc.path, spki, ctx.ws),
      describeCertificate: (cert) => ctx.targets.map((t) => t.pemSummary?.(doc.path, cert, ctx)).find((x) => x !== undefined),
    }),
  symbols: (doc) => pemSymbols(doc.text),
  folding: (doc) => pemFolding(doc.text),
  codes: PEM_DIAGNOSTIC_CODES,
};

/**
 * Whether pem-key-permissions speaks for this file. A key that a compose bind mount carries into a
 * container is read there with the host's mode, and what matters is whether the program in that
 * container refuses a group/world-readable key. Go's crypto/tls (tls.LoadX509KeyPair: os.ReadFile,
 * no stat; what Milvus, etcd and most Go servers call), nginx (the master reads keys as root) and
 * APISIX do not look at the mode; PostgreSQL and libpq do, and the postgres target says so as an
 * error on the setting that names the key (pg-server-key-permissions, pg-client-key-permissions:
 * postgres src/backend/libpq/be-secure-common.c check_ssl_key_file_permissions,
 * src/interfaces/libpq/fe-secure-openssl.c). So a mounted key gets no generic warning: a git
 * checkout leaves every file 0644 (git records only the executable bit), and the warning would be
 * a false alarm on every such deployment. A key used on the host itself keeps the warning.
 */
function keyModeMatters(file: string, ctx: TargetContext): boolean {
  return servicesSeeing(file, ctx.ws, ctx.processEnv).length === 0;
}
