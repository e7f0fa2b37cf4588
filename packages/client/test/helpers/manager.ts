/** A token manager wired to a fake endpoint, a fake clock and recorders for events and logs. */
import {
  createTokenManager,
  type TokenManager,
  type TokenManagerEvents,
  type TokenManagerOptions,
} from '../../src/index.ts'
import { createFakeClock, type FakeClock } from './fake-clock.ts'
import {
  CLIENT_ID,
  CLIENT_SECRET,
  createFakeTokenEndpoint,
  createRecordingLogger,
  type FakeTokenEndpoint,
  TOKEN_URL,
} from './fake-token-endpoint.ts'

export interface RecordedEvent {
  name: keyof TokenManagerEvents
  payload: TokenManagerEvents[keyof TokenManagerEvents]
}

export interface Harness {
  clock: FakeClock
  endpoint: FakeTokenEndpoint
  logger: ReturnType<typeof createRecordingLogger>
  events: RecordedEvent[]
  tokens: TokenManager
  /** Events of one kind, payloads only. */
  eventsNamed<E extends keyof TokenManagerEvents>(name: E): TokenManagerEvents[E][]
}

/** Coupa's 24 h token: refresh at 5/6 × 86399 s (≈ 20 h), hard expiry 60 s before the end. */
export const REFRESH_AT_MS = (86_399_000 * 5) / 6
export const HARD_EXPIRY_MS = 86_399_000 - 60_000

export const EVENT_NAMES = ['token', 'refresh_failed', 'stale', 'invalidated'] as const

/** `random` is 0 (no jitter, minimum backoff) unless overridden. */
export function createHarness(
  overrides: Partial<TokenManagerOptions> = {},
  parts: { clock?: FakeClock; endpoint?: FakeTokenEndpoint } = {},
): Harness {
  const clock = parts.clock ?? createFakeClock()
  const endpoint = parts.endpoint ?? createFakeTokenEndpoint()
  const logger = createRecordingLogger()
  const events: RecordedEvent[] = []
  const tokens = createTokenManager({
    tokenUrl: TOKEN_URL,
    clientId: CLIENT_ID,
    clientSecret: CLIENT_SECRET,
    scope: 'core.invoice.read core.common.read',
    fetch: endpoint.fetch,
    clock,
    logger,
    random: () => 0,
    ...overrides,
  })
  for (const name of EVENT_NAMES) tokens.on(name, (payload) => events.push({ name, payload }))
  return {
    clock,
    endpoint,
    logger,
    events,
    tokens,
    eventsNamed<E extends keyof TokenManagerEvents>(name: E) {
      return events
        .filter((event) => event.name === name)
        .map((event) => event.payload as TokenManagerEvents[E])
    },
  }
}

/** Settles `promise` into a result the test can inspect without awaiting forever. */
export function observe<T>(promise: Promise<T>): { settled: boolean; value?: T; error?: unknown } {
  const state: { settled: boolean; value?: T; error?: unknown } = { settled: false }
  promise.then(
    (value) => Object.assign(state, { settled: true, value }),
    (error: unknown) => Object.assign(state, { settled: true, error }),
  )
  return state
}

/**
 * Waits until `predicate` holds, letting real I/O (a file store) finish: a few 1 ms real waits at
 * most, no fake time passes.
 */
export async function eventually(
  predicate: () => boolean,
  clock: { settle(): Promise<void> },
): Promise<void> {
  for (let round = 0; round < 500 && !predicate(); round++) {
    await clock.settle()
    await new Promise((resolve) => setTimeout(resolve, 1))
  }
}
