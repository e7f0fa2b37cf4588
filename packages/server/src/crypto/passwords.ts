import { randomBytes, timingSafeEqual } from 'node:crypto'
import { availableParallelism } from 'node:os'
import { Worker } from 'node:worker_threads'

// OWASP's scrypt minimum is N=2^17, r=8, p=1: admin passwords are chosen by people.
const PARAMS = { N: 2 ** 17, r: 8, p: 1 }
const MAX_MEMORY = 256 * 1024 * 1024
const KEY_LENGTH = 32
/** The queue of hashes asked for by the instance itself (a new admin user), not by a sign-in. */
const OWN_QUEUE = ''

/** Hashes a password a person chose: `scrypt$N$r$p$salt$hash` (salt and hash base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const hash = await scryptPool.run({ password, salt, keyLength: KEY_LENGTH, cost: PARAMS }, OWN_QUEUE)
  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$')
}

/**
 * True when `password` matches `encoded`; compares in constant time. `queue` names who asks (the
 * address of a sign-in): checks are taken from the queues in turn (ScryptPool).
 */
export async function verifyPassword(password: string, encoded: string, queue = OWN_QUEUE): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const cost = { N: Number(n), r: Number(r), p: Number(p) }
  const job = { password, salt: Buffer.from(salt, 'base64url'), keyLength: expected.length, cost }
  const actual = await scryptPool.run(job, queue)
  return timingSafeEqual(actual, expected)
}

interface ScryptJob {
  password: string
  salt: Buffer
  keyLength: number
  cost: { N: number; r: number; p: number }
}

interface Queued {
  job: ScryptJob
  queue: string
  resolve: (hash: Buffer) => void
  reject: (error: Error) => void
}

/** Thrown when a queue already holds its most checks: answer 429 with Retry-After. */
export class ScryptBusyError extends Error {
  readonly retryAfterSeconds = 1
  constructor() {
    super('too many password checks waiting from this address')
  }
}

export interface ScryptPoolOptions {
  /** Threads that hash at once (default: one per spare core, at most 2; each takes 128 MiB). */
  threads?: number
  /** Checks one queue may have waiting or running (default 4); more are refused. */
  maxPerQueue?: number
  /** Checks all queues together may have waiting (default 1024); more are refused. */
  maxWaiting?: number
}

/** What a thread runs: one scrypt at a time. */
const SCRYPT_THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { scryptSync } = require('node:crypto')
parentPort.on('message', ({ password, salt, keyLength, options }) => {
  try {
    parentPort.postMessage({ hash: scryptSync(password, salt, keyLength, options) })
  } catch (error) {
    parentPort.postMessage({ error: String(error && error.code || 'scrypt failed') })
  }
})
`

/**
 * scrypt on a few threads of its own, not on libuv's thread pool. The pool signs the access tokens
 * and is sized to leave the event loop a core (bin/keyshift.cjs), so it may have one thread: a
 * quarter-second scrypt there would hold up every token behind it, and wrong admin passwords sent
 * on purpose would hold up all of them. Here they only wait for each other, and fairly: every
 * queue (one per address) is first in, first out; a free thread takes the next check of the queue
 * served longest ago (a new queue first: round-robin), and a queue holds at most `maxPerQueue`
 * checks (the instance's own hashes excepted). A burst from one address therefore delays a sign-in
 * from another by the checks already running, one per thread, not by the burst. Threads start on
 * first use and keep the process alive only while they hash.
 */
export class ScryptPool {
  readonly threads: number
  readonly #maxPerQueue: number
  readonly #maxWaiting: number
  /** Waiting checks by queue, each in the order asked. */
  readonly #waiting = new Map<string, Queued[]>()
  /** Checks waiting or running, by queue. */
  readonly #perQueue = new Map<string, number>()
  /** When each queue with checks waiting or running was last served (a count of serves). */
  readonly #servedAt = new Map<string, number>()
  #serves = 0
  readonly #idle: Worker[] = []
  #started = 0
  #waitingCount = 0

  constructor({ threads = defaultThreads(), maxPerQueue = 4, maxWaiting = 1024 }: ScryptPoolOptions = {}) {
    this.threads = threads
    this.#maxPerQueue = maxPerQueue
    this.#maxWaiting = maxWaiting
  }

  /** The hash of `job`, once a thread took it from `queue`. Throws ScryptBusyError when full. */
  run(job: ScryptJob, queue: string): Promise<Buffer> {
    const held = this.#perQueue.get(queue) ?? 0
    const queueFull = queue !== OWN_QUEUE && held >= this.#maxPerQueue
    if (queueFull || this.#waitingCount >= this.#maxWaiting) {
      return Promise.reject(new ScryptBusyError())
    }
    this.#perQueue.set(queue, held + 1)
    return new Promise<Buffer>((resolve, reject) => {
      const waiting = this.#waiting.get(queue) ?? []
      waiting.push({ job, queue, resolve, reject })
      this.#waiting.set(queue, waiting)
      this.#waitingCount++
      this.#dispatch()
    })
  }

  /** Gives waiting checks to free threads, one queue after the other. */
  #dispatch(): void {
    for (let next = this.#next(); next; next = this.#next()) {
      const worker = this.#idle.pop() ?? this.#startThread()
      this.#runOn(worker, next)
    }
  }

  /**
   * The first check of the queue served longest ago (a queue never served first), when a thread is
   * free or may start.
   */
  #next(): Queued | undefined {
    if (this.#idle.length === 0 && this.#started >= this.threads) return undefined
    let turn: string | undefined
    for (const queue of this.#waiting.keys()) {
      if (turn === undefined || this.#lastServed(queue) < this.#lastServed(turn)) turn = queue
    }
    if (turn === undefined) return undefined
    const waiting = this.#waiting.get(turn) as Queued[]
    const next = waiting.shift() as Queued
    if (waiting.length === 0) this.#waiting.delete(turn)
    this.#waitingCount--
    this.#servedAt.set(turn, this.#serves++)
    return next
  }

  #lastServed(queue: string): number {
    return this.#servedAt.get(queue) ?? -1
  }

  #runOn(worker: Worker, { job, queue, resolve, reject }: Queued): void {
    worker.ref()
    const done = () => {
      worker.off('message', onMessage)
      worker.off('exit', onExit)
      this.#finished(queue)
    }
    const onMessage = (message: { hash?: Uint8Array; error?: string }) => {
      done()
      worker.unref()
      this.#idle.push(worker)
      if (message.hash) resolve(Buffer.from(message.hash))
      // The code only (such as ERR_CRYPTO_INVALID_SCRYPT_PARAMS): never anything of the password.
      else reject(new Error(`password hashing failed: ${message.error}`))
      this.#dispatch()
    }
    const onExit = (code: number) => {
      done()
      reject(new Error(`password hashing failed: its thread exited with code ${code}`))
      this.#dispatch()
    }
    worker.on('message', onMessage)
    worker.on('exit', onExit)
    const { password, salt, keyLength, cost } = job
    worker.postMessage({ password, salt, keyLength, options: { ...cost, maxmem: MAX_MEMORY } })
  }

  #finished(queue: string): void {
    const held = (this.#perQueue.get(queue) ?? 1) - 1
    if (held > 0) return void this.#perQueue.set(queue, held)
    this.#perQueue.delete(queue)
    this.#servedAt.delete(queue)
  }

  #startThread(): Worker {
    // execArgv []: the source is CommonJS, whatever flags the process got (--input-type=module).
    const worker = new Worker(SCRYPT_THREAD_SOURCE, { eval: true, execArgv: [] })
    worker.unref()
    // An error ends the thread: 'exit' follows and fails its check (#runOn).
    worker.on('error', () => {})
    worker.on('exit', () => {
      this.#started--
      const idle = this.#idle.indexOf(worker)
      if (idle >= 0) this.#idle.splice(idle, 1)
    })
    this.#started++
    return worker
  }
}

/**
 * One thread per core beyond the two that the event loop and the signing pool use, at least one and
 * at most two: fairness, not threads, bounds how long a sign-in waits, and every thread may take
 * 128 MiB while it hashes.
 */
function defaultThreads(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 2))
}

/** The pool every password hash and check of this process runs on. */
export const scryptPool = new ScryptPool()
