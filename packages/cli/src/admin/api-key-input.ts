/** The command-line input of `keyshift admin api-keys create`, turned into the admin API body. */
import type { NewApiKey } from '@keyshift/server/admin-api'
import { listArg, type OptionTable, type ParsedArgs, stringArg } from '../command.ts'
import { CliError } from '../errors.ts'

const PATH = 'keyshift admin api-keys create'

export const API_KEY_OPTIONS: OptionTable = {
  name: { type: 'string', value: 'NAME', description: 'name of the key (the integration it serves)' },
  description: { type: 'string', value: 'TEXT', description: 'what the key is for' },
  'contact-first-name': { type: 'string', value: 'NAME', description: 'first name of the contact person' },
  'contact-last-name': { type: 'string', value: 'NAME', description: 'last name of the contact person' },
  'contact-login': {
    type: 'string',
    value: 'LOGIN',
    description: 'login of the contact person, unique among API keys (required)',
  },
  'contact-email': {
    type: 'string',
    value: 'EMAIL',
    description: 'email of the contact person, unique among API keys (required)',
  },
  'expires-on': {
    type: 'string',
    value: 'YYYY-MM-DD',
    description: 'the key stops working at 00:00 UTC that day (default: never)',
  },
  permissions: {
    type: 'string',
    value: '"r#a r#a"',
    description:
      'resource#action pairs it may call, e.g. "invoices#index invoices#show" (default: every API)',
  },
}

function required(args: ParsedArgs, name: string): string {
  const value = stringArg(args, name)
  if (value === undefined || value === '') {
    throw new CliError('KS_USAGE', `missing --${name}; run '${PATH} --help'`)
  }
  return value
}

/** A calendar date `YYYY-MM-DD` that exists (no 2025-02-30). */
function expiresOn(args: ParsedArgs): string | undefined {
  const value = stringArg(args, 'expires-on')
  if (value === undefined) return undefined
  const date = /^\d{4}-\d{2}-\d{2}$/.test(value) ? new Date(`${value}T00:00:00Z`) : undefined
  if (date === undefined || Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== value) {
    throw new CliError('KS_USAGE', `--expires-on must be a date YYYY-MM-DD, e.g. 2030-01-31`)
  }
  return value
}

/** The `resource#action` list; an empty list is refused, as the server would read it as every API. */
function permissions(args: ParsedArgs): string[] | undefined {
  const value = stringArg(args, 'permissions')
  if (value === undefined) return undefined
  const list = listArg(value)
  if (list.length === 0) {
    throw new CliError(
      'KS_USAGE',
      '--permissions is empty: list resource#action pairs, or leave it out to allow every API',
    )
  }
  const wrong = list.find((permission) => !/^[^#]+#[^#]+$/.test(permission))
  if (wrong !== undefined) {
    throw new CliError(
      'KS_USAGE',
      `--permissions: '${wrong}' is not resource#action, such as invoices#index or invoices#show`,
    )
  }
  return list
}

export function newApiKey(args: ParsedArgs): NewApiKey {
  return {
    name: required(args, 'name'),
    description: stringArg(args, 'description'),
    contact_first_name: stringArg(args, 'contact-first-name'),
    contact_last_name: stringArg(args, 'contact-last-name'),
    contact_login: required(args, 'contact-login'),
    contact_email: required(args, 'contact-email'),
    expires_on: expiresOn(args),
    permissions: permissions(args),
  }
}
