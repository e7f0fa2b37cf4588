/**
 * The `admin` blocks of keyshift.yaml, for `keyshift transition --config`: one admin API per
 * instance that has one. Only what the admin API needs is resolved (its URL and password), so the
 * integrations' secrets need not be set where the transition is run.
 */

import { existsSync } from 'node:fs'
import { instanceUrl } from './address.ts'
import { envFilePath, invalid, parseRawConfig, readConfigText, readEnvFile, withEnvFile } from './load.ts'
import { resolveValue } from './refs.ts'
import type { RawConfig } from './schema.ts'
import type { Env, Problem } from './types.ts'

/** The admin API of one instance of the configuration. */
export interface AdminTarget {
  /** The instance's name in the configuration. */
  instance: string
  url: URL
  user: string
  password: string
}

/** Resolves the admin block of every instance that has one, in the order of the file. */
function resolveAdminTargets(raw: RawConfig, env: Env): { targets: AdminTarget[] } | { problems: Problem[] } {
  const problems: Problem[] = []
  const targets: AdminTarget[] = []
  for (const [name, instance] of Object.entries(raw.instances)) {
    if (instance.admin === undefined) continue
    const base = `instances.${name}`
    const path = instance.admin.url === undefined ? `${base}.url` : `${base}.admin.url`
    const value = resolveValue(instance.admin.url ?? instance.url, path, env, problems, { secret: false })
    const url = instanceUrl(value, path, problems)
    const password = resolveValue(instance.admin.password, `${base}.admin.password`, env, problems, {
      secret: true,
    })
    if (url !== undefined && password !== undefined) {
      targets.push({ instance: name, url, user: instance.admin.user, password })
    }
  }
  return problems.length > 0 ? { problems } : { targets }
}

/**
 * Reads the configuration at `path` and resolves its admin blocks against `env` and, when it is
 * there, the configuration's env file.
 *
 * @throws {AgentError} KS_AGENT_CONFIG_UNREADABLE, or KS_AGENT_CONFIG_INVALID naming every problem
 *   (the whole file's shape is checked, as the agent checks it).
 */
export async function loadAdminTargets(path: string, env: Env): Promise<AdminTarget[]> {
  const raw = parseRawConfig(await readConfigText(path), path)
  // The admin passwords may be in the env file, as the agent's secrets are; the file is optional
  // here (the transition of a Keyshift instance needs only the admin password).
  const envFile = envFilePath(raw, path, env)
  const variables =
    envFile !== undefined && existsSync(envFile) ? withEnvFile(env, readEnvFile(envFile)) : env
  const resolved = resolveAdminTargets(raw, variables)
  if ('problems' in resolved) throw invalid(path, resolved.problems)
  return resolved.targets
}
