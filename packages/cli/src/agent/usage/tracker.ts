/**
 * Usage counting as the agent runs it: counts in memory on the proxy path (counter.ts), a flush
 * every few seconds and at close into `<state_dir>/usage.sqlite` (store.ts), the integrations of
 * each configuration loaded written down (flip detection), and the report and the metric read from
 * both the file and what is not flushed yet.
 */
import { createHash } from 'node:crypto'
import type { AgentConfig } from '../config/types.ts'
import type { IntegrationRoute } from '../state.ts'
import type { AgentLogger } from '../telemetry/logger.ts'
import { renderSamples, type Sample } from '../telemetry/metrics.ts'
import type { UsageBatch } from './batch.ts'
import { buildUsageReport, firstHourShown } from './build-report.ts'
import { createUsageCounter, MAX_PENDING_HOURS } from './counter.ts'
import type { UsageReport } from './report.ts'
import { type IntegrationRecord, openUsageStore, type UsageStore } from './store.ts'

/** Wall-clock time, ms since the epoch (not the agent's monotonic `now`). */
export interface WallClock {
  now(): number
}

export const DEFAULT_FLUSH_MS = 5000
/** Series of keyshift_agent_usage_calls_total kept; beyond, new ones are summed as `(other)`. */
export const MAX_METRIC_SERIES = 10_000
const OTHER = '(other)'
const DAY_MS = 86_400_000

export interface UsageTrackerOptions {
  /** The configuration the agent starts with. */
  config: AgentConfig
  clock: WallClock
  logger: AgentLogger
  /** How often counts are written to the file; default 5000 ms. */
  flushIntervalMs?: number
}

export interface UsageTracker {
  /** Counts one proxied call once answered (`status` 0: no answer was sent). Never throws. */
  record(route: IntegrationRoute, method: string, apiPath: string, status: number): void
  /** After a reload: writes the integrations down, applies `usage.enabled` and `retention_days`. */
  configure(config: AgentConfig): void
  /** The report, unflushed counts included; undefined while counting is off. */
  report(since?: number): UsageReport | undefined
  /** keyshift_agent_usage_calls_total, since the agent started. */
  metricLines(): string[]
  /** Writes what is pending now. */
  flush(): void
  /** Flushes and closes the file. */
  close(): void
}

/** The first 12 hex digits of the SHA-256 of an API key: names it without keeping it. */
export function keyFingerprint(apiKey: string): string {
  return createHash('sha256').update(apiKey).digest('hex').slice(0, 12)
}

function integrationRecords(config: AgentConfig): IntegrationRecord[] {
  return [...config.integrations.values()].map((integration) => ({
    integration: integration.name,
    instance: integration.instance,
    auth: integration.auth,
    client: integration.auth === 'oauth' ? (integration.client ?? null) : null,
    keyFingerprint:
      integration.auth === 'api_key' && integration.apiKey !== undefined
        ? keyFingerprint(integration.apiKey)
        : null,
  }))
}

/** Adds the calls of `batch` to `totals` (by label set; `(other)` beyond MAX_METRIC_SERIES). */
function addTotals(totals: Map<string, Sample>, batch: UsageBatch): void {
  for (const count of batch.hours) {
    const { instance, integration, auth } = count
    let { resource, action } = count
    let key = JSON.stringify([instance, integration, auth, resource, action])
    if (!totals.has(key) && totals.size >= MAX_METRIC_SERIES) {
      resource = OTHER
      action = OTHER
      key = JSON.stringify([instance, integration, auth, resource, action])
    }
    const sample = totals.get(key)
    if (sample !== undefined) sample.value += count.calls
    else totals.set(key, { labels: { instance, integration, auth, resource, action }, value: count.calls })
  }
}

/**
 * Starts counting for `options.config` (when `usage.enabled`), opening the usage file at once so
 * that a state_dir that cannot be written fails the start, not the first request.
 *
 * @throws {AgentError} KS_AGENT_USAGE_UNAVAILABLE when the usage file cannot be opened.
 */
export function createUsageTracker(options: UsageTrackerOptions): UsageTracker {
  const { clock, logger } = options
  const counter = createUsageCounter()
  /** Calls written to the file since start, for the metric. */
  const totals = new Map<string, Sample>()
  const fingerprints = new WeakMap<IntegrationRoute, string>()
  let config = options.config
  let store: UsageStore | undefined = config.usage.enabled ? openUsageStore(config.stateDir) : undefined
  store?.recordIntegrations(integrationRecords(config), clock.now())
  const timer = setInterval(flush, options.flushIntervalMs ?? DEFAULT_FLUSH_MS)
  timer.unref()

  function fingerprintOf(route: IntegrationRoute): string | undefined {
    if (route.auth !== 'api_key' || route.apiKey === undefined) return undefined
    let fingerprint = fingerprints.get(route)
    if (fingerprint === undefined) {
      fingerprint = keyFingerprint(route.apiKey)
      fingerprints.set(route, fingerprint)
    }
    return fingerprint
  }

  function flush(): void {
    if (store === undefined) return
    const batch = counter.drain()
    const cutoff = clock.now() - config.usage.retentionDays * DAY_MS
    try {
      store.write(batch, cutoff)
      addTotals(totals, batch)
    } catch (error) {
      if (batch.hours.length >= MAX_PENDING_HOURS) {
        const calls = batch.hours.reduce((sum, count) => sum + count.calls, 0)
        logger.error({ error, calls }, 'cannot write the usage file; dropped counts to bound memory')
      } else {
        counter.restore(batch)
        logger.warn({ error }, 'cannot write the usage file; the counts are kept for the next flush')
      }
    }
  }

  function configure(next: AgentConfig): void {
    config = next
    if (!next.usage.enabled) {
      flush()
      store?.close()
      store = undefined
      return
    }
    try {
      store ??= openUsageStore(next.stateDir)
      store.recordIntegrations(integrationRecords(next), clock.now())
    } catch (error) {
      logger.error({ error }, 'cannot record the integrations in the usage file')
    }
  }

  return {
    record(route, method, apiPath, status) {
      if (store === undefined) return
      counter.count({
        instance: route.instance,
        integration: route.name,
        auth: route.auth,
        keyFingerprint: fingerprintOf(route),
        method,
        apiPath,
        status,
        at: clock.now(),
      })
      if (counter.full()) flush()
    },
    configure,
    report(since) {
      if (store === undefined) return undefined
      const now = clock.now()
      const { retentionDays } = config.usage
      const stored = store.read(firstHourShown(now, retentionDays, since))
      return buildUsageReport(stored, counter.peek(), { now, retentionDays, since })
    },
    metricLines() {
      const shown = new Map([...totals].map(([key, sample]) => [key, { ...sample }]))
      addTotals(shown, counter.peek())
      return renderSamples(
        'keyshift_agent_usage_calls_total',
        'counter',
        'Proxied calls counted for usage, by instance, integration, auth mode and resource#action.',
        [...shown.values()],
      )
    },
    flush,
    close() {
      clearInterval(timer)
      flush()
      store?.close()
      store = undefined
    },
  }
}
