/** PEM files (.pem .crt .cer .key .csr .ca-bundle): framing, certificate and key lints, hover, outline, folding. */
import * as path from 'node:path';
import type { Target } from '../target';
import { matchesAny } from '../../glob';
import { parsePem } from '../../pem/parse';
import { decodeBlock } from '../../pem/decode';
import type { FileContents } from '../../pem/model';
import { PEM_DIAGNOSTIC_CODES } from '../../pem/lint';
import { lintContents } from '../../tls/file-lint';
import { pemHover } from '../../pem/hover';
import { pemSymbols, pemFolding } from '../../pem/symbols';
import { PEM_EXT, siblingPems, certificateFor } from './siblings';
import { showCertificateLink } from '../show-certificate';
import { pemCodeActions } from './actions';

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
      fileMode: ctx.ws.mode(doc.path),
      siblingFiles: () => siblingPems(doc.path, ctx.ws),
    }),
    // What other targets see in this file (the sets of a folder of certificates and keys).
    ...ctx.targets.flatMap((t) => t.pemChecks?.(doc, model, ctx) ?? []),
  ],
  hover: (doc, _model, pos, ctx) =>
    pemHover(doc.text, pos, {
      now: ctx.now,
      expiryWarningDays: ctx.settings.expiryWarningDays,
      findMatchingCertificate: (spki) => certificateFor(doc.path, spki, ctx.ws),
      describeCertificate: (cert) => ctx.targets.map((t) => t.pemSummary?.(doc.path, cert, ctx)).find((x) => x !== undefined),
      showLink: (line, title) => showCertificateLink({ uri: doc.uri, line }, title),
    }),
  codeActions: (doc, diagnostics, ctx) => pemCodeActions(doc, diagnostics, ctx),
  symbols: (doc) => pemSymbols(doc.text),
  folding: (doc) => pemFolding(doc.text),
  codes: PEM_DIAGNOSTIC_CODES,
};
