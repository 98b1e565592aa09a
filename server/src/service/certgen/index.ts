/** Certificate generation room: options, generation, atomic writing, client snippets. */
export * from './options';
export * from './generate';
export * from './write';
export * from './snippets';
