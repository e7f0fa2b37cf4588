/**
 * The starter keyshift.yaml of `keyshift init`: every setting of the agent's schema
 * (agent/config/schema.ts) that a newcomer needs, commented, secrets as `${VAR}` references only.
 */
import type { InstanceKind } from '../agent/config/types.ts'
import { variablePrefix } from '../transition/secrets.ts'

/** The instances `init` writes, in this order. */
export const INIT_INSTANCES = ['production', 'test', 'dev', 'stage'] as const
export type InitInstanceName = (typeof INIT_INSTANCES)[number]

export interface InitInstance {
  name: InitInstanceName
  url: string
  kind: InstanceKind
  /** No URL was given: `url` is a placeholder to replace. */
  placeholder: boolean
}

export const ENV_FILE = 'secrets.env'
export const SAMPLE_INTEGRATION = 'sample-integration'

/** A placeholder URL for `name`: a Coupa host to fill in, or a local Keyshift instance. */
export function placeholderUrl(name: InitInstanceName, kind: InstanceKind): string {
  if (kind === 'keyshift') return 'http://127.0.0.1:8080'
  return name === 'production'
    ? 'https://YOUR-COMPANY.coupahost.com'
    : `https://YOUR-COMPANY-${name}.coupahost.com`
}

/** `coupa` for a Coupa host (coupahost.com, coupacloud.com), `keyshift` otherwise. */
export function inferKind(url: string): InstanceKind {
  const host = URL.canParse(url) ? new URL(url).hostname : ''
  return /(^|\.)(coupahost|coupacloud)\.com$/i.test(host) ? 'coupa' : 'keyshift'
}

/** The variable of an instance's admin password: `TEST_ADMIN_PASSWORD`. */
export function adminPasswordVariable(instance: string): string {
  return `${variablePrefix(instance)}_ADMIN_PASSWORD`
}

/** The variables the starter file refers to, for the next steps. */
export function starterVariables(instances: InitInstance[]): string[] {
  const prefix = variablePrefix(SAMPLE_INTEGRATION)
  return [
    `${prefix}_API_KEY`,
    `${prefix}_LOCAL_SECRET`,
    ...instances.filter((i) => i.kind === 'keyshift').map((i) => adminPasswordVariable(i.name)),
  ]
}

function instanceLines(instance: InitInstance): string[] {
  const flag = `keyshift init --${instance.name} URL`
  const url = instance.placeholder
    ? `    url: ${instance.url} # placeholder: your ${instance.name} instance's URL (${flag})`
    : `    url: ${instance.url}`
  const lines = [`  ${instance.name}:`, url, `    kind: ${instance.kind}`]
  if (instance.kind === 'keyshift') {
    lines.push(
      '    admin: # for `keyshift transition --config`; the agent itself does not use it',
      `      password: \${${adminPasswordVariable(instance.name)}} # user: admin, url: the instance's`,
    )
  }
  return lines
}

const HEADER = [
  '# keyshift.yaml: the configuration of `keyshift agent` (see packages/cli/AGENT.md), also read by',
  '# `keyshift transition --config keyshift.yaml`. Written by `keyshift init`.',
  '#',
  `# No secret is written here: secrets are \${VAR} references, whose values come from the environment`,
  '# or from env_file below. Check the file with: keyshift agent --config keyshift.yaml --check',
  '',
  '# Where integrations reach the agent: a loopback address only, unless allow_remote: true.',
  'listen: 127.0.0.1:8787',
  "# The folder of the token file (tokens.json, mode 0600), relative to this file's folder.",
  'state_dir: ./keyshift-agent',
  '',
  `# NAME=value lines read for the \${VAR} references (relative to this file's folder), readable by its`,
  `# owner only: chmod 600 ${ENV_FILE}. \`keyshift transition apply --secrets-file ${ENV_FILE}\` writes`,
  "# the new clients' secrets there. A variable set in the environment wins over the file.",
  `env_file: ${ENV_FILE}`,
  '',
  '# What the agent counts of the calls it proxies (per integration, resource and hour), from which',
  '# `keyshift transition` plans the clients of a Coupa instance.',
  'usage:',
  '  enabled: true',
  '  retention_days: 90 # hourly counts older than this are dropped',
  '',
  'instances:',
  '  # kind: coupa     a real Coupa instance (the transition works from the usage the agent counts)',
  '  # kind: keyshift  a Keyshift instance, with its admin API (its admin: block)',
  '  # Each instance may list its OAuth clients, one token each (`keyshift transition apply` adds them):',
  '  #   clients:',
  '  #     erp:',
  `  #       client_id: \${ERP_CLIENT_ID}`,
  `  #       client_secret: \${ERP_CLIENT_SECRET}`,
  '  #       scopes: [core.invoice.read, core.supplier.read]',
]

function integrationLines(instance: string): string[] {
  const prefix = variablePrefix(SAMPLE_INTEGRATION)
  return [
    '',
    'integrations:',
    `  # An integration calls the agent at http://127.0.0.1:8787/${SAMPLE_INTEGRATION}/api/… with`,
    '  # `Authorization: Bearer <its local_secret>`. This one still uses its API key: once its OAuth client',
    "  # is under its instance's clients, add `client: NAME` and flip `auth: api_key` to `auth: oauth`.",
    `  ${SAMPLE_INTEGRATION}:`,
    `    instance: ${instance}`,
    '    auth: api_key',
    `    api_key: \${${prefix}_API_KEY} # the integration's current API key`,
    `    local_secret: \${${prefix}_LOCAL_SECRET} # 16 characters or more: openssl rand -hex 32`,
  ]
}

/** The text of the starter configuration for `instances` (the first one gets the sample integration). */
export function starterConfig(instances: InitInstance[]): string {
  const lines = [
    ...HEADER,
    ...instances.flatMap(instanceLines),
    ...integrationLines(instances[0]?.name ?? 'production'),
  ]
  return `${lines.join('\n')}\n`
}
