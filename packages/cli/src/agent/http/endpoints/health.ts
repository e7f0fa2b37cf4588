/**
 * `GET /healthz`: 200 `{"status":"ok","instances":{…}}` while every client has a usable token,
 * 503 `{"status":"unavailable",…}` while one has none (pending or failing). A client whose refresh
 * fails but whose token is still valid is `stale`: still 200, and worth an alert.
 */
import type { AgentState } from '../../state.ts'
import { isUsable, type TokenState } from '../../tokens/status.ts'
import type { RequestContext } from '../context.ts'
import { sendJson } from '../respond.ts'

export interface ClientHealth {
  state: TokenState
  expires_in: number | undefined
  refresh_failures: number
}

export interface HealthBody {
  status: 'ok' | 'unavailable'
  instances: Record<string, Record<string, ClientHealth>>
  config: { loaded_at: string; last_reload_error?: { at: string; message: string; details: string[] } }
}

/** The health of every client of `state` at monotonic time `now`. */
export function healthOf(state: AgentState, now: number): Omit<HealthBody, 'config'> {
  const instances: HealthBody['instances'] = {}
  let usable = true
  for (const instance of state.config.instances.keys()) instances[instance] = {}
  for (const entry of state.clients.values()) {
    const tokenState = entry.status.state(now)
    if (!isUsable(tokenState)) usable = false
    const expiresIn = entry.status.expiresInSeconds(now)
    const failures = [...entry.status.failures().values()].reduce((sum, count) => sum + count, 0)
    const clients = instances[entry.config.instance] ?? {}
    clients[entry.config.name] = {
      state: tokenState,
      expires_in: expiresIn === undefined ? undefined : Math.max(0, Math.floor(expiresIn)),
      refresh_failures: failures,
    }
    instances[entry.config.instance] = clients
  }
  return { status: usable ? 'ok' : 'unavailable', instances }
}

export async function health(context: RequestContext): Promise<void> {
  const { state, deps, res } = context
  const body: HealthBody = {
    ...healthOf(state, deps.now()),
    config: { loaded_at: deps.reloadStatus().loadedAt },
  }
  const lastError = deps.reloadStatus().lastError
  if (lastError !== undefined) body.config.last_reload_error = lastError
  sendJson(res, body.status === 'ok' ? 200 : 503, body)
}
