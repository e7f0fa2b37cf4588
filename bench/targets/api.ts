// Core API targets: `keyshift serve --api-rate-limit off` on a store of generated invoices, loaded
// with GET /api/invoices/:id (Bearer token or X-COUPA-API-KEY) or with a filtered list of 50.
import { parseJson, type RunningTarget, request } from '../helpers.ts'
import { invoiceData } from './invoices.ts'
import { createApiKey, createOAuthClient, fetchAccessToken, launchKeyshift } from './keyshift-server.ts'

export type ApiProbe = 'get-bearer' | 'get-key' | 'list'

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
  extraArgs: string[] = [],
): Promise<RunningTarget> {
  const data = await invoiceData(invoices)
  return launchKeyshift(name, { data, args: [...SERVE_ARGS, ...extraArgs] }, async function apiRequest(base) {
    // The data dir is reused by several targets: logins are unique per target.
    const headers = { ...(await credentials(base, `bench-${name}`, probe)), Accept: 'application/json' }
    if (probe === 'list') {
      return { url: `${base}/api/invoices?${LIST_QUERY}`, method: 'GET', headers, check: checkList }
    }
    const id = await existingInvoiceId(base, headers)
    return { url: `${base}/api/invoices/${id}`, method: 'GET', headers, check: checkRecord }
  })
}

/** The header that authenticates `probe`: an API key, or a Bearer token of a new OAuth client. */
async function credentials(base: string, login: string, probe: ApiProbe): Promise<Record<string, string>> {
  if (probe === 'get-key') return { 'X-COUPA-API-KEY': await createApiKey(base, login) }
  const client = await createOAuthClient(base, { name: 'bench-api', login, scopes: ['core.invoice.read'] })
  return { Authorization: `Bearer ${await fetchAccessToken(base, client)}` }
}

/** The id of the 101st invoice, so that the single-record GET hits one that exists. */
export async function existingInvoiceId(
  base: string,
  headers: Record<string, string>,
): Promise<string | number> {
  const res = await request(`${base}/api/invoices?limit=1&offset=100`, { headers })
  if (res.status !== 200)
    throw new Error(`listing one invoice answered ${res.status}: ${res.body.slice(0, 300)}`)
  const id = (parseArray(res.body, 'invoice list')[0] as Record<string, unknown> | undefined)?.id
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

function parseArray(body: string, what: string): unknown[] {
  try {
    const value: unknown = JSON.parse(body)
    if (Array.isArray(value)) return value
  } catch {}
  throw new Error(`${what}: expected a JSON array, got ${body.slice(0, 200)}`)
}
