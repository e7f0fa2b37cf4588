/**
 * API keys as people name them on a command line: the full id, its first characters (as the tables
 * show them) or the key's name. Resolved against the list of keys (`GET /admin/v1/api-keys`).
 * Messages never quote what was typed: someone may paste the API key itself instead of its id.
 */
import type { ApiKeyView } from '@keyshift/server/admin-api'
import { CliError } from '../errors.ts'

/** How many characters of an id the tables show at least. */
export const SHORT_ID_LENGTH = 8

const FULL_ID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

/** A reference that needs no lookup: a whole id. */
export function isFullId(ref: string): boolean {
  return FULL_ID.test(ref)
}

/**
 * The short form of each id: its first 8 characters, or more where two ids shown together start
 * alike, so that each short form names one key of `ids`.
 */
export function shortIds(ids: readonly string[]): Map<string, string> {
  const unique = [...new Set(ids)]
  const short = new Map<string, string>()
  for (const id of unique) {
    let length = Math.min(SHORT_ID_LENGTH, id.length)
    while (
      length < id.length &&
      unique.some((other) => other !== id && other.startsWith(id.slice(0, length)))
    )
      length += 1
    short.set(id, id.slice(0, length))
  }
  return short
}

export interface KeyRefOptions {
  /** How the argument is named in messages: `KEY`, `the 2nd KEY_ID`. */
  label: string
}

function describeKeys(keys: ApiKeyView[]): string[] {
  const short = shortIds(keys.map((key) => key.id))
  return keys.map((key) => `${short.get(key.id)}  ${key.name} (${key.state})`)
}

/**
 * The key `ref` names among `keys`: the id itself, else a unique id prefix (4 characters or more),
 * else the one key with that name (exactly, then ignoring case).
 *
 * @throws {CliError} KS_ADMIN_NOT_FOUND when none matches; KS_USAGE when several do (listed).
 */
export function resolveKeyRef(ref: string, keys: ApiKeyView[], { label }: KeyRefOptions): ApiKeyView {
  const byId = keys.find((key) => key.id === ref)
  if (byId !== undefined) return byId
  const lower = ref.toLowerCase()
  const candidates = [
    lower.length >= 4 ? keys.filter((key) => key.id.toLowerCase().startsWith(lower)) : [],
    keys.filter((key) => key.name === ref),
    keys.filter((key) => key.name.toLowerCase() === lower),
  ]
  for (const found of candidates) {
    if (found.length === 1) return found[0] as ApiKeyView
    if (found.length > 1) {
      throw new CliError('KS_USAGE', `${label} names ${found.length} API keys: give more of the id`, {
        details: describeKeys(found),
      })
    }
  }
  throw new CliError('KS_ADMIN_NOT_FOUND', `${label} names no API key (by id, start of the id or name)`, {
    hint: 'see `keyshift admin api-keys list` or `keyshift transition status`',
  })
}

/** `KEY`, or `the 2nd KEY_ID` when there are several. */
export function refLabel(name: string, index: number, count: number): string {
  if (count === 1) return name
  const n = index + 1
  const suffix =
    n % 10 === 1 && n !== 11 ? 'st' : n % 10 === 2 && n !== 12 ? 'nd' : n % 10 === 3 && n !== 13 ? 'rd' : 'th'
  return `the ${n}${suffix} ${name}`
}

/**
 * The ids of `refs`, listing the keys (through `list`) only when one of them is not a whole id.
 *
 * @throws {CliError} see resolveKeyRef.
 */
export async function resolveKeyIds(
  refs: string[],
  list: () => Promise<{ api_keys: ApiKeyView[] }>,
  name = 'KEY',
): Promise<string[]> {
  if (refs.every(isFullId)) return refs
  const { api_keys: keys } = await list()
  return refs.map((ref, i) =>
    isFullId(ref) ? ref : resolveKeyRef(ref, keys, { label: refLabel(name, i, refs.length) }).id,
  )
}
