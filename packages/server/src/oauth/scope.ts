import { findScope } from '../catalogue/index.ts'
import { invalidScope } from './errors.ts'

// scope-token = 1*( %x21 / %x23-5B / %x5D-7E ) https://www.rfc-editor.org/rfc/rfc6749#section-3.3
const SCOPE_TOKEN = /^[\x21\x23-\x5B\x5D-\x7E]+$/

/** How many refused names a description lists, and how much of each: the request is the client's input. */
const NAMES_SHOWN = 5
const NAME_CHARS = 80

/** `a b c` for the first names, each cut short, then "and N more": ASCII only, as §5.2 wants. */
function listed(names: readonly string[]): string {
  const shown = names
    .slice(0, NAMES_SHOWN)
    .map((name) => (name.length > NAME_CHARS ? `${name.slice(0, NAME_CHARS)}...` : name))
  const more = names.length - shown.length
  return more > 0 ? `${shown.join(' ')} and ${more} more` : shown.join(' ')
}

/**
 * The scopes a token request may be granted: every requested scope must be a scope of the catalogue
 * and one of the client's, else invalid_scope, "The requested scope is invalid, unknown, malformed,
 * or exceeds the scope granted by the resource owner"
 * (https://www.rfc-editor.org/rfc/rfc6749#section-5.2). The description tells the two apart: a
 * name this instance does not know at all, or a scope the client was not given.
 * No `scope` means all of the client's scopes. Keeps order, drops repeats.
 */
export function grantScopes(requested: string | undefined, allowed: readonly string[]): string[] {
  if (requested === undefined || requested.trim() === '') return [...allowed]
  // Scopes are separated by spaces; extra spaces between them are forgiven.
  const names = [...new Set(requested.split(' ').filter((name) => name !== ''))]
  const malformed = names.find((name) => !SCOPE_TOKEN.test(name))
  if (malformed !== undefined) {
    throw invalidScope('scope must be scope names separated by spaces (RFC 6749 §3.3)')
  }
  // Only scope-token characters are left (§3.3), so the names are safe in error_description (§5.2).
  const unknown = names.filter((name) => !findScope(name))
  if (unknown.length > 0) {
    const what = unknown.length === 1 ? 'is not a scope' : 'are not scopes'
    throw invalidScope(
      `${listed(unknown)} ${what} of this instance (scopes_supported of /.well-known/oauth-authorization-server lists them)`,
    )
  }
  const allowedSet = new Set(allowed)
  const refused = names.filter((name) => !allowedSet.has(name))
  if (refused.length > 0) {
    throw invalidScope(`the client is not allowed scope ${listed(refused)}`)
  }
  return names
}

/** Granted scope strings by the client's scope list (a new list when the client changes). */
const granted = new WeakMap<readonly string[], Map<string, string>>()
const REMEMBERED_PER_CLIENT = 16

/**
 * `grantScopes` joined with spaces, as the token response and the token carry it. A client asks
 * for the same scope string every time: the answer is remembered per client scope list (a few
 * strings each), so the token endpoint does not split, check and join it on every request.
 */
export function grantedScope(requested: string | undefined, allowed: readonly string[]): string {
  const key = requested ?? ''
  let byRequest = granted.get(allowed)
  const known = byRequest?.get(key)
  if (known !== undefined) return known
  const scope = grantScopes(requested, allowed).join(' ')
  if (!byRequest) {
    byRequest = new Map()
    granted.set(allowed, byRequest)
  }
  if (byRequest.size >= REMEMBERED_PER_CLIENT) byRequest.clear()
  byRequest.set(key, scope)
  return scope
}

/**
 * The scopes an issued token grants now: those it was issued with, less what its client has lost
 * since. The core API (auth/) and the introspection endpoint answer by this.
 */
export function scopesStillGranted(tokenScope: string, clientScopes: readonly string[]): string[] {
  const current = new Set(clientScopes)
  return tokenScope.split(' ').filter((name) => current.has(name))
}

/** By the client's scope list (a new array when its scopes change), the sets already worked out. */
const grantedSets = new WeakMap<readonly string[], Map<string, ReadonlySet<string>>>()

/**
 * `scopesStillGranted` as a set, worked out once per token scope string and client scope list:
 * a client made with every scope has 193, and building their set on every API call showed in the
 * profile of a GET. Tokens of one client carry a handful of scope strings; at most
 * REMEMBERED_PER_CLIENT are kept per list.
 */
export function grantedScopeSet(tokenScope: string, clientScopes: readonly string[]): ReadonlySet<string> {
  let byToken = grantedSets.get(clientScopes)
  if (!byToken) {
    byToken = new Map()
    grantedSets.set(clientScopes, byToken)
  }
  let granted = byToken.get(tokenScope)
  if (!granted) {
    if (byToken.size >= REMEMBERED_PER_CLIENT) byToken.clear()
    granted = new Set(scopesStillGranted(tokenScope, clientScopes))
    byToken.set(tokenScope, granted)
  }
  return granted
}
