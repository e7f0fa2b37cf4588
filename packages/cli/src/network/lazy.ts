/**
 * The context's network, loaded on first use: undici is in the bundle, but only commands that
 * send a request through a proxy or a private CA load it (cold start of the others unchanged).
 */
import type { FetchLike } from '@keyshift/client'
import { envProxyRules } from './cli.ts'
import type { Network } from './network.ts'
import type { NetworkSettings } from './settings.ts'

const PROXY_VARIABLES = ['https_proxy', 'HTTPS_PROXY', 'http_proxy', 'HTTP_PROXY']

function lazyFetch(load: () => Promise<FetchLike>): typeof fetch {
  let loaded: Promise<FetchLike> | undefined
  return async function networkFetch(input: string | URL | Request, init?: RequestInit) {
    loaded ??= load()
    return (await loaded)(input instanceof Request ? input.url : input, init)
  } as typeof fetch
}

/** A `fetch` through `settings` (proxy, extra CAs), on undici loaded at the first request. */
export function connect(settings: NetworkSettings): typeof fetch {
  return openNetwork(settings).fetch
}

/** Like network.ts's createNetwork, but undici is loaded at the first request only. */
export function openNetwork(settings: NetworkSettings): { fetch: typeof fetch; close(): Promise<void> } {
  let network: Promise<Network> | undefined
  const open = () => {
    network ??= import('./network.ts').then((module) => module.createNetwork(settings))
    return network
  }
  return {
    fetch: lazyFetch(async () => (await open()).fetch),
    async close() {
      if (network !== undefined) await (await network).close()
    },
  }
}

/** The global `fetch`, or one through the proxy when HTTPS_PROXY or HTTP_PROXY is set. */
export function environmentFetch(env: NodeJS.ProcessEnv): typeof fetch {
  if (!PROXY_VARIABLES.some((name) => (env[name] ?? '').trim() !== '')) return globalThis.fetch
  return lazyFetch(
    async () =>
      (await import('./network.ts')).createNetwork({ proxy: envProxyRules(env), ca: undefined }).fetch,
  )
}
