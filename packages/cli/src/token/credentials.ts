/**
 * The client credentials options that `keyshift token` and `keyshift call` share: one table for
 * parsing and help, one reading of the secret, one plain-http warning.
 */
import type { ClientAuthMethod } from '@keyshift/client'
import {
  type Context,
  flagArg,
  listArg,
  type OptionTable,
  type ParsedArgs,
  requireArg,
  stringArg,
} from '../command.ts'
import { CliError } from '../errors.ts'
import { isLoopback, joinPath, parseHttpUrl } from '../net.ts'

/** Options after `--url`, in the order help shows them. */
export const CLIENT_OPTIONS: OptionTable = {
  'client-id': { type: 'string', value: 'ID', description: 'the client Identifier' },
  'client-secret': {
    type: 'string',
    value: 'SECRET',
    env: 'KEYSHIFT_CLIENT_SECRET',
    description: 'the client Secret (prefer the environment variable)',
  },
  scope: { type: 'string', value: '"a b"', description: 'space-separated scopes (the Oidc Scopes string)' },
  basic: { type: 'boolean', description: 'authenticate with HTTP Basic (client_secret_basic)' },
}

export const CLIENT_ENVIRONMENT: Record<string, string> = {
  KEYSHIFT_CLIENT_SECRET: 'the client Secret, used when --client-secret is not given',
}

/** What the library's `clientCredentialsRequest` and `createTokenManager` need besides the URL. */
export interface ClientCredentials {
  clientId: string
  clientSecret: string
  /** Space-separated, as sent; '' for the server's default. */
  scope: string
  clientAuth: ClientAuthMethod
}

function clientSecret(context: Context, args: ParsedArgs, path: string): string {
  const secret = stringArg(args, 'client-secret') ?? context.env.KEYSHIFT_CLIENT_SECRET
  if (secret === undefined || secret === '') {
    throw new CliError(
      'KS_USAGE',
      `no client secret: set KEYSHIFT_CLIENT_SECRET (or --client-secret); run '${path} --help'`,
    )
  }
  return secret
}

/** Reads `--client-id`, the secret, `--scope` and `--basic`. Throws KS_USAGE when one is missing. */
export function clientCredentialsArgs(context: Context, args: ParsedArgs, path: string): ClientCredentials {
  const clientId = requireArg(args, 'client-id', path)
  return {
    clientId,
    clientSecret: clientSecret(context, args, path),
    scope: listArg(stringArg(args, 'scope') ?? '').join(' '),
    clientAuth: flagArg(args, 'basic') ? 'client_secret_basic' : 'client_secret_post',
  }
}

/** The token endpoint from `--url`: an instance URL without a path gets `/oauth2/token`. */
export function tokenEndpointUrl(value: string): URL {
  const url = parseHttpUrl(value, 'url')
  return url.pathname === '/' || url.pathname === '' ? joinPath(url, '/oauth2/token') : url
}

/** The instance's token endpoint, below any path prefix of `instance`. */
export function instanceTokenUrl(instance: URL): URL {
  return joinPath(instance, '/oauth2/token')
}

export function warnIfPlainHttp(context: Context, url: URL): void {
  if (url.protocol === 'http:' && !isLoopback(url)) {
    context.io.stderr('warning: sending the client secret over plain http; use https\n')
  }
}
