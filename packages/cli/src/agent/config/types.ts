/** The configuration the agent runs with: resolved, checked, secrets in memory only. */
import type { NetworkSettings } from '../../network/settings.ts'

/** The environment variables the configuration may refer to (passed in; never `process.env` here). */
export type Env = Readonly<Record<string, string | undefined>>

/** Where and what is wrong with the configuration: `instances.production.url: must be …`. */
export interface Problem {
  path: string
  message: string
}

/** What the agent counts of the calls it proxies. */
export interface UsageSettings {
  enabled: boolean
  retentionDays: number
}

/** The listener's certificate and key, read at start and again on SIGHUP. */
export interface TlsFiles {
  /** Absolute paths. */
  certFile: string
  keyFile: string
  cert: Buffer
  key: Buffer
}

/** Where the local service listens. */
export interface ListenAddress {
  host: string
  port: number
}

export type ClientAuth = 'client_secret_post' | 'client_secret_basic'
export type IntegrationAuth = 'oauth' | 'api_key'

/** One OAuth client of one instance: one token manager. */
export interface ClientConfig {
  /** `<instance>/<client>`: names it in logs, health and metrics. */
  id: string
  instance: string
  name: string
  tokenUrl: URL
  clientId: string
  clientSecret: string
  scopes: string[]
  auth: ClientAuth
  /** The instance's network settings: a change means a new token manager. */
  network: NetworkSettings
}

/** `keyshift`: a Keyshift instance with its admin API; `coupa`: a real Coupa instance. */
export type InstanceKind = 'keyshift' | 'coupa'

/** `env`, `none` or a proxy URL, as configured: what `--check` shows (a URL without its password). */
export type ProxySetting = 'env' | 'none' | URL

export interface InstanceConfig {
  name: string
  proxy: ProxySetting
  /** Absolute path of ca_file, if any. */
  caFile: string | undefined
  /** The proxy rules and CAs the instance is reached with. */
  network: NetworkSettings
  kind: InstanceKind
  /** The instance's base URL; `/api/…` is appended to it. */
  url: URL
  clients: ReadonlyMap<string, ClientConfig>
}

export interface IntegrationConfig {
  name: string
  instance: string
  auth: IntegrationAuth
  /** The client whose token is used (required for oauth, optional for api_key). */
  client: string | undefined
  /** Resolved only when `auth` is api_key. */
  apiKey: string | undefined
  /** SHA-256 of the local secret: the secret itself is not kept. */
  localSecretDigest: Buffer
}

export interface AgentConfig {
  /** The configuration file, as given. */
  path: string
  listen: ListenAddress
  allowRemote: boolean
  /** TLS for the local service; required when allowRemote. */
  tls: TlsFiles | undefined
  /** Absolute; a relative state_dir is taken from the configuration file's folder. */
  stateDir: string
  /** Absolute path of the env file read for `${NAME}` references, if any. */
  envFile: string | undefined
  usage: UsageSettings
  instances: ReadonlyMap<string, InstanceConfig>
  integrations: ReadonlyMap<string, IntegrationConfig>
}
