/** The certificate settings of a milvus.yaml as slots: which file plays which role, and whether Milvus uses it now. */
import type { ConfigSlot, SlotRole } from '../../tls/slots';
import { entry, type MilvusTlsModel } from './extract';
import { findKey, type SectionId } from './schema';

const ROLE: Record<string, SlotRole> = { certificate: 'server-cert', privateKey: 'server-key', caBundle: 'ca' };

export function tlsMode(model: MilvusTlsModel): number | undefined {
  const v = entry(model, 'common.security', 'tlsMode')?.value;
  const n = typeof v === 'string' && /^\s*[0-2]\s*$/.test(v) ? Number(v) : v;
  return n === 0 || n === 1 || n === 2 ? n : undefined;
}

export function internalTlsEnabled(model: MilvusTlsModel): boolean {
  const v = entry(model, 'common.security', 'internaltlsEnabled')?.value;
  return v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
}

export function milvusSlots(model: MilvusTlsModel): ConfigSlot[] {
  const mode = tlsMode(model) ?? (entry(model, 'common.security', 'tlsMode') ? undefined : 0);
  const internal = internalTlsEnabled(model);
  const sni = entry(model, 'internaltls', 'sni')?.value;
  const out: ConfigSlot[] = [];
  for (const e of model.entries) {
    if (e.section !== 'tls' && e.section !== 'internaltls') continue;
    const spec = findKey(e.section as SectionId, e.key);
    if (spec?.type !== 'path' || !spec.file || typeof e.value !== 'string' || e.value.trim() === '') continue;
    const role = ROLE[spec.file];
    const active = e.section === 'tls' ? (mode === 2 ? true : mode === 1 ? role !== 'ca' : false) : internal;
    out.push({
      role,
      key: e.key,
      range: e.valueRange,
      consumer: 'go',
      value: { path: e.value.trim() },
      active,
      group: e.section,
      names: e.section === 'internaltls' && role === 'server-cert' ? [typeof sni === 'string' && sni ? sni : 'localhost'] : undefined,
    });
  }
  return out;
}
