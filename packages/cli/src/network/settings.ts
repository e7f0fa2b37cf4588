/**
 * How one destination is reached: through which proxy, trusting which extra CAs. The same settings
 * build the `fetch` (network.ts) and the agent's keep-alive sockets (tunnel.ts), so both take the
 * same way.
 */
import { createHash } from 'node:crypto'
import type { ProxyRules } from '@keyshift/client'

export interface NetworkSettings {
  /** undefined: always direct. */
  proxy: ProxyRules | undefined
  /** PEM certificates trusted besides the default roots. */
  ca: readonly string[] | undefined
}

export const DIRECT: NetworkSettings = { proxy: undefined, ca: undefined }

/** Equal for equal settings: a changed proxy or CA means new connections. Holds no password. */
export function networkSignature(settings: NetworkSettings): string {
  const { proxy, ca } = settings
  const fields = [proxy?.http?.href, proxy?.https?.href, proxy?.noProxy, ca]
  return createHash('sha256').update(JSON.stringify(fields)).digest('hex')
}
