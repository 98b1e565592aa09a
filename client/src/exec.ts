/** Runs a server command with the protocol's types; a `{ error }` answer becomes a thrown Error. */
import { ExecuteCommandRequest, type LanguageClient } from 'vscode-languageclient/node';
import type { ServerCommand, CommandParams, CommandResult, CommandFailure } from '../../server/src/protocol';

// Sent as requests, not through vscode.commands: the middleware would turn the generate command back into this wizard.
export async function exec<C extends ServerCommand>(client: LanguageClient, command: C, arg: CommandParams<C>): Promise<CommandResult<C>> {
  const r = (await client.sendRequest(ExecuteCommandRequest.type, { command, arguments: [arg] })) as CommandResult<C> | CommandFailure;
  if (r && typeof r === 'object' && 'error' in r && r.error) throw new Error(r.error);
  return r as CommandResult<C>;
}
