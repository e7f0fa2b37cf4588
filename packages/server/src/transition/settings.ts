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
