/**
 * The network settings of the configuration: each instance's proxy and private CAs, and the TLS
 * certificate of the local service. Files are read here, at start and on reload, so that a missing
 * CA bundle or key is a configuration problem, never the first request's.
 */
import { readFileSync } from 'node:fs'
import { createSecureContext } from 'node:tls'
import { type ProxyRules, parseProxyUrl, proxyRulesFromEnv, redactProxyUrl } from '@keyshift/client'
import { readCaBundle } from '../../network/ca.ts'
import type { NetworkSettings } from '../../network/settings.ts'
import { resolveValue } from './refs.ts'
import type { RawInstance, RawTls } from './schema.ts'
import type { Env, Problem, ProxySetting, TlsFiles } from './types.ts'

const PROXY_FORM = 'must be env, none or a proxy URL such as http://proxy.example.com:3128'

function proxySetting(value: string, path: string, env: Env, problems: Problem[]): ProxySetting | undefined {
  if (value === 'env' || value === 'none') return value
  const inline = !value.startsWith('${')
  const resolved = resolveValue(value, path, env, problems, { secret: false })
  if (resolved === undefined) return undefined
  let url: URL
  try {
    url = parseProxyUrl(resolved, path)
  } catch {
    problems.push({ path, message: PROXY_FORM })
    return undefined
  }
  if (inline && (url.username !== '' || url.password !== '')) {
    problems.push({
      path,
      message: `a proxy URL with a user or password is a secret: put it in an environment variable and write \${NAME}`,
    })
    return undefined
  }
  return url
}

function proxyRules(
  setting: ProxySetting,
  path: string,
  env: Env,
  problems: Problem[],
): ProxyRules | undefined {
  if (setting === 'none') return undefined
  if (setting !== 'env') return { http: setting, https: setting, noProxy: [] }
  try {
    return proxyRulesFromEnv(env)
  } catch (error) {
    problems.push({ path, message: `env: ${(error as Error).message}` })
    return undefined
  }
}

export interface InstanceNetwork {
  proxy: ProxySetting
  caFile: string | undefined
  network: NetworkSettings
}

/** The proxy and CAs of one instance; undefined (and problems) when they are wrong. */
export function resolveInstanceNetwork(
  instance: RawInstance,
  base: string,
  env: Env,
  fromBase: (file: string) => string,
  problems: Problem[],
): InstanceNetwork | undefined {
  const before = problems.length
  const proxy = proxySetting(instance.proxy, `${base}.proxy`, env, problems)
  const rules = proxy === undefined ? undefined : proxyRules(proxy, `${base}.proxy`, env, problems)
  let ca: string[] | undefined
  const caFile = instance.ca_file === undefined ? undefined : fromBase(instance.ca_file)
  if (caFile !== undefined) {
    const bundle = readCaBundle(caFile)
    if ('problem' in bundle) problems.push({ path: `${base}.ca_file`, message: bundle.problem })
    else ca = bundle.certificates
  }
  if (proxy === undefined || problems.length > before) return undefined
  return { proxy, caFile, network: { proxy: rules, ca } }
}

/** The proxy setting for messages: `env`, `none` or the URL without its user and password. */
export function proxyText(setting: ProxySetting): string {
  return typeof setting === 'string' ? setting : redactProxyUrl(setting)
}

function readFile(file: string, path: string, problems: Problem[]): Buffer | undefined {
  try {
    return readFileSync(file)
  } catch (error) {
    const code = (error as { code?: unknown }).code
    problems.push({
      path,
      message: `cannot read ${file} (${code === 'ENOENT' ? 'no such file' : String(code)})`,
    })
    return undefined
  }
}

/**
 * The listener's certificate and key. Required with allow_remote: the local secrets and the tokens
 * would otherwise cross the network in clear.
 */
export function resolveTls(
  raw: RawTls | undefined,
  allowRemote: boolean,
  fromBase: (file: string) => string,
  problems: Problem[],
): TlsFiles | undefined {
  if (raw === undefined) {
    if (allowRemote) {
      problems.push({
        path: 'tls',
        message:
          'is required when allow_remote is true: local secrets and tokens would cross the network in clear; give tls: { cert_file, key_file }',
      })
    }
    return undefined
  }
  const certFile = fromBase(raw.cert_file)
  const keyFile = fromBase(raw.key_file)
  const cert = readFile(certFile, 'tls.cert_file', problems)
  const key = readFile(keyFile, 'tls.key_file', problems)
  if (cert === undefined || key === undefined) return undefined
  try {
    createSecureContext({ cert, key })
  } catch (error) {
    const reason = (error as { code?: unknown }).code ?? 'not a PEM certificate and matching key'
    problems.push({ path: 'tls', message: `the certificate and key cannot be used (${String(reason)})` })
    return undefined
  }
  return { certFile, keyFile, cert, key }
}
