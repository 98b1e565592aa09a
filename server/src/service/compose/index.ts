/** docker compose volumes: parse, interpolate, map container ↔ host paths, validate, hover. */
export * from './interpolate';
export * from './volumes';
export * from './env';
export * from './mapping';
export * from './validate';
export * from './hover';
export * from './actions';
