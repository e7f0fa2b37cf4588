/** Starts the real `keyshift agent` process on a configuration file and waits until it is healthy. */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { promisify } from 'node:util'
import { KEYSHIFT_BIN, REPO } from './serve.ts'

export interface RunningAgent {
  process: ChildProcess
  output(): string
  stop(): Promise<void>
}

export async function startAgent(
  configFile: string,
  agentUrl: string,
  env: NodeJS.ProcessEnv,
): Promise<RunningAgent> {
  const child = spawn(process.execPath, [KEYSHIFT_BIN, 'agent', '--config', configFile], {
    cwd: REPO,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  await waitFor(
    async () => (await fetch(`${agentUrl}/healthz`)).status === 200,
    () => output,
  )
  return {
    process: child,
    output: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return
      const exited = new Promise((done) => child.once('exit', done))
      child.kill('SIGTERM')
      await exited
    },
  }
}

/** Polls `check` every 100 ms until it is true; on time-out throws with the process output. */
export async function waitFor(check: () => Promise<boolean>, log: () => string, ms = 20_000): Promise<void> {
  const until = performance.now() + ms
  for (;;) {
    try {
      if (await check()) return
    } catch {}
    if (performance.now() > until) throw new Error(`timed out; output:\n${log()}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer()
    server.once('error', reject)
    server.listen(0, '127.0.0.1', () => {
      const address = server.address()
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      )
    })
  })
}

/** Runs `keyshift <args>` as a user would; resolves with its exit code and output. */
export async function keyshift(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [KEYSHIFT_BIN, ...args], {
      cwd: REPO,
      env: { ...process.env, ...env },
    })
    return { code: 0, stdout, stderr }
  } catch (error) {
    const e = error as { code?: number; stdout?: string; stderr?: string }
    return { code: typeof e.code === 'number' ? e.code : 1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' }
  }
}
