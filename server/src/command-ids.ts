/** Server command ids; separate so the server can announce them before the service is loaded. */
export const SERVER_COMMANDS = {
  defaults: 'milvusTls.server.generateDefaults',
  plan: 'milvusTls.server.planGenerate',
  generate: 'milvusTls.server.generate',
  wiring: 'milvusTls.server.planWiring',
  snippets: 'milvusTls.server.snippets',
} as const;
