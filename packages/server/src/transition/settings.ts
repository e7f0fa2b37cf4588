import { randomUUID } from 'node:crypto'
import { ValidationError } from '../contract/errors.ts'
import type { BrownoutRecord, TransitionSettingsRecord } from '../contract/records.ts'
import type { Store } from '../store/store.ts'

/** What a PUT may change; a field left out keeps its value, `brownouts` is replaced as a whole. */
export interface TransitionSettingsChanges {
  quietPeriodSeconds?: number | undefined
  deprecationAt?: number | null | undefined
  sunsetAt?: number | null | undefined
  documentationUrl?: string | null | undefined
  /** `apiKeyId` null or left out: every key's. */
  brownouts?: Array<{ startsAt: number; endsAt: number; apiKeyId?: string | null | undefined }> | undefined
}

export const DEFAULT_QUIET_PERIOD_SECONDS = 604_800
const SETTING_KEY = 'transition'

type SettingsStore = Pick<
  Store,
  'getSetting' | 'setSetting' | 'listBrownouts' | 'replaceBrownouts' | 'getApiKey'
>

const defaults: TransitionSettingsRecord = {
  quietPeriodSeconds: DEFAULT_QUIET_PERIOD_SECONDS,
  deprecationAt: null,
  sunsetAt: null,
  documentationUrl: null,
  brownouts: [],
}

/**
 * The settings, held in memory so that API-key calls read them without I/O. `load()` re-reads the
 * store: at start, when the store's change feed announces a change made on another node, and on
 * every tick of the fallback poll.
 */
export class TransitionSettings {
  readonly #store: SettingsStore
  #current: TransitionSettingsRecord = defaults

  constructor({ store }: { store: SettingsStore }) {
    this.#store = store
  }

  get current(): TransitionSettingsRecord {
    return this.#current
  }

  async load(): Promise<void> {
    const [stored, brownouts] = await Promise.all([
      this.#store.getSetting(SETTING_KEY),
      this.#store.listBrownouts(),
    ])
    this.#current = { ...defaults, ...(stored === undefined ? {} : fromJson(stored)), brownouts }
  }

  /** Checks and writes the changes; throws ValidationError naming the field that is wrong. */
  async update(changes: TransitionSettingsChanges): Promise<TransitionSettingsRecord> {
    await this.load()
    const { brownouts: newBrownouts, ...fields } = changes
    const next = { ...this.#current, ...withoutUndefined(fields) }
    // A URL stored by an older version is left as it is (signals.ts encodes it); a new one is checked.
    if (typeof fields.documentationUrl === 'string') {
      next.documentationUrl = checkedDocumentationUrl(fields.documentationUrl)
    }
    checkSignalDates(next.deprecationAt, next.sunsetAt)
    if (newBrownouts) next.brownouts = await this.#checkBrownouts(newBrownouts)
    await this.#store.setSetting(SETTING_KEY, toJson(next))
    if (newBrownouts) await this.#store.replaceBrownouts(next.brownouts)
    this.#current = next
    return next
  }

  /** The brownout in force for this key at `now` that ends last, if any: a loop over a short list. */
  activeBrownout(apiKeyId: string, now: number): BrownoutRecord | undefined {
    let found: BrownoutRecord | undefined
    for (const b of this.#current.brownouts) {
      if (b.startsAt > now || b.endsAt <= now) continue
      if (b.apiKeyId !== null && b.apiKeyId !== apiKeyId) continue
      if (!found || b.endsAt > found.endsAt) found = b
    }
    return found
  }

  async #checkBrownouts(
    list: NonNullable<TransitionSettingsChanges['brownouts']>,
  ): Promise<BrownoutRecord[]> {
    const checked: BrownoutRecord[] = []
    for (const [i, b] of list.entries()) {
      if (b.endsAt <= b.startsAt)
        throw ValidationError.field(`brownouts.${i}.ends_at`, 'must be after starts_at')
      const apiKeyId = b.apiKeyId ?? null
      if (apiKeyId !== null && !(await this.#store.getApiKey(apiKeyId))) {
        throw ValidationError.field(`brownouts.${i}.api_key_id`, 'is not the id of an API key')
      }
      checked.push({ id: randomUUID(), startsAt: b.startsAt, endsAt: b.endsAt, apiKeyId })
    }
    return checked.sort((a, b) => a.startsAt - b.startsAt || a.id.localeCompare(b.id))
  }
}

/** Throws ValidationError on `sunset_at` when it comes before the deprecation date. */
export function checkSignalDates(deprecationAt: number | null, sunsetAt: number | null): void {
  // https://www.rfc-editor.org/rfc/rfc9745#section-4 : the Sunset timestamp MUST NOT be earlier than Deprecation's.
  if (deprecationAt !== null && sunsetAt !== null && sunsetAt < deprecationAt) {
    throw ValidationError.field('sunset_at', 'must not be before deprecation_at')
  }
}

/** What `documentation_url` must be; also the words of the admin API's schema (transition-schemas.ts). */
export const DOCUMENTATION_URL_FORMAT = 'must be an http(s) URL such as https://example.com/docs/transition'
export const DOCUMENTATION_URL_MAX_LENGTH = 2000

/**
 * The documentation URL as the `Link` header carries it, or a ValidationError on
 * `documentation_url` saying what is wrong. It must be an absolute https URL (http only on a
 * loopback host, for tests and development), with no user name or password, and none of the
 * characters that end a URI-Reference or a parameter in a header: spaces, controls, `<`, `>`, `"`
 * (and `\`, which URL parsers read as `/`). What is left is serialized by RFC 3986 rules: non-ASCII
 * percent-encoded as UTF-8, the host in punycode, `;` and `,` percent-encoded too (`linkTarget`).
 */
export function checkedDocumentationUrl(text: string): string {
  const problem = (message: string) => ValidationError.field('documentation_url', message)
  if (UNSAFE_IN_HEADER.test(text)) {
    throw problem('must not contain spaces, control characters, <, >, " or \\; percent-encode them')
  }
  const url = parseHttpUrl(text)
  if (!url) throw problem(DOCUMENTATION_URL_FORMAT)
  if (url.username !== '' || url.password !== '') throw problem('must not contain a user name or password')
  if (url.protocol === 'http:' && !LOOPBACK_HOSTS.has(url.hostname)) {
    throw problem('must use https (http only for localhost, 127.0.0.1 or [::1])')
  }
  const serialized = serializeUrl(url)
  if (serialized === undefined) throw problem(DOCUMENTATION_URL_FORMAT)
  if (serialized.length > DOCUMENTATION_URL_MAX_LENGTH) {
    throw problem(`must be at most ${DOCUMENTATION_URL_MAX_LENGTH} characters once percent-encoded`)
  }
  return serialized
}

/**
 * The target of a `Link` header (RFC 8288 §3, a URI-Reference between `<` and `>`) for a stored
 * documentation URL, encoded here whatever was stored (an older version checked less), or
 * undefined when it is no http(s) URL at all: then no Link is sent. A user name or password is
 * dropped, never sent to callers.
 */
export function linkTarget(text: string): string | undefined {
  const url = parseHttpUrl(text)
  if (!url) return undefined
  url.username = ''
  url.password = ''
  return serializeUrl(url)
}

/** Characters that end a URI-Reference or a header parameter, or a header line: never in a stored URL. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the controls are what it looks for.
const UNSAFE_IN_HEADER = /[\u0000-\u0020\u007f-\u009f<>"\\\s]/u
const LOOPBACK_HOSTS: ReadonlySet<string> = new Set(['localhost', '127.0.0.1', '[::1]'])
/** RFC 3986's unreserved and reserved characters and `%`, less `;` and `,`, which a naive Link parser splits on. */
const NOT_KEPT = /%(?![0-9A-Fa-f]{2})|[^A-Za-z0-9\-._~:/?#[\]@!$&'()*+=%]/gu

function parseHttpUrl(text: string): URL | undefined {
  if (!URL.canParse(text)) return undefined
  const url = new URL(text)
  return url.protocol === 'https:' || url.protocol === 'http:' ? url : undefined
}

/**
 * `href` (WHATWG: non-ASCII percent-encoded as UTF-8, the host in punycode), then every character
 * outside RFC 3986's sets percent-encoded, as are `;`, `,` and a `%` that starts no escape: only
 * visible ASCII remains, none of it `<`, `>`, `"`, `;`, `,` or a space.
 */
function serializeUrl(url: URL): string | undefined {
  // `href` is ASCII: encodeURIComponent meets no lone surrogate, and gives `%XX` for each match.
  const serialized = url.href.replace(NOT_KEPT, encodeURIComponent)
  return /^[\x21-\x7e]+$/.test(serialized) ? serialized : undefined
}

function toJson(value: TransitionSettingsRecord): string {
  return JSON.stringify({
    quiet_period_seconds: value.quietPeriodSeconds,
    deprecation_at: value.deprecationAt,
    sunset_at: value.sunsetAt,
    documentation_url: value.documentationUrl,
  })
}

/** The stored JSON; a field that is missing or of the wrong type keeps its default. */
function fromJson(text: string): Partial<TransitionSettingsRecord> {
  const stored = JSON.parse(text) as Record<string, unknown>
  const number = (v: unknown) => (typeof v === 'number' ? v : null)
  return {
    ...(typeof stored.quiet_period_seconds === 'number' && {
      quietPeriodSeconds: stored.quiet_period_seconds,
    }),
    deprecationAt: number(stored.deprecation_at),
    sunsetAt: number(stored.sunset_at),
    documentationUrl: typeof stored.documentation_url === 'string' ? stored.documentation_url : null,
  }
}

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>
}
