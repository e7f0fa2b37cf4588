/**
 * Outbound proxies, as curl and undici read them from the environment: `HTTPS_PROXY` for https
 * URLs (falling back to `HTTP_PROXY`), `HTTP_PROXY` for http URLs, `NO_PROXY` for the hosts reached
 * directly; the lowercase names win over the uppercase ones. Pure rules, no connection: the
 * connection is undici's (proxy-fetch.ts, or the `keyshift` CLI).
 */
import { invalidArgument } from './errors.ts'

/**
 * `'env'`: the proxy variables; a URL: one proxy for every request.
 * @example
 * createTokenManager({ ...options, proxy: 'env' })
 */
export type ProxyOption = 'env' | string | URL

/**
 * The environment variables the rules are read from.
 * @example
 * const env: ProxyEnv = { HTTPS_PROXY: 'http://proxy:3128', NO_PROXY: '.corp.example' }
 */
export type ProxyEnv = Readonly<Record<string, string | undefined>>

/**
 * One `NO_PROXY` entry: `example.com`, `.example.com`, `*.example.com`, `host:8443`, `*`.
 * @example
 * parseNoProxy('.corp.example,host:8443') // [{ host: 'corp.example' }, { host: 'host', port: '8443' }]
 */
export interface NoProxyRule {
  /** Lower case, without a leading `.` or `*.`; `*` for every host. */
  host: string
  /** Only this port, when the entry named one. */
  port: string | undefined
}

/**
 * Which proxy serves which URL.
 * @example
 * const rules: ProxyRules = proxyRulesFromEnv(process.env)
 */
export interface ProxyRules {
  http: URL | undefined
  https: URL | undefined
  noProxy: NoProxyRule[]
}

function firstSet(env: ProxyEnv, names: string[]): string | undefined {
  for (const name of names) {
    const value = env[name]?.trim()
    if (value !== undefined && value !== '') return value
  }
  return undefined
}

/**
 * Parses a proxy URL; `host:port` without a scheme means `http://host:port`. The value is never
 * echoed in the error: it may hold the proxy's password.
 *
 * @throws {ClientError} KS_CLIENT_INVALID_ARGUMENT when it is not an http:// or https:// URL.
 * @example
 * parseProxyUrl('proxy.corp.example:3128', 'HTTPS_PROXY').href // 'http://proxy.corp.example:3128/'
 */
export function parseProxyUrl(value: string | URL, name: string): URL {
  let url: URL
  try {
    url = new URL(
      typeof value === 'string' && !/^[a-z][a-z0-9+.-]*:\/\//i.test(value) ? `http://${value}` : value,
    )
  } catch (error) {
    throw invalidArgument(
      `${name} is not a valid proxy URL (expected e.g. http://proxy.example.com:3128)`,
      error,
    )
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw invalidArgument(`${name} must be an http:// or https:// proxy URL`)
  }
  return url
}

/**
 * Parses `NO_PROXY`: entries separated by commas or spaces; unparsable entries are skipped.
 * @example
 * parseNoProxy(process.env.NO_PROXY)
 */
export function parseNoProxy(value: string | undefined): NoProxyRule[] {
  if (value === undefined) return []
  const rules: NoProxyRule[] = []
  for (const entry of value.toLowerCase().split(/[\s,]+/)) {
    if (entry === '') continue
    if (entry === '*') {
      rules.push({ host: '*', port: undefined })
      continue
    }
    const match = /^(\[[^\]]+\]|[^:]+)(?::(\d+))?$/.exec(entry)
    if (match === null) continue
    const host = (match[1] ?? '').replace(/^\*?\./, '')
    if (host !== '') rules.push({ host, port: match[2] })
  }
  return rules
}

/**
 * The proxy rules of the environment (lowercase names first).
 * @throws {ClientError} KS_CLIENT_INVALID_ARGUMENT naming the variable whose URL is not http(s).
 * @example
 * proxyRulesFromEnv({ HTTPS_PROXY: 'http://proxy:3128' }).https?.host // 'proxy:3128'
 */
export function proxyRulesFromEnv(env: ProxyEnv): ProxyRules {
  const http = firstSet(env, ['http_proxy', 'HTTP_PROXY'])
  const https = firstSet(env, ['https_proxy', 'HTTPS_PROXY']) ?? http
  return {
    http: http === undefined ? undefined : parseProxyUrl(http, 'HTTP_PROXY'),
    https: https === undefined ? undefined : parseProxyUrl(https, 'HTTPS_PROXY'),
    noProxy: parseNoProxy(firstSet(env, ['no_proxy', 'NO_PROXY'])),
  }
}

/**
 * The rules of a `proxy` option: the environment's, or one proxy for every URL.
 * @throws {ClientError} KS_CLIENT_INVALID_ARGUMENT when a proxy URL is not http(s).
 * @example
 * proxyRulesFor('http://proxy:3128', {})
 */
export function proxyRulesFor(option: ProxyOption, env: ProxyEnv): ProxyRules {
  if (option === 'env') return proxyRulesFromEnv(env)
  const url = parseProxyUrl(option, 'proxy')
  return { http: url, https: url, noProxy: [] }
}

function defaultPort(url: URL): string {
  return url.port !== '' ? url.port : url.protocol === 'https:' ? '443' : '80'
}

/** True when a `NO_PROXY` rule sends `target` directly. */
function bypasses(rule: NoProxyRule, target: URL): boolean {
  if (rule.host === '*') return true
  if (rule.port !== undefined && rule.port !== defaultPort(target)) return false
  const host = target.hostname.toLowerCase()
  return host === rule.host || host.endsWith(`.${rule.host}`)
}

/**
 * The proxy that `target` goes through, or undefined when it is reached directly.
 * @example
 * proxyForUrl(new URL('https://acme.coupahost.com'), proxyRulesFromEnv(process.env))
 */
export function proxyForUrl(target: URL, rules: ProxyRules): URL | undefined {
  const proxy = target.protocol === 'https:' ? rules.https : rules.http
  if (proxy === undefined) return undefined
  return rules.noProxy.some((rule) => bypasses(rule, target)) ? undefined : proxy
}

/**
 * A proxy URL fit for messages and logs: `http://***@proxy:3128`, never the user or password.
 * @example
 * redactProxyUrl('http://user:secret@proxy:3128') // 'http://***@proxy:3128'
 */
export function redactProxyUrl(url: URL | string): string {
  let parsed: URL
  try {
    parsed = new URL(url)
  } catch {
    return '(a proxy URL that cannot be parsed)'
  }
  const credentials = parsed.username !== '' || parsed.password !== '' ? '***@' : ''
  return `${parsed.protocol}//${credentials}${parsed.host}`
}
