/** `keyshift admin clients …`: the OAuth 2.0 clients of an instance (Setup > OAuth2/OpenID Connect Clients). */

import type { ClientView } from '@keyshift/server/admin-api'
import { CONTACT_OPTIONS, clientChanges, gracePeriod, newClient } from '../admin/input.ts'
import { ADMIN_ENVIRONMENT, ADMIN_OPTIONS, adminApiFromArgs, instanceUrl } from '../admin/options.ts'
import {
  formatClient,
  formatClientList,
  formatCreated,
  formatRotated,
  SECRET_WARNING,
  withoutSecret,
} from '../admin/render.ts'
import { type Command, type CommandGroup, type Context, flagArg, type ParsedArgs } from '../command.ts'
import { json } from '../output.ts'

const PATH = 'keyshift admin clients'
const ID = [{ name: 'id', description: 'the client id or its Identifier (client_id)' }]

function clientId(args: ParsedArgs): string {
  return args.positionals[0] ?? ''
}

function printClient(context: Context, args: ParsedArgs, client: ClientView): void {
  const shown = withoutSecret(client)
  context.io.stdout(flagArg(args, 'json') ? json(shown) : formatClient(shown))
}

async function runCreate(context: Context, args: ParsedArgs): Promise<void> {
  const client = await adminApiFromArgs(context, args, `${PATH} create`).createClient(newClient(args))
  context.io.stdout(flagArg(args, 'json') ? json(client) : formatCreated(client, instanceUrl(context, args)))
  context.io.stderr(SECRET_WARNING)
}

async function runList(context: Context, args: ParsedArgs): Promise<void> {
  const { clients } = await adminApiFromArgs(context, args, `${PATH} list`).listClients()
  const shown = clients.map(withoutSecret)
  context.io.stdout(flagArg(args, 'json') ? json({ clients: shown }) : formatClientList(shown))
}

async function runRotateSecret(context: Context, args: ParsedArgs): Promise<void> {
  const api = adminApiFromArgs(context, args, `${PATH} rotate-secret`)
  const rotated = await api.rotateSecret(clientId(args), gracePeriod(args))
  context.io.stdout(flagArg(args, 'json') ? json(rotated) : formatRotated(clientId(args), rotated))
  context.io.stderr(SECRET_WARNING)
}

type ClientAction = 'getClient' | 'activateClient' | 'deactivateClient'

/** show, activate and deactivate: one call on one client, then print it. */
function clientCommand(name: string, summary: string, action: ClientAction): Command {
  return {
    kind: 'command',
    name,
    summary,
    usage: '<id> [options]',
    positionals: ID,
    options: ADMIN_OPTIONS,
    environment: ADMIN_ENVIRONMENT,
    run: async function runClientAction(context, args) {
      const client = await adminApiFromArgs(context, args, `${PATH} ${name}`)[action](clientId(args))
      printClient(context, args, client)
    },
  }
}

const createCommand: Command = {
  kind: 'command',
  name: 'create',
  summary: 'Create a client; prints its Identifier, its Secret (once) and a curl to request a token',
  usage: '--name NAME --login LOGIN (--scopes "a b" | --all-scopes) [--contact-* …] [options]',
  options: {
    ...ADMIN_OPTIONS,
    name: { type: 'string', value: 'NAME', description: 'name of the client (the integration it serves)' },
    scopes: { type: 'string', value: '"a b c"', description: 'scopes to grant, space-separated' },
    'all-scopes': { type: 'boolean', description: 'grant every scope (not least privilege)' },
    login: { type: 'string', value: 'LOGIN', description: 'unique login of the client (required)' },
    ...CONTACT_OPTIONS,
    'grant-type': { type: 'string', value: 'TYPE', default: 'client_credentials', description: 'grant type' },
  },
  environment: ADMIN_ENVIRONMENT,
  examples: [
    `${PATH} create --name "Acme ERP" --login acme-erp --scopes "core.invoice.read core.supplier.read"`,
  ],
  run: runCreate,
}

const listCommand: Command = {
  kind: 'command',
  name: 'list',
  summary: 'List the clients',
  usage: '[options]',
  options: ADMIN_OPTIONS,
  environment: ADMIN_ENVIRONMENT,
  run: runList,
}

const updateCommand: Command = {
  kind: 'command',
  name: 'update',
  summary: 'Change the name, scopes or contact of a client',
  usage: '<id> [--name NAME] [--scopes "a b"] [--contact-* …] [options]',
  positionals: ID,
  options: {
    ...ADMIN_OPTIONS,
    name: { type: 'string', value: 'NAME', description: 'new name' },
    scopes: { type: 'string', value: '"a b c"', description: 'the new full list of scopes, space-separated' },
    ...CONTACT_OPTIONS,
  },
  environment: ADMIN_ENVIRONMENT,
  run: async function runUpdate(context, args) {
    const changes = clientChanges(args)
    printClient(
      context,
      args,
      await adminApiFromArgs(context, args, `${PATH} update`).updateClient(clientId(args), changes),
    )
  },
}

const rotateSecretCommand: Command = {
  kind: 'command',
  name: 'rotate-secret',
  summary: 'Give a client a new Secret (printed once); the previous one may keep working for a grace period',
  usage: '<id> [--grace-period SECONDS] [options]',
  positionals: ID,
  options: {
    ...ADMIN_OPTIONS,
    'grace-period': {
      type: 'string',
      value: 'SECONDS',
      description: 'how long the previous secret keeps working (the server decides when omitted)',
    },
  },
  environment: ADMIN_ENVIRONMENT,
  run: runRotateSecret,
}

export const clientsGroup: CommandGroup = {
  kind: 'group',
  name: 'clients',
  summary: 'Manage OAuth 2.0 clients (client credentials grant)',
  commands: [
    createCommand,
    listCommand,
    clientCommand('show', 'Show a client: Identifier, status, Oidc Scopes, contact', 'getClient'),
    updateCommand,
    clientCommand('activate', 'Activate a client: it can request tokens again', 'activateClient'),
    clientCommand('deactivate', 'Deactivate a client: its tokens stop working at once', 'deactivateClient'),
    rotateSecretCommand,
  ],
}
