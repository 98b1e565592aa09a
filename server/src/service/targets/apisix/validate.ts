/**
 * APISIX / API7 / ADC SSL objects: APISIX's own schema rules with its own
 * messages (apisix/schema_def.lua `_M.ssl`, apisix/ssl.lua check_ssl_conf,
 * apisix/core/config_yaml.lua for standalone files; ADC's
 * libs/sdk/src/core/schema.ts), then the certificate facts APISIX does not
 * check itself (ssl.lua validate(): "TODO: check if key & cert match"): pairs,
 * SNIs covered with APISIX's wildcard rule (apisix/ssl/router/radixtree_sni.lua),
 * client.ca and depth, dates, weak keys. The PEM values are inline: they go
 * through tls/inline.ts and the OpenSSL group checks (APISIX is OpenResty).
 */
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, type Node } from 'yaml';
import { diag, Severity, type Settings } from '../../types';
import { editDistance } from '../../text';
import type { Workspace } from '../../workspace';
import type { DiagnosticCodeInfo } from '../target';
import { loadInline, isInlinePem } from '../../tls/inline';
import type { LoadedSlot, SlotRole } from '../../tls/slots';
import {
  checkCaFile,
  checkNames,
  checkPair,
  checkServerLeaf,
  depthNeeded,
  KEY_VALUES_MISMATCH,
  type DialName,
  type OpensslWords,
} from '../../tls/openssl';
import { composeEnv } from '../../deploy/compose';
import { get, keyNode, rangeOf, type ApisixModel, type SslObject } from './model';

export interface ApisixContext {
  ws: Workspace;
  settings: Settings;
  now: Date;
}

/** schema_def.lua host_def_pat: "*" or an optional leading "*" then host characters. */
export const SNI_PATTERN = /^\*$|^\*?[0-9a-zA-Z\-._[\]:]+$/;
const SNI_PATTERN_TEXT = '^\\*$|^\\*?[0-9a-zA-Z-._\\[\\]:]+$';
const CERT_MIN = 128;
const KEY_MIN = 64;

const APISIX_KEYS = [
  'id',
  'desc',
  'labels',
  'create_time',
  'update_time',
  'type',
  'cert',
  'key',
  'sni',
  'snis',
  'certs',
  'keys',
  'client',
  'status',
  'ssl_protocols',
];
/** ADC's sslSchema (api7/adc libs/sdk/src/core/schema.ts, a strictObject). */
const ADC_KEYS = ['id', 'labels', 'type', 'snis', 'certificates', 'client', 'ssl_protocols'];
const ADC_KEY_MIN = 32;
const CLIENT_KEYS = ['ca', 'depth', 'skip_mtls_uri_regex'];

const OSSL: OpensslWords = {
  product: 'APISIX',
  keyMismatch: () =>
    `OpenSSL's "${KEY_VALUES_MISMATCH}" at the first handshake (APISIX accepts the object without checking: apisix/ssl.lua "TODO: check if key & cert match")`,
  clients: 'clients',
};

/** `$env://NAME`, `$ENV://NAME` (any case) and `$secret://…`: resolved by APISIX at runtime. */
export function secretRef(v: string): { kind: 'env' | 'secret'; name: string } | undefined {
  const m = /^\$(env|secret):\/\/(.+)$/i.exec(v.trim());
  return m ? { kind: m[1].toLowerCase() as 'env' | 'secret', name: m[2] } : undefined;
}

/** APISIX's SNI router: "*" serves every name; "*.a.com" serves exactly one more label (x.a.com, not a.com nor y.x.a.com). */
export function sniMatches(pattern: string, name: string): boolean {
  const p = pattern.toLowerCase();
  const n = name.toLowerCase();
  if (p === '*') return true;
  if (p.startsWith('*.')) {
    const rest = p.slice(1);
    return n.endsWith(rest) && n.length > rest.length && !n.slice(0, n.length - rest.length).includes('.');
  }
  return p === n;
}

export function validateApisix(model: ApisixModel, file: string, ctx: ApisixContext): Diagnostic[] {
  const out: Diagnostic[] = [];
  for (const e of model.errors)
    out.push(
      diag(
        e.range,
        Severity.Error,
        'apisix-syntax',
        `APISIX cannot parse ${model.kind === 'shell' ? 'this JSON body' : 'this file'}: ${e.message}. Fix the syntax here.`,
      ),
    );
  if (model.missingEnd) {
    const last = Math.max(0, model.lines.lineCount - 1);
    out.push(
      diag(
        { start: { line: last, character: 0 }, end: { line: last, character: model.lines.lineText(last).length } },
        Severity.Error,
        'apisix-missing-end',
        'APISIX ignores this standalone file: it must end with a line "#END" ("missing valid end flag in file apisix.yaml", apisix/core/config_yaml.lua). Add #END as the last line.',
        { fix: { kind: 'append-line', text: '#END', title: 'Add #END as the last line' } satisfies ApisixFix },
      ),
    );
  }
  if (model.oldSslKey)
    out.push(
      diag(
        model.oldSslKey,
        Severity.Error,
        'apisix-ssl-renamed',
        'APISIX 3.x reads SSL objects from `ssls:`; `ssl:` is the pre-3.0 name and is ignored, so no certificate is served ("failed to find any SSL certificate by SNI"). Rename it to ssls.',
        { fix: { kind: 'replace', text: 'ssls', title: 'Rename ssl to ssls' } satisfies ApisixFix },
      ),
    );
  const env = envOf(file, ctx);
  for (const o of model.ssls) checkObject(model, o, env, ctx, out);
  return out;
}

function envOf(file: string, ctx: ApisixContext): Record<string, string | undefined> {
  try {
    return composeEnv(file, ctx.ws, {}).env;
  } catch {
    return {};
  }
}

function str(n: Node | undefined): string | undefined {
  return isScalar(n) && typeof n.value === 'string' ? n.value : undefined;
}

function checkObject(
  model: ApisixModel,
  o: SslObject,
  env: Record<string, string | undefined>,
  ctx: ApisixContext,
  out: Diagnostic[],
): void {
  const m = o.map;
  const at = (n: Node | undefined | null): Range => rangeOf(model, o, n);
  const whole = at(m);
  const head: Range = { start: whole.start, end: whole.start };
  const adc = o.flavour === 'adc';
  const known = adc ? ADC_KEYS : APISIX_KEYS;
  for (const p of m.items) {
    const k = isScalar(p.key) ? String(p.key.value) : '';
    if (!known.includes(k))
      out.push(
        diag(
          at(p.key as Node),
          Severity.Error,
          'apisix-unknown-key',
          `${adc ? 'ADC' : 'APISIX'} rejects the SSL object: "additional properties forbidden, found ${k}".${suggest(k, known)}`,
          renameFix(k, known),
        ),
      );
  }
  const type = str(get(m, 'type')) ?? 'server';
  const sni = get(m, 'sni');
  const snis = get(m, 'snis');
  const names: DialName[] = [];
  if (!adc && type === 'server') {
    if (sni && snis)
      out.push(
        diag(
          at(keyNode(m, 'sni') ?? m),
          Severity.Error,
          'apisix-sni-xor',
          'APISIX rejects the SSL object: "value should match only one schema, but matches both schemas 1 and 2" — set either sni or snis, not both.',
        ),
      );
    else if (!sni && !snis)
      out.push(
        diag(
          head,
          Severity.Error,
          'apisix-sni-missing',
          'APISIX rejects the SSL object: "value should match only one schema, but matches none" — a server SSL object needs sni or snis (the names it serves).',
        ),
      );
  }
  if (adc && !snis)
    out.push(diag(head, Severity.Error, 'apisix-sni-missing', 'ADC rejects the SSL object: snis is required (at least one name).'));
  if (sni) {
    const v = str(sni);
    if (v !== undefined) names.push({ value: v, setting: `${o.where}.sni`, range: at(sni) });
  }
  if (snis) {
    if (!isSeq(snis) || snis.items.length === 0)
      out.push(
        diag(
          at(snis),
          Severity.Error,
          'apisix-snis-empty',
          `APISIX rejects the SSL object: snis ${isSeq(snis) ? '"expect array to have at least 1 items"' : 'must be an array'}. List the names this certificate serves.`,
        ),
      );
    else
      snis.items.forEach((n, i) => {
        const v = str(n as Node);
        if (v !== undefined) names.push({ value: v, setting: `${o.where}.snis[${i}]`, range: at(n as Node) });
      });
  }
  for (const n of names)
    if (!SNI_PATTERN.test(n.value))
      out.push(
        diag(
          n.range,
          Severity.Error,
          'apisix-sni-pattern',
          `APISIX rejects the SSL object: "failed to match pattern \\"${SNI_PATTERN_TEXT}\\" with \\"${n.value}\\"". Write a host name, a leading "*." wildcard, or "*".`,
        ),
      );

  // The pairs: cert/key and certs[i]/keys[i] (APISIX), certificates[i].{certificate,key} (ADC).
  const pairs: { cert?: Node; key?: Node; label: string }[] = [];
  if (adc) {
    const certificates = get(m, 'certificates');
    if (!isSeq(certificates) || certificates.items.length === 0)
      out.push(
        diag(
          certificates ? rangeOf(model, o, certificates) : head,
          Severity.Error,
          'apisix-required',
          'ADC rejects the SSL object: "SSL must contain at least one certificate". Add certificates: [{certificate, key}].',
        ),
      );
    if (isSeq(certificates))
      certificates.items.forEach((c, i) => {
        if (isMap(c)) pairs.push({ cert: get(c, 'certificate'), key: get(c, 'key'), label: `${o.where}.certificates[${i}]` });
      });
  } else {
    for (const f of ['cert', 'key'])
      if (!get(m, f) && (type === 'client' || sni || snis))
        out.push(diag(head, Severity.Error, 'apisix-required', `APISIX rejects the SSL object: "property \\"${f}\\" is required".`));
    pairs.push({ cert: get(m, 'cert'), key: get(m, 'key'), label: o.where });
    const certs = get(m, 'certs');
    const keys = get(m, 'keys');
    const nc = isSeq(certs) ? certs.items.length : 0;
    const nk = isSeq(keys) ? keys.items.length : 0;
    if (nc !== nk && type !== 'client')
      out.push(
        diag(
          at(keyNode(m, nc > nk ? 'certs' : 'keys') ?? m),
          Severity.Error,
          'apisix-certs-keys-count',
          `APISIX rejects the SSL object: "mismatched number of certs and keys" (${nc} certs, ${nk} keys). Each extra certificate needs its key at the same index.`,
        ),
      );
    for (let i = 0; i < Math.min(nc, nk); i++)
      pairs.push({
        cert: (certs as { items: Node[] }).items[i],
        key: (keys as { items: Node[] }).items[i],
        label: `${o.where}.certs[${i}]/keys[${i}]`,
      });
  }
  const served: LoadedSlot[] = [];
  pairs.forEach((p, i) => {
    const cert = p.cert ? slotOf(model, o, p.cert, 'server-cert', i === 0 ? 'cert' : 'certs', p.label, adc, env, out) : undefined;
    const key = p.key ? slotOf(model, o, p.key, 'server-key', i === 0 ? 'key' : 'keys', p.label, adc, env, out) : undefined;
    if (cert && key) checkPair(cert, key, OSSL, out);
    if (cert && type === 'server') {
      checkServerLeaf(cert, ctx, OSSL, out);
      served.push(cert);
    }
  });
  // Every SNI must be in the certificate APISIX serves for it (APISIX itself does not check).
  const checkable = names.filter((n) => n.value !== '*' && SNI_PATTERN.test(n.value));
  for (const c of served) checkNames(c, checkable, OSSL, out);

  const client = get(m, 'client');
  if (client !== undefined) {
    if (!isMap(client))
      out.push(diag(at(client), Severity.Error, 'apisix-required', 'APISIX rejects the SSL object: client must be an object {ca, depth}.'));
    else {
      for (const p of client.items) {
        const k = isScalar(p.key) ? String(p.key.value) : '';
        if (!CLIENT_KEYS.includes(k))
          out.push(
            diag(
              at(p.key as Node),
              Severity.Error,
              'apisix-unknown-key',
              `APISIX rejects the SSL object: "additional properties forbidden, found ${k}" in client.${suggest(k, CLIENT_KEYS)}`,
              renameFix(k, CLIENT_KEYS),
            ),
          );
      }
      const caNode = get(client, 'ca');
      if (!caNode)
        out.push(
          diag(
            at(keyNode(m, 'client')),
            Severity.Error,
            'apisix-client-ca-required',
            'APISIX rejects the SSL object: "property \\"ca\\" is required" in client. Put the PEM of the CA that issues the client certificates in client.ca.',
          ),
        );
      else {
        const ca = slotOf(model, o, caNode, 'ca', 'client.ca', `${o.where}.client.ca`, adc, env, out);
        if (ca) {
          const cas = checkCaFile(ca, OSSL, out);
          const depthNode = get(client, 'depth');
          const depth = isScalar(depthNode) && typeof depthNode.value === 'number' ? depthNode.value : 1;
          const need = depthNeeded(cas);
          if (need > depth + 1)
            out.push(
              diag(
                depthNode ? at(depthNode) : at(caNode),
                Severity.Warning,
                'apisix-client-depth',
                `client.ca holds a chain ${need} certificates deep, but client.depth is ${depth}${depthNode ? '' : ' (the default)'}: client certificates issued by its lowest CA are rejected ("certificate chain too long"). Set client.depth to ${need - 1}.`,
                depthNode
                  ? { fix: { kind: 'replace', text: String(need - 1), title: `Set client.depth to ${need - 1}` } satisfies ApisixFix }
                  : undefined,
              ),
            );
        }
      }
    }
  }
}

/** What a quick fix does with the diagnostic's range: replace it, or add a line at the end of the document. */
export type ApisixFix = { kind: 'replace'; text: string; title: string } | { kind: 'append-line'; text: string; title: string };

/** The closest known key (by edit distance) among those a typo could stand for. */
function nearKey(k: string, known: string[]): string | undefined {
  const near = known.filter((x) => x !== k && (x.startsWith(k) || k.startsWith(x) || editDistance(x, k) <= 2));
  return near.sort((a, b) => editDistance(a, k) - editDistance(b, k))[0];
}

function suggest(k: string, known: string[]): string {
  const near = nearKey(k, known);
  return near ? ` Did you mean ${near}?` : '';
}

function renameFix(k: string, known: string[]): { fix: ApisixFix } | undefined {
  const near = nearKey(k, known);
  return near ? { fix: { kind: 'replace', text: near, title: `Rename ${k} to ${near}` } } : undefined;
}

/** A PEM value (or a reference to one) as a loaded slot, with the schema's length rule first. */
function slotOf(
  model: ApisixModel,
  o: SslObject,
  n: Node,
  role: SlotRole,
  field: string,
  label: string,
  adc: boolean,
  env: Record<string, string | undefined>,
  out: Diagnostic[],
): LoadedSlot | undefined {
  const range = rangeOf(model, o, n);
  const v = str(n);
  if (v === undefined) {
    out.push(diag(range, Severity.Error, 'apisix-required', `APISIX rejects the SSL object: ${field} must be a string (the PEM text).`));
    return undefined;
  }
  const ref = secretRef(v);
  let text = v;
  let where = `${label} ${field}`;
  if (ref) {
    const value = ref.kind === 'env' ? env[ref.name] : undefined;
    if (value === undefined || !isInlinePem(value)) {
      out.push(
        diag(
          range,
          Severity.Information,
          'apisix-secret-ref',
          `${v}: APISIX reads ${ref.kind === 'env' ? 'the environment variable' : 'the secret manager'} at runtime, so the content is checked then, not here${ref.kind === 'env' ? ` (set ${ref.name} in the workspace .env to have it checked)` : ''}.`,
        ),
      );
      return undefined;
    }
    text = value;
    where = `${label} ${field} (${v} from .env)`;
  } else {
    const min = role === 'server-key' ? (adc ? ADC_KEY_MIN : KEY_MIN) : CERT_MIN;
    if (v.length < min) {
      out.push(
        diag(
          range,
          Severity.Error,
          'apisix-too-short',
          adc
            ? `ADC rejects the SSL object: ${field} "Must be a ${role === 'server-key' ? 'certificate private key' : 'certificate'} string or a secret reference" (at least ${min} characters, got ${v.length}). Put the whole PEM here (a | block keeps its lines).`
            : `APISIX rejects the SSL object: ${field} "string too short, expected at least ${min}, got ${v.length}". Put the whole PEM here (a | block keeps its lines).`,
        ),
      );
      return undefined;
    }
  }
  const before = out.length;
  const slot = loadInline({ role, key: field, range, consumer: 'openssl', where, docPath: `${o.where}#${field}` }, text, 'APISIX', out);
  // apisix/ssl.lua validate(): ngx_ssl.parse_pem_cert / parse_pem_priv_key refuse it when the object is saved.
  for (const d of out.slice(before))
    if (d.code === 'tls-file-wrong-kind')
      d.message += ` APISIX rejects the object: "failed to parse ${role === 'server-key' ? 'key' : 'cert'}: …" (apisix/ssl.lua).`;
  return slot;
}

export const APISIX_DIAGNOSTIC_CODES: DiagnosticCodeInfo[] = [
  { code: 'apisix-syntax', severity: 'error', summary: 'The YAML/JSON of an SSL object cannot be parsed.' },
  {
    code: 'apisix-missing-end',
    severity: 'error',
    summary: 'A standalone apisix.yaml without the #END last line; APISIX ignores the file.',
  },
  { code: 'apisix-ssl-renamed', severity: 'error', summary: '`ssl:` in a standalone file (renamed to `ssls:` in APISIX 3.0); ignored.' },
  { code: 'apisix-unknown-key', severity: 'error', summary: 'A key the SSL object schema does not allow (additionalProperties = false).' },
  { code: 'apisix-sni-xor', severity: 'error', summary: 'Both sni and snis: the schema takes exactly one.' },
  { code: 'apisix-sni-missing', severity: 'error', summary: 'A server SSL object without sni or snis.' },
  { code: 'apisix-snis-empty', severity: 'error', summary: 'snis is empty or not an array.' },
  { code: 'apisix-sni-pattern', severity: 'error', summary: "An SNI that does not match APISIX's host pattern." },
  { code: 'apisix-required', severity: 'error', summary: 'cert or key missing, or not a string.' },
  {
    code: 'apisix-certs-keys-count',
    severity: 'error',
    summary: 'certs and keys of different lengths ("mismatched number of certs and keys").',
  },
  { code: 'apisix-too-short', severity: 'error', summary: 'cert under 128 or key under 64 characters ("string too short").' },
  { code: 'apisix-client-ca-required', severity: 'error', summary: 'client without ca.' },
  { code: 'apisix-client-depth', severity: 'warning', summary: 'client.depth below the chain client.ca needs.' },
  { code: 'apisix-secret-ref', severity: 'information', summary: '$env:// / $secret:// reference: the content is checked at runtime.' },
];
