/**
 * A fake admin API implementing the transition contract of docs/TRANSITION.md: review, plan,
 * status, revoke, client creation (409 on a taken login) and PUT …/replacement.
 */
import { adminAuthorization } from '../src/admin/api.ts'
import type { FakeResponse, RecordedRequest } from './helpers.ts'

export const ADMIN_PASSWORD = 'transition-admin-password'
export const SUPPLIER_ID = '11111111-1111-4111-8111-111111111111'
export const INVOICE_ID = '22222222-2222-4222-8222-222222222222'
export const OLD_ID = '33333333-3333-4333-8333-333333333333'
export const GENERATED_AT = '2026-11-27T12:00:00.000Z'

function reviewKey(id: string, name: string, login: string, extra: Record<string, unknown>) {
  return {
    id,
    name,
    description: null,
    contact_first_name: 'Ada',
    contact_last_name: 'Lovelace',
    contact_login: login,
    contact_email: `${login}@example.com`,
    created_at: '2026-01-01T00:00:00.000Z',
    expires_on: null,
    state: 'active',
    last_used_from: '127.0.0.1',
    last_user_agent: 'curl/8.0',
    ...extra,
  }
}

export const REVIEW = {
  generated_at: GENERATED_AT,
  api_keys: [
    reviewKey(SUPPLIER_ID, 'Supplier sync', 'supplier-sync', {
      last_used_at: '2026-11-27T11:00:00.000Z',
      calls: { last_1d: 12, last_7d: 80, last_30d: 300 },
      usage: [
        { resource: 'suppliers', action: 'index', calls_30d: 250 },
        { resource: 'suppliers', action: 'update', calls_30d: 30 },
        { resource: 'suppliers', action: 'show', calls_30d: 15 },
        { resource: 'suppliers', action: 'create', calls_30d: 5 },
      ],
      category: 'master_data',
    }),
    reviewKey(INVOICE_ID, 'Invoice export', 'invoice-export', {
      last_used_at: '2026-11-26T08:00:00.000Z',
      calls: { last_1d: 3, last_7d: 20, last_30d: 90 },
      usage: [{ resource: 'invoices', action: 'index', calls_30d: 90 }],
      category: 'transactional',
    }),
    reviewKey(OLD_ID, 'Old report', 'old-report', {
      last_used_at: null,
      calls: { last_1d: 0, last_7d: 0, last_30d: 0 },
      usage: [],
      category: 'unused',
    }),
  ],
}

export const PLAN = {
  generated_at: GENERATED_AT,
  keys: [
    {
      api_key_id: SUPPLIER_ID,
      api_key_name: 'Supplier sync',
      action: 'replace',
      phase: 1,
      scopes: ['core.supplier.read', 'core.supplier.write'],
      client: { name: 'Supplier sync', login: 'supplier-sync' },
      reason: 'used suppliers#index, suppliers#update in the last 30 days',
    },
    {
      api_key_id: INVOICE_ID,
      api_key_name: 'Invoice export',
      action: 'replace',
      phase: 2,
      scopes: ['core.invoice.read'],
      client: { name: 'Invoice export', login: 'invoice-export' },
      reason: 'used invoices#index in the last 30 days',
    },
    {
      api_key_id: OLD_ID,
      api_key_name: 'Old report',
      action: 'revoke',
      phase: null,
      scopes: [],
      client: null,
      reason: 'no call in the last 30 days',
    },
  ],
}

function statusKey(id: string, name: string, state: string, extra: Record<string, unknown> = {}) {
  return {
    api_key_id: id,
    api_key_name: name,
    state,
    replacement_client_id: null,
    replacement_client_name: null,
    first_oauth_call_at: null,
    last_key_call_at: null,
    ready_at: null,
    reason: null,
    ...extra,
  }
}

export const STATUS = {
  generated_at: GENERATED_AT,
  quiet_period_seconds: 604800,
  keys: [
    statusKey(SUPPLIER_ID, 'Supplier sync', 'ready_to_revoke', {
      replacement_client_id: 'a'.repeat(32),
      replacement_client_name: 'Supplier sync',
      first_oauth_call_at: '2026-11-01T00:00:00.000Z',
      last_key_call_at: '2026-10-31T23:00:00.000Z',
      ready_at: '2026-11-08T00:00:00.000Z',
      reason: 'no call with the key for the quiet period after the client’s first call',
    }),
    statusKey(INVOICE_ID, 'Invoice export', 'migrating', {
      replacement_client_id: 'b'.repeat(32),
      replacement_client_name: 'Invoice export',
      first_oauth_call_at: '2026-11-20T00:00:00.000Z',
      last_key_call_at: '2026-11-26T08:00:00.000Z',
      reason: 'calls with the key after the client’s first call',
    }),
    statusKey(OLD_ID, 'Old report', 'ready_to_revoke', { ready_at: '2026-10-28T00:00:00.000Z' }),
  ],
}

export interface FakeTransitionOptions {
  password?: string
  /** Logins of clients that exist already: creating one again answers 409. */
  takenLogins?: string[]
  /**
   * The per-key revoke as newer servers have it: 409 with the key's state, reason and calls when
   * it is not ready_to_revoke and `{ "force": true }` is not sent. Default: the older one, which
   * revokes any key.
   */
  revokeChecksReadiness?: boolean
}

export interface FakeTransition {
  respond(request: RecordedRequest): FakeResponse
  /** The clients created, in order, with their Identifier and secret. */
  created: { login: string; client_id: string; client_secret: string }[]
  /** api_key_id → client_id of each PUT …/replacement. */
  links: Map<string, string | null>
  /** The ids of the keys revoked with `POST /admin/v1/api-keys/:id/revoke`. */
  revoked: string[]
  /** The transition settings, as PUT left them. */
  settings: Record<string, unknown>
}

/** The Identifier of the client that exists already with `login` (a `takenLogins` one). */
export function existingClientId(login: string): string {
  return `e${login.length}`.padEnd(32, 'e')
}

/** An API key as `GET /admin/v1/api-keys` shows it, from the review's. */
function apiKeyView(key: (typeof REVIEW.api_keys)[number]) {
  return {
    id: key.id,
    name: key.name,
    description: null,
    contact_first_name: key.contact_first_name,
    contact_last_name: key.contact_last_name,
    contact_login: key.contact_login,
    contact_email: key.contact_email,
    expires_on: null,
    permissions: null,
    state: 'active',
    revoked_at: null,
    replacement_client_id: null,
    deprecation_at: null,
    sunset_at: null,
    created_at: key.created_at,
    updated_at: key.created_at,
  }
}

function clientView(login: string, clientId: string) {
  const name = login.replace(/-/g, ' ')
  return { id: clientId.slice(0, 4), name, login, client_id: clientId, scopes: [], scope: '', active: true }
}

function problem(status: number, detail: string, errors?: Record<string, string[]>): FakeResponse {
  return { status, body: { type: 'about:blank', title: 'Error', status, detail, ...(errors && { errors }) } }
}

/** Counted since the client's first call when there is one (the fixtures' are within 7 days). */
function countedFrom(key: (typeof STATUS.keys)[number]) {
  return key.first_oauth_call_at === null
    ? { counted_from: 'last_7_days', counted_since: '2026-11-20T12:00:00.000Z' }
    : { counted_from: 'client_first_call', counted_since: key.first_oauth_call_at }
}

function revoke(body: { api_key_ids?: string[]; all_ready?: boolean; dry_run?: boolean; force?: boolean }) {
  const keys = STATUS.keys.filter((key) =>
    body.all_ready === true
      ? key.state === 'ready_to_revoke'
      : (body.api_key_ids ?? []).includes(key.api_key_id),
  )
  const results = keys.map((key) => {
    const ready = key.state === 'ready_to_revoke' || body.force === true
    return {
      api_key_id: key.api_key_id,
      api_key_name: key.api_key_name,
      state: key.state,
      revoked: ready && body.dry_run !== true,
      refused: ready ? null : `${key.state}: ${key.reason}`,
      calls_7d: key.api_key_id === INVOICE_ID ? 20 : 0,
      usage_7d:
        key.api_key_id === INVOICE_ID ? [{ resource: 'invoices', action: 'index', calls_7d: 20 }] : [],
      ...countedFrom(key),
    }
  })
  return { status: 200, body: { dry_run: body.dry_run === true, results } }
}

export function createFakeTransition(options: FakeTransitionOptions = {}): FakeTransition {
  const password = options.password ?? ADMIN_PASSWORD
  const logins = new Set(options.takenLogins ?? [])
  const created: FakeTransition['created'] = []
  const links = new Map<string, string | null>()
  const clients = new Map<string, string>(
    (options.takenLogins ?? []).map((login) => [existingClientId(login), login]),
  )
  const clientIds = new Set<string>(clients.keys())
  const keyIds = new Set(REVIEW.api_keys.map((key) => key.id))
  const revoked: string[] = []
  const settings: Record<string, unknown> = {
    quiet_period_seconds: 604800,
    deprecation_at: null,
    sunset_at: null,
    documentation_url: null,
    brownouts: [],
  }

  function updateSettings(body: Record<string, unknown>): FakeResponse {
    const next = { ...settings, ...body }
    if (typeof next.quiet_period_seconds !== 'number' || next.quiet_period_seconds < 1) {
      const message = 'must be a whole number of seconds from 1 to 31536000'
      return problem(400, `quiet_period_seconds: ${message}`, { quiet_period_seconds: [message] })
    }
    const { deprecation_at: from, sunset_at: to } = next as {
      deprecation_at: string | null
      sunset_at: string | null
    }
    if (from !== null && to !== null && Date.parse(to) < Date.parse(from)) {
      return problem(400, 'sunset_at: must not be before deprecation_at', {
        sunset_at: ['must not be before deprecation_at'],
      })
    }
    const brownouts = (
      next.brownouts as { starts_at: string; ends_at: string; api_key_id?: string | null }[]
    ).map((b, i) => ({
      id: `b${i}`,
      starts_at: b.starts_at,
      ends_at: b.ends_at,
      api_key_id: b.api_key_id ?? null,
    }))
    Object.assign(settings, next, { brownouts })
    return { status: 200, body: settings }
  }

  function revokeOne(id: string, body: string): FakeResponse {
    const key = STATUS.keys.find((candidate) => candidate.api_key_id === id)
    if (key === undefined) return problem(404, `no API key with id "${id}"`)
    const force = body !== '' && (JSON.parse(body) as { force?: boolean }).force === true
    if (options.revokeChecksReadiness === true && key.state !== 'ready_to_revoke' && !force) {
      const [result] = revoke({ api_key_ids: [id], dry_run: true }).body.results
      return {
        status: 409,
        body: {
          type: 'about:blank',
          title: 'Conflict',
          status: 409,
          detail: `API key ${key.api_key_name} is not ready_to_revoke`,
          ...result,
          reason: key.reason,
        },
      }
    }
    revoked.push(id)
    const view = apiKeyView(REVIEW.api_keys.find((k) => k.id === id) as (typeof REVIEW.api_keys)[number])
    return { status: 200, body: { ...view, state: 'revoked', revoked_at: '2026-11-27T12:00:00.000Z' } }
  }

  function createClient(body: { login: string; name: string; grant_type: string; scopes: string[] }) {
    if (logins.has(body.login)) {
      return problem(409, 'Login has already been taken', { login: ['has already been taken'] })
    }
    logins.add(body.login)
    const n = created.length + 1
    const client = {
      login: body.login,
      client_id: `${n}`.padStart(32, 'c'),
      client_secret: `secret-${n}-${body.login}`,
    }
    created.push(client)
    clientIds.add(client.client_id)
    clients.set(client.client_id, client.login)
    const scope = body.scopes.join(' ')
    return { status: 201, body: { id: String(n), ...body, ...client, scope, active: true } }
  }

  function respond(request: RecordedRequest): FakeResponse {
    if (request.headers.authorization !== adminAuthorization('admin', password)) {
      return problem(401, 'authentication required')
    }
    const route = `${request.method} ${request.url}`
    if (route === 'GET /admin/v1/transition/review') return { status: 200, body: REVIEW }
    if (route === 'GET /admin/v1/transition/plan') return { status: 200, body: PLAN }
    if (route === 'GET /admin/v1/transition/status') return { status: 200, body: STATUS }
    if (route === 'POST /admin/v1/transition/revoke') return revoke(JSON.parse(request.body))
    if (route === 'POST /admin/v1/oauth2/clients') return createClient(JSON.parse(request.body))
    if (route === 'GET /admin/v1/oauth2/clients') {
      return { status: 200, body: { clients: [...clients].map(([id, login]) => clientView(login, id)) } }
    }
    if (route === 'GET /admin/v1/api-keys')
      return { status: 200, body: { api_keys: REVIEW.api_keys.map(apiKeyView) } }
    if (route === 'GET /admin/v1/transition/settings') return { status: 200, body: settings }
    if (route === 'PUT /admin/v1/transition/settings') return updateSettings(JSON.parse(request.body))
    const revokeKey = /^POST \/admin\/v1\/api-keys\/([^/]+)\/revoke$/.exec(route)
    if (revokeKey) return revokeOne(decodeURIComponent(revokeKey[1] ?? ''), request.body)
    const replacement = /^PUT \/admin\/v1\/api-keys\/([^/]+)\/replacement$/.exec(route)
    if (replacement) {
      const id = decodeURIComponent(replacement[1] ?? '')
      const { client_id } = JSON.parse(request.body) as { client_id: string | null }
      if (!keyIds.has(id)) return problem(404, `no API key with id "${id}"`)
      if (client_id !== null && !clientIds.has(client_id)) return problem(404, `no OAuth client ${client_id}`)
      links.set(id, client_id)
      return { status: 200, body: { id, name: 'key', contact_login: 'x', replacement_client_id: client_id } }
    }
    return problem(404, `unexpected request ${route}`)
  }
  return { respond, created, links, revoked, settings }
}
