/**
 * Time, injected: a monotonic clock for lifetimes, a wall clock only where a time leaves the
 * process (the store, HTTP dates), and timers, so tests control all three.
 */

/**
 * Whatever `setTimeout` returned; handed back to `clearTimeout`.
 * @example
 * const handle: TimerHandle = clock.setTimeout(tick, 1000)
 */
export type TimerHandle = unknown

/**
 * The clock and timers the library uses. Every member can be replaced (`clock` option); the ones
 * left out come from {@link systemClock}.
 * @example
 * // a test clock that only moves when told to
 * let now = 0
 * createTokenManager({ ...options, clock: { now: () => now, setTimeout: fakeSetTimeout, clearTimeout: fakeClearTimeout } })
 */
export interface Clock {
  /** Monotonic milliseconds (default `performance.now()`): lifetimes and refresh times. */
  now(): number
  /** Wall-clock epoch milliseconds (default `Date.now()`): persisted expiry, `Retry-After` dates. */
  wallNow(): number
  setTimeout(callback: () => void, ms: number): TimerHandle
  clearTimeout(handle: TimerHandle): void
}

/**
 * Node's largest timer delay; a longer one fires at once (and warns), so longer waits re-arm.
 * @example
 * setTimeout(tick, Math.min(delay, MAX_TIMER_DELAY_MS))
 */
export const MAX_TIMER_DELAY_MS = 2 ** 31 - 1

/**
 * The real clock: `performance.now()`, `Date.now()` and the global timers.
 *
 * @example
 * const tokens = createTokenManager({ ...options, clock: systemClock() })
 * @throws Never.
 */
export function systemClock(): Clock {
  return {
    now: () => performance.now(),
    wallNow: () => Date.now(),
    setTimeout: (callback, ms) => setTimeout(callback, ms),
    clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
  }
}

/** `partial` completed with the system clock. */
export function resolveClock(partial: Partial<Clock> | undefined): Clock {
  return { ...systemClock(), ...partial }
}

/** A timer that does not keep the process alive (background refresh), when the handle allows. */
function unref(handle: TimerHandle): void {
  const timer = handle as { unref?: () => void } | undefined
  if (typeof timer?.unref === 'function') timer.unref()
}

/** A cancellable timer armed for a monotonic due time. */
export interface Alarm {
  readonly dueAt: number
  cancel(): void
}

/**
 * Calls `callback` once `clock.now()` reaches `dueAt`. Delays above {@link MAX_TIMER_DELAY_MS} are
 * split: the timer re-arms until the due time is near enough.
 */
export function setAlarm(clock: Clock, dueAt: number, callback: () => void, background: boolean): Alarm {
  let handle: TimerHandle
  let cancelled = false
  function arm(): void {
    const delay = Math.max(0, dueAt - clock.now())
    const step = Math.min(delay, MAX_TIMER_DELAY_MS)
    handle = clock.setTimeout(step === delay ? fire : arm, step)
    if (background) unref(handle)
  }
  function fire(): void {
    if (!cancelled) callback()
  }
  arm()
  return {
    dueAt,
    cancel: function cancelAlarm() {
      cancelled = true
      clock.clearTimeout(handle)
    },
  }
}

/**
 * Resolves after `ms` on `clock`; rejects with `signal.reason` as soon as `signal` aborts.
 */
export function sleep(clock: Clock, ms: number, signal?: AbortSignal): Promise<void> {
  if (signal?.aborted) return Promise.reject(signal.reason)
  if (ms <= 0) return Promise.resolve()
  return new Promise<void>((resolve, reject) => {
    function onAbort(): void {
      alarm.cancel()
      reject(signal?.reason)
    }
    const alarm = setAlarm(
      clock,
      clock.now() + ms,
      function wakeUp() {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      },
      false,
    )
    signal?.addEventListener('abort', onAbort, { once: true })
  })
}

/** An abort signal for one request, and `release()` to call once the request is over. */
export interface RequestSignal {
  signal: AbortSignal
  release(): void
}

/**
 * A signal that aborts when `signal` does or after `timeoutMs` of real time (network timeouts are
 * about real sockets, so they use real timers, never the injected clock).
 */
export function requestSignal(signal: AbortSignal | undefined, timeoutMs: number): RequestSignal {
  const controller = new AbortController()
  const timer = setTimeout(function timeOut() {
    controller.abort(new DOMException(`no answer within ${timeoutMs} ms`, 'TimeoutError'))
  }, timeoutMs)
  // A background refresh in flight must not keep an otherwise finished process alive.
  timer.unref()
  function forward(): void {
    controller.abort(signal?.reason)
  }
  if (signal?.aborted) forward()
  else signal?.addEventListener('abort', forward, { once: true })
  return {
    signal: controller.signal,
    release: function releaseSignal() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', forward)
    },
  }
}
