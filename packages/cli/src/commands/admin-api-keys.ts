/** `keyshift admin api-keys …`: the legacy API keys of an instance (`X-COUPA-API-KEY`). */
import { API_KEY_OPTIONS, newApiKey } from '../admin/api-key-input.ts'
import { adminCommand } from '../admin/command.ts'
import { API_KEY, API_KEY_CREATED, API_KEY_LIST } from '../admin/render-api-keys.ts'
import type { Command, CommandGroup } from '../command.ts'

const GROUP = 'keyshift admin api-keys'
const ID = [{ name: 'id', description: 'the id of the API key (never the key itself)' }]

/** show and revoke: one call on one key, then print it. */
function apiKeyCommand(name: string, summary: string, action: 'getApiKey' | 'revokeApiKey'): Command {
  return adminCommand(`${GROUP} ${name}`, {
    summary,
    usage: '<id> [options]',
    positionals: ID,
    call: (api, args) => api[action](args.positionals[0] ?? ''),
    print: API_KEY,
  })
}

const createCommand = adminCommand(`${GROUP} create`, {
  summary: 'Create an API key; prints the key (once) and a curl that calls the API with it',
  usage:
    '--name NAME --contact-login LOGIN --contact-email EMAIL [--expires-on YYYY-MM-DD] [--permissions "…"] [options]',
  description: [
    'API keys are legacy: prefer an OAuth 2.0 client (`keyshift admin clients create`), whose tokens',
    'expire and carry scopes. The key is 40 hexadecimal characters, sent as the X-COUPA-API-KEY header;',
    'it is shown only in this answer and cannot be read again.',
  ],
  options: API_KEY_OPTIONS,
  examples: [
    `${GROUP} create --name "Acme ERP" --contact-login acme-erp --contact-email it@acme.example \\`,
    '  --expires-on 2030-01-31 --permissions "invoices#index invoices#show"',
  ],
  input: newApiKey,
  call: (api, apiKey) => api.createApiKey(apiKey),
  print: API_KEY_CREATED,
})

const listCommand = adminCommand(`${GROUP} list`, {
  summary: 'List the API keys: name, contact login, state, expiry (never the keys themselves)',
  call: (api) => api.listApiKeys(),
  print: API_KEY_LIST,
})

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
