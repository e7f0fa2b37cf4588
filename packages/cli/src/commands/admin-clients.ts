/** `keyshift admin clients …`: the OAuth 2.0 clients of an instance (Setup > OAuth2/OpenID Connect Clients). */

import { adminCommand } from '../admin/command.ts'
import { CONTACT_OPTIONS, clientChanges, newClient, secretRotation } from '../admin/input.ts'
import { CLIENT, CLIENT_CREATED, CLIENT_LIST, formatRotated, SECRET_WARNING } from '../admin/render.ts'
import { type Command, type CommandGroup, flagArg, type ParsedArgs } from '../command.ts'

const GROUP = 'keyshift admin clients'
const ID = [{ name: 'id', description: 'the client id or its Identifier (client_id)' }]

function clientId(args: ParsedArgs): string {
  return args.positionals[0] ?? ''
}

type ClientAction = 'getClient' | 'activateClient' | 'deactivateClient' | 'revokeClientTokens'

/** show, activate, deactivate and revoke-tokens: one call on one client, then print it. */
function clientCommand(name: string, summary: string, action: ClientAction): Command {
  return adminCommand(`${GROUP} ${name}`, {
    summary,
    usage: '<id> [options]',
    positionals: ID,
    call: (api, args) => api[action](clientId(args)),
    print: CLIENT,
  })
}

const createCommand = adminCommand(`${GROUP} create`, {
  summary: 'Create a client; prints its Identifier, its Secret (once) and a curl to request a token',
  usage: '--name NAME --login LOGIN (--scopes "a b" | --all-scopes) [--contact-* …] [options]',
  options: {
    name: { type: 'string', value: 'NAME', description: 'name of the client (the integration it serves)' },
    scopes: { type: 'string', value: '"a b c"', description: 'scopes to grant, space-separated' },
    'all-scopes': { type: 'boolean', description: 'grant every scope (not least privilege)' },
    login: { type: 'string', value: 'LOGIN', description: 'unique login of the client (required)' },
    ...CONTACT_OPTIONS,
    'grant-type': { type: 'string', value: 'TYPE', default: 'client_credentials', description: 'grant type' },
  },
  examples: [
    `${GROUP} create --name "Acme ERP" --login acme-erp --scopes "core.invoice.read core.supplier.read"`,
  ],
  call: (api, args) => api.createClient(newClient(args)),
  print: CLIENT_CREATED,
})

const listCommand = adminCommand(`${GROUP} list`, {
  summary: 'List the clients',
  call: (api) => api.listClients(),
  print: CLIENT_LIST,
})

const updateCommand = adminCommand(`${GROUP} update`, {
  summary: 'Change the name, scopes or contact of a client',
  usage: '<id> [--name NAME] [--scopes "a b"] [--contact-* …] [options]',
  positionals: ID,
  options: {
    name: { type: 'string', value: 'NAME', description: 'new name' },
    scopes: { type: 'string', value: '"a b c"', description: 'the new full list of scopes, space-separated' },
    ...CONTACT_OPTIONS,
  },
  input: (args) => ({ id: clientId(args), changes: clientChanges(args) }),
  call: (api, { id, changes }) => api.updateClient(id, changes),
  print: CLIENT,
})

const rotateSecretCommand = adminCommand(`${GROUP} rotate-secret`, {
  summary: 'Give a client a new Secret (printed once); the previous one may keep working for a grace period',
  usage: '<id> [--grace-period SECONDS] [--revoke-tokens] [options]',
  positionals: ID,
  options: {
    'grace-period': {
      type: 'string',
      value: 'SECONDS',
      description: 'how long the previous secret keeps working (the server decides when omitted)',
    },
    'revoke-tokens': {
      type: 'boolean',
      description:
        'also refuse, for good, every token issued so far (with --grace-period 0 if the secret leaked)',
    },
  },
  examples: [`${GROUP} rotate-secret <id> --grace-period 0 --revoke-tokens`],
  input: (args) => ({ id: clientId(args), rotation: secretRotation(args) }),
  call: (api, { id, rotation }) => api.rotateSecret(id, rotation),
  print: {
    format: (rotated, { args }) => formatRotated(clientId(args), rotated, flagArg(args, 'revoke-tokens')),
    warning: SECRET_WARNING,
  },
})

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
    clientCommand(
      'deactivate',
      'Deactivate a client: its tokens stop working at once, and for good (also once it is activated again)',
      'deactivateClient',
    ),
    clientCommand(
      'revoke-tokens',
      'Refuse, for good, every token issued to a client so far; it stays active and can get new ones',
      'revokeClientTokens',
    ),
    rotateSecretCommand,
  ],
}
