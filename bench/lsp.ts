/** The benchmark uses the project's LSP test client (configuration answers, timings, VmHWM, kill registry). */
export { LspClient as BenchLspClient, killAllServers, type Published } from '../test/support/lsp-client';
