// Launcher shared by the Keyshift targets: `keyshift serve` in its own process on a data dir, and
// the admin-API calls they need to set up (an OAuth client, a token, a legacy API key).
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import {
  type Child,
  freePort,
  HOST,
  parseJson,
  profileFlags,
  type RunningTarget,
  request,
  startChild,
  stopWithLog,
  waitForOk,
} from '../helpers.ts'

/**
 * What a target loads once the server runs; the launcher adds `stop` and `logTail`. `companion` is
 * a process the target started in front of the server (the agent): stopped first, its log added.
 */
export type TargetRequest = Omit<RunningTarget, 'stop' | 'logTail'> & { companion?: Child }

export interface OAuthClient {
  client_id: string
  client_secret: string
}

/**
 * One admin password per run (32 characters): the server sets it only when the store has no admin
 * yet, so a data dir reused by several targets keeps accepting it.
 */
const PASSWORD = randomBytes(24).toString('base64url')
/** The run's admin password, for targets that start their own servers. */
export const adminPassword = () => PASSWORD
const ADMIN_AUTH = `Basic ${Buffer.from(`admin:${PASSWORD}`).toString('base64')}`
export const CLI = join('packages', 'cli', 'bin', 'keyshift.cjs')

/**
 * Starts `keyshift serve` on `data` with extra `args`, waits until it answers, then runs `setup`
 * against its base URL. On any failure the server is stopped and its log tail added to the error.
 */
export async function launchKeyshift(
  name: string,
  options: { data: string; args?: string[] },
  setup: (base: string) => Promise<TargetRequest>,
): Promise<RunningTarget> {
  const port = await freePort()
  const base = `http://${HOST}:${port}`
  const args = [CLI, 'serve', '--port', String(port), '--host', HOST, '--data', options.data]
  const child = startChild(name, [...profileFlags(name), ...args, ...(options.args ?? [])], {
    KEYSHIFT_ADMIN_PASSWORD: PASSWORD,
  })
  try {
    await waitForOk(`${base}/.well-known/oauth-authorization-server`, child, 60_000)
    const { companion, ...target } = await setup(base)
    if (!companion) return { ...target, stop: child.stop, logTail: child.logTail }
    return {
      ...target,
      stop: async function stopBoth() {
        await companion.stop()
        await child.stop()
      },
      logTail: (lines?: number) =>
        `${child.logTail(lines)}\n--- ${companion.name} log ---\n${companion.logTail(lines)}`,
    }
  } catch (err) {
    return stopWithLog(child, err)
  }
}

/** POSTs JSON to the admin API and returns the created object (expects 201). */
async function adminCreate(base: string, path: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await request(`${base}/admin/v1${path}`, {
    method: 'POST',
    headers: { authorization: ADMIN_AUTH, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (res.status !== 201) throw new Error(`POST ${path} answered ${res.status}: ${res.body.slice(0, 300)}`)
  return parseJson(res.body, `POST ${path}`)
}

/** Creates a client-credentials OAuth client; `login` must be unique in the store. */
export async function createOAuthClient(
  base: string,
  client: { name: string; login: string; scopes: string[] },
): Promise<OAuthClient> {
  const created = await adminCreate(base, '/oauth2/clients', { ...client, grant_type: 'client_credentials' })
  const { client_id, client_secret } = created
  if (typeof client_id !== 'string' || typeof client_secret !== 'string') {
    throw new Error(`create client: no client_id/client_secret in ${JSON.stringify(created).slice(0, 300)}`)
  }
  return { client_id, client_secret }
}

/** The form body of a client-credentials token request (client_secret_post). */
export function tokenRequestBody(client: OAuthClient, scopes?: string[]): string {
  const form = new URLSearchParams({ ...client, grant_type: 'client_credentials' })
  if (scopes) form.set('scope', scopes.join(' '))
  return form.toString()
}

/** Gets an access token for `client` from the token endpoint. */
export async function fetchAccessToken(base: string, client: OAuthClient): Promise<string> {
  const res = await request(`${base}/oauth2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: tokenRequestBody(client),
  })
  if (res.status !== 200) throw new Error(`token endpoint answered ${res.status}: ${res.body.slice(0, 300)}`)
  const { access_token } = parseJson(res.body, 'token response')
  if (typeof access_token !== 'string') throw new Error(`no access_token in ${res.body.slice(0, 300)}`)
  return access_token
}

/** Creates a legacy API key (40 hex characters); `login` must be unique in the store. */
export async function createApiKey(base: string, login: string): Promise<string> {
  const created = await adminCreate(base, '/api-keys', {
    name: 'bench',
    contact_login: login,
    contact_email: `${login}@example.com`,
  })
  if (typeof created.key !== 'string' || !/^[0-9a-f]{40}$/.test(created.key)) {
    throw new Error(`create API key: no 40-hex key in ${JSON.stringify(created).slice(0, 300)}`)
  }
  return created.key
}
