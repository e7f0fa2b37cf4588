/**
 * A fake scheduler: monotonic and wall clocks that move only when a test says so, and timers that
 * fire in due order as time is advanced. Like Node, a delay above 2^31 − 1 ms fires after 1 ms;
 * `overflows` counts them so tests can assert there were none.
 */
import type { Clock } from '../../src/index.ts'

interface Timer {
  id: number
  dueAt: number
  callback: () => void
}

export interface FakeClock extends Clock {
  /** Moves time forward by `ms`, firing due timers in order and letting promises settle between them. */
  advance(ms: number): Promise<void>
  /** Lets pending promise callbacks (and I/O-free continuations) run, without moving time. */
  settle(): Promise<void>
  /** Moves only the wall clock (a skewed or corrected system clock). */
  jumpWall(ms: number): void
  /** Number of timers pending. */
  pending(): number
  /** Delays requested above 2^31 − 1 ms. */
  overflows: number
  /** Every delay requested, in order. */
  delays: number[]
}

const MAX_DELAY = 2 ** 31 - 1

/** A fake clock starting at monotonic `start` and wall `wallStart`. */
export function createFakeClock(start = 10_000, wallStart = Date.UTC(2025, 0, 15, 8, 0, 0)): FakeClock {
  let now = start
  let wallOffset = wallStart - start
  let nextId = 1
  const timers = new Map<number, Timer>()

  async function settle(): Promise<void> {
    for (let round = 0; round < 10; round++) await new Promise<void>((resolve) => setImmediate(resolve))
  }

  function nextDue(limit: number): Timer | undefined {
    let found: Timer | undefined
    for (const timer of timers.values()) {
      if (timer.dueAt > limit) continue
      if (
        found === undefined ||
        timer.dueAt < found.dueAt ||
        (timer.dueAt === found.dueAt && timer.id < found.id)
      )
        found = timer
    }
    return found
  }

  const clock: FakeClock = {
    overflows: 0,
    delays: [],
    now: () => now,
    wallNow: () => now + wallOffset,
    setTimeout(callback, ms) {
      clock.delays.push(ms)
      let delay = Math.max(0, ms)
      if (delay > MAX_DELAY) {
        clock.overflows += 1
        delay = 1
      }
      const id = nextId++
      timers.set(id, { id, dueAt: now + delay, callback })
      return id
    },
    clearTimeout(handle) {
      timers.delete(handle as number)
    },
    async advance(ms) {
      const target = now + ms
      await settle()
      for (let timer = nextDue(target); timer !== undefined; timer = nextDue(target)) {
        now = Math.max(now, timer.dueAt)
        timers.delete(timer.id)
        timer.callback()
        await settle()
      }
      now = target
      await settle()
    },
    settle,
    jumpWall(ms) {
      wallOffset += ms
    },
    pending: () => timers.size,
  }
  return clock
}
