/** `keyshift token`: request an access token with the client credentials grant. */
import {
  type Command,
  type Context,
  flagArg,
  listArg,
  type ParsedArgs,
  requireArg,
  stringArg,
} from '../command.ts'
import { CliError, TokenErrorResponse } from '../errors.ts'
import { isLoopback } from '../net.ts'
import { fields, json } from '../output.ts'
import { processTokenResponse, type TokenResponse, tokenEndpointUrl, tokenRequest } from '../token/request.ts'

const PATH = 'keyshift token'

function clientSecret(context: Context, args: ParsedArgs): string {
  const secret = stringArg(args, 'client-secret') ?? context.env.KEYSHIFT_CLIENT_SECRET
  if (secret === undefined || secret === '') {
    throw new CliError(
      'KS_USAGE',
      `no client secret: set KEYSHIFT_CLIENT_SECRET (or --client-secret); run '${PATH} --help'`,
    )
  }
  return secret
}

function expiry(response: TokenResponse, now: Date): string | undefined {
  if (typeof response.expires_in !== 'number') return undefined
  return new Date(now.getTime() + response.expires_in * 1000).toISOString()
}

function formatToken(response: TokenResponse, now: Date): string {
  return `${fields([
    ['access_token', response.access_token],
    ['token_type', response.token_type],
    ['expires_in', response.expires_in === undefined ? undefined : String(response.expires_in)],
    ['expires_at', expiry(response, now)],
    ['scope', response.scope],
  ])}\n`
}

async function runToken(context: Context, args: ParsedArgs): Promise<void> {
  const url = tokenEndpointUrl(requireArg(args, 'url', PATH))
  const clientId = requireArg(args, 'client-id', PATH)
  const secret = clientSecret(context, args)
  if (url.protocol === 'http:' && !isLoopback(url)) {
    context.io.stderr('warning: sending the client secret over plain http; use https\n')
  }
  const response = await tokenRequest({
    url,
    clientId,
    clientSecret: secret,
    scope: listArg(stringArg(args, 'scope') ?? '').join(' '),
    auth: flagArg(args, 'basic') ? 'client_secret_basic' : 'client_secret_post',
    fetch: context.fetch,
  })
  const receivedAt = context.now()
  try {
    const token = await processTokenResponse(response, url, clientId)
    context.io.stdout(flagArg(args, 'json') ? json(token) : formatToken(token, receivedAt))
  } catch (error) {
    // Scripts get the error body on stdout too; the message and hint go to stderr.
    if (error instanceof TokenErrorResponse && flagArg(args, 'json')) context.io.stdout(json(error.body))
    throw error
  }
}

export const tokenCommand: Command = {
  kind: 'command',
  name: 'token',
  summary: 'Request an access token with the OAuth 2.0 client credentials grant',
  usage: '--url URL --client-id ID [--scope "a b"] [--basic] [--json]',
  description: [
    'Sends grant_type=client_credentials to the token endpoint as application/x-www-form-urlencoded,',
    'with the client credentials in the body (client_secret_post) or, with --basic, in an HTTP Basic',
    'header (client_secret_basic). Works against Keyshift and against a Coupa instance.',
    'Give the secret through KEYSHIFT_CLIENT_SECRET: other users can read --client-secret in `ps`.',
  ],
  options: {
    url: {
      type: 'string',
      value: 'URL',
      description: 'token endpoint; an instance URL without a path gets /oauth2/token',
    },
    'client-id': { type: 'string', value: 'ID', description: 'the client Identifier' },
    'client-secret': {
      type: 'string',
      value: 'SECRET',
      env: 'KEYSHIFT_CLIENT_SECRET',
      description: 'the client Secret (prefer the environment variable)',
    },
    scope: { type: 'string', value: '"a b"', description: 'space-separated scopes (the Oidc Scopes string)' },
    basic: { type: 'boolean', description: 'authenticate with HTTP Basic (client_secret_basic)' },
  },
  environment: { KEYSHIFT_CLIENT_SECRET: 'the client Secret, used when --client-secret is not given' },
  examples: [
    `KEYSHIFT_CLIENT_SECRET=... ${PATH} --url https://acme.coupahost.com --client-id 0f3c... --scope "core.invoice.read"`,
    `${PATH} --url http://127.0.0.1:8080/oauth2/token --client-id 0f3c... --basic --json | jq -r .access_token`,
  ],
  run: runToken,
}
