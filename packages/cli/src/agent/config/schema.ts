/**
 * The shape of keyshift.yaml, checked with zod before anything is resolved. Messages are written
 * here, in one error map, and say what would be right; they never quote a value (it may be a
 * secret written inline by mistake).
 */
import { z } from 'zod'
import type { Problem } from './types.ts'

/** Names of instances, clients and integrations: they appear in URLs, metrics and logs. */
export const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]*$/
const NAME_RULE =
  'a name may contain only letters, digits, ".", "_" and "-", and starts with a letter or digit'

const name = z.string().regex(NAME_PATTERN)
const text = z.string().min(1)

const clientSchema = z.strictObject({
  client_id: text,
  client_secret: text,
  /** A list, or the space-separated "Oidc Scopes" string copied from the client's page. */
  scopes: z.union([z.array(text).min(1), text]).optional(),
  auth: z.enum(['client_secret_post', 'client_secret_basic']).default('client_secret_post'),
})

/**
 * How `keyshift transition --config` reaches the instance's admin API. The agent itself never uses
 * it: it only checks that the password is a `${VAR}` reference, and does not resolve it.
 */
const adminSchema = z.strictObject({
  /** Default: the instance's url. */
  url: text.optional(),
  user: text.default('admin'),
  password: text,
})

/**
 * What answers at the instance's url: `keyshift` (has the admin API, so `keyshift transition` reads
 * its own ledger) or `coupa` (a real Coupa instance: the transition works from the agent's usage).
 * Default: `keyshift` when an `admin:` block is given, `coupa` otherwise.
 */
export const INSTANCE_KINDS = ['keyshift', 'coupa'] as const

const instanceSchema = z.strictObject({
  url: text,
  kind: z.enum(INSTANCE_KINDS).optional(),
  clients: z.record(name, clientSchema).default({}),
  admin: adminSchema.optional(),
  /**
   * How the instance is reached: `env` (HTTPS_PROXY, HTTP_PROXY, NO_PROXY of the agent's
   * environment), `none` (directly), or a proxy URL (a `${VAR}` reference when it holds a password).
   */
  proxy: text.default('env'),
  /** A PEM bundle of CAs trusted for this instance besides the default roots. */
  ca_file: text.optional(),
})

const integrationSchema = z.strictObject({
  instance: name,
  auth: z.enum(['oauth', 'api_key']),
  client: name.optional(),
  api_key: text.optional(),
  local_secret: text,
})

/** What the agent counts of the calls it proxies (docs: AGENT.md, "Usage"). */
const usageSchema = z.strictObject({
  enabled: z.boolean().default(true),
  /** Hourly counts older than this many days are dropped. */
  retention_days: z.number().int().min(1).max(3660).default(90),
})

/** TLS for the local service: required with allow_remote; re-read on SIGHUP. */
const tlsSchema = z.strictObject({
  cert_file: text,
  key_file: text,
})

export const configSchema = z.strictObject({
  listen: text.default('127.0.0.1:8787'),
  allow_remote: z.boolean().default(false),
  tls: tlsSchema.optional(),
  state_dir: text.default('./keyshift-agent'),
  /**
   * A file of `NAME=value` lines (the secrets.env that `transition apply` writes) read for the
   * `${NAME}` references; relative to the configuration file's folder. Refused when group or others
   * may read it.
   */
  env_file: text.optional(),
  usage: usageSchema.default({ enabled: true, retention_days: 90 }),
  instances: z.record(name, instanceSchema),
  integrations: z.record(name, integrationSchema),
})

/** The configuration as written, shape checked, references not yet resolved. */
export type RawConfig = z.output<typeof configSchema>
export type RawClient = z.output<typeof clientSchema>
export type RawInstance = z.output<typeof instanceSchema>
export type RawAdmin = z.output<typeof adminSchema>
export type RawIntegration = z.output<typeof integrationSchema>
export type RawUsage = z.output<typeof usageSchema>
export type RawTls = z.output<typeof tlsSchema>

/** The kind of an instance: as written, else `keyshift` when it has an admin block, else `coupa`. */
export function instanceKind(instance: RawInstance): (typeof INSTANCE_KINDS)[number] {
  return instance.kind ?? (instance.admin === undefined ? 'coupa' : 'keyshift')
}

const KINDS: Record<string, string> = {
  string: 'text',
  number: 'a number',
  boolean: 'true or false',
  array: 'a list',
  object: 'a mapping (key: value)',
  record: 'a mapping (key: value)',
}

/** The message of one zod issue, in the words of a configuration file. */
function issueMessage(issue: z.core.$ZodRawIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      if (issue.input === undefined) return 'is required'
      return `must be ${KINDS[issue.expected] ?? issue.expected}`
    case 'invalid_value':
      return `must be one of ${issue.values.map(String).join(', ')}`
    case 'invalid_union':
      return 'must be a list of scopes or a space-separated string of scopes'
    case 'too_small':
      return issue.origin === 'array' ? 'must not be an empty list' : 'must not be empty'
    case 'invalid_format':
      return NAME_RULE
    case 'invalid_key':
      return `invalid name: ${NAME_RULE}`
    default:
      return 'is not valid'
  }
}

function pathText(path: readonly PropertyKey[]): string {
  return path.length === 0 ? '(top level)' : path.map(String).join('.')
}

/** zod's issues as problems: `integrations.export.auth: must be one of oauth, api_key`. */
function toProblems(error: z.ZodError): Problem[] {
  return error.issues.map(function issueProblem(issue): Problem {
    if (issue.code === 'unrecognized_keys') {
      const keys = issue.keys.map((key) => `'${key}'`).join(', ')
      return { path: pathText(issue.path), message: `unknown setting ${keys}` }
    }
    return { path: pathText(issue.path), message: issue.message }
  })
}

/** Checks the shape of a parsed YAML document. */
export function parseConfigShape(document: unknown): { config: RawConfig } | { problems: Problem[] } {
  if (typeof document !== 'object' || document === null || Array.isArray(document)) {
    return {
      problems: [{ path: '(top level)', message: 'must be a mapping with instances and integrations' }],
    }
  }
  const result = configSchema.safeParse(document, { error: issueMessage })
  return result.success ? { config: result.data } : { problems: toProblems(result.error) }
}
