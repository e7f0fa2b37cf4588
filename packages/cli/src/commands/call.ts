/**
 * `keyshift call`: the "Postman step" of the transition guide. Gets a token with
 * `@keyshift/client`'s token manager (in memory only) and calls the core API with its API client:
 * the same code an integration runs.
 */
import {
  type ApiClient,
  ApiError,
  type ApiFormat,
  createApiClient,
  createTokenManager,
  type FetchLike,
} from '@keyshift/client'
import { loadConfig } from '../agent/config/load.ts'
import { callFailure, errorBody } from '../call/errors.ts'
import { type CallRequest, callRequest } from '../call/input.ts'
import { type Command, type Context, flagArg, type ParsedArgs, requireArg, stringArg } from '../command.ts'
import { CliError } from '../errors.ts'
import { parseHttpUrl, REQUEST_TIMEOUT_MS } from '../net.ts'
import { commandFetch, NETWORK_ENVIRONMENT, NETWORK_OPTIONS } from '../network/cli.ts'
import type { NetworkSettings } from '../network/settings.ts'
import { json } from '../output.ts'
import {
  CLIENT_ENVIRONMENT,
  CLIENT_OPTIONS,
  type ClientCredentials,
  clientCredentialsArgs,
  instanceTokenUrl,
  warnIfPlainHttp,
} from '../token/credentials.ts'

const PATH = 'keyshift call'

/** A 429 is retried once, after at most this long; then the CLI reports it rather than hang. */
const MAX_RATE_LIMIT_WAIT_MS = 10_000

/** The status of the last answer, which the API client does not return: for `--json`. */
function recordStatus(fetch: FetchLike, seen: { status: number }): FetchLike {
  return async function recordingFetch(input, init) {
    const response = await fetch(input, init)
    seen.status = response.status
    return response
  }
}

function send(api: ApiClient, request: CallRequest): Promise<unknown> {
  if (request.method === 'GET') return api.get(request.path)
  if (request.method === 'POST') return api.post(request.path, request.body)
  return api.put(request.path, request.body)
}

/** Pretty JSON, or the XML as received (ending in a newline); nothing for an empty answer. */
function formatBody(body: unknown, format: ApiFormat): string {
  if (body === undefined || body === '') return ''
  if (format === 'json') return json(body)
  const text = String(body)
  return text.endsWith('\n') ? text : `${text}\n`
}

/**
 * The instance and client: from `--url` and the client options, or from the agent's configuration
 * (`--instance NAME [--client NAME] --config FILE`), which names every instance and its clients.
 */
async function target(
  context: Context,
  args: ParsedArgs,
): Promise<{ instance: URL; credentials: ClientCredentials; network?: NetworkSettings }> {
  const name = stringArg(args, 'instance')
  if (name === undefined) {
    return {
      instance: parseHttpUrl(requireArg(args, 'url', PATH), 'url'),
      credentials: clientCredentialsArgs(context, args, PATH),
    }
  }
  if (stringArg(args, 'url') !== undefined) {
    throw new CliError('KS_USAGE', `give --url or --instance, not both; run '${PATH} --help'`)
  }
  const file = stringArg(args, 'config') ?? context.env.KEYSHIFT_AGENT_CONFIG ?? 'keyshift.yaml'
  const config = await loadConfig(file, context.env)
  const instance = config.instances.get(name)
  if (!instance) {
    const known = [...config.instances.keys()].join(', ')
    throw new CliError('KS_USAGE', `no instance ${JSON.stringify(name)} in ${file}; instances: ${known}`)
  }
  const clients = [...instance.clients.values()]
  const wanted = stringArg(args, 'client')
  const client =
    wanted === undefined && clients.length === 1 ? clients[0] : instance.clients.get(wanted ?? '')
  if (!client) {
    const known = clients.map((c) => c.name).join(', ') || 'none'
    throw new CliError('KS_USAGE', `choose a client of ${name} with --client; clients: ${known}`)
  }
  const scope = stringArg(args, 'scope') ?? client.scopes.join(' ')
  return {
    instance: instance.url,
    network: instance.network,
    credentials: {
      clientId: client.clientId,
      clientSecret: client.clientSecret,
      scope,
      clientAuth: client.auth,
    },
  }
}

async function runCall(context: Context, args: ParsedArgs): Promise<void> {
  const request = await callRequest(args, PATH)
  const { instance, credentials, network } = await target(context, args)
  warnIfPlainHttp(context, instance)
  const fetch = commandFetch(context, args, network)
  const tokenUrl = instanceTokenUrl(instance)
  const clock = { wallNow: () => context.now().getTime() }
  const tokens = createTokenManager({
    tokenUrl,
    ...credentials,
    fetch,
    clock,
    timeout: REQUEST_TIMEOUT_MS,
  })
  const seen = { status: 0 }
  const api = createApiClient({
    baseUrl: instance,
    tokens,
    accept: request.format,
    fetch: recordStatus(fetch, seen),
    clock,
    timeout: REQUEST_TIMEOUT_MS,
    maxRateLimitRetries: 1,
    maxRetryAfter: MAX_RATE_LIMIT_WAIT_MS,
  })
  const asJson = flagArg(args, 'json')
  try {
    const body = await send(api, request)
    context.io.stdout(
      asJson ? json({ status: seen.status, body: body ?? null }) : formatBody(body, request.format),
    )
  } catch (error) {
    // Scripts get the API's answer on stdout too; the message and hint go to stderr.
    if (asJson && error instanceof ApiError && error.status !== undefined) {
      context.io.stdout(json({ status: error.status, body: errorBody(error) }))
    }
    throw callFailure(error, {
      command: PATH,
      clientId: credentials.clientId,
      scope: credentials.scope,
      tokenUrl,
    })
  } finally {
    await tokens.close()
  }
}

export const callCommand: Command = {
  kind: 'command',
  name: 'call',
  summary: "Call the instance's core API with a token from the client credentials grant",
  usage:
    '<METHOD> <PATH> (--url URL --client-id ID [--scope "a b"] [--basic] | --instance NAME [--client NAME] [--config FILE]) [--accept json|xml] [--data @FILE|TEXT] [--query K=V …] [--json]',
  description: [
    "Gets a token from the instance's /oauth2/token as `keyshift token` does (kept in memory only),",
    'then sends METHOD PATH with `Authorization: Bearer <token>` and prints the answer: JSON pretty,',
    'XML as received. A 401 is retried once with a new token, a 429 once after Retry-After.',
    'The body of --data is JSON, or XML when it starts with <; Accept names the same format.',
    'With --json it prints {"status": …, "body": …}, for an error too (the message still goes to stderr).',
  ],
  positionals: [
    { name: 'METHOD', description: 'GET, POST or PUT' },
    {
      name: 'PATH',
      description:
        'e.g. /api/invoices/1, or invoices?status=approved (without a leading / it is under /api/)',
    },
  ],
  options: {
    url: {
      type: 'string',
      value: 'URL',
      description: 'the instance, e.g. https://acme.coupahost.com; the token comes from its /oauth2/token',
    },
    ...CLIENT_OPTIONS,
    ...NETWORK_OPTIONS,
    instance: {
      type: 'string',
      value: 'NAME',
      description: "instead of --url and the client options: an instance of the agent's --config file",
    },
    client: {
      type: 'string',
      value: 'NAME',
      description: 'with --instance: which of its clients (if it has several)',
    },
    config: {
      type: 'string',
      value: 'FILE',
      env: 'KEYSHIFT_AGENT_CONFIG',
      default: './keyshift.yaml',
      description:
        "with --instance: the agent's configuration (its secrets come from the environment variables it names)",
    },
    accept: {
      type: 'string',
      value: 'json|xml',
      description: 'format of the answer; default: that of --data, else json',
    },
    data: {
      type: 'string',
      value: '@FILE|TEXT',
      description: 'body of a POST or PUT: JSON, or XML when it starts with <; @FILE reads it from a file',
    },
    query: {
      type: 'string',
      value: 'K=V',
      multiple: true,
      description: 'a query parameter, added to PATH percent-encoded; repeat it for more',
    },
  },
  environment: { ...CLIENT_ENVIRONMENT, ...NETWORK_ENVIRONMENT },
  examples: [
    `KEYSHIFT_CLIENT_SECRET=... ${PATH} GET invoices --query status=approved --url https://acme.coupahost.com --client-id 0f3c... --scope "core.invoice.read"`,
    `${PATH} GET /api/invoices/12 --accept xml --url http://127.0.0.1:8080 --client-id 0f3c...`,
    `${PATH} GET suppliers --instance production --config keyshift.yaml`,
    `${PATH} PUT invoices/12 --data @invoice.json --url http://127.0.0.1:8080 --client-id 0f3c... --scope "core.invoice.write"`,
  ],
  run: runCall,
}
