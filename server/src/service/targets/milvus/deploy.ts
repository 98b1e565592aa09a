/**
 * What we know of the official Milvus image in a compose file: its working
 * directory, where it reads its config, and which service runs it.
 */
import * as path from 'node:path';
import { containerToHost, type ComposeModel, type ComposeService, type VolumeMount } from '../../deploy/compose';

/** Working directory of the official Milvus image: relative paths in milvus.yaml resolve here. */
export const MILVUS_WORKDIR = '/milvus';
export const MILVUS_CONFIG_TARGET = '/milvus/configs/milvus.yaml';
export const MILVUS_USER_CONFIG_TARGET = '/milvus/configs/user.yaml';

const MILVUS_CONFIG_NAME = /^(milvus[^/\\]*|user)\.ya?ml$/i;

/** Whether a host file name looks like a Milvus config (milvus*.yaml, user.yaml). */
export function isMilvusConfigName(hostPath: string): boolean {
  return MILVUS_CONFIG_NAME.test(path.basename(hostPath.replace(/\\/g, '/')));
}

/**
 * The bind mount that carries a Milvus config file into the service:
 * preferably the one at /milvus/configs/milvus.yaml, then user.yaml, then a
 * host milvus*.yaml / user.yaml file, then any *.yaml under /milvus/configs/.
 * A whole-folder mount (./configs:/milvus/configs) is not returned: use
 * `milvusConfigHostPath` for the file behind it.
 */
export function findMilvusConfigMount(service: ComposeService): VolumeMount | undefined {
  let best: VolumeMount | undefined;
  let bestScore = 0;
  for (const m of service?.volumes ?? []) {
    if (m.type !== 'bind' || !m.hostPath) continue;
    let score = 0;
    if (m.target === MILVUS_CONFIG_TARGET) score = 4;
    else if (m.target === MILVUS_USER_CONFIG_TARGET) score = 3;
    else if (isMilvusConfigName(m.hostPath)) score = 2;
    else if (m.target.startsWith('/milvus/configs/') && /\.ya?ml$/i.test(m.target)) score = 1;
    if (score > bestScore) {
      best = m;
      bestScore = score;
    }
  }
  return best;
}

/** Host path of the milvus.yaml the service reads, when a bind mount provides one. */
export function milvusConfigHostPath(service: ComposeService): string | undefined {
  const direct = containerToHost(MILVUS_CONFIG_TARGET, service?.volumes ?? []);
  if (direct.hostPath) return direct.hostPath;
  const m = findMilvusConfigMount(service);
  if (m?.hostPath && isMilvusConfigName(m.hostPath)) return m.hostPath;
  return undefined;
}

/** Whether a service looks like Milvus by image or name (not by mounts). */
export function looksLikeMilvusService(service: ComposeService): boolean {
  const image = (service.image ?? '').toLowerCase();
  if (/(^|\/)milvus(:|@|$)/.test(image) || image.includes('milvusdb/milvus')) return true;
  const name = service.name.toLowerCase();
  return name === 'standalone' || name === 'milvus' || name === 'milvus-standalone';
}

/** The Milvus service of a compose model: by image, then by name, then by a mounted milvus config. */
export function findMilvusService(model: ComposeModel): ComposeService | undefined {
  const services = model?.services ?? [];
  return (
    services.find((s) => (s.image ?? '').toLowerCase().includes('milvusdb/milvus')) ??
    services.find((s) => {
      const img = (s.image ?? '').toLowerCase();
      return /(^|\/)milvus(:|@|$)/.test(img) || (img.includes('milvus') && !img.includes('attu'));
    }) ??
    services.find((s) => ['standalone', 'milvus', 'milvus-standalone'].includes(s.name.toLowerCase())) ??
    services.find((s) => findMilvusConfigMount(s) !== undefined)
  );
}
