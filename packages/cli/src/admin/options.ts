/** The options every admin command shares, and the API client built from them. */
import { type Context, type OptionTable, type ParsedArgs, stringArg } from '../command.ts'
import { CliError } from '../errors.ts'
import { parseHttpUrl } from '../net.ts'
import { type AdminApi, type AdminApiOptions, createAdminApi } from './api.ts'

export const DEFAULT_URL = 'http://127.0.0.1:8080'

export const ADMIN_OPTIONS: OptionTable = {
  url: {
    type: 'string',
    value: 'URL',
    env: 'KEYSHIFT_URL',
    default: DEFAULT_URL,
    description: 'base URL of the Keyshift instance',
  },
  user: { type: 'string', value: 'USER', default: 'admin', description: 'admin user name' },
  password: {
    type: 'string',
    value: 'PASSWORD',
    env: 'KEYSHIFT_ADMIN_PASSWORD',
    description: 'admin password (prefer the environment variable: argv is visible in `ps`)',
  },
}

export const ADMIN_ENVIRONMENT: Record<string, string> = {
  KEYSHIFT_URL: 'base URL of the instance, used when --url is not given',
  KEYSHIFT_ADMIN_PASSWORD: 'admin password, used when --password is not given',
}

/** The instance URL from `--url`, `KEYSHIFT_URL` or the default. */
export function instanceUrl(context: Context, args: ParsedArgs): URL {
  return parseHttpUrl(stringArg(args, 'url') ?? context.env.KEYSHIFT_URL ?? DEFAULT_URL, 'url')
}

/** The instance, user and password the command line names. */
export function adminApiOptionsFromArgs(context: Context, args: ParsedArgs, path: string): AdminApiOptions {
  const url = instanceUrl(context, args)
  const password = stringArg(args, 'password') ?? context.env.KEYSHIFT_ADMIN_PASSWORD
  if (password === undefined || password === '') {
    throw new CliError(
      'KS_USAGE',
      `no admin password: set KEYSHIFT_ADMIN_PASSWORD (or --password); run '${path} --help'`,
    )
  }
  const user = stringArg(args, 'user') ?? 'admin'
  return { url, user, password, fetch: context.fetch }
}

/** An admin API client for the instance, user and password the command line names. */
export function adminApiFromArgs(context: Context, args: ParsedArgs, path: string): AdminApi {
  return createAdminApi(adminApiOptionsFromArgs(context, args, path))
}
