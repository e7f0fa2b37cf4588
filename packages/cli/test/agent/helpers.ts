/** Test harness of `keyshift agent`: a configuration written to a temporary folder, the agent on port 0. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises'
import { request } from 'node:http'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { type Agent, type AgentOptions, buildAgent } from '../../src/agent/app.ts'
import { createLogger } from '../../src/agent/telemetry/logger.ts'

/** The environment the configurations refer to. */
export const ENV = {
  ERP_CLIENT_ID: 'erp-client-id',
  ERP_CLIENT_SECRET: 'erp-client-secret-0123456789abcdef',
  SUPPLIER_CLIENT_SECRET: 'supplier-secret-0123456789abcdef',
  EXPORT_API_KEY: 'K'.repeat(40),
  EXPORT_LOCAL_SECRET: 'export-local-secret-0123456789',
  SUPPLIERS_LOCAL_SECRET: 'suppliers-local-secret-0123456789',
  DOWN_LOCAL_SECRET: 'down-local-secret-0123456789',
}

/** Every secret and token a log line must never contain. */
export const NEVER_LOGGED = [
  ENV.ERP_CLIENT_SECRET,
  ENV.SUPPLIER_CLIENT_SECRET,
  ENV.EXPORT_API_KEY,
  ENV.EXPORT_LOCAL_SECRET,
  ENV.SUPPLIERS_LOCAL_SECRET,
  '"tok-',
]

export interface YamlOptions {
  instanceUrl: string
  /** The auth line of integration `invoice-export`. */
  exportAuth: 'oauth' | 'api_key'
  /** Appended under `integrations:` (indented by 2). */
  moreIntegrations?: string
  /** Appended under `instances:` (indented by 2). */
  moreInstances?: string
}

/** A configuration with instance `production` (clients erp, suppliers) and integrations invoice-export, suppliers. */
export function agentYaml(options: YamlOptions): string {
  return `listen: 127.0.0.1:0
state_dir: ./state
instances:
  production:
    url: ${options.instanceUrl}
    clients:
      erp:
        client_id: \${ERP_CLIENT_ID}
        client_secret: \${ERP_CLIENT_SECRET}
        scopes: [core.invoice.read, core.supplier.read]
      suppliers:
        client_id: suppliers-client
        client_secret: \${SUPPLIER_CLIENT_SECRET}
        scopes: core.supplier.read
        auth: client_secret_basic
${options.moreInstances ?? ''}
integrations:
  invoice-export:
    instance: production
    auth: ${options.exportAuth}
    client: erp
    api_key: \${EXPORT_API_KEY}
    local_secret: \${EXPORT_LOCAL_SECRET}
  suppliers:
    instance: production
    auth: oauth
    client: suppliers
    local_secret: \${SUPPLIERS_LOCAL_SECRET}
${options.moreIntegrations ?? ''}
`
}

export interface RunningAgent {
  agent: Agent
  /** http://127.0.0.1:<port> */
  url: string
  logs: string[]
  configPath: string
  close(): Promise<void>
}

/** Writes `yaml` to a new folder and starts the agent on it (not watching unless asked). */
export async function startAgent(
  yaml: string,
  options: Partial<AgentOptions> = {},
  env: Record<string, string> = ENV,
): Promise<RunningAgent> {
  const dir = await mkdtemp(join(tmpdir(), 'keyshift-agent-'))
  const configPath = join(dir, 'keyshift.yaml')
  await writeFile(configPath, yaml)
  const logs: string[] = []
  const logger = createLogger({ write: (line) => logs.push(line), level: 'debug' })
  const agent = await buildAgent({ configPath, env, logger, watch: false, ...options })
  const { url } = await agent.listen()
  return {
    agent,
    url,
    logs,
    configPath,
    async close() {
      await agent.close()
      await rm(dir, { recursive: true, force: true })
    },
  }
}

export interface Answer {
  status: number
  headers: Headers
  body: Record<string, unknown>
  text: string
}

/** A request to the agent; the body is parsed as JSON when it is JSON. */
export async function call(url: string, init: RequestInit = {}): Promise<Answer> {
  const response = await fetch(url, init)
  const text = await response.text()
  let body: Record<string, unknown> = {}
  try {
    body = JSON.parse(text) as Record<string, unknown>
  } catch {}
  return { status: response.status, headers: response.headers, body, text }
}

/** `Authorization: Bearer <secret>`. */
export function bearer(secret: string): Record<string, string> {
  return { authorization: `Bearer ${secret}` }
}

/** Polls `check` until it is true (or fails after `timeoutMs`). */
export async function waitFor(check: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = performance.now() + timeoutMs
  while (!(await check())) {
    if (performance.now() > deadline) throw new Error('timed out waiting')
    await new Promise((resolve) => setTimeout(resolve, 10))
  }
}

/** The status of a request sent with `path` exactly as written (fetch would resolve `..` first). */
export function rawStatus(base: string, path: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(base)
    const outgoing = request({ host: url.hostname, port: url.port, path, headers }, (res) => {
      res.resume()
      resolve(res.statusCode ?? 0)
    })
    outgoing.on('error', reject)
    outgoing.end()
  })
}
