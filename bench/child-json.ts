// Runs a measuring tool (autocannon, a probe of bench/probes) as its own process, so that it does
// not share an event loop with anything, and reads the JSON summary it prints as one line.
import { startChild } from './helpers.ts'

export interface JsonChildOptions {
  args: string[]
  env?: Record<string, string>
  /** Killed after this long. */
  timeoutMs: number
}

/** Runs `node <args>` to its end and returns the last output line that is a JSON object. */
export async function runJsonChild(name: string, opts: JsonChildOptions): Promise<unknown> {
  const child = startChild(name, opts.args, opts.env)
  const watchdog = setTimeout(() => child.proc.kill('SIGKILL'), opts.timeoutMs)
  const code = await child.exited
  clearTimeout(watchdog)
  const output = child.logTail(1_000)
  const line = output
    .split('\n')
    .reverse()
    .find((l) => l.startsWith('{'))
  if (code !== 0 || !line) throw new Error(`${name} failed (exit ${code}):\n${child.logTail()}`)
  return JSON.parse(line)
}
