/**
 * `keyshift postman`: the transition guide's step 3 in Postman. Writes a Postman collection (v2.1)
 * that gets a token and calls the core API within and outside the client's scopes, and its
 * environment, with the generator the Setup pages use too. The secret is never written: the user
 * pastes it into the environment.
 */
import { existsSync } from 'node:fs'
import { basename, dirname, join } from 'node:path'
import { postmanCollection, postmanResources } from '@keyshift/server/postman'
import {
  type Command,
  type Context,
  flagArg,
  listArg,
  type ParsedArgs,
  requireArg,
  stringArg,
} from '../command.ts'
import { CliError } from '../errors.ts'
import { outFileExists, writeOutFile } from '../files.ts'
import { displayUrl, isLoopback, joinPath, parseHttpUrl } from '../net.ts'
import { json, paragraphs } from '../output.ts'

const PATH = 'keyshift postman'
const EXISTS_HINT = 'give --force to write over it, or another --out'

/** `step3.postman_collection.json` or `step3.json` → `step3.postman_environment.json`, beside it. */
export function environmentPath(out: string): string {
  const name = basename(out).replace(/(\.postman_collection)?\.json$/i, '')
  return join(dirname(out), `${name}.postman_environment.json`)
}

interface PostmanArgs {
  instance: URL
  clientId: string | undefined
  scopes: string[]
  out: string
  environment: string
  force: boolean
}

function postmanArgs(args: ParsedArgs): PostmanArgs {
  const instance = parseHttpUrl(requireArg(args, 'url', PATH), 'url')
  const scopes = listArg(requireArg(args, 'scope', PATH))
  if (scopes.length === 0) throw new CliError('KS_USAGE', `--scope names no scope; run '${PATH} --help'`)
  const out = requireArg(args, 'out', PATH)
  const environment = environmentPath(out)
  const clientId = stringArg(args, 'client-id')
  return { instance, clientId, scopes, out, environment, force: flagArg(args, 'force') }
}

/** What to do in Postman, after the paths of the two files. */
function nextSteps(options: PostmanArgs, environmentName: string, requests: string[]): string {
  const { inScope, outOfScope } = postmanResources(options.scopes)
  return paragraphs([
    `Wrote the Postman collection to ${options.out}\nand its environment to ${options.environment}.`,
    [
      'Requests:',
      ...requests.map((name, i) => `  ${i + 1}. ${name}`),
      ...(inScope === undefined ? ['  (none of these scopes reads a resource of the core API)'] : []),
    ].join('\n'),
    [
      'In Postman:',
      '  1. Import both files (Import, then choose the two files).',
      `  2. Select the environment "${environmentName}"`,
      "     and paste the client's Secret into the current value of client_secret (the files never hold it).",
      ...(options.clientId === undefined ? ['     Fill in client_id too: no --client-id was given.'] : []),
      `  3. Run the collection: every test passes${outOfScope === undefined ? '.' : ', and the last request is refused with 403.'}`,
      '     Or, as the guide does by hand: Authorization > Get New Access Token on the collection.',
    ].join('\n'),
  ])
}

async function runPostman(context: Context, args: ParsedArgs): Promise<void> {
  const options = postmanArgs(args)
  // Checked before writing either, so that a refusal leaves no half pair behind.
  for (const path of [options.out, options.environment]) {
    if (!options.force && existsSync(path)) throw outFileExists(path, EXISTS_HINT)
  }
  const { collection, environment } = postmanCollection({
    baseUrl: displayUrl(joinPath(options.instance, '')),
    ...(options.clientId !== undefined && { clientId: options.clientId }),
    scopes: options.scopes,
  })
  const write = { force: options.force, hint: EXISTS_HINT }
  await writeOutFile(options.out, json(collection), write)
  await writeOutFile(options.environment, json(environment), write)
  if (options.instance.protocol === 'http:' && !isLoopback(options.instance)) {
    context.io.stderr('warning: the collection sends the client secret over plain http; use https\n')
  }
  const requests = collection.item.map((item) => item.name)
  context.io.stdout(
    flagArg(args, 'json')
      ? json({ collection: options.out, environment: options.environment, requests })
      : nextSteps(options, environment.name, requests),
  )
}

export const postmanCommand: Command = {
  kind: 'command',
  name: 'postman',
  summary: "Write a Postman collection that tests a client's credentials (the guide's step 3)",
  usage: '--url URL [--client-id ID] --scope "a b" --out FILE [--force]',
  description: [
    'Writes a Postman collection (format v2.1) to FILE and its environment beside it',
    '(<name>.postman_environment.json): get a token, GET a resource within the scopes in JSON and in',
    'XML, and one outside them (403 insufficient_scope), each with tests. Authorization is OAuth 2.0',
    'client credentials on the collection, and a pre-request script gets the token for newman.',
    "The client Secret is never written: paste it into the environment's client_secret.",
    'The scopes are those of the client (its Oidc Scopes); they choose the resources called.',
  ],
  options: {
    url: {
      type: 'string',
      value: 'URL',
      description: 'the instance (Keyshift or Coupa), e.g. https://acme.coupahost.com',
    },
    'client-id': {
      type: 'string',
      value: 'ID',
      description: 'the client Identifier (else left empty in the environment)',
    },
    scope: {
      type: 'string',
      value: '"a b"',
      description: "the client's scopes, space-separated (the Oidc Scopes string)",
    },
    out: {
      type: 'string',
      value: 'FILE',
      description: 'the collection file to write, e.g. step3.postman_collection.json',
    },
    force: { type: 'boolean', description: 'write over existing files' },
  },
  examples: [
    `${PATH} --url https://acme.coupahost.com --client-id 0f3c... --scope "core.invoice.read core.supplier.read" --out step3.postman_collection.json`,
  ],
  run: runPostman,
}
