/**
 * Everything the server needs after `initialize`, bundled as dist/core.js and
 * required once initialize has been answered: the editor is not kept waiting
 * while V8 compiles the YAML parser and the TLS rules.
 */
export { LanguageService, Workspace } from './service';
export { DEFAULT_SETTINGS } from './service/types';
export { executeServerCommand } from './commands';
export { checkFile } from './check-workspace';
export { runCli } from './cli';
