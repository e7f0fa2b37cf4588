/**
 * Prometheus text exposition (version 0.0.4), enough for the agent: counters, gauges and one
 * histogram, labelled. One registry per agent, kept across reloads.
 * https://prometheus.io/docs/instrumenting/exposition_formats/#text-based-format
 */

export type Labels = Readonly<Record<string, string>>

export interface Sample {
  labels: Labels
  value: number
}

/** Label values escaped as the format requires: backslash, double quote, newline. */
function labelText(labels: Labels): string {
  const pairs = Object.entries(labels).map(
    ([name, value]) => `${name}="${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`,
  )
  return pairs.length === 0 ? '' : `{${pairs.join(',')}}`
}

/** Keys of label sets already seen: the proxy passes the same objects on every request (proxy.ts). */
const labelKeys = new WeakMap<Labels, string>()

function labelKey(labels: Labels): string {
  let key = labelKeys.get(labels)
  if (key === undefined) {
    key = JSON.stringify(Object.entries(labels))
    labelKeys.set(labels, key)
  }
  return key
}

function header(name: string, type: string, help: string): string[] {
  return [`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`]
}

export interface Counter {
  inc(labels: Labels, by?: number): void
  render(): string[]
}

/** A counter: only goes up; series appear on first use. */
export function createCounter(name: string, help: string): Counter {
  const samples = new Map<string, Sample>()
  return {
    inc(labels, by = 1) {
      const key = labelKey(labels)
      const sample = samples.get(key)
      if (sample === undefined) samples.set(key, { labels, value: by })
      else sample.value += by
    },
    render() {
      const lines = [...samples.values()].map(
        (sample) => `${name}${labelText(sample.labels)} ${sample.value}`,
      )
      return [...header(name, 'counter', help), ...lines]
    },
  }
}

/** A gauge or counter whose samples are read when rendered (e.g. from the token managers). */
export function renderSamples(
  name: string,
  type: 'gauge' | 'counter',
  help: string,
  samples: Sample[],
): string[] {
  const lines = samples.map((sample) => `${name}${labelText(sample.labels)} ${formatNumber(sample.value)}`)
  return [...header(name, type, help), ...lines]
}

function formatNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN'
  if (!Number.isFinite(value)) return value > 0 ? '+Inf' : '-Inf'
  return String(Math.round(value * 1000) / 1000)
}

/** Upper bounds in seconds: a loopback hop is milliseconds, a Coupa list call can be seconds. */
export const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30]

interface HistogramSeries {
  labels: Labels
  counts: number[]
  sum: number
  count: number
}

export interface Histogram {
  observe(labels: Labels, value: number): void
  render(): string[]
}

/** A histogram with fixed `buckets` (upper bounds, ascending). */
export function createHistogram(name: string, help: string, buckets: readonly number[]): Histogram {
  const series = new Map<string, HistogramSeries>()
  return {
    observe(labels, value) {
      const key = labelKey(labels)
      let entry = series.get(key)
      if (entry === undefined) {
        entry = { labels, counts: buckets.map(() => 0), sum: 0, count: 0 }
        series.set(key, entry)
      }
      for (let i = 0; i < buckets.length; i++)
        if (value <= (buckets[i] as number)) entry.counts[i] = (entry.counts[i] ?? 0) + 1
      entry.sum += value
      entry.count += 1
    },
    render() {
      const lines = header(name, 'histogram', help)
      for (const entry of series.values()) {
        buckets.forEach((bound, i) => {
          lines.push(`${name}_bucket${labelText({ ...entry.labels, le: String(bound) })} ${entry.counts[i]}`)
        })
        lines.push(`${name}_bucket${labelText({ ...entry.labels, le: '+Inf' })} ${entry.count}`)
        lines.push(`${name}_sum${labelText(entry.labels)} ${formatNumber(entry.sum)}`)
        lines.push(`${name}_count${labelText(entry.labels)} ${entry.count}`)
      }
      return lines
    },
  }
}

/** The agent's own metrics; token metrics are read from the token pool when rendered. */
export interface AgentMetrics {
  requests: Counter
  upstreamSeconds: Histogram
  replays: Counter
  localAuthFailures: Counter
  reloads: Counter
}

export function createAgentMetrics(): AgentMetrics {
  return {
    requests: createCounter(
      'keyshift_agent_proxied_requests_total',
      'Requests proxied to an instance, by integration, auth mode and status class of the answer.',
    ),
    upstreamSeconds: createHistogram(
      'keyshift_agent_upstream_latency_seconds',
      'Time from sending a request to the instance until its response headers arrived.',
      LATENCY_BUCKETS,
    ),
    replays: createCounter(
      'keyshift_agent_replays_total',
      'Requests replayed once with a new token after the instance answered 401.',
    ),
    localAuthFailures: createCounter(
      'keyshift_agent_local_auth_failures_total',
      'Requests refused because the local secret was missing or wrong.',
    ),
    reloads: createCounter('keyshift_agent_config_reloads_total', 'Configuration reloads, by result.'),
  }
}

/** `2xx`, `4xx`, …: the status class label. */
export function statusClass(status: number): string {
  return `${Math.floor(status / 100)}xx`
}
