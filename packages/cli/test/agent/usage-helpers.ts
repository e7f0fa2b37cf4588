/** Harness of the usage tests: an agent on a folder that outlives it, a wall clock moved by hand. */
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Agent, type AgentOptions, buildAgent } from '../../src/agent/app.ts'
import { createLogger } from '../../src/agent/telemetry/logger.ts'
import type { UsageHour, UsageReport } from '../../src/agent/usage/report.ts'
import { type FakeInstance, startFakeInstance } from './fake-instance.ts'
import { call, ENV, waitFor } from './helpers.ts'

/** 2026-12-02T07:10:00Z: the tests never read today's date. */
export const T0 = Date.parse('2026-12-02T07:10:00.000Z')
export const HOUR = 3_600_000
export const DAY = 86_400_000

export class FakeClock {
  constructor(public time = T0) {}
  now = (): number => this.time
  advance(ms: number): void {
    this.time += ms
  }
}

export function fakeInstance(): Promise<FakeInstance> {
  return startFakeInstance({
    clients: { [ENV.ERP_CLIENT_ID]: ENV.ERP_CLIENT_SECRET, 'suppliers-client': ENV.SUPPLIER_CLIENT_SECRET },
    apiKeys: [ENV.EXPORT_API_KEY],
  })
}

/** A new folder for the configuration and its state_dir (`<dir>/state`). */
export function newFolder(): Promise<string> {
  return mkdtemp(join(tmpdir(), 'keyshift-usage-'))
}

export interface AgentInFolder {
  agent: Agent
  /** Closes the agent (once; later calls wait for the first). */
  close(): Promise<void>
  url: string
  logs: string[]
  configPath: string
  stateDir: string
}

/** Every agent started by startIn and not closed yet, for `closeAgents` after each test. */
const open = new Set<AgentInFolder>()

/** Closes the agents a test left running (it failed half-way), so that the file can end. */
export async function closeAgents(): Promise<void> {
  await Promise.all([...open].map((running) => running.close()))
}

/** Writes `yaml` into `dir` and starts an agent on it; the folder stays when the agent closes. */
export async function startIn(
  dir: string,
  yaml: string,
  options: Partial<AgentOptions> = {},
): Promise<AgentInFolder> {
  const configPath = join(dir, 'keyshift.yaml')
  await writeFile(configPath, yaml)
  const logs: string[] = []
  const logger = createLogger({ write: (line) => logs.push(line), level: 'debug' })
  const agent = await buildAgent({ configPath, env: ENV, logger, watch: false, ...options })
  let closing: Promise<void> | undefined
  const running: AgentInFolder = {
    agent,
    url: '',
    logs,
    configPath,
    stateDir: join(dir, 'state'),
    close() {
      open.delete(running)
      closing ??= agent.close()
      return closing
    },
  }
  open.add(running)
  running.url = (await agent.listen()).url
  return running
}

/** GET /v1/usage (with `query`), which must answer 200. */
export async function usageOf(url: string, query = ''): Promise<UsageReport> {
  const answer = await call(`${url}/v1/usage${query}`)
  if (answer.status !== 200) throw new Error(`GET /v1/usage answered ${answer.status}: ${answer.text}`)
  return answer.body as unknown as UsageReport
}

export function totalCalls(report: UsageReport): number {
  return report.hours.reduce((sum, hour) => sum + hour.calls, 0)
}

/** Waits until the agent has counted `calls` calls (a count lands when the answer is closed). */
export async function untilCounted(url: string, calls: number): Promise<UsageReport> {
  let report: UsageReport | undefined
  await waitFor(async () => {
    report = await usageOf(url)
    return totalCalls(report) === calls
  })
  return report as UsageReport
}

/** An hour of the report, written compactly: `[hour, integration, auth, resource, action, calls]`. */
export function hourRows(report: UsageReport): Array<[string, string, string, string, string, number]> {
  return report.hours.map((h: UsageHour) => [h.hour, h.integration, h.auth, h.resource, h.action, h.calls])
}
