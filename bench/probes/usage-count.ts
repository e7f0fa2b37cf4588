// Probe: the cost of counting one proxied call for usage (`record()` of the agent's usage tracker:
// classify the path, one Map increment), repeated, in a process of its own, and of the flush that
// writes the counts to usage.sqlite afterwards. Prints {"runs":[ns/call, …],"flushMs":[…]}.
// Run: ITERATIONS=1000000 REPETITIONS=5 node --import tsx bench/probes/usage-count.ts
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { AgentConfig } from '../../packages/cli/src/agent/config/types.ts'
import type { IntegrationRoute } from '../../packages/cli/src/agent/state.ts'
import { createLogger } from '../../packages/cli/src/agent/telemetry/logger.ts'
import { createUsageTracker } from '../../packages/cli/src/agent/usage/tracker.ts'

const iterations = Number(process.env.ITERATIONS ?? 1e6)
const repetitions = Number(process.env.REPETITIONS ?? 5)
const stateDir = mkdtempSync(join(tmpdir(), 'keyshift-usage-probe-'))
const config = {
  stateDir,
  usage: { enabled: true, retentionDays: 90 },
  integrations: new Map(),
} as unknown as AgentConfig
const route = { name: 'bench', instance: 'keyshift', auth: 'oauth' } as IntegrationRoute
const tracker = createUsageTracker({
  config,
  clock: { now: Date.now },
  logger: createLogger({ write: () => {}, level: 'silent' }),
  flushIntervalMs: 3_600_000,
})
// The agent-proxy target's call, on 10 000 ids.
const paths = Array.from({ length: 10_000 }, (_, i) => `/api/invoices/${i + 1}`)

const runs: number[] = []
const flushMs: number[] = []
for (let r = 0; r < repetitions; r++) {
  const start = process.hrtime.bigint()
  for (let i = 0; i < iterations; i++) tracker.record(route, 'GET', paths[i % paths.length] as string, 200)
  runs.push(Number(process.hrtime.bigint() - start) / iterations)
  const flushStart = process.hrtime.bigint()
  tracker.flush()
  flushMs.push(Number(process.hrtime.bigint() - flushStart) / 1e6)
}
tracker.close()
rmSync(stateDir, { recursive: true, force: true })
console.log(JSON.stringify({ runs, flushMs }))
