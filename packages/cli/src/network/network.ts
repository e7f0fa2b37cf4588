/**
 * A `fetch` that honours a proxy and extra CAs, on undici (bundled into the CLI): Node 20's global
 * `fetch` reads neither HTTPS_PROXY nor NO_PROXY. Each request picks its way by URL: undici's
 * ProxyAgent (a CONNECT tunnel for https) or a direct Agent.
 */
import { type FetchLike, proxyForUrl } from '@keyshift/client'
import { Agent, type Dispatcher, ProxyAgent, fetch as undiciFetch } from 'undici'
import { trustedCas } from './ca.ts'
import type { NetworkSettings } from './settings.ts'

export interface Network {
  fetch: FetchLike
  /** The proxy a URL goes through, or undefined when it is reached directly. */
  proxyFor(url: URL): URL | undefined
  close(): Promise<void>
}

/** Builds the dispatchers lazily: a command that sends nothing opens nothing. */
export function createNetwork(settings: NetworkSettings): Network {
  const ca = trustedCas(settings.ca)
  const tls = ca === undefined ? {} : { ca }
  const dispatchers = new Map<string, Dispatcher>()

  function proxyFor(url: URL): URL | undefined {
    return settings.proxy === undefined ? undefined : proxyForUrl(url, settings.proxy)
  }

  function dispatcherFor(url: URL): Dispatcher {
    const proxy = proxyFor(url)
    const key = proxy?.href ?? 'direct'
    let dispatcher = dispatchers.get(key)
    if (dispatcher === undefined) {
      dispatcher =
        proxy === undefined
          ? new Agent({ connect: tls })
          : new ProxyAgent({ uri: proxy.href, requestTls: tls, proxyTls: tls })
      dispatchers.set(key, dispatcher)
    }
    return dispatcher
  }

  const networkFetch = function networkFetch(input: string | URL, init?: RequestInit) {
    const url = new URL(input)
    return undiciFetch(url, { ...(init as object), dispatcher: dispatcherFor(url) })
  } as unknown as FetchLike

  return {
    fetch: networkFetch,
    proxyFor,
    async close() {
      await Promise.all([...dispatchers.values()].map((dispatcher) => dispatcher.close()))
      dispatchers.clear()
    },
  }
}
