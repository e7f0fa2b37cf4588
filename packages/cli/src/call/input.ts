/**
 * The request `keyshift call` sends, read from its arguments: METHOD, PATH, `--query`, `--data`
 * and `--accept`. Every problem is KS_USAGE, found before anything is sent.
 */
import { readFile } from 'node:fs/promises'
import type { ApiFormat } from '@keyshift/client'
import { queryString } from '@keyshift/client/internal'
import { type ParsedArgs, repeatedArg, stringArg } from '../command.ts'
import { CliError } from '../errors.ts'

export type CallMethod = 'GET' | 'POST' | 'PUT'

const METHODS: readonly CallMethod[] = ['GET', 'POST', 'PUT']
const FORMATS: readonly ApiFormat[] = ['json', 'xml']

export interface CallRequest {
  method: CallMethod
  /** `/api/invoices/1` or `invoices?status=approved` (under /api/), with the `--query` pairs added. */
  path: string
  /** Accept, and Content-Type of the body: Coupa wants the two to name the same format. */
  format: ApiFormat
  /** The `--data` text, sent as is; undefined when none was given. */
  body: string | undefined
}

function usage(message: string, path: string, cause?: unknown): CliError {
  return new CliError('KS_USAGE', `${message}; run '${path} --help'`, { cause })
}

function callMethod(value: string, path: string): CallMethod {
  const method = METHODS.find((known) => known === value.toUpperCase())
  if (method === undefined) throw usage('METHOD must be GET, POST or PUT', path)
  return method
}

function acceptArg(args: ParsedArgs, path: string): ApiFormat | undefined {
  const value = stringArg(args, 'accept')
  if (value === undefined) return undefined
  const format = FORMATS.find((known) => known === value.toLowerCase())
  if (format === undefined) throw usage('--accept must be json or xml', path)
  return format
}

/** `--query k=v`, each given once or more, added to PATH's own query string. */
function pathWithQuery(apiPath: string, args: ParsedArgs, path: string): string {
  const query: Record<string, string> = {}
  for (const pair of repeatedArg(args, 'query')) {
    const equals = pair.indexOf('=')
    if (equals < 1) throw usage('--query must be KEY=VALUE, e.g. --query status=approved', path)
    query[pair.slice(0, equals)] = pair.slice(equals + 1)
  }
  const extra = queryString(query).slice(1)
  if (extra === '') return apiPath
  return `${apiPath}${apiPath.includes('?') ? '&' : '?'}${extra}`
}

/** `--data @file` reads the file; any other value is the body itself. */
async function dataText(value: string, path: string): Promise<string> {
  if (!value.startsWith('@')) return value
  const file = value.slice(1)
  if (file === '') throw usage('--data @ needs a file name, e.g. --data @invoice.json', path)
  try {
    return await readFile(file, 'utf8')
  } catch (error) {
    const reason = (error as { code?: unknown }).code ?? 'unreadable'
    throw usage(`cannot read the --data file ${file} (${String(reason)})`, path, error)
  }
}

/** The format of a body: XML when it starts with `<`, JSON otherwise (and then it must parse). */
function dataFormat(text: string, path: string): ApiFormat {
  if (text.trimStart().startsWith('<')) return 'xml'
  try {
    JSON.parse(text)
  } catch (error) {
    // The message of JSON.parse quotes the input: it is left out.
    throw usage('--data is neither JSON nor XML (XML starts with <)', path, error)
  }
  return 'json'
}

/** Reads and checks the request. Throws KS_USAGE for any argument that cannot work. */
export async function callRequest(args: ParsedArgs, path: string): Promise<CallRequest> {
  const [methodArg = '', apiPath = ''] = args.positionals
  const method = callMethod(methodArg, path)
  if (apiPath === '') throw usage('PATH must not be empty, e.g. /api/invoices/1 or invoices', path)
  const accept = acceptArg(args, path)
  const target = pathWithQuery(apiPath, args, path)
  const data = stringArg(args, 'data')
  if (data === undefined) return { method, path: target, format: accept ?? 'json', body: undefined }
  if (method === 'GET') throw usage('--data goes with POST or PUT, not GET', path)
  const body = await dataText(data, path)
  if (body.trim() === '') throw usage('--data is empty', path)
  const format = dataFormat(body, path)
  if (accept !== undefined && accept !== format) {
    throw usage(
      `--accept ${accept} with ${format} --data: Coupa wants Accept and Content-Type to match`,
      path,
    )
  }
  return { method, path: target, format, body }
}
