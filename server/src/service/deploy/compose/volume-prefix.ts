/**
 * A new bind entry written the way its neighbours are: the official compose file writes every host path as
 * `${DOCKER_VOLUME_DIRECTORY:-.}/…`, and an entry without that prefix would break when the variable is set.
 */
export function volumePrefix(volumes: readonly { syntax: string; type: string; raw: string; source?: string }[], hostDir: string): string {
  for (const v of volumes) {
    if (v.syntax !== 'short' || v.type !== 'bind') continue;
    const m = /^(\$\{[A-Za-z_][A-Za-z0-9_]*(?::?-[^}]*)?\})\//.exec(v.raw);
    if (m && hostDir.startsWith('./')) return `${m[1]}/${hostDir.slice(2)}`;
  }
  return hostDir;
}
