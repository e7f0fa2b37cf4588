// Shared helpers for the benchmark: free ports, child processes that are always cleaned up,
// waiting for a server to answer, and one-off HTTP requests.
import { type ChildProcess, spawn } from 'node:child_process'
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { request as httpRequest } from 'node:http'
import { createServer } from 'node:net'
import { cpus, tmpdir } from 'node:os'
import { dirname, join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import type { Timings } from './timings.ts'

export const HOST = '127.0.0.1'
export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..')

/** Everything a running target needs to be loaded; `stop` kills the server. */
export interface RunningTarget {
  url: string
  /** Every node's URL for the same request (`url` first) when the load is spread over several. */
  urls?: string[]
  method: 'GET' | 'POST'
  headers: Record<string, string>
  /** Request body; none for GET. */
  body?: string
  /** Throws when the response of a single request is not what the target should answer. */
  check: (status: number, body: string) => void
  stop: () => Promise<void>
  /** Last lines of the server's output, for error messages. */
  logTail: (lines?: number) => string
  /** Precise timings taken after the warm-up load, before the measured one. */
  timings?: () => Promise<Timings>
  /**
   * Also load a bare node:http server answering the very response this target answered
   * (bench/targets/bare-same-bytes.ts): the limit of sending those bytes, to compare against.
   */
  sameBytes?: boolean
}

const children = new Set<ChildProcess>()
let profileDir: string | undefined

/** From now on, Keyshift's processes write CPU profiles (`--cpu-prof`) into `dir`/<process name>. */
export function profileInto(dir: string): void {
  profileDir = dir
}

/**
 * Node's flags for a Keyshift process (server or agent) named `name`: `--cpu-prof` into its own
 * folder when the run profiles (`--profile`), none otherwise. The profile is written when it exits.
 */
export function profileFlags(name: string): string[] {
  return profileDir ? ['--cpu-prof', `--cpu-prof-dir=${join(profileDir, name)}`] : []
}
let workDir: string | undefined

/** One temp dir per run for server logs and data; removed by `cleanup`. */
export function benchDir(): string {
  workDir ??= mkdtempSync(join(tmpdir(), 'keyshift-bench-'))
  return workDir
}

export function freePort(): Promise<number> {
  return new Promise((res, rej) => {
    const srv = createServer()
    srv.unref()
    srv.on('error', rej)
    srv.listen(0, HOST, () => {
      const addr = srv.address()
      const port = typeof addr === 'object' && addr ? addr.port : 0
      srv.close(() => (port ? res(port) : rej(new Error('no free port'))))
    })
  })
}

export interface Child {
  proc: ChildProcess
  name: string
  logFile: string
  exited: Promise<number | null>
  /** Last lines of the child's output, for error messages. */
  logTail: (lines?: number) => string
  stop: () => Promise<void>
}

/**
 * Starts a child process whose output goes to a log file (not through this process, which would
 * compete with the load generator for CPU). The child is killed on exit, Ctrl-C and errors.
 */
export function startChild(name: string, args: string[], env: Record<string, string> = {}): Child {
  const logFile = join(benchDir(), `${name}.log`)
  const fd = openSync(logFile, 'w')
  const proc = spawn(process.execPath, args, {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', fd, fd],
  })
  closeSync(fd)
  children.add(proc)
  const exited = new Promise<number | null>((res) => {
    proc.on('exit', (code, signal) => {
      children.delete(proc)
      res(code ?? (signal ? -1 : null))
    })
    proc.on('error', () => {
      children.delete(proc)
      res(-1)
    })
  })
  const logTail = (lines = 30) => {
    try {
      return readFileSync(logFile, 'utf8').trimEnd().split('\n').slice(-lines).join('\n')
    } catch {
      return ''
    }
  }
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return
    proc.kill('SIGTERM')
    const timer = setTimeout(() => proc.kill('SIGKILL'), 3000)
    await exited
    clearTimeout(timer)
  }
  return { proc, name, logFile, exited, logTail, stop }
}

/** Stops `child` after `err` and throws `err` with the last lines of the child's log added. */
export async function stopWithLog(child: Child, err: unknown): Promise<never> {
  const tail = child.logTail()
  await child.stop()
  throw new Error(`${(err as Error).message}${tail ? `\n--- ${child.name} log ---\n${tail}` : ''}`)
}

/** Kills every child still running and removes the temp dir. Synchronous, so it works in 'exit'. */
export function cleanup(): void {
  for (const proc of children) proc.kill('SIGKILL')
  children.clear()
  if (workDir) rmSync(workDir, { recursive: true, force: true })
  workDir = undefined
}

let installed = false
export function installCleanupHandlers(): void {
  if (installed) return
  installed = true
  process.on('exit', cleanup)
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.on(signal, () => {
      console.error(`\n${signal}: stopping servers`)
      cleanup()
      process.exit(130)
    })
  }
}

export interface HttpResult {
  status: number
  body: string
}

export async function request(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpResult> {
  const res = await fetch(url, { ...init, signal: AbortSignal.timeout(10_000) })
  return { status: res.status, body: await res.text() }
}

/** Headers that belong to one connection or one moment, not to the response a reference replays. */
const PER_CONNECTION = new Set(['date', 'connection', 'keep-alive', 'content-length', 'transfer-encoding'])

/** A response as `recordResponse` stores it: the body in base64. */
interface StoredResponse {
  status: number
  headers: [string, string][]
  body: string
}

/** A response recorded by `recordResponse`, for a reference server to answer again. */
export interface RecordedResponse {
  status: number
  /** Its headers, without the per-connection ones. */
  headers: [string, string][]
  body: Buffer
}

/** Reads back the file `recordResponse` wrote. */
export function loadRecordedResponse(file: string): RecordedResponse {
  const stored = JSON.parse(readFileSync(file, 'utf8')) as StoredResponse
  return { status: stored.status, headers: stored.headers, body: Buffer.from(stored.body, 'base64') }
}

/**
 * Sends one request and writes the response it gets (status, headers but the per-connection ones,
 * body as base64) to a JSON file in the run's temp dir, for bench/targets/bare-same-bytes.ts.
 * Returns the file and the body's size in bytes.
 */
export function recordResponse(
  name: string,
  url: string,
  init: { method: string; headers: Record<string, string>; body?: string },
): Promise<{ file: string; bytes: number }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: init.method, headers: init.headers }, (res) => {
      const chunks: Buffer[] = []
      res.on('data', (chunk: Buffer) => chunks.push(chunk))
      res.on('error', reject)
      res.on('end', () => {
        const headers: [string, string][] = []
        for (let i = 0; i < res.rawHeaders.length; i += 2) {
          const key = res.rawHeaders[i] ?? ''
          if (!PER_CONNECTION.has(key.toLowerCase())) headers.push([key, res.rawHeaders[i + 1] ?? ''])
        }
        const body = Buffer.concat(chunks)
        const file = join(benchDir(), `${name}.response.json`)
        const recorded: StoredResponse = {
          status: res.statusCode ?? 0,
          headers,
          body: body.toString('base64'),
        }
        writeFileSync(file, JSON.stringify(recorded))
        resolve({ file, bytes: body.length })
      })
    })
    req.on('error', reject)
    req.setTimeout(10_000, () => req.destroy(new Error(`${url} did not answer within 10 s`)))
    req.end(init.body)
  })
}

/** Share of CPU time (0–100) the whole machine was busy during the next `ms`: other work skews numbers. */
export async function machineBusy(ms = 1000): Promise<number> {
  const total = () =>
    cpus().reduce(
      (acc, c) => {
        const t = c.times
        acc.all += t.user + t.nice + t.sys + t.irq + t.idle
        acc.idle += t.idle
        return acc
      },
      { all: 0, idle: 0 },
    )
  const a = total()
  await sleep(ms)
  const b = total()
  const all = b.all - a.all
  return all > 0 ? Math.round((100 * (all - (b.idle - a.idle))) / all) : 0
}

const sleep = (ms: number) => new Promise((res) => setTimeout(res, ms))

/** Polls `url` with GET until it answers 200; fails when the child exits or time runs out. */
export async function waitForOk(url: string, child: Child, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  let exitCode: number | null | undefined
  void child.exited.then((code) => {
    exitCode = code
  })
  let last = 'no answer'
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`${child.name} exited (code ${exitCode}) before ${url} answered 200`)
    }
    try {
      const res = await request(url)
      if (res.status === 200) return
      last = `status ${res.status}`
    } catch (err) {
      last = (err as Error).message
    }
    await sleep(200)
  }
  throw new Error(`${child.name}: ${url} did not answer 200 within ${timeoutMs} ms (last: ${last})`)
}

export function isJwt(value: unknown): boolean {
  return typeof value === 'string' && /^[\w-]+\.[\w-]+\.[\w-]+$/.test(value)
}

export function parseJson(body: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(body)
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>
  } catch {}
  throw new Error(`${what}: expected a JSON object, got ${body.slice(0, 200)}`)
}
