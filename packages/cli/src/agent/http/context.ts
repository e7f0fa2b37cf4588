/** What every endpoint of the local service receives. */
import type { IncomingMessage, ServerResponse } from 'node:http'
import type { AgentState } from '../state.ts'
import type { AgentLogger } from '../telemetry/logger.ts'
import type { AgentMetrics } from '../telemetry/metrics.ts'
import type { NetworkPool } from '../upstream/networks.ts'
import type { UsageTracker } from '../usage/tracker.ts'
import type { RequestTarget } from './target.ts'

/** The outcome of the last configuration reload, for /healthz. */
export interface ReloadStatus {
  /** Wall-clock ISO time the running configuration was loaded. */
  loadedAt: string
  /** The last failed reload's message and problems, cleared by a successful one. */
  lastError: { at: string; message: string; details: string[] } | undefined
}

/** Lives as long as the agent: the same across reloads. */
export interface ServiceDeps {
  metrics: AgentMetrics
  logger: AgentLogger
  /** Monotonic milliseconds. */
  now: () => number
  /** The connections of each instance's network settings. */
  networks: NetworkPool
  /** Request bodies up to this many bytes are buffered and replayed once after a 401. */
  replayLimit: number
  upstreamTimeoutMs: number
  reloadStatus(): ReloadStatus
  /** Counts proxied calls per hour and resource#action; answers /v1/usage. */
  usage: UsageTracker
}

export interface RequestContext {
  req: IncomingMessage
  res: ServerResponse
  /** The snapshot taken when the request arrived; used to the end of the request. */
  state: AgentState
  deps: ServiceDeps
  /** Path and query of the request, parsed (dot segments resolved). */
  target: RequestTarget
}
