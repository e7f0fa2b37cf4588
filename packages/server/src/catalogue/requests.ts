/**
 * Which `resource#action` a core API request is, and the scope that grants it: the same mapping
 * as the API routes (api/routes.ts), from the same table, for whoever sees requests without
 * routing them (the agent counting what it proxies). Pure string work, no allocation beyond the
 * path's segments: it runs once per proxied request.
 *
 *   GET  /api/<resource>               index
 *   GET  /api/<resource>/:id           show
 *   POST /api/<resource>               create
 *   PUT  /api/<resource>/:id           update
 *   PUT  /api/<resource>/:id/<action>  the custom action
 *
 * and under a record (nested.ts): `GET …/:id/attachments[/:attachment_id[/download]]` is
 * `<resource>#attachments`, `POST …/:id/attachments` `<resource>#add_attachment`, the same for
 * comments (`comments`, `add_comment`), `PUT /api/invoices/:id/image_scan` `invoices#image_scan`
 * and `GET /api/invoices/:id/retrieve_image_scan` `invoices#retrieve_image_scan`; a collection
 * served under a record is its own resource (`GET /api/suppliers/:id/addresses/:address_id` is
 * `remit_to_addresses#show`).
 *
 * A path or resource the catalogue does not know (real Coupa has more: contracts, attachments…)
 * is named by the same rules with scope null: the resource is the first segment after /api/, a
 * deeper path takes its third segment as the action (`GET /api/invoices/1/attachments` →
 * `invoices#attachments`), and a method the API does not route takes its lower-cased name
 * (`DELETE /api/invoices/1` → `invoices#delete`).
 *
 *   POST /api/graphql                  graphql#query, scope null: Coupa's GraphQL endpoint
 *                                      (coupa-api-facts §4.3) reads what its body's query selects,
 *                                      each object type with its read scope; the body is not read here
 */
import { permissionTable } from './grants.ts'
import { nestedActions, nestedCollections } from './nested.ts'

/** What a request asks to do; `scope` is null when the API has no route for it, or no single scope (GraphQL). */
export interface RequestPermission {
  resource: string
  action: string
  scope: string | null
}

/** The `resource#action` of `POST /api/graphql`: one GraphQL query, whatever it reads. */
export const GRAPHQL_QUERY: Readonly<RequestPermission> = {
  resource: 'graphql',
  action: 'query',
  scope: null,
}

/** Names the request to `/api` itself (no resource segment). */
export const NO_RESOURCE = '(none)'

const scopeOf = new Map(permissionTable.map((p) => [`${p.resource}#${p.action}`, p.scope]))

/**
 * The segments of a path after `/api`, query and empty segments dropped, each percent-decoded.
 * A loop of indexOf rather than split/filter/map: this runs once per proxied request.
 */
function apiSegments(apiPath: string): string[] {
  const query = apiPath.indexOf('?')
  const end = query === -1 ? apiPath.length : query
  const segments: string[] = []
  for (let start = 0; start < end; ) {
    const slash = apiPath.indexOf('/', start)
    const stop = slash === -1 || slash > end ? end : slash
    if (stop > start) segments.push(decodeSegment(apiPath.slice(start, stop)))
    start = stop + 1
  }
  if (segments[0] === 'api') segments.shift()
  return segments
}

function decodeSegment(segment: string): string {
  if (!segment.includes('%')) return segment
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment // malformed escapes: the API answers 400; the name stays as sent
  }
}

/** The action by the method and the segments after the resource (none, `[id]` or `[id, name, …]`). */
function actionOf(method: string, segments: readonly string[]): { action: string; routed: boolean } {
  const verb = method.toUpperCase()
  const read = verb === 'GET' || verb === 'HEAD' // HEAD is served by the GET routes
  const after = segments.length - 1 // segments after the resource
  if (after >= 2) {
    const segment = segments[2] as string
    const nested = nestedActions[`${read ? 'GET' : verb} ${segment}`]
    // Reads go deeper (an attachment, its download); writes are to the collection itself.
    if (nested !== undefined && (read ? after <= 4 : after === 2)) return { action: nested, routed: true }
    return { action: segment, routed: verb === 'PUT' && after === 2 }
  }
  if (after <= 0) {
    if (read) return { action: 'index', routed: true }
    if (verb === 'POST') return { action: 'create', routed: true }
  } else {
    if (read) return { action: 'show', routed: true }
    if (verb === 'PUT') return { action: 'update', routed: true }
  }
  return { action: verb.toLowerCase(), routed: false }
}

/**
 * The `resource#action` of a core API request and the scope that grants it, as the API routes
 * decide them. `apiPath` is the path as sent to the instance (`/api/invoices/12/void?x=1`); the
 * query and a trailing slash are ignored, ids may be anything.
 *
 * @example permissionOfRequest('PUT', '/api/invoices/12/void')
 *   // → { resource: 'invoices', action: 'void', scope: 'core.invoice.delete' }
 * @example permissionOfRequest('GET', '/api/contracts/7')
 *   // → { resource: 'contracts', action: 'show', scope: null }
 */
export function permissionOfRequest(method: string, apiPath: string): RequestPermission {
  let segments = apiSegments(apiPath)
  if (segments.length === 1 && segments[0] === 'graphql' && method.toUpperCase() === 'POST') {
    return { ...GRAPHQL_QUERY }
  }
  const collection = segments.length >= 3 ? nestedCollections[`${segments[0]}/${segments[2]}`] : undefined
  if (collection !== undefined) segments = [collection, ...segments.slice(3)]
  const resource = segments[0] ?? NO_RESOURCE
  const { action, routed } = actionOf(method, segments)
  const scope = routed ? (scopeOf.get(`${resource}#${action}`) ?? null) : null
  return { resource, action, scope }
}
