// Core API targets: `keyshift serve --api-rate-limit off` on a store of generated invoices (the demo
// data set's shape and size: packages/server/src/api/demo/generate-invoices.ts), loaded with
// GET /api/invoices/:id (Bearer token or X-COUPA-API-KEY) or with a filtered list of 50, in JSON or
// in XML (Coupa's default format). Each is also compared with a bare node:http server answering the
// very bytes it answered (`sameBytes`, bench/targets/bare-same-bytes.ts).
import { randomBytes } from 'node:crypto'
import { parseJson, type RunningTarget, request } from '../helpers.ts'
import { invoiceData } from './invoices.ts'
import { createApiKey, createOAuthClient, fetchAccessToken, launchKeyshift } from './keyshift-server.ts'

export type ApiProbe = 'get-bearer' | 'get-key' | 'list'
export type ApiFormat = 'json' | 'xml'

export const SERVE_ARGS = ['--api-rate-limit', 'off', '--log-level', 'warn']
const LIST_LIMIT = 50
const LIST_QUERY = `status=approved&limit=${LIST_LIMIT}`

/**
 * Starts a server on a store of `invoices` invoices and prepares the requests of `probe`.
 * `extraArgs` go to `keyshift serve` (`--usage-ledger off` for the ledger's cost).
 */
export async function startApi(
  name: string,
  invoices: number,
  probe: ApiProbe,
  options: { format?: ApiFormat; extraArgs?: string[] } = {},
): Promise<RunningTarget> {
  const data = await invoiceData(invoices)
  const format = options.format ?? 'json'
  const args = [...SERVE_ARGS, ...(options.extraArgs ?? [])]
  return launchKeyshift(name, { data, args }, async function apiRequest(base) {
    // The data dir is reused by several targets, and a target may start twice in one run (once
    // more beside the target loaded in turns with it): logins are unique per server started.
    const auth = await credentials(base, `bench-${name}-${randomBytes(4).toString('hex')}`, probe)
    const headers = { ...auth, Accept: format === 'xml' ? 'application/xml' : 'application/json' }
    const check = CHECKS[format][probe === 'list' ? 'list' : 'record']
    if (probe === 'list') {
      return { url: `${base}/api/invoices?${LIST_QUERY}`, method: 'GET', headers, check, sameBytes: true }
    }
    const id = await existingInvoiceId(base, { ...auth, Accept: 'application/json' })
    return { url: `${base}/api/invoices/${id}`, method: 'GET', headers, check, sameBytes: true }
  })
}

/** The header that authenticates `probe`: an API key, or a Bearer token of a new OAuth client. */
async function credentials(base: string, login: string, probe: ApiProbe): Promise<Record<string, string>> {
  if (probe === 'get-key') return { 'X-COUPA-API-KEY': await createApiKey(base, login) }
  const client = await createOAuthClient(base, { name: 'bench-api', login, scopes: ['core.invoice.read'] })
  return { Authorization: `Bearer ${await fetchAccessToken(base, client)}` }
}

/**
 * The id of an invoice of typical size, so that the single-record GET answers what an integration
 * usually gets: of the 50 invoices from the 101st on, the one whose JSON is the median length
 * (invoices have 1 to 5 lines).
 */
export async function existingInvoiceId(
  base: string,
  headers: Record<string, string>,
): Promise<string | number> {
  const res = await request(`${base}/api/invoices?limit=50&offset=100`, { headers })
  if (res.status !== 200)
    throw new Error(`listing invoices answered ${res.status}: ${res.body.slice(0, 300)}`)
  const bySize = parseArray(res.body, 'invoice list').sort(
    (a, b) => JSON.stringify(a).length - JSON.stringify(b).length,
  )
  const id = (bySize[Math.floor(bySize.length / 2)] as Record<string, unknown> | undefined)?.id
  if (typeof id !== 'number' && typeof id !== 'string') {
    throw new Error(`no invoice id in ${res.body.slice(0, 300)}`)
  }
  return id
}

export function checkRecord(status: number, text: string): void {
  if (status !== 200) throw new Error(`GET invoice answered ${status}: ${text.slice(0, 300)}`)
  const json = parseJson(text, 'GET invoice')
  if (!('id' in json)) throw new Error(`invoice has no id: ${text.slice(0, 300)}`)
}

function checkList(status: number, text: string): void {
  if (status !== 200) throw new Error(`invoice list answered ${status}: ${text.slice(0, 300)}`)
  const items = parseArray(text, 'invoice list')
  if (items.length !== LIST_LIMIT) throw new Error(`expected ${LIST_LIMIT} invoices, got ${items.length}`)
  const other = items.find((item) => (item as Record<string, unknown> | null)?.status !== 'approved')
  if (other !== undefined)
    throw new Error(`list holds a non-approved item: ${JSON.stringify(other).slice(0, 300)}`)
}

function checkXmlRecord(status: number, text: string): void {
  if (status !== 200) throw new Error(`GET invoice (XML) answered ${status}: ${text.slice(0, 300)}`)
  if (!/^<\?xml[^>]*\?>\s*<invoice-header>[\s\S]*<id type="integer">\d+<\/id>/.test(text))
    throw new Error(`not an <invoice-header> with an id: ${text.slice(0, 300)}`)
}

function checkXmlList(status: number, text: string): void {
  if (status !== 200) throw new Error(`invoice list (XML) answered ${status}: ${text.slice(0, 300)}`)
  if (!/^<\?xml[^>]*\?>\s*<invoice-headers type="array">/.test(text))
    throw new Error(`not an <invoice-headers type="array">: ${text.slice(0, 300)}`)
  const items = text.split('<invoice-header>').length - 1
  if (items !== LIST_LIMIT) throw new Error(`expected ${LIST_LIMIT} <invoice-header>, got ${items}`)
}

const CHECKS = {
  json: { record: checkRecord, list: checkList },
  xml: { record: checkXmlRecord, list: checkXmlList },
}

function parseArray(body: string, what: string): unknown[] {
  try {
    const value: unknown = JSON.parse(body)
    if (Array.isArray(value)) return value
  } catch {}
  throw new Error(`${what}: expected a JSON array, got ${body.slice(0, 200)}`)
}
