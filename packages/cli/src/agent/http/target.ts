/**
 * The request target of a call to the agent, parsed as a URL parser would parse it: the path with
 * dot segments resolved (`/erp/api/../x` is `/erp/x`), so that a path cannot climb out of `/api/`
 * on the instance, and the query.
 */
import type { IncomingMessage } from 'node:http'
import { AgentError } from '../errors.ts'

export interface RequestTarget {
  /** The path, dot segments resolved and percent-encoded as WHATWG URL parsing leaves it. */
  pathname: string
  /** `?` and the query, or '' without one (as URL's `search`). */
  search: string
}

/**
 * A target that WHATWG URL parsing leaves exactly as it is (https://url.spec.whatwg.org/#url-parsing):
 * every path segment free of `%`, `\` and a leading `.` (so no dot segment, encoded or not) and of
 * the characters the path percent-encode set encodes; a query of characters outside the special-query
 * percent-encode set. Nearly every call of an integration is one; it skips building a URL.
 */
const PLAIN_TARGET = /^(?:\/(?!\.)[A-Za-z0-9\-._~!$&'()*+,;=:@]*)+(?:\?[A-Za-z0-9\-._~!$&()*+,;=:@/?%]*)?$/

/**
 * The target of `req` as URL parsing gives it. Only origin-form targets (`/…`) are served
 * (https://www.rfc-editor.org/rfc/rfc9112#section-3.2.1): an absolute-form target (`http://host/…`)
 * asks the agent to act as a forward proxy, which it is not.
 *
 * @throws {AgentError} KS_AGENT_NOT_FOUND for any other form.
 */
export function requestTarget(req: IncomingMessage): RequestTarget {
  const target = req.url ?? ''
  if (PLAIN_TARGET.test(target)) {
    const query = target.indexOf('?')
    if (query === -1) return { pathname: target, search: '' }
    // URL's search is '' for an empty query, as for none.
    return {
      pathname: target.slice(0, query),
      search: query === target.length - 1 ? '' : target.slice(query),
    }
  }
  if (!target.startsWith('/'))
    throw new AgentError(
      'KS_AGENT_NOT_FOUND',
      'the agent serves paths only (/<integration>/api/…): send the request to it as to a server, not as to a forward proxy',
    )
  const url = new URL(`http://agent.invalid${target}`)
  return { pathname: url.pathname, search: url.search }
}
