/** `keyshift admin …`: the admin JSON API of an instance, with an admin user's HTTP Basic credentials. */
import { ADMIN_ENVIRONMENT, ADMIN_OPTIONS, adminApiFromArgs } from '../admin/options.ts'
import { formatScopes } from '../admin/render.ts'
import { type Command, type CommandGroup, type Context, flagArg, type ParsedArgs } from '../command.ts'
import { json } from '../output.ts'
import { apiKeysGroup } from './admin-api-keys.ts'
import { clientsGroup } from './admin-clients.ts'

async function runScopes(context: Context, args: ParsedArgs): Promise<void> {
  const body = await adminApiFromArgs(context, args, 'keyshift admin scopes').listScopes()
  context.io.stdout(flagArg(args, 'json') ? json(body) : formatScopes(body.scopes))
}

const scopesCommand: Command = {
  kind: 'command',
  name: 'scopes',
  summary: 'List the scopes a client can be granted, and what each allows',
  usage: '[options]',
  options: ADMIN_OPTIONS,
  environment: ADMIN_ENVIRONMENT,
  run: runScopes,
}

export const adminGroup: CommandGroup = {
  kind: 'group',
  name: 'admin',
  summary: 'Administer an instance: OAuth clients, scopes and legacy API keys',
  commands: [clientsGroup, scopesCommand, apiKeysGroup],
}
