/**
 * `keyshift token`: request an access token with the client credentials grant, through
 * `@keyshift/client`'s `clientCredentialsRequest` / `processClientCredentialsResponse`.
 */
import {
  type ClientCredentialsResponse,
  clientCredentialsRequest,
  processClientCredentialsResponse,
  TokenError,
} from '@keyshift/client'
import { type Command, type Context, flagArg, type ParsedArgs, requireArg } from '../command.ts'
import { TokenErrorResponse } from '../errors.ts'
import { commandFetch, NETWORK_ENVIRONMENT, NETWORK_OPTIONS } from '../network/cli.ts'
import { fields, json } from '../output.ts'
import {
  CLIENT_ENVIRONMENT,
  CLIENT_OPTIONS,
  clientCredentialsArgs,
  tokenEndpointUrl,
  warnIfPlainHttp,
} from '../token/credentials.ts'
import { tokenFailure } from '../token/errors.ts'

const PATH = 'keyshift token'

function expiry(response: ClientCredentialsResponse, now: Date): string | undefined {
  if (typeof response.expires_in !== 'number') return undefined
  return new Date(now.getTime() + response.expires_in * 1000).toISOString()
}

function formatToken(response: ClientCredentialsResponse, now: Date): string {
  return `${fields([
    ['access_token', response.access_token],
    ['token_type', response.token_type],
    ['expires_in', response.expires_in === undefined ? undefined : String(response.expires_in)],
    ['expires_at', expiry(response, now)],
    ['scope', response.scope],
  ])}\n`
}

/** The body as JSON, for `--json`, which prints what the endpoint answered as is. */
async function readJson(response: Response): Promise<unknown> {
  try {
    return JSON.parse(await response.text())
  } catch {
    return undefined
  }
}

async function runToken(context: Context, args: ParsedArgs): Promise<void> {
  const url = tokenEndpointUrl(requireArg(args, 'url', PATH))
  const credentials = clientCredentialsArgs(context, args, PATH)
  warnIfPlainHttp(context, url)
  const asJson = flagArg(args, 'json')
  const fetch = commandFetch(context, args)
  let response: Response
  try {
    response = await clientCredentialsRequest({ tokenUrl: url, ...credentials, fetch })
  } catch (error) {
    throw error instanceof TokenError ? tokenFailure(error, { url, clientId: credentials.clientId }) : error
  }
  const receivedAt = context.now()
  // The library reads the answer; the copy is for --json, which prints it as received.
  const copy = response.clone()
  let token: ClientCredentialsResponse
  try {
    token = await processClientCredentialsResponse(response, { tokenUrl: url, wallNow: receivedAt.getTime() })
  } catch (error) {
    if (!(error instanceof TokenError)) throw error
    const body = await readJson(copy)
    const failure = tokenFailure(error, { url, clientId: credentials.clientId, response, body })
    // Scripts get the error body on stdout too; the message and hint go to stderr.
    if (failure instanceof TokenErrorResponse && asJson) context.io.stdout(json(failure.body))
    throw failure
  }
  context.io.stdout(asJson ? json(await readJson(copy)) : formatToken(token, receivedAt))
}

export const tokenCommand: Command = {
  kind: 'command',
  name: 'token',
  summary: 'Request an access token with the OAuth 2.0 client credentials grant',
  usage: '--url URL --client-id ID [--scope "a b"] [--basic] [--ca-file FILE] [--json]',
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
    ...CLIENT_OPTIONS,
    ...NETWORK_OPTIONS,
  },
  environment: { ...CLIENT_ENVIRONMENT, ...NETWORK_ENVIRONMENT },
  examples: [
    `KEYSHIFT_CLIENT_SECRET=... ${PATH} --url https://acme.coupahost.com --client-id 0f3c... --scope "core.invoice.read"`,
    `${PATH} --url http://127.0.0.1:8080/oauth2/token --client-id 0f3c... --basic --json | jq -r .access_token`,
  ],
  run: runToken,
}
