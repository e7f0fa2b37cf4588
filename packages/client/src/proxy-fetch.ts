/**
 * The `proxy` option: a `fetch` that goes through the proxy of proxy.ts. Node 20's global `fetch`
 * ignores the proxy variables and has no proxy of its own, so the connection is undici's
 * `ProxyAgent`. undici is an optional peer dependency, loaded on the first request only when the
 * option is used: the library itself keeps no dependency.
 */
import { invalidArgument } from './errors.ts'
import type { FetchLike } from './http.ts'
import { type ProxyEnv, type ProxyOption, type ProxyRules, proxyForUrl, proxyRulesFor } from './proxy.ts'

/** The parts of the undici package used here. */
interface UndiciModule {
  fetch: (input: string | URL, init: object) => Promise<Response>
  Agent: new () => unknown
  ProxyAgent: new (options: { uri: string }) => unknown
}

/** Kept in a variable so that bundlers leave the import to run time. */
const UNDICI = 'undici'

async function loadUndici(): Promise<UndiciModule> {
  try {
    return (await import(UNDICI)) as UndiciModule
  } catch (error) {
    throw invalidArgument('the proxy option needs the undici package: npm install undici', error)
  }
}

/**
 * A `fetch` that sends each request through the proxy the rules name for its URL, or directly.
 * `env` defaults to `process.env` (read once, here: the option asked for the environment).
 *
 * @throws {ClientError} KS_CLIENT_INVALID_ARGUMENT when the proxy URL is not an http(s) URL (at
 *   once), or, on the first request, when undici is not installed.
 * @example
 * const fetch = createProxyFetch('env')
 * createTokenManager({ ...options, fetch })
 */
export function createProxyFetch(option: ProxyOption, env: ProxyEnv = process.env): FetchLike {
  const rules: ProxyRules = proxyRulesFor(option, env)
  let undici: Promise<UndiciModule> | undefined
  let direct: unknown
  const proxies = new Map<string, unknown>()
  return async function proxyFetch(input, init) {
    undici ??= loadUndici()
    const module = await undici
    const proxy = proxyForUrl(new URL(input), rules)
    let dispatcher: unknown
    if (proxy === undefined) {
      direct ??= new module.Agent()
      dispatcher = direct
    } else {
      dispatcher = proxies.get(proxy.href)
      if (dispatcher === undefined) {
        dispatcher = new module.ProxyAgent({ uri: proxy.href })
        proxies.set(proxy.href, dispatcher)
      }
    }
    return module.fetch(input, { ...init, dispatcher })
  }
}

/** The `fetch` of an options object: the one given, one through `proxy`, or the global one. */
export function fetchOption(options: {
  fetch?: FetchLike | undefined
  proxy?: ProxyOption | undefined
}): FetchLike {
  if (options.proxy === undefined) return options.fetch ?? fetch
  if (options.fetch !== undefined) {
    throw invalidArgument('give fetch or proxy, not both (a fetch of your own brings its own proxy)')
  }
  return createProxyFetch(options.proxy)
}
