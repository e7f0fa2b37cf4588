import { randomBytes, timingSafeEqual } from 'node:crypto'
import { Worker } from 'node:worker_threads'

// OWASP's scrypt minimum is N=2^17, r=8, p=1: admin passwords are chosen by people.
const PARAMS = { N: 2 ** 17, r: 8, p: 1 }
const MAX_MEMORY = 256 * 1024 * 1024
const KEY_LENGTH = 32

/** Hashes a password a person chose: `scrypt$N$r$p$salt$hash` (salt and hash base64url). */
export async function hashPassword(password: string): Promise<string> {
  const salt = randomBytes(16)
  const hash = await scryptThread.run(password, salt, KEY_LENGTH, PARAMS)
  return [
    'scrypt',
    PARAMS.N,
    PARAMS.r,
    PARAMS.p,
    salt.toString('base64url'),
    hash.toString('base64url'),
  ].join('$')
}

/** True when `password` matches `encoded`; compares in constant time. */
export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const [scheme, n, r, p, salt, hash] = encoded.split('$')
  if (scheme !== 'scrypt' || !salt || !hash) return false
  const expected = Buffer.from(hash, 'base64url')
  const actual = await scryptThread.run(password, Buffer.from(salt, 'base64url'), expected.length, {
    N: Number(n),
    r: Number(r),
    p: Number(p),
  })
  return timingSafeEqual(actual, expected)
}

interface ScryptCost {
  N: number
  r: number
  p: number
}

/** What the thread runs: one scrypt at a time, in the order asked. */
const SCRYPT_THREAD_SOURCE = `
const { parentPort } = require('node:worker_threads')
const { scryptSync } = require('node:crypto')
parentPort.on('message', ({ id, password, salt, keyLength, options }) => {
  try {
    parentPort.postMessage({ id, hash: scryptSync(password, salt, keyLength, options) })
  } catch (error) {
    parentPort.postMessage({ id, error: String(error && error.code || 'scrypt failed') })
  }
})
`

/**
 * scrypt on a thread of its own, not on libuv's thread pool. The pool signs the access tokens and
 * is sized to leave the event loop a core (bin/keyshift.cjs), so it may have one thread: a
 * quarter-second scrypt there would hold up every token behind it, and wrong admin passwords sent
 * on purpose would hold up all of them. Here they only wait for each other. The thread starts on
 * first use and keeps the process alive only while a hash is being computed.
 */
class ScryptThread {
  #worker: Worker | undefined
  #nextId = 0
  readonly #pending = new Map<number, { resolve: (hash: Buffer) => void; reject: (error: Error) => void }>()

  run(password: string, salt: Buffer, keyLength: number, cost: ScryptCost): Promise<Buffer> {
    const worker = this.#start()
    const id = this.#nextId++
    const options = { ...cost, maxmem: MAX_MEMORY }
    return new Promise((resolve, reject) => {
      this.#pending.set(id, { resolve, reject })
      if (this.#pending.size === 1) worker.ref()
      worker.postMessage({ id, password, salt, keyLength, options })
    })
  }

  #start(): Worker {
    if (this.#worker) return this.#worker
    // execArgv []: the source is CommonJS, whatever flags the process got (--input-type=module).
    const worker = new Worker(SCRYPT_THREAD_SOURCE, { eval: true, execArgv: [] })
    worker.unref()
    worker.on('message', (message: { id: number; hash?: Uint8Array; error?: string }) => {
      const job = this.#pending.get(message.id)
      if (!job) return
      this.#pending.delete(message.id)
      if (this.#pending.size === 0) worker.unref()
      if (message.hash) job.resolve(Buffer.from(message.hash))
      // The code only (such as ERR_CRYPTO_INVALID_SCRYPT_PARAMS): never anything of the password.
      else job.reject(new Error(`password hashing failed: ${message.error}`))
    })
    const fail = (reason: string) => {
      if (this.#worker !== worker) return
      this.#worker = undefined
      const jobs = [...this.#pending.values()]
      this.#pending.clear()
      for (const job of jobs) job.reject(new Error(`password hashing failed: ${reason}`))
    }
    worker.on('error', (error) => fail(error.name))
    worker.on('exit', (code) => fail(`its thread exited with code ${code}`))
    this.#worker = worker
    return worker
  }
}

const scryptThread = new ScryptThread()
