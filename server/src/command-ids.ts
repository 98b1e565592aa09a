/** Server command ids; separate so the server can announce them before the service is loaded. */
export const SERVER_COMMANDS = {
  defaults: 'tlsConfig.server.generateDefaults',
  plan: 'tlsConfig.server.planGenerate',
  generate: 'tlsConfig.server.generate',
  wiring: 'tlsConfig.server.planWiring',
  snippets: 'tlsConfig.server.snippets',
} as const;
