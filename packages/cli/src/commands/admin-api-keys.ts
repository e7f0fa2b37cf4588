/** `keyshift admin api-keys …`: the legacy API keys of an instance (`X-COUPA-API-KEY`). */
import { API_KEY_OPTIONS, newApiKey } from '../admin/api-key-input.ts'
import { adminCommand } from '../admin/command.ts'
import { ADMIN_ENVIRONMENT, ADMIN_OPTIONS, adminApiOptionsFromArgs, instanceUrl } from '../admin/options.ts'
import { API_KEY, API_KEY_CREATED, API_KEY_LIST } from '../admin/render-api-keys.ts'
import { type Command, type CommandGroup, type Context, flagArg, type ParsedArgs } from '../command.ts'
import { json } from '../output.ts'
import { createTransitionApi } from '../transition/api.ts'
import { resolveKeyIds } from '../transition/key-refs.ts'
import { recentCalls, revokeKeyChecked } from '../transition/revoke-key.ts'

const GROUP = 'keyshift admin api-keys'
const ID = [{ name: 'id', description: 'the id of the API key (never the key itself)' }]

const showCommand = adminCommand(`${GROUP} show`, {
  summary: 'Show an API key: state, contact, expiry, permissions',
  usage: '<id> [options]',
  positionals: ID,
  call: (api, args) => api.getApiKey(args.positionals[0] ?? ''),
  print: API_KEY,
})

/** The same rule as `keyshift transition revoke`: refused unless ready_to_revoke or --force. */
async function runRevoke(context: Context, args: ParsedArgs): Promise<void> {
  const path = `${GROUP} revoke`
  const api = createTransitionApi(adminApiOptionsFromArgs(context, args, path))
  const [id = ''] = await resolveKeyIds([args.positionals[0] ?? ''], () => api.listApiKeys(), 'ID')
  const force = flagArg(args, 'force')
  const { key, check, forced } = await revokeKeyChecked(api, id, force)
  const shown = API_KEY.shown?.(key) ?? key
  context.io.stdout(
    flagArg(args, 'json')
      ? json(shown)
      : (API_KEY.format(shown, { instance: instanceUrl(context, args), args }) as string),
  )
  if (forced && check !== undefined) {
    context.io.stderr(
      `warning: revoked with --force although ${check.refused}; ${recentCalls(check)}: such calls now fail\n`,
    )
  }
}

const revokeCommand: Command = {
  kind: 'command',
  name: 'revoke',
  summary:
    'Revoke an API key that is ready_to_revoke (--force: any); calls with it are refused within a second',
  usage: '<id> [--force] [options]',
  description: [
    'The same rule as `keyshift transition revoke`: a key that is not ready_to_revoke (see',
    '`keyshift transition status`) is refused, with its state, the reason and its calls of the last',
    '7 days (exit code 1, KS_TRANSITION_REFUSED), unless --force.',
  ],
  positionals: [
    {
      name: 'id',
      description: 'the API key: its id, the start of its id, or its name (never the key itself)',
    },
  ],
  options: {
    ...ADMIN_OPTIONS,
    force: { type: 'boolean', description: 'revoke it even if it is not ready_to_revoke' },
  },
  environment: ADMIN_ENVIRONMENT,
  run: runRevoke,
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
  commands: [createCommand, listCommand, showCommand, revokeCommand],
}
