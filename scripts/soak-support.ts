/**
 * What the soaks share: starting their own `keyshift serve --demo` on a temporary data folder, and
 * reading its memory.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'

const KEYSHIFT_BIN = resolve(import.meta.dirname, '..', 'packages', 'cli', 'bin', 'keyshift.cjs')

export interface Target {
  url: string
  adminPassword: string
  child?: ChildProcess
  stop(): Promise<void>
}
export interface StartOptions {
  /** An empty PostgreSQL database on loopback; absent: the embedded store. */
  databaseUrl?: string | undefined
  /** Keep the core API's per-client rate limit (25/s, burst 20) on; the plain soak turns it off. */
  rateLimit?: boolean
}

/** Starts `keyshift serve --demo` on a temporary data folder and waits for its banner. */
export async function startInstance({ databaseUrl, rateLimit = false }: StartOptions = {}): Promise<Target> {
  const dataDir = await mkdtemp(join(tmpdir(), 'keyshift-soak-'))
  const adminPassword = randomBytes(16).toString('hex')
  const args = ['serve', '--demo', '--port', '0', '--data', dataDir]
  if (!rateLimit) args.push('--api-rate-limit', 'off')
  // On PostgreSQL (an empty database: the demo data and the admin are created in it).
  if (databaseUrl) args.push('--database-url', databaseUrl)
  const child = spawn(process.execPath, [KEYSHIFT_BIN, ...args], {
    env: { ...process.env, KEYSHIFT_ADMIN_PASSWORD: adminPassword, LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  const stop = async () => {
    if (child.exitCode === null && child.signalCode === null) {
      const exited = new Promise((done) => child.once('exit', done))
      child.kill('SIGTERM')
      await exited
    }
    await rm(dataDir, { recursive: true, force: true })
  }
  let output = ''
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(
      () => fail(new Error(`keyshift serve did not start in 60 s:\n${output}`)),
      60_000,
    )
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    child.stdout.on('data', (chunk) => {
      output += chunk
      const match = /Keyshift instance listening on (http:\/\/\S+)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        done(match[1])
      }
    })
    child.once('exit', (code) => fail(new Error(`keyshift serve exited with ${code}:\n${output}`)))
    child.once('error', fail)
  }).catch(async (error) => {
    await stop()
    throw error
  })
  return { url, adminPassword, child, stop }
}

export async function rssKiB(pid: number): Promise<number | undefined> {
  const status = await readFile(`/proc/${pid}/status`, 'utf8').catch(() => '')
  const match = /^VmRSS:\s+(\d+) kB/m.exec(status)
  return match?.[1] ? Number(match[1]) : undefined
}

export function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? 0
}
