/**
 * From the shape-checked configuration to the one the agent runs: `${NAME}` references resolved,
 * URLs parsed, cross references checked. Every problem is collected, so one run names them all.
 */
import * as nodeCrypto from 'node:crypto'
import { isAbsolute, resolve } from 'node:path'
import { joinPath } from '../../net.ts'
import { instanceUrl, listenAddress } from './address.ts'
import { resolveInstanceNetwork, resolveTls } from './network.ts'
import { checkUnresolvedSecret, resolveValue } from './refs.ts'
import { instanceKind, type RawConfig, type RawIntegration } from './schema.ts'
import type { AgentConfig, ClientConfig, Env, InstanceConfig, IntegrationConfig, Problem } from './types.ts'

/** Local secrets shorter than this are refused: they guard tokens. */
export const MIN_LOCAL_SECRET_LENGTH = 16
/** Paths the service uses itself; an integration cannot be named so. */
const RESERVED_NAMES = new Set(['v1', 'healthz', 'metrics'])

/** crypto.hash, where Node has it (20.12 on); looked up, not imported, so older 20.x still load. */
const oneShotHash = (nodeCrypto as { hash?: (algorithm: string, data: string, encoding: 'buffer') => Buffer })
  .hash

/**
 * A local secret is kept, and a presented one compared, as its SHA-256 digest: the configuration
 * does not hold the secret, and digests have equal lengths whatever was sent.
 */
export function localSecretDigest(secret: string): Buffer {
  // On every request to an integration: crypto.hash (Node ≥ 20.12) is the one-shot form, without a
  // Hash object; the same digest.
  if (oneShotHash !== undefined) return oneShotHash('sha256', secret, 'buffer')
  return nodeCrypto.createHash('sha256').update(secret, 'utf8').digest()
}

function resolveInstances(
  raw: RawConfig,
  env: Env,
  fromBase: (file: string) => string,
  problems: Problem[],
): Map<string, InstanceConfig> {
  const instances = new Map<string, InstanceConfig>()
  for (const [name, instance] of Object.entries(raw.instances)) {
    const base = `instances.${name}`
    // The agent does not use the admin password, so does not resolve it; still never written inline.
    checkUnresolvedSecret(instance.admin?.password, `${base}.admin.password`, problems)
    const url = instanceUrl(
      resolveValue(instance.url, `${base}.url`, env, problems, { secret: false }),
      `${base}.url`,
      problems,
    )
    const network = resolveInstanceNetwork(instance, base, env, fromBase, problems)
    const clients = new Map<string, ClientConfig>()
    for (const [clientName, client] of Object.entries(instance.clients)) {
      const path = `${base}.clients.${clientName}`
      const clientId = resolveValue(client.client_id, `${path}.client_id`, env, problems, { secret: false })
      const secret = resolveValue(client.client_secret, `${path}.client_secret`, env, problems, {
        secret: true,
      })
      if (url === undefined || clientId === undefined || secret === undefined || network === undefined)
        continue
      const scopes = typeof client.scopes === 'string' ? client.scopes.split(/\s+/) : (client.scopes ?? [])
      clients.set(clientName, {
        id: `${name}/${clientName}`,
        instance: name,
        name: clientName,
        tokenUrl: joinPath(url, '/oauth2/token'),
        clientId,
        clientSecret: secret,
        scopes: scopes.filter((scope) => scope !== ''),
        auth: client.auth,
        network: network.network,
      })
    }
    if (url !== undefined && network !== undefined) {
      instances.set(name, { name, kind: instanceKind(instance), url, clients, ...network })
    }
  }
  if (Object.keys(raw.instances).length === 0) {
    problems.push({ path: 'instances', message: 'must name at least one instance' })
  }
  return instances
}

function localSecret(value: string, path: string, env: Env, problems: Problem[]): Buffer | undefined {
  const secret = resolveValue(value, path, env, problems, { secret: true })
  if (secret === undefined) return undefined
  if (secret.length < MIN_LOCAL_SECRET_LENGTH) {
    problems.push({
      path,
      message: `must be at least ${MIN_LOCAL_SECRET_LENGTH} characters (e.g. openssl rand -hex 32)`,
    })
    return undefined
  }
  return localSecretDigest(secret)
}

function checkReferences(name: string, raw: RawIntegration, config: RawConfig, problems: Problem[]): void {
  const path = `integrations.${name}`
  if (RESERVED_NAMES.has(name))
    problems.push({ path, message: `the name ${name} is reserved for the agent's own endpoints` })
  const instance = config.instances[raw.instance]
  if (instance === undefined) {
    const known = Object.keys(config.instances).join(', ')
    problems.push({
      path: `${path}.instance`,
      message: `no instance named ${raw.instance} (instances: ${known})`,
    })
  } else if (raw.client !== undefined && instance.clients[raw.client] === undefined) {
    const known = Object.keys(instance.clients).join(', ') || 'none'
    problems.push({
      path: `${path}.client`,
      message: `instance ${raw.instance} has no client named ${raw.client} (clients: ${known})`,
    })
  }
  if (raw.auth === 'oauth' && raw.client === undefined)
    problems.push({ path: `${path}.client`, message: 'is required when auth is oauth' })
  if (raw.auth === 'api_key' && raw.api_key === undefined)
    problems.push({ path: `${path}.api_key`, message: 'is required when auth is api_key' })
}

function resolveIntegration(
  name: string,
  raw: RawIntegration,
  env: Env,
  problems: Problem[],
): IntegrationConfig | undefined {
  const path = `integrations.${name}`
  let apiKey: string | undefined
  if (raw.auth === 'api_key' && raw.api_key !== undefined) {
    apiKey = resolveValue(raw.api_key, `${path}.api_key`, env, problems, { secret: true })
  } else {
    // Not in use, so not resolved; still never written inline.
    checkUnresolvedSecret(raw.api_key, `${path}.api_key`, problems)
  }
  const digest = localSecret(raw.local_secret, `${path}.local_secret`, env, problems)
  if (digest === undefined) return undefined
  return {
    name,
    instance: raw.instance,
    auth: raw.auth,
    client: raw.client,
    apiKey,
    localSecretDigest: digest,
  }
}

function uniqueLocalSecrets(integrations: Map<string, IntegrationConfig>, problems: Problem[]): void {
  const seen = new Map<string, string>()
  for (const integration of integrations.values()) {
    const key = integration.localSecretDigest.toString('hex')
    const other = seen.get(key)
    if (other !== undefined) {
      problems.push({
        path: `integrations.${integration.name}.local_secret`,
        message: `has the same value as integrations.${other}.local_secret: give each integration its own secret`,
      })
    } else seen.set(key, integration.name)
  }
}

/** Resolves `raw` (read from `path`) against `env`: the configuration, or every problem found. */
export function resolveConfig(
  raw: RawConfig,
  path: string,
  env: Env,
): { config: AgentConfig } | { problems: Problem[] } {
  const problems: Problem[] = []
  const base = resolve(path, '..')
  const fromBase = (file: string) => (isAbsolute(file) ? file : resolve(base, file))
  const listen = listenAddress(raw.listen, raw.allow_remote, problems)
  const tls = resolveTls(raw.tls, raw.allow_remote, fromBase, problems)
  const instances = resolveInstances(raw, env, fromBase, problems)
  const integrations = new Map<string, IntegrationConfig>()
  for (const [name, integration] of Object.entries(raw.integrations)) {
    checkReferences(name, integration, raw, problems)
    const resolved = resolveIntegration(name, integration, env, problems)
    if (resolved !== undefined) integrations.set(name, resolved)
  }
  uniqueLocalSecrets(integrations, problems)
  if (problems.length > 0 || listen === undefined) return { problems }
  return {
    config: {
      path,
      listen,
      allowRemote: raw.allow_remote,
      tls,
      stateDir: fromBase(raw.state_dir),
      envFile: raw.env_file === undefined ? undefined : fromBase(raw.env_file),
      usage: { enabled: raw.usage.enabled, retentionDays: raw.usage.retention_days },
      instances,
      integrations,
    },
  }
}
