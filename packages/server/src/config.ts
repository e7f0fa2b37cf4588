import { parseArgs } from 'node:util'
import { z } from 'zod'
import { parseSecretsKey } from './crypto/sealed-secrets.ts'
import {
  DEFAULT_KEEP_ALIVE_TIMEOUT_SECONDS,
  DEFAULT_MAX_CONNECTIONS_PER_ADDRESS,
} from './http/connections.ts'

/** Everything `keyshift serve` needs, validated at start. */
export interface ServeConfig {
  port: number
  host: string
  dataDir: string
  databaseUrl: string | undefined
  /** Public URL; undefined means "derive from host and the port actually bound". */
  issuer: string | undefined
  adminPassword: string | undefined
  logLevel: string
  demo: boolean
  /** Per-principal limit of the core API, or false (off). */
  apiRateLimit: { perSecond: number; burst: number } | false
  /** Count core API calls for the transition (docs/TRANSITION.md); false turns the ledger off. */
  usageLedger: boolean
  /** Days the ledger keeps hourly counts before rolling them up into days. */
  usageRetentionDays: number
  /** Lifetime of access tokens, in seconds (Coupa's 86 399 by default). */
  tokenLifetimeSeconds: number
  /** Seconds an idle keep-alive connection stays open (default 5, Node's). */
  keepAliveTimeoutSeconds: number
  /** Open connections allowed from one remote address, or false: no limit (default 256). */
  maxConnectionsPerAddress: number | false
  /** Largest attachment or invoice image scan, in MiB (default 16; docs/ATTACHMENTS.md). */
  maxFileSizeMiB: number
  /** Key that encrypts signing keys and the pepper at rest (32 bytes), or undefined: kept in clear. */
  secretsKey: Buffer | undefined
  /** The key being replaced: it only opens what it sealed, which is sealed again with `secretsKey`. */
  previousSecretsKey: Buffer | undefined
  /** The instance's time zone (IANA name): the offset of the core API's datetimes (default UTC, `+00:00`). */
  timeZone: string
}

/** A setting is wrong; the message names each one and what would be right. */
export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration:\n${problems.map((p) => `  - ${p}`).join('\n')}`)
    this.name = 'ConfigError'
  }
}

/** Every setting of `keyshift serve`: its flag and environment variable (the CLI's help lists them). */
export const serveSettings = {
  port: { flag: '--port', env: 'PORT' },
  host: { flag: '--host', env: 'HOST' },
  dataDir: { flag: '--data', env: 'KEYSHIFT_DATA_DIR' },
  databaseUrl: { flag: '--database-url', env: 'DATABASE_URL' },
  issuer: { flag: '--issuer', env: 'KEYSHIFT_ISSUER' },
  adminPassword: { flag: null, env: 'KEYSHIFT_ADMIN_PASSWORD' },
  logLevel: { flag: '--log-level', env: 'LOG_LEVEL' },
  demo: { flag: '--demo', env: null },
  apiRateLimit: { flag: '--api-rate-limit', env: 'KEYSHIFT_API_RATE_LIMIT' },
  usageLedger: { flag: '--usage-ledger', env: 'KEYSHIFT_USAGE_LEDGER' },
  usageRetentionDays: { flag: '--usage-retention-days', env: 'KEYSHIFT_USAGE_RETENTION_DAYS' },
  tokenLifetimeSeconds: { flag: '--token-lifetime', env: 'KEYSHIFT_TOKEN_LIFETIME' },
  keepAliveTimeoutSeconds: { flag: '--keep-alive-timeout', env: 'KEYSHIFT_KEEP_ALIVE_TIMEOUT' },
  maxConnectionsPerAddress: {
    flag: '--connections-per-address',
    env: 'KEYSHIFT_CONNECTIONS_PER_ADDRESS',
  },
  maxFileSizeMiB: { flag: '--max-file-size', env: 'KEYSHIFT_MAX_FILE_SIZE' },
  timeZone: { flag: '--time-zone', env: 'KEYSHIFT_TIME_ZONE' },
  // Keys, like the admin password, only from the environment: flags show in `ps`.
  secretsKey: { flag: null, env: 'KEYSHIFT_SECRETS_KEY' },
  previousSecretsKey: { flag: null, env: 'KEYSHIFT_SECRETS_KEY_PREVIOUS' },
} as const

/** The flags of `serveSettings` for parseArgs: `--demo` is a switch, the others take a value. */
const serveFlags = Object.fromEntries(
  Object.values(serveSettings).flatMap(({ flag }) =>
    flag === null ? [] : [[flag.slice(2), { type: flag === '--demo' ? 'boolean' : 'string' }] as const],
  ),
)

/** Settings whose values never appear in a message. */
const SECRET_SETTINGS: ReadonlySet<string> = new Set([
  'adminPassword',
  'databaseUrl',
  'secretsKey',
  'previousSecretsKey',
])

const TOKEN_LIFETIME_RANGE =
  "must be whole seconds from 60 to 86399 (Coupa's 24-hour tokens; shorter ones test an integration's renewal)"

const KEEP_ALIVE_RANGE =
  'must be whole seconds from 1 to 600 (behind a load balancer, more than its idle timeout)'
const CONNECTIONS_RANGE = 'must be a whole number from 1 to 65535, or off'
const FILE_SIZE_RANGE = 'must be whole MiB from 1 to 1024 (the largest attachment or invoice image scan)'

const secretsKey = z
  .string()
  .transform((text, context) => {
    const key = parseSecretsKey(text)
    if (key) return key
    context.addIssue({
      code: 'custom',
      message: 'must be 32 random bytes as base64 or 64 hex digits; make one with: openssl rand -base64 32',
    })
    return z.NEVER
  })
  .optional()

const schema = z.object({
  port: z.coerce
    .number({ error: 'must be a whole number from 0 to 65535' })
    .int('must be a whole number from 0 to 65535')
    .min(0, 'must be a whole number from 0 to 65535')
    .max(65535, 'must be a whole number from 0 to 65535')
    .default(8080),
  host: z
    .string()
    .min(1, 'must be an address to listen on, such as 127.0.0.1 or 0.0.0.0')
    .default('127.0.0.1'),
  dataDir: z.string().min(1, 'must be a folder path').default('./keyshift-data'),
  databaseUrl: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, 'must be a PostgreSQL URL: postgres://user:password@host:5432/database')
    .optional(),
  issuer: z
    .url({ protocol: /^https?$/, error: 'must be an http(s) URL such as https://keyshift.example.com' })
    // https://www.rfc-editor.org/rfc/rfc8414#section-2 : issuer has no query or fragment.
    .refine((url) => !/[?#]/.test(url), 'must have no query or fragment (RFC 8414 §2)')
    // It is the realm of every challenge (`Bearer realm="<issuer>"`): visible ASCII only, no quote.
    .refine(
      (url) => /^[\x21-\x7e]+$/.test(url) && !/["\\<>]/.test(url),
      'must be plain ASCII with no quote: percent-encode the path and give the host in punycode (xn--…)',
    )
    .transform((url) => url.replace(/\/+$/, ''))
    .optional(),
  adminPassword: z.string().min(12, 'must be at least 12 characters').optional(),
  logLevel: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  demo: z.boolean().default(false),
  apiRateLimit: z
    .string()
    .regex(
      /^(off|[1-9][0-9]*:[1-9][0-9]*)$/,
      "must be PER_SECOND:BURST such as 25:20 (Coupa's limit), or off",
    )
    .default('25:20')
    .transform((value) => {
      if (value === 'off') return false as const
      const [perSecond, burst] = value.split(':').map(Number)
      return { perSecond: Number(perSecond), burst: Number(burst) }
    }),
  usageLedger: z
    .enum(['on', 'off'], { error: 'must be on or off' })
    .default('on')
    .transform((value) => value === 'on'),
  usageRetentionDays: z.coerce
    .number({ error: 'must be a whole number of days from 31 to 365' })
    .int('must be a whole number of days from 31 to 365')
    .min(31, 'must be a whole number of days from 31 to 365')
    .max(365, 'must be a whole number of days from 31 to 365')
    .default(35),
  tokenLifetimeSeconds: z.coerce
    .number({ error: TOKEN_LIFETIME_RANGE })
    .int(TOKEN_LIFETIME_RANGE)
    .min(60, TOKEN_LIFETIME_RANGE)
    .max(86_399, TOKEN_LIFETIME_RANGE)
    .default(86_399),
  keepAliveTimeoutSeconds: z.coerce
    .number({ error: KEEP_ALIVE_RANGE })
    .int(KEEP_ALIVE_RANGE)
    .min(1, KEEP_ALIVE_RANGE)
    .max(600, KEEP_ALIVE_RANGE)
    .default(DEFAULT_KEEP_ALIVE_TIMEOUT_SECONDS),
  maxConnectionsPerAddress: z
    .string()
    .regex(/^(off|[1-9][0-9]{0,4})$/, CONNECTIONS_RANGE)
    .refine((value) => value === 'off' || Number(value) <= 65_535, CONNECTIONS_RANGE)
    .default(String(DEFAULT_MAX_CONNECTIONS_PER_ADDRESS))
    .transform((value) => (value === 'off' ? (false as const) : Number(value))),
  maxFileSizeMiB: z.coerce
    .number({ error: FILE_SIZE_RANGE })
    .int(FILE_SIZE_RANGE)
    .min(1, FILE_SIZE_RANGE)
    .max(1024, FILE_SIZE_RANGE)
    .default(16),
  secretsKey,
  previousSecretsKey: secretsKey,
  timeZone: z
    .string()
    .refine(isTimeZone, 'must be an IANA time zone such as UTC, Europe/Berlin or America/Los_Angeles')
    .default('UTC'),
})

/** Whether Node's ICU data knows `name` as a time zone. */
function isTimeZone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name })
    return true
  } catch {
    return false
  }
}

/** Reads flags first, then the environment; throws ConfigError naming every wrong setting. */
export function readServeConfig(argv: string[], env: NodeJS.ProcessEnv): ServeConfig {
  let values: Record<string, string | boolean | undefined>
  try {
    ;({ values } = parseArgs({ args: argv, strict: true, allowPositionals: false, options: serveFlags }))
  } catch (error) {
    throw new ConfigError([`${(error as Error).message}; run keyshift serve --help`])
  }
  const raw: Record<string, unknown> = {}
  for (const [key, { flag, env: name }] of Object.entries(serveSettings)) {
    const fromFlag = flag ? values[flag.slice(2)] : undefined
    const fromEnv = name ? env[name] : undefined
    raw[key] = fromFlag ?? (fromEnv === '' ? undefined : fromEnv)
  }
  const result = schema.safeParse(raw)
  if (!result.success) {
    throw new ConfigError(
      result.error.issues.map((issue) => {
        const key = String(issue.path[0]) as keyof typeof serveSettings
        const { flag, env: name } = serveSettings[key]
        const label = [flag, name].filter(Boolean).join('/')
        const shown = SECRET_SETTINGS.has(key) ? '' : ` (got ${JSON.stringify(raw[key])})`
        return `${label}: ${issue.message}${shown}`
      }),
    )
  }
  const { databaseUrl, issuer, adminPassword, secretsKey, previousSecretsKey, ...rest } = result.data
  if (previousSecretsKey && secretsKey?.equals(previousSecretsKey)) {
    throw new ConfigError([
      'KEYSHIFT_SECRETS_KEY_PREVIOUS: is the same key as KEYSHIFT_SECRETS_KEY; set it only while changing to a new key',
    ])
  }
  return { ...rest, databaseUrl, issuer, adminPassword, secretsKey, previousSecretsKey }
}
