/**
 * Fair sharing of the searches that read records one by one (a filter no index answers, such as
 * `supplier[name][contains]=…`): each client has its own lane, where at most `perClient` of its
 * searches run at once and at most `queuePerClient` wait; one more is refused with 429. A client
 * that sends slow searches therefore waits behind its own, never in front of other clients', whose
 * requests interleave with the running searches (ApiService yields between the pages it reads).
 */
import { ApiError } from './errors.ts'

export interface ScanLanesOptions {
  /** Searches of one client that run at the same time. */
  perClient: number
  /** Searches of one client that may wait for a turn; one more is answered 429. */
  queuePerClient: number
}

export const DEFAULT_SCAN_LANES: ScanLanesOptions = { perClient: 1, queuePerClient: 8 }

interface Lane {
  running: number
  waiting: Array<() => void>
}

export class ScanLanes {
  readonly #options: ScanLanesOptions
  /** Bound: one entry per client with a search running or waiting; removed when its lane empties. */
  readonly #lanes = new Map<string, Lane>()

  constructor(options: ScanLanesOptions = DEFAULT_SCAN_LANES) {
    this.#options = options
  }

  /** Runs `search` in `client`'s lane, once a turn is free. */
  async run<T>(client: string, search: () => Promise<T>): Promise<T> {
    let lane = this.#lanes.get(client)
    if (!lane) {
      lane = { running: 0, waiting: [] }
      this.#lanes.set(client, lane)
    }
    if (lane.running < this.#options.perClient) lane.running++
    else await this.#turn(lane)
    try {
      return await search()
    } finally {
      this.#release(client, lane)
    }
  }

  /** Searches running or waiting, for a client (tests and the soak's report). */
  inLane(client: string): number {
    const lane = this.#lanes.get(client)
    return lane ? lane.running + lane.waiting.length : 0
  }

  /** Waits in the lane; resolves holding the turn of the search that finished. */
  #turn(lane: Lane): Promise<void> {
    if (lane.waiting.length >= this.#options.queuePerClient) {
      throw new ApiError(
        429,
        [
          `Too many searches of this client are running or waiting (${this.#options.perClient} at a time, ` +
            `${this.#options.queuePerClient} waiting): retry when one has finished, or filter on id, status, exported or updated-at`,
        ],
        { 'Retry-After': '1' },
      )
    }
    return new Promise<void>((resolve) => lane.waiting.push(resolve))
  }

  /** A finished search hands its turn to the next one waiting, or frees it. */
  #release(client: string, lane: Lane): void {
    const next = lane.waiting.shift()
    if (next) next()
    else if (--lane.running === 0) this.#lanes.delete(client)
  }
}
