/**
 * Starts the real `keyshift serve` process on a free loopback port with a fresh data folder, as a
 * user would, and reads what it prints.
 */
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtemp, readFile, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { promisify } from 'node:util'

export const REPO = resolve(import.meta.dirname, '..', '..')
export const KEYSHIFT_BIN = join(REPO, 'packages', 'cli', 'bin', 'keyshift.cjs')

export interface ServedInstance {
  url: string
  dataDir: string
  process: ChildProcess
  /** Everything the process printed so far (stdout and stderr). */
  output(): string
  /** The demo client (with `--demo`): its id from the banner, its secret from the data folder. */
  demoClient(): Promise<{ clientId: string; clientSecret: string; scope: string }>
  stop(): Promise<void>
}

export interface ServeOptions {
  env?: NodeJS.ProcessEnv
  /** An existing data folder (a restart); a fresh temporary one by default. */
  dataDir?: string
}

export async function serve(
  args: string[] = [],
  { env = {}, dataDir: existing }: ServeOptions = {},
): Promise<ServedInstance> {
  const dataDir = existing ?? (await mkdtemp(join(tmpdir(), 'keyshift-e2e-')))
  const child = spawn(process.execPath, [KEYSHIFT_BIN, 'serve', '--port', '0', '--data', dataDir, ...args], {
    cwd: REPO,
    env: { ...process.env, LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  })
  let output = ''
  child.stdout?.on('data', (chunk) => {
    output += chunk
  })
  child.stderr?.on('data', (chunk) => {
    output += chunk
  })
  const url = await new Promise<string>((resolveUrl, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`keyshift serve did not start in 30 s:\n${output}`)),
      30_000,
    )
    const look = () => {
      const match = /Keyshift instance listening on (http:\/\/\S+)/.exec(output)
      if (match?.[1]) {
        clearTimeout(timer)
        resolveUrl(match[1])
      }
    }
    child.stdout?.on('data', look)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`keyshift serve exited with ${code}:\n${output}`))
    })
  })
  return {
    url,
    dataDir,
    process: child,
    output: () => output,
    async demoClient() {
      const match = /client_id=([0-9a-f]{32})&grant_type=client_credentials&scope=([^&]+)&/.exec(output)
      if (!match?.[1] || !match[2]) throw new Error(`no demo client in the banner:\n${output}`)
      const clientSecret = (await readFile(join(dataDir, 'demo-client-secret.txt'), 'utf8')).trim()
      return { clientId: match[1], clientSecret, scope: match[2] }
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        const exited = new Promise((done) => child.once('exit', done))
        child.kill('SIGTERM')
        await exited
      }
      await rm(dataDir, { recursive: true, force: true })
    },
  }
}

/** The guide's step 3, word for word: `curl -X POST … /oauth2/token`; answers the parsed JSON body. */
export async function curlToken(
  tokenUrl: string,
  client: { clientId: string; clientSecret: string; scope: string },
): Promise<Record<string, unknown>> {
  const { stdout } = await promisify(execFile)('curl', [
    '-s',
    '-X',
    'POST',
    '-H',
    'Content-Type: application/x-www-form-urlencoded',
    '-d',
    `client_id=${client.clientId}&grant_type=client_credentials&scope=${client.scope}&client_secret=${client.clientSecret}`,
    tokenUrl,
  ])
  return JSON.parse(stdout)
}
