/** docker compose as a deploy context: volumes, interpolation, .env, container ↔ host paths, discovery. */
export * from './interpolate';
export * from './volumes';
export * from './env';
export * from './mapping';
export * from './discover';
export * from './ports';
