/** `keyshift admin api-keys …`: the legacy API keys of an instance (`X-COUPA-API-KEY`). */
import type { ApiKeyView } from '@keyshift/server/admin-api'
import { API_KEY_OPTIONS, newApiKey } from '../admin/api-key-input.ts'
import { ADMIN_ENVIRONMENT, ADMIN_OPTIONS, adminApiFromArgs, instanceUrl } from '../admin/options.ts'
import {
  API_KEY_WARNING,
  formatApiKey,
  formatApiKeyCreated,
  formatApiKeyList,
  withoutKey,
} from '../admin/render-api-keys.ts'
import { type Command, type CommandGroup, type Context, flagArg, type ParsedArgs } from '../command.ts'
import { json } from '../output.ts'

const PATH = 'keyshift admin api-keys'
const ID = [{ name: 'id', description: 'the id of the API key (never the key itself)' }]

function printApiKey(context: Context, args: ParsedArgs, apiKey: ApiKeyView): void {
  const shown = withoutKey(apiKey)
  context.io.stdout(flagArg(args, 'json') ? json(shown) : formatApiKey(shown))
}

async function runCreate(context: Context, args: ParsedArgs): Promise<void> {
  const body = newApiKey(args)
  const apiKey = await adminApiFromArgs(context, args, `${PATH} create`).createApiKey(body)
  context.io.stdout(
    flagArg(args, 'json') ? json(apiKey) : formatApiKeyCreated(apiKey, instanceUrl(context, args)),
  )
  context.io.stderr(API_KEY_WARNING)
}

async function runList(context: Context, args: ParsedArgs): Promise<void> {
  const { api_keys } = await adminApiFromArgs(context, args, `${PATH} list`).listApiKeys()
  const shown = api_keys.map(withoutKey)
  context.io.stdout(flagArg(args, 'json') ? json({ api_keys: shown }) : formatApiKeyList(shown))
}

/** show and revoke: one call on one key, then print it. */
function apiKeyCommand(name: string, summary: string, action: 'getApiKey' | 'revokeApiKey'): Command {
  return {
    kind: 'command',
    name,
    summary,
    usage: '<id> [options]',
    positionals: ID,
    options: ADMIN_OPTIONS,
    environment: ADMIN_ENVIRONMENT,
    run: async function runApiKeyAction(context, args) {
      const id = args.positionals[0] ?? ''
      printApiKey(context, args, await adminApiFromArgs(context, args, `${PATH} ${name}`)[action](id))
    },
  }
}

const createCommand: Command = {
  kind: 'command',
  name: 'create',
  summary: 'Create an API key; prints the key (once) and a curl that calls the API with it',
  usage:
    '--name NAME --contact-login LOGIN --contact-email EMAIL [--expires-on YYYY-MM-DD] [--permissions "…"] [options]',
  description: [
    'API keys are legacy: prefer an OAuth 2.0 client (`keyshift admin clients create`), whose tokens',
    'expire and carry scopes. The key is 40 hexadecimal characters, sent as the X-COUPA-API-KEY header;',
    'it is shown only in this answer and cannot be read again.',
  ],
  options: { ...ADMIN_OPTIONS, ...API_KEY_OPTIONS },
  environment: ADMIN_ENVIRONMENT,
  examples: [
    `${PATH} create --name "Acme ERP" --contact-login acme-erp --contact-email it@acme.example \\`,
    '  --expires-on 2030-01-31 --permissions "invoices#index invoices#show"',
  ],
  run: runCreate,
}

const listCommand: Command = {
  kind: 'command',
  name: 'list',
  summary: 'List the API keys: name, contact login, state, expiry (never the keys themselves)',
  usage: '[options]',
  options: ADMIN_OPTIONS,
  environment: ADMIN_ENVIRONMENT,
  run: runList,
}

export const apiKeysGroup: CommandGroup = {
  kind: 'group',
  name: 'api-keys',
  summary: 'Manage legacy API keys (X-COUPA-API-KEY), which OAuth 2.0 clients replace',
  commands: [
    createCommand,
    listCommand,
    apiKeyCommand('show', 'Show an API key: state, contact, expiry, permissions', 'getApiKey'),
    apiKeyCommand('revoke', 'Revoke an API key: calls with it are refused within a second', 'revokeApiKey'),
  ],
}
