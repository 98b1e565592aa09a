/**
 * Every rule about the TLS keys of milvus.yaml: values, required keys, key
 * names, and the chain "key → compose mount → host file → certificate facts".
 * Findings land on the key or value they are about; `data.fix` carries what the
 * quick fixes need.
 */
import { memoFindings } from '../../findings-memo';
import { volumePrefix } from '../../deploy/compose/volume-prefix';
import * as path from 'node:path';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { URI } from 'vscode-uri';
import { diag, Severity, type Settings } from '../../types';
import type { Workspace } from '../../workspace';
import { modelOf, type Entry, type MilvusTlsModel } from './extract';
import { KEYS, keysOf, findKey, homesOf, didYouMean, FOREIGN_TLS_KEYS, type SectionId, type FileKind } from './schema';
import { deployContext, resolvePath, type DeployContext } from './resolve';
import {
  effectiveConfig,
  formatKey,
  winner,
  describeSource,
  goAtoi,
  goParseBool,
  flattenMilvus,
  type EffectiveConfig,
  type EffectiveValue,
  type FlatSetting,
} from './effective';
import { hostToContainer, loadCompose } from '../../deploy/compose';
import { loadSlot, checkGroup, clientCertRefusal, goCertificates, type PipelineFix } from '../../tls/pipeline';
import { allowsClientAuth } from '../../tls/usages';
import { privateKeys } from '../../pem/files';
import type { LoadedSlot, SlotGroup, SlotRole, GroupWords } from '../../tls/slots';
import type { DiagnosticCodeInfo } from '../target';
import { shownPath } from '../../shown-path';

export interface MilvusContext {
  ws: Workspace;
  settings: Settings;
  now: Date;
  processEnv: Record<string, string | undefined>;
}

/** What a quick fix needs, attached to the diagnostic. */
export type FixData =
  | { kind: 'rename-key'; to: string }
  | { kind: 'set-value'; values: string[] }
  | { kind: 'add-key'; section: SectionId; key: string; value: string; afterLine: number; indent: number }
  | { kind: 'use-container-path'; containerPath: string }
  | { kind: 'add-volume'; composePath: string; service: string; entry: string; afterLine?: number; entryLine?: number }
  /** Delete lines [fromLine, toLine] (a duplicate key and its block). */
  | { kind: 'remove-lines'; fromLine: number; toLine: number; title: string }
  /** Move lines [fromLine, toLine], dedented by `dedent`, to the end of the file (a block at the wrong level). */
  | { kind: 'move-block'; fromLine: number; toLine: number; dedent: number; title: string }
  | PipelineFix;

/** How the pipeline's findings name the product in this target. */
const WORDS: GroupWords = { product: 'Milvus', caRejects: '' };

function d(range: Range, sev: 1 | 2 | 3 | 4, code: string, message: string, fix?: FixData): Diagnostic {
  return diag(range, sev, code, message, fix ? { fix } : undefined);
}

export function validateMilvus(src: string | MilvusTlsModel, file: string, ctx: MilvusContext): Diagnostic[] {
  if (typeof src === 'string') return validateMilvusNow(src, file, ctx);
  return memoFindings(src, file, ctx.ws, () => validateMilvusNow(src, file, ctx));
}

function validateMilvusNow(src: string | MilvusTlsModel, file: string, ctx: MilvusContext): Diagnostic[] {
  const model = modelOf(src);
  const out: Diagnostic[] = [];
  checkSyntax(model, out);
  checkKeyNames(model, out);
  if (
    model.laterDocumentLine !== undefined &&
    /^(tls|internaltls|common)\s*:/m.test(model.text.slice(model.lines.starts[model.laterDocumentLine]))
  ) {
    const line = model.laterDocumentLine;
    out.push(
      d(
        { start: { line, character: 0 }, end: { line, character: 3 } },
        Severity.Warning,
        'milvus-later-document',
        'Milvus reads only the first YAML document of its config; the TLS settings after this `---` are ignored. Move them into the first document.',
      ),
    );
  }
  const deploy = deployContext(file, ctx.ws, ctx.processEnv);
  const cfg = effectiveConfig(file, model.text, deploy, ctx);
  checkDuplicates(model, out);
  judgeEffective(model, cfg, deploy, ctx, file, out);
  return out;
}

function checkSyntax(model: MilvusTlsModel, out: Diagnostic[]): void {
  for (const e of model.syntaxErrors)
    out.push(
      d(
        e.range,
        Severity.Error,
        'milvus-yaml-syntax',
        `YAML error in a TLS block: ${e.message}. Milvus refuses to start on a config it cannot parse; fix the indentation or quoting here.`,
      ),
    );
}

/**
 * The rules that need no deployment, for a milvus.yaml fragment another file carries (a Milvus CR's
 * spec.config, a Helm chart's extraConfigFiles user.yaml): syntax, key names and misplaced blocks,
 * duplicates, and the values of the switches. Paths are the caller's: it knows how they reach a file.
 */
export function validateMilvusFragment(model: MilvusTlsModel, cfg: EffectiveConfig): Diagnostic[] {
  const out: Diagnostic[] = [];
  checkSyntax(model, out);
  checkKeyNames(model, out);
  checkDuplicates(model, out);
  const modeW = winner(cfg, 'common.security.tlsMode');
  if (modeW && modeW.layer === cfg.docLayer && writtenOf(modeW)) checkMode(modeW, writtenOf(modeW)!, out);
  return out;
}

/** Where a value of the effective configuration is written, in the document that owns its layer. */
interface Written {
  keyRange: Range;
  valueRange: Range;
  valueText: string;
  quoted: boolean;
  /** The key as written (last segment for a file, the variable name for the environment). */
  name: string;
}

function writtenOf(v: EffectiveValue): Written | undefined {
  if (v.setting)
    return {
      keyRange: v.setting.keyRange,
      valueRange: v.setting.valueRange,
      valueText: v.setting.valueText,
      quoted: v.setting.quoted,
      name: v.setting.written.split('.').at(-1) ?? v.key,
    };
  if (v.variable)
    return {
      keyRange: v.variable.composeRange,
      valueRange: v.variable.composeRange,
      valueText: v.variable.value,
      quoted: false,
      name: v.variable.name,
    };
  return undefined;
}

/**
 * The rules on the effective values whose layer is `cfg.docLayer` (a config file, or the
 * environment of the compose service): a finding goes on the line that sets the winning value.
 */
export function judgeEffective(
  model: MilvusTlsModel,
  cfg: EffectiveConfig,
  deploy: DeployContext,
  ctx: MilvusContext,
  file: string,
  out: Diagnostic[],
): void {
  const local = (v: EffectiveValue | undefined): v is EffectiveValue => !!v && v.layer === cfg.docLayer && !!writtenOf(v);
  checkOverridden(cfg, file, out);
  const modeW = winner(cfg, 'common.security.tlsMode');
  if (local(modeW)) checkMode(modeW, writtenOf(modeW)!, out);
  const internalW = winner(cfg, 'common.security.internaltlsEnabled');
  if (local(internalW) && !goParseBool(internalW.value).ok) {
    const st = writtenOf(internalW)!;
    out.push(
      d(
        st.valueText === '' ? st.keyRange : st.valueRange,
        Severity.Error,
        'milvus-internaltls-enabled-invalid',
        `common.security.internaltlsEnabled must be true or false, not ${st.valueText || 'empty'}; Milvus reads anything else as false.`,
        internalW.setting ? { kind: 'set-value', values: ['true', 'false'] } : undefined,
      ),
    );
  }
  const mode = goAtoi(modeW?.value ?? '0').value;
  const internal = goParseBool(internalW?.value).value;
  const composeBroken = !!deploy.composePath && (loadCompose(deploy.composePath, ctx.ws, ctx.processEnv)?.yamlErrors.length ?? 0) > 0;
  if (cfg.unmounted && !composeBroken && (mode === 1 || mode === 2 || internal) && deploy.service) {
    const anchor = (local(modeW) ? writtenOf(modeW)!.keyRange : undefined) ?? model.sections[0]?.keyRange ?? zero();
    out.push(
      d(
        anchor,
        Severity.Information,
        'milvus-config-not-mounted',
        `No volume of service ${deploy.service.name} in ${path.basename(deploy.composePath ?? '')} mounts this file, so Milvus does not read it and TLS stays as the image sets it (off). Mount it: \`- ./${path.relative(path.dirname(deploy.composePath ?? file), file)}:${cfg.docLayer?.containerPath ?? '/milvus/configs/milvus.yaml'}:ro\`.`,
      ),
    );
  }
  const versioned = milvusVersionOf(deploy, ctx.settings);
  const version = versioned?.parts;
  if ((mode === 1 || mode === 2) && local(modeW) && version && atLeast(version, 2, 6)) checkHttpPort(cfg, modeW, version, out);
  if (internal && local(internalW) && version && !atLeast(version, 2, 5)) {
    out.push(
      d(
        writtenOf(internalW)!.keyRange,
        Severity.Warning,
        'milvus-version-rule',
        `internaltls arrived in Milvus 2.5.0; ${versioned!.source}, which ignores internaltlsEnabled and the internaltls block. Use a 2.5 or later image, or remove them.`,
      ),
    );
  }
  checkClusters(cfg, versioned, deploy, ctx, out);
  checkDependencies(cfg, deploy, ctx, out);
  if (mode !== 1 && mode !== 2 && !internal) return;
  // What no layer sets is reported by the document that turns TLS on.
  if (mode === 1 || mode === 2) checkSection(model, cfg, 'tls', mode, deploy, ctx, out, local(modeW), modeW);
  if (internal) checkSection(model, cfg, 'internaltls', 2, deploy, ctx, out, local(internalW), internalW);
}

/** The Milvus version of the compose service's image tag (milvusdb/milvus:v2.6.0 → [2, 6, 0]); undefined without a tag. */
export function milvusVersion(deploy: DeployContext): number[] | undefined {
  const m = /:v?(\d+)\.(\d+)(?:\.(\d+))?/.exec(deploy.service?.image ?? '');
  return m ? [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)] : undefined;
}

/** A version and where it comes from, for messages: "the image milvusdb/milvus:v2.4.0 is 2.4.0". */
export interface MilvusVersion {
  parts: number[];
  source: string;
}

/**
 * The image tag decides; without one (`:latest`, a digest, no compose file) the setting
 * tlsConfig.milvus.version does, and with neither no version rule applies.
 */
export function milvusVersionOf(deploy: DeployContext, settings: Pick<Settings, 'milvusVersion'>): MilvusVersion | undefined {
  const tagged = milvusVersion(deploy);
  if (tagged) return { parts: tagged, source: `the image ${deploy.service?.image} is ${tagged.join('.')}` };
  const m = /^\s*v?(\d+)\.(\d+)(?:\.(\d+))?\s*$/.exec(settings.milvusVersion ?? '');
  if (!m) return undefined;
  const parts = [Number(m[1]), Number(m[2]), Number(m[3] ?? 0)];
  const image = deploy.service?.image ? `the image ${deploy.service.image} has no version tag and ` : '';
  return { parts, source: `${image}tlsConfig.milvus.version is ${settings.milvusVersion!.trim()}` };
}

function atLeast(v: number[], major: number, minor: number): boolean {
  return v[0] > major || (v[0] === major && v[1] >= minor);
}

/**
 * 2.6 serves REST on the gRPC port unless proxy.http.port names another one, and then refuses TLS
 * (internal/distributed/proxy/listener_manager.go newHTTPListner).
 */
function checkHttpPort(cfg: EffectiveConfig, modeW: EffectiveValue, version: number[], out: Diagnostic[]): void {
  const enabled = winner(cfg, 'proxy.http.enabled');
  if (enabled && enabled.value !== undefined && !goParseBool(enabled.value).value && goParseBool(enabled.value).ok) return;
  const httpPort = winner(cfg, 'proxy.http.port')?.value ?? '';
  const grpcPort = goAtoi(winner(cfg, 'proxy.port')?.value ?? '19530').value;
  if (httpPort !== '' && goAtoi(httpPort).value !== grpcPort) return;
  const where = httpPort === '' ? 'proxy.http.port is empty' : `proxy.http.port ${httpPort} is proxy.port`;
  out.push(
    d(
      writtenOf(modeW)!.keyRange,
      Severity.Error,
      'milvus-http-port-shared',
      `Milvus ${version.join('.')} refuses to start with TLS on while the HTTP server shares the gRPC port (${where}): "proxy server(http) and external grpc server share the same port, tls mode must be 0". Set proxy.http.port to another port, e.g. 8080 (and publish it in the compose file), or set proxy.http.enabled to false.`,
    ),
  );
}

/** 2.6: tls.clusters.<clusterID>.{caPemPath, clientPemPath, clientKeyPath} (CDC outbound mutual TLS), active when both client paths are set. */
function checkClusters(
  cfg: EffectiveConfig,
  versioned: MilvusVersion | undefined,
  deploy: DeployContext,
  ctx: MilvusContext,
  out: Diagnostic[],
): void {
  const clusters = new Map<string, Map<string, EffectiveValue>>();
  for (const [norm, list] of cfg.values) {
    if (!norm.startsWith('tlsclusters')) continue;
    const w = list.at(-1)!;
    if (w.layer !== cfg.docLayer || !w.setting) continue;
    const parts = w.setting.written.split('.');
    const id = parts.length >= 4 ? parts.slice(2, -1).join('.') : '';
    const leaf = formatKey(parts.at(-1) ?? '');
    if (!id) continue;
    const m = clusters.get(id) ?? new Map<string, EffectiveValue>();
    m.set(leaf, w);
    clusters.set(id, m);
  }
  for (const [id, keys] of clusters) {
    const first = [...keys.values()][0];
    if (versioned && !atLeast(versioned.parts, 2, 6)) {
      out.push(
        d(
          first.setting!.keyRange,
          Severity.Warning,
          'milvus-version-rule',
          `tls.clusters arrived in Milvus 2.6; ${versioned.source}, which ignores tls.clusters.${id}.`,
        ),
      );
      continue;
    }
    const cert = keys.get('clientpempath');
    const key = keys.get('clientkeypath');
    if (!!cert?.value !== !!key?.value) {
      const have = (cert?.value ? cert : key)!;
      out.push(
        d(
          have.setting!.keyRange,
          Severity.Error,
          'milvus-cluster-tls-incomplete',
          `tls.clusters.${id} sets ${cert?.value ? 'clientPemPath' : 'clientKeyPath'} without ${cert?.value ? 'clientKeyPath' : 'clientPemPath'}; Milvus uses cluster TLS only when both client paths are set, so the connection to cluster ${id} goes without a client certificate. Set both, or neither.`,
        ),
      );
      continue;
    }
    if (!cert?.value) continue;
    const loaded = new Map<string, LoadedSlot>();
    for (const [leaf, file] of [
      ['clientpempath', 'certificate'],
      ['clientkeypath', 'privateKey'],
      ['capempath', 'caBundle'],
    ] as const) {
      const v = keys.get(leaf);
      if (!v?.value) continue;
      const e = entryOf('tls.clusters.' + id, v.setting!.written.split('.').at(-1)!, v);
      const slot = checkPath(e, file, deploy, ctx, out);
      if (slot) loaded.set(leaf, slot);
    }
    checkClusterClient(id, loaded, ctx, out);
  }
}

/**
 * The client side of a tls.clusters entry: Milvus dials the peer cluster with clientPemPath /
 * clientKeyPath (tls.LoadX509KeyPair) and verifies it with caPemPath; the peer's proxy, in tlsMode 2,
 * verifies the client certificate for ExtKeyUsageClientAuth against its own tls.caPemPath — the
 * same CA in the CDC guide's layout, so the certificate must chain to this caPemPath too.
 */
function checkClusterClient(id: string, slots: Map<string, LoadedSlot>, ctx: MilvusContext, out: Diagnostic[]): void {
  const certSlot = slots.get('clientpempath');
  const certs = certSlot ? goCertificates(certSlot.items).filter((c) => !c.goRefuses) : [];
  const leaf = certs[0];
  if (!certSlot || !leaf) return;
  const keySlot = slots.get('clientkeypath');
  const key = keySlot ? privateKeys(keySlot.items)[0]?.key : undefined;
  if (keySlot && key?.publicKey && key.publicKey.spkiSha256 !== leaf.publicKey.spkiSha256)
    out.push(
      d(
        keySlot.range,
        Severity.Error,
        'tls-key-mismatch',
        `The private key ${keySlot.hostPath} does not belong to the client certificate ${certSlot.hostPath} (${leaf.subject}) of tls.clusters.${id}. Milvus fails to load the pair ("tls: private key does not match public key"). Point ${keySlot.key} at the key the certificate was issued for.`,
      ),
    );
  if (!allowsClientAuth(leaf)) {
    out.push(
      d(
        certSlot.range,
        Severity.Error,
        'milvus-cluster-client-cert',
        `The client certificate ${certSlot.hostPath} (${leaf.subject}) of tls.clusters.${id} has extended key usage ${leaf.extKeyUsage!.join(', ')} without clientAuth: the peer cluster (Go, tlsMode 2) refuses it ("x509: certificate specifies an incompatible key usage"). Reissue it with \`extendedKeyUsage = clientAuth\`.`,
      ),
    );
    return;
  }
  const caSlot = slots.get('capempath');
  const cas = caSlot ? goCertificates(caSlot.items).filter((c) => !c.goRefuses) : [];
  if (!caSlot || cas.length === 0) return;
  const refused = clientCertRefusal(certs, cas, caSlot.key, ctx.now);
  if (refused)
    out.push(
      d(
        certSlot.range,
        Severity.Warning,
        'milvus-cluster-client-cert',
        `The client certificate ${certSlot.hostPath} (${leaf.subject}) of tls.clusters.${id} fails a check against ${caSlot.key} ${caSlot.hostPath}: ${refused.why}. The peer cluster verifies it with its own tls.caPemPath; if that is this CA, it refuses the connection ("${refused.goError}"). Issue the client certificate from the CA the peer trusts.`,
      ),
    );
}

/** Milvus as a TLS client of its dependencies (component_param.go / service_param.go: etcd.ssl.*, minio.ssl.tlsCACert, kafka.ssl.*), when their switch is on. */
const DEPENDENCIES: { name: string; switchKey: string; paths: [string, FileKind][] }[] = [
  {
    name: 'etcd',
    switchKey: 'etcd.ssl.enabled',
    paths: [
      ['etcd.ssl.tlsCert', 'certificate'],
      ['etcd.ssl.tlsKey', 'privateKey'],
      ['etcd.ssl.tlsCACert', 'caBundle'],
    ],
  },
  { name: 'MinIO / S3', switchKey: 'minio.useSSL', paths: [['minio.ssl.tlsCACert', 'caBundle']] },
  {
    name: 'Kafka',
    switchKey: 'kafka.ssl.enabled',
    paths: [
      ['kafka.ssl.tlsCert', 'certificate'],
      ['kafka.ssl.tlsKey', 'privateKey'],
      ['kafka.ssl.tlsCaCert', 'caBundle'],
    ],
  },
];

function checkDependencies(cfg: EffectiveConfig, deploy: DeployContext, ctx: MilvusContext, out: Diagnostic[]): void {
  for (const dep of DEPENDENCIES) {
    if (!goParseBool(winner(cfg, dep.switchKey)?.value).value) continue;
    for (const [key, kind] of dep.paths) {
      const w = winner(cfg, key);
      // Only the values this document sets; an empty one means "not used" (e.g. MinIO with a public CA).
      if (!w || w.layer !== cfg.docLayer || !writtenOf(w) || !w.value?.trim()) continue;
      const section = key.split('.').slice(0, -1).join('.');
      checkPath(entryOf(section, key.split('.').at(-1)!, w), kind, deploy, ctx, out);
    }
  }
}

const zero = (): Range => ({ start: { line: 0, character: 0 }, end: { line: 0, character: 0 } });

function checkMode(w: EffectiveValue, st: Written, out: Diagnostic[]): void {
  const fixable = !!w.setting;
  const n = goAtoi(w.value);
  const range = st.valueText === '' ? st.keyRange : st.valueRange;
  const shown = st.valueText === '' ? 'empty' : st.valueText;
  if (!n.ok) {
    out.push(
      d(
        range,
        Severity.Error,
        'milvus-tls-mode-invalid',
        `common.security.tlsMode is ${shown}; it must be 0 (no TLS), 1 (one-way TLS) or 2 (mutual TLS). Milvus reads a value that is not a number as 0, so TLS is off.`,
        fixable ? { kind: 'set-value', values: ['0', '1', '2'] } : undefined,
      ),
    );
  } else if (n.value < 0 || n.value > 2) {
    out.push(
      d(
        range,
        Severity.Error,
        'milvus-tls-mode-invalid',
        `common.security.tlsMode is ${shown}; it must be 0 (no TLS), 1 (one-way TLS) or 2 (mutual TLS). Milvus fails to start with any other value ("tls mode must be 0: no authentication, 1: one way authentication or 2: two way authentication").`,
        fixable ? { kind: 'set-value', values: ['0', '1', '2'] } : undefined,
      ),
    );
  } else if (st.quoted) {
    out.push(
      d(
        st.valueRange,
        Severity.Warning,
        'milvus-tls-mode-quoted',
        `tlsMode is written as a string (${st.valueText}); write the number ${n.value} without quotes.`,
        {
          kind: 'set-value',
          values: [String(n.value)],
        },
      ),
    );
  }
}

/** A local setting that a later layer (another file, the environment) overrides. */
function checkOverridden(cfg: EffectiveConfig, file: string, out: Diagnostic[]): void {
  for (const list of cfg.values.values()) {
    const w = list.at(-1)!;
    for (const v of list) {
      const at = writtenOf(v);
      if (v === w || v.layer !== cfg.docLayer || !at || w.layer === cfg.docLayer) continue;
      out.push(
        d(
          at.keyRange,
          Severity.Information,
          'milvus-overridden',
          `${v.key} ${v.value === '' ? '(empty)' : v.value} here is overridden by ${describeSource(w, path.dirname(file))}; Milvus uses ${w.value === '' ? 'an empty value' : w.value}. Change it there, or remove one of the two.`,
        ),
      );
    }
  }
}

/** The same key twice in one file: yaml.v2 keeps the last of one mapping; two spellings are two Go map entries, one taken at random. */
function checkDuplicates(model: MilvusTlsModel, out: Diagnostic[]): void {
  const byNorm = new Map<string, FlatSetting[]>();
  for (const s of flattenMilvus(model.text)) byNorm.set(s.norm, [...(byNorm.get(s.norm) ?? []), s]);
  for (const list of byNorm.values()) {
    if (list.length < 2) continue;
    const canonical = list.find((s) => isCanonical(s.written)) ?? list[list.length - 1];
    const spellings = new Set(list.map((s) => s.written));
    for (const s of list) {
      if (spellings.size === 1 && s === list[list.length - 1]) continue;
      if (spellings.size > 1 && s === canonical) continue;
      const lines = list.map((x) => `${x.written} (line ${x.keyRange.start.line + 1})`).join(', ');
      const end = blockEndLine(model, s.keyRange.start.line);
      out.push(
        d(
          s.keyRange,
          Severity.Warning,
          'milvus-key-duplicate',
          spellings.size === 1
            ? `${s.written} is set again on line ${list[list.length - 1].keyRange.start.line + 1}; Milvus (yaml.v2) keeps the last one, so this value ${s.valueText || '(empty)'} is ignored. Remove this line.`
            : `One Milvus setting written twice: ${lines}. Milvus folds case, "_", "." and "/" away and takes one of them at random at each start. Keep ${canonical.written} and remove this one.`,
          {
            kind: 'remove-lines',
            fromLine: s.keyRange.start.line,
            toLine: end,
            title: 'Remove the duplicate ' + s.written.split('.').at(-1),
          },
        ),
      );
    }
  }
}

function isCanonical(written: string): boolean {
  return KEYS.some((k) => `${k.section}.${k.key}` === written);
}

export function blockEndLine(model: MilvusTlsModel, line: number): number {
  const indent = /^ */.exec(model.lines.lineText(line))![0].length;
  let last = line;
  for (let i = line + 1; i < model.lines.lineCount; i++) {
    const t = model.lines.lineText(i);
    if (t.trim() === '' || t.trimStart().startsWith('#')) continue;
    if (/^ */.exec(t)![0].length <= indent) break;
    last = i;
  }
  return last;
}

/** The spec of a key as Milvus matches it: case, "_", "." and "/" do not count (pkg/config formatKey). */
function specOf(section: SectionId, key: string): ReturnType<typeof findKey> {
  return findKey(section, key) ?? KEYS.find((k) => k.section === section && formatKey(k.key) === formatKey(key));
}

function checkKeyNames(model: MilvusTlsModel, out: Diagnostic[]): void {
  for (const e of model.entries) {
    const section = e.section as SectionId | 'common' | 'security' | '';
    if (section === 'tls' || section === 'internaltls') {
      if (specOf(section, e.key)) continue;
      // 2.6: tls.clusters.<clusterID>.{caPemPath,clientPemPath,clientKeyPath} (CDC outbound mutual TLS)
      if (section === 'tls' && formatKey(e.key) === 'clusters') continue;
      misplacedOrUnknown(
        model,
        e,
        section,
        keysOf(section).map((k) => k.key),
        out,
      );
    } else if (section === 'common.security') {
      if (specOf('common.security', e.key)) continue;
      if (formatKey(e.key) === 'tlsenabled') {
        out.push(
          d(
            e.keyRange,
            Severity.Warning,
            'milvus-tls-enabled-legacy',
            `common.security.tlsEnabled is the Milvus 2.0 switch; later releases read common.security.tlsMode (0 off, 1 one-way, 2 mutual) and ignore tlsEnabled. Write tlsMode: ${e.value === true || String(e.value).toLowerCase() === 'true' ? 1 : 0} instead.`,
            renameOrRemove(model, e, 'common.security', 'tlsMode', 'legacy'),
          ),
        );
        continue;
      }
      const homes = homesOf(e.key);
      if (homes.length)
        out.push(
          d(
            e.keyRange,
            Severity.Error,
            'milvus-key-misplaced',
            `${e.key} does not belong in common.security; it belongs in ${homes.map((h) => '`' + h + '`').join(' or ')}. Milvus ignores it here.`,
          ),
        );
      else {
        const s = didYouMean(
          e.key,
          keysOf('common.security').map((k) => k.key),
        );
        if (s)
          out.push(
            d(
              e.keyRange,
              Severity.Warning,
              'milvus-key-unknown',
              `Unknown key common.security.${e.key}; did you mean ${s}? Milvus ignores unknown keys, so this setting has no effect.`,
              renameOrRemove(model, e, 'common.security', s),
            ),
          );
      }
    } else if (section === 'common' && (formatKey(e.key) === 'tls' || formatKey(e.key) === 'internaltls') && e.nested) {
      // The Operator sample's shape: common: {tls: ...} is common.tls.*, which Milvus has no use for.
      const first = e.keyRange.start.line;
      out.push(
        d(
          e.keyRange,
          Severity.Error,
          'milvus-block-misplaced',
          `The ${e.key}: block is under common:, so Milvus reads it as common.${e.key}.*, which is no setting, and ignores it. Move it to the top level (${e.key}: at column 0).`,
          {
            kind: 'move-block',
            fromLine: first,
            toLine: blockEndLine(model, first),
            dedent: e.keyRange.start.character,
            title: `Move ${e.key}: to the top level`,
          },
        ),
      );
    } else {
      // Under `common`, at the top level, or in a top-level `security:` block.
      const homes = homesOf(e.key);
      const where =
        section === '' ? 'at the top level' : section === 'security' ? 'under a top-level `security:`' : 'directly under `common`';
      if (homes.length)
        out.push(
          d(
            e.keyRange,
            Severity.Error,
            'milvus-key-misplaced',
            `${e.key} ${where} is ignored by Milvus; it belongs in ${homes.map((h) => '`' + h + '`').join(' or ')}.`,
          ),
        );
    }
  }
  for (const sec of model.sections) {
    if (sec.name !== 'security') continue;
    out.push(
      d(
        sec.keyRange,
        Severity.Error,
        'milvus-block-misplaced',
        'The security: block is at the top level, so Milvus reads security.*, which is no setting, and ignores it; it belongs under common: (common.security.tlsMode). Indent it under common:.',
      ),
    );
  }
}

/** "Rename to X", unless X is already set in the section: then the rename would make a duplicate key, so offer to remove this line. */
function renameOrRemove(model: MilvusTlsModel, e: Entry, section: string, to: string, what = 'misspelled duplicate'): FixData {
  const taken = model.entries.some((x) => x !== e && x.section === section && formatKey(x.key) === formatKey(to));
  if (!taken) return { kind: 'rename-key', to };
  const line = e.keyRange.start.line;
  return {
    kind: 'remove-lines',
    fromLine: line,
    toLine: blockEndLine(model, line),
    title: `Remove the ${what} ${e.key} (${to} is set)`,
  };
}

function misplacedOrUnknown(model: MilvusTlsModel, e: Entry, section: 'tls' | 'internaltls', known: string[], out: Diagnostic[]): void {
  const homes = homesOf(e.key);
  if (homes.length) {
    out.push(
      d(
        e.keyRange,
        Severity.Error,
        'milvus-key-misplaced',
        `${e.key} does not belong in \`${section}\`; it belongs in ${homes.map((h) => '`' + h + '`').join(' or ')}. Milvus ignores it here.`,
      ),
    );
    return;
  }
  if (FOREIGN_TLS_KEYS[e.key]) {
    out.push(
      d(
        e.keyRange,
        Severity.Error,
        'milvus-key-misplaced',
        `${e.key} is not a Milvus ${section} key: it is ${FOREIGN_TLS_KEYS[e.key]}. The ${section} block takes ${known.join(', ')}.`,
      ),
    );
    return;
  }
  const s = didYouMean(e.key, known);
  out.push(
    d(
      e.keyRange,
      Severity.Warning,
      'milvus-key-unknown',
      s
        ? `Unknown key ${section}.${e.key}; did you mean ${s}? Milvus ignores unknown keys, so this setting has no effect.`
        : `Unknown key ${section}.${e.key}; the ${section} block takes ${known.join(', ')}. Milvus ignores it.`,
      s ? renameOrRemove(model, e, section, s) : undefined,
    ),
  );
}

/** Ranges of slots that another document sets: they take part in the cross-checks, their findings belong there. */
const ELSEWHERE_LINE = 1e9;
const elsewhere = (): Range => ({ start: { line: ELSEWHERE_LINE, character: 0 }, end: { line: ELSEWHERE_LINE, character: 0 } });

/** An Entry (what checkPath and the messages need) for a value of the effective configuration. */
function entryOf(section: string, key: string, v: EffectiveValue, at?: Range): Entry {
  const w = writtenOf(v);
  return {
    section,
    key: at ? key : (w?.name ?? key),
    keyRange: at ?? w?.keyRange ?? elsewhere(),
    value: v.value === undefined ? undefined : v.value,
    valueText: w?.valueText ?? v.value ?? '',
    valueRange: at ?? w?.valueRange ?? elsewhere(),
    quoted: !!w?.quoted,
    nested: v.value === undefined,
  };
}

function checkSection(
  model: MilvusTlsModel,
  cfg: EffectiveConfig,
  section: 'tls' | 'internaltls',
  mode: 1 | 2,
  deploy: DeployContext,
  ctx: MilvusContext,
  out: Diagnostic[],
  owner: boolean,
  switchW: EffectiveValue | undefined,
): void {
  const required =
    section === 'tls'
      ? mode === 2
        ? ['serverPemPath', 'serverKeyPath', 'caPemPath']
        : ['serverPemPath', 'serverKeyPath']
      : ['serverPemPath', 'serverKeyPath', 'caPemPath'];
  const why =
    section === 'tls'
      ? `common.security.tlsMode is ${mode}${switchW && !owner ? ` (${describeSource(switchW, path.dirname(deploy.composePath ?? deploy.hostBase))})` : ''}`
      : 'common.security.internaltlsEnabled is true';
  const sec = model.sections.find((s) => s.name === section);
  const slots = new Map<SlotRole, LoadedSlot>();
  const scratch: Diagnostic[] = [];
  // Mode 1: Milvus does not read caPemPath, but the clients told to trust it do: check it when it is set.
  const caWinner = section === 'tls' && mode === 1 ? winner(cfg, 'tls.caPemPath') : undefined;
  const caForClients = !!caWinner?.value?.trim();
  for (const key of caForClients ? [...required, 'caPemPath'] : required) {
    const w = winner(cfg, `${section}.${key}`);
    const isLocal = !!w && w.layer === cfg.docLayer && !!writtenOf(w);
    const spec = findKey(section, key)!;
    if (!w || (w.value !== undefined && w.value.trim() === '')) {
      if (!isLocal && !owner) continue;
      const e = isLocal ? entryOf(section, key, w!) : undefined;
      const sw = switchW && switchW.layer === cfg.docLayer ? writtenOf(switchW) : undefined;
      const anchor = e?.keyRange ?? sec?.keyRange ?? sw?.keyRange ?? zero();
      const guess = guessPath(model, section, key, spec.default);
      const fix: FixData | undefined =
        !e && sec ? { kind: 'add-key', section, key, value: guess, afterLine: sec.lastLine, indent: sec.childIndent ?? 2 } : undefined;
      out.push(
        d(
          anchor,
          Severity.Error,
          'milvus-tls-key-required',
          `${section}.${key} is required because ${why}${e ? ' but it is empty' : ''}. Set it to the container path of the ${spec.file === 'privateKey' ? 'private key' : spec.file === 'caBundle' ? 'CA certificate' : 'server certificate'} (for example ${guess}).`,
          fix,
        ),
      );
      continue;
    }
    // Mode 1's caPemPath is read by clients, not by Milvus: only a file we can load takes part, quietly otherwise.
    const quiet = caForClients && key === 'caPemPath';
    let slot: LoadedSlot | undefined;
    if (isLocal) slot = checkPath(entryOf(section, key, w), spec.file!, deploy, ctx, quiet ? scratch : out);
    else if (w.layer.kind === 'image' && owner && switchW && writtenOf(switchW)) {
      // Set by the image's own milvus.yaml: the finding goes on the switch that turned TLS on.
      slot = checkPath(
        entryOf(section, `${section}.${key}`, w, writtenOf(switchW)!.keyRange),
        spec.file!,
        deploy,
        ctx,
        quiet ? scratch : out,
        true,
      );
    } else slot = checkPath(entryOf(section, key, w, elsewhere()), spec.file!, deploy, ctx, scratch);
    if (slot) slots.set(slot.role, slot);
  }
  const cross: Diagnostic[] = [];
  crossCheck(section, slots, cfg, ctx, cross, { mutual: section === 'tls' && mode === 2, service: deploy.service?.name });
  out.push(...cross.filter((x) => x.range.start.line !== ELSEWHERE_LINE));
}

/** A sensible value for a missing key: beside the other configured files, else the Milvus default. */
function guessPath(model: MilvusTlsModel, section: string, key: string, fallback: string): string {
  const sibling = model.entries.find(
    (x) => x.section === section && typeof x.value === 'string' && /PemPath|KeyPath/.test(x.key) && x.value,
  );
  if (!sibling) return fallback;
  const dir = path.posix.dirname(String(sibling.value));
  return path.posix.join(dir, key === 'caPemPath' ? 'ca.pem' : key === 'serverKeyPath' ? 'server.key' : 'server.pem');
}

/** The sample set in the official image's /milvus/configs/cert (milvus-io/milvus configs/cert/), private keys included. */
export const IMAGE_SAMPLE_CERTS = new Set(
  ['ca.pem', 'ca.key', 'server.pem', 'server.key', 'client.pem', 'client.key'].map((f) => '/milvus/configs/cert/' + f),
);

function checkPath(
  e: Entry,
  kind: FileKind,
  deploy: DeployContext,
  ctx: MilvusContext,
  out: Diagnostic[],
  fromImage = false,
): LoadedSlot | undefined {
  if (typeof e.value !== 'string') {
    out.push(
      d(
        e.valueRange,
        Severity.Error,
        'milvus-path-invalid',
        `${e.key} must be a file path, not ${e.nested ? 'a nested block' : JSON.stringify(e.value)}.`,
      ),
    );
    return undefined;
  }
  const value = e.value.trim();
  const r = resolvePath(value, deploy);
  const composeName = deploy.composePath ? path.basename(deploy.composePath) : '';
  if (!r.ok) {
    if (r.reason === 'named-volume') {
      out.push(
        d(
          e.valueRange,
          Severity.Information,
          'milvus-path-in-named-volume',
          `${r.containerPath} lies in the named volume ${r.mount?.source ?? ''} of service ${deploy.service?.name}; its contents cannot be checked from here. Bind-mount a host folder (for example ./tls:/milvus/tls:ro) to have it checked.`,
        ),
      );
      return undefined;
    }
    if (r.reason === 'no-mount' && IMAGE_SAMPLE_CERTS.has(r.containerPath)) {
      out.push(
        d(
          e.valueRange,
          Severity.Warning,
          'milvus-sample-certificate',
          `${fromImage ? e.key + ' is ' + value + " (from the image's own milvus.yaml): " : ''}${r.containerPath} is the sample ${kind === 'privateKey' ? 'key' : 'certificate'} shipped in the Milvus image, so Milvus starts, but its private key is published with the Milvus source: anyone can impersonate this server or decrypt its traffic. Mount your own certificates (e.g. \`- ./tls:/milvus/tls:ro\`) and point ${e.section}.${kind === 'privateKey' ? 'serverKeyPath' : kind === 'caBundle' ? 'caPemPath' : 'serverPemPath'} at them.`,
        ),
      );
      return undefined;
    }
    // Maybe the user wrote a host path: suggest the container path that a mount gives it.
    const hostGuess = path.resolve(path.dirname(deploy.composePath ?? deploy.hostBase), value);
    const asContainer = deploy.service ? hostToContainer(hostGuess, deploy.service.volumes) : undefined;
    if (asContainer && ctx.ws.kind(hostGuess) === 'file') {
      out.push(
        d(
          e.valueRange,
          Severity.Error,
          'milvus-path-host-style',
          `${value} is a path on the host; Milvus runs in the container of service ${deploy.service?.name} and sees that file at ${asContainer}. Use the container path.`,
          { kind: 'use-container-path', containerPath: asContainer },
        ),
      );
      return undefined;
    }
    const dir = path.posix.dirname(r.containerPath);
    const hostDir = deploy.composePath
      ? './' + (dir.startsWith('/milvus/') ? dir.slice('/milvus/'.length) : path.posix.basename(dir))
      : './tls';
    const entryText = `${volumePrefix(deploy.service?.volumes ?? [], hostDir)}:${dir}:ro`;
    const finding = d(
      e.valueRange,
      Severity.Error,
      'milvus-path-not-mounted',
      `Milvus would open ${r.containerPath} in the container, but no volume of service ${deploy.service?.name} in ${composeName} covers it, so the file does not exist there and Milvus fails to start. Mount the folder holding it, e.g. \`- ${entryText}\`.`,
      deploy.composePath && deploy.service
        ? {
            kind: 'add-volume',
            composePath: deploy.composePath,
            service: deploy.service.name,
            entry: entryText,
            afterLine: lastVolumeLine(deploy),
            entryLine: deploy.service.volumes.at(-1)?.range.start.line,
          }
        : undefined,
    );
    // The other end of the same problem: the compose file reports it only when no config document does (compose-side.ts).
    const volumes = deploy.service?.volumes.at(-1)?.range ?? deploy.service?.volumesRange ?? deploy.service?.nameRange;
    if (deploy.composePath && volumes)
      finding.relatedInformation = [
        {
          location: { uri: URI.file(deploy.composePath).toString(), range: volumes },
          message: `service ${deploy.service?.name} in ${composeName}: no volume covers ${dir}; add \`- ${entryText}\``,
        },
      ];
    out.push(finding);
    return undefined;
  }
  const host = shownPath(r.hostPath, ctx.ws.roots);
  const where = r.containerPath ? `${r.containerPath} → host ${host}` : host;
  const role: SlotRole = kind === 'privateKey' ? 'server-key' : kind === 'caBundle' ? 'ca' : 'server-cert';
  return loadSlot(
    {
      role,
      key: e.key,
      range: e.valueRange,
      consumer: 'go',
      hostPath: r.hostPath,
      where,
      // Docker creates a directory only for a missing bind source itself; a file missing inside a mounted folder is ENOENT.
      dockerCreatesDirectory: !!r.containerPath && r.mount?.syntax === 'short' && r.mount.target === r.containerPath,
    },
    WORDS,
    ctx,
    out,
  );
}

function lastVolumeLine(deploy: DeployContext): number | undefined {
  const vols = deploy.service?.volumes ?? [];
  if (vols.length === 0) return undefined;
  return vols[vols.length - 1].range.end.line;
}

function crossCheck(
  section: 'tls' | 'internaltls',
  slots: Map<SlotRole, LoadedSlot>,
  cfg: EffectiveConfig,
  ctx: MilvusContext,
  out: Diagnostic[],
  how: { mutual: boolean; service?: string } = { mutual: false },
): void {
  const group: SlotGroup = {
    id: section,
    verifiesClients: how.mutual,
    caForClientsOnly: section === 'tls' && !how.mutual,
    likelyNames: ['localhost', '127.0.0.1', ...(how.service ? [how.service] : [])],
    words: {
      ...WORDS,
      caRejects:
        section === 'tls'
          ? 'clients given this ca.pem (pymilvus ca_pem_path, curl --cacert) reject the server with "certificate signed by unknown authority"'
          : 'Milvus components verify each other with this CA and fail the internal handshake',
      grpcClients: section === 'tls' ? { boringssl: 'pymilvus', go: 'the Go SDK, milvus-backup' } : undefined,
    },
  };
  if (section === 'internaltls') {
    // Milvus components dial each other by internaltls.sni, "localhost" when unset.
    const sni = winner(cfg, 'internaltls.sni');
    group.dialName = {
      value: sni?.value ? sni.value : 'localhost',
      setting: 'internaltls.sni',
      range: sni && sni.layer === cfg.docLayer ? writtenOf(sni)?.valueRange : sni && sni.layer.kind !== 'image' ? elsewhere() : undefined,
    };
  }
  checkGroup(group, slots, ctx, out);
}

/** Table for the README. */
export const MILVUS_DIAGNOSTIC_CODES: DiagnosticCodeInfo[] = [
  { code: 'milvus-yaml-syntax', severity: 'error', summary: 'YAML syntax error inside a TLS block' },
  { code: 'milvus-later-document', severity: 'warning', summary: 'TLS settings in a second YAML document, which Milvus ignores' },
  { code: 'milvus-tls-mode-invalid', severity: 'error', summary: 'common.security.tlsMode is not 0, 1 or 2' },
  { code: 'milvus-tls-mode-quoted', severity: 'warning', summary: 'tlsMode written as a quoted string' },
  { code: 'milvus-internaltls-enabled-invalid', severity: 'error', summary: 'internaltlsEnabled is not a boolean' },
  { code: 'milvus-key-unknown', severity: 'warning', summary: 'Unknown key in a TLS block, with "did you mean"' },
  { code: 'milvus-key-misplaced', severity: 'error', summary: 'A TLS key in the wrong section (e.g. tlsMode under tls:)' },
  { code: 'milvus-tls-key-required', severity: 'error', summary: 'A path the mode needs is missing or empty' },
  { code: 'milvus-path-invalid', severity: 'error', summary: 'A path key holds something other than a path' },
  { code: 'milvus-path-not-mounted', severity: 'error', summary: 'No compose volume covers the container path' },
  { code: 'milvus-path-host-style', severity: 'error', summary: 'A host path written where the container path is needed' },
  { code: 'milvus-path-in-named-volume', severity: 'information', summary: 'The path lies in a named volume; contents cannot be checked' },
  {
    code: 'milvus-overridden',
    severity: 'information',
    summary: 'A setting a later layer overrides (user.yaml over milvus.yaml, the environment over files), naming the winner',
  },
  {
    code: 'milvus-key-duplicate',
    severity: 'warning',
    summary: 'One setting written twice in a file: the earlier is ignored (yaml.v2), or two spellings of which Milvus takes one at random',
  },
  {
    code: 'milvus-block-misplaced',
    severity: 'error',
    summary: 'A whole TLS block at the wrong level (common: {tls: …}, a top-level security:)',
  },
  {
    code: 'milvus-tls-enabled-legacy',
    severity: 'warning',
    summary: 'common.security.tlsEnabled (Milvus 2.0); later releases read tlsMode',
  },
  {
    code: 'milvus-config-not-mounted',
    severity: 'information',
    summary: 'A milvus.yaml with TLS on that no compose service mounts, so Milvus does not read it',
  },
  {
    code: 'milvus-http-port-shared',
    severity: 'error',
    summary: 'Milvus 2.6 with TLS on and proxy.http.port empty or equal to proxy.port: it refuses to start',
  },
  {
    code: 'milvus-version-rule',
    severity: 'warning',
    summary: 'A setting the Milvus version of the image tag does not know (internaltls < 2.5, tls.clusters < 2.6)',
  },
  {
    code: 'milvus-cluster-tls-incomplete',
    severity: 'error',
    summary: 'tls.clusters.<id> with only one of clientPemPath / clientKeyPath (2.6 uses cluster TLS only with both)',
  },
  {
    code: 'milvus-cluster-client-cert',
    severity: 'error',
    summary: "tls.clusters.<id> client certificate without clientAuth (error), or not chaining to the entry's caPemPath (warning)",
  },
  {
    code: 'milvus-sample-certificate',
    severity: 'warning',
    summary: "A path to the image's sample certificates (/milvus/configs/cert/*): Milvus starts, but their private key is public",
  },
];

export { KEYS };
