/** The command-line input of `keyshift admin clients`, turned into admin API bodies. */
import type { ClientChanges, NewClient, SecretRotation } from '@keyshift/server/admin-api'
import { flagArg, listArg, type OptionTable, type ParsedArgs, stringArg } from '../command.ts'
import { CliError } from '../errors.ts'

const PATH = 'keyshift admin clients'

export const CONTACT_OPTIONS: OptionTable = {
  'contact-first-name': { type: 'string', value: 'NAME', description: 'first name of the contact person' },
  'contact-last-name': { type: 'string', value: 'NAME', description: 'last name of the contact person' },
  'contact-email': { type: 'string', value: 'EMAIL', description: 'email of the contact person' },
}

function contactFields(
  args: ParsedArgs,
): Pick<NewClient, 'contact_first_name' | 'contact_last_name' | 'contact_email'> {
  return {
    contact_first_name: stringArg(args, 'contact-first-name'),
    contact_last_name: stringArg(args, 'contact-last-name'),
    contact_email: stringArg(args, 'contact-email'),
  }
}

export function newClient(args: ParsedArgs): NewClient {
  const name = stringArg(args, 'name')
  const scopes = stringArg(args, 'scopes')
  const all = flagArg(args, 'all-scopes')
  const login = stringArg(args, 'login')
  if (name === undefined) throw new CliError('KS_USAGE', `missing --name; run '${PATH} create --help'`)
  if (login === undefined) throw new CliError('KS_USAGE', `missing --login; run '${PATH} create --help'`)
  if ((scopes === undefined) === !all) {
    throw new CliError(
      'KS_USAGE',
      `give either --scopes "a b c" or --all-scopes; run '${PATH} create --help'`,
    )
  }
  return {
    name,
    // Only client_credentials is offered; another value is sent as is, for the server to refuse.
    grant_type: stringArg(args, 'grant-type') ?? 'client_credentials',
    scopes: all ? 'all' : listArg(scopes ?? ''),
    login,
    ...contactFields(args),
  }
}

export function clientChanges(args: ParsedArgs): ClientChanges {
  const scopes = stringArg(args, 'scopes')
  const changes: ClientChanges = {
    name: stringArg(args, 'name'),
    scopes: scopes === undefined ? undefined : listArg(scopes),
    ...contactFields(args),
  }
  if (Object.values(changes).every((value) => value === undefined)) {
    throw new CliError(
      'KS_USAGE',
      `nothing to update: give --name, --scopes or --contact-*; run '${PATH} update --help'`,
    )
  }
  return changes
}

/** The body of `rotate-secret`: only what the command line gives, so the server decides the rest. */
export function secretRotation(args: ParsedArgs): SecretRotation {
  const grace = gracePeriod(args)
  return {
    ...(grace !== undefined && { grace_period_seconds: grace }),
    ...(flagArg(args, 'revoke-tokens') && { revoke_tokens: true }),
  }
}

function gracePeriod(args: ParsedArgs): number | undefined {
  const value = stringArg(args, 'grace-period')
  if (value === undefined) return undefined
  if (!/^\d+$/.test(value)) throw new CliError('KS_USAGE', '--grace-period must be a whole number of seconds')
  return Number(value)
}
