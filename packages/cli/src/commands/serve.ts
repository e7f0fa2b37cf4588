/** `keyshift serve`: run the instance. The server parses its own flags; this file only loads it. */
import type { Command, Context, ParsedArgs, ServeMain } from '../command.ts'
import { CliError } from '../errors.ts'

/** Loads the server only for `serve`, so the other commands start fast and need no database driver. */
export async function loadServerMain(): Promise<ServeMain> {
  try {
    const server = await import('@keyshift/server/main')
    return server.main
  } catch (error) {
    const reason =
      (error as { code?: string }).code ?? (error instanceof Error ? error.message : String(error))
    throw new CliError('KS_SERVER_UNAVAILABLE', `cannot load @keyshift/server/main (${reason})`, {
      cause: error,
    })
  }
}

async function runServe(context: Context, args: ParsedArgs): Promise<void> {
  const serve = await context.loadServer()
  try {
    await serve(args.positionals, context.env)
  } catch (error) {
    if (error instanceof CliError) throw error
    const message = error instanceof Error ? error.message : String(error)
    throw new CliError('KS_SERVE_FAILED', message, { cause: error })
  }
}

export const serveCommand: Command = {
  kind: 'command',
  name: 'serve',
  summary: 'Run a Keyshift instance: token endpoint, admin API, core API and Setup pages',
  usage: '[--port N] [--host HOST] [--data DIR | --database-url URL] [--issuer URL] [options]',
  description: [
    'Stores its data in an embedded SQLite database in the data folder, or in PostgreSQL with',
    '--database-url (for several nodes sharing one database). Flags win over environment variables.',
    'On first start, when the store has no admin user yet, it creates the admin user `admin` with',
    'KEYSHIFT_ADMIN_PASSWORD, or else with a random password that it writes to',
    '<data>/admin-password.txt with mode 0600 (readable only by you).',
  ],
  passThrough: true,
  options: {
    port: { type: 'string', value: 'N', env: 'PORT', default: '8080', description: 'TCP port to listen on' },
    host: {
      type: 'string',
      value: 'HOST',
      env: 'HOST',
      default: '127.0.0.1',
      description: 'address to listen on',
    },
    data: {
      type: 'string',
      value: 'DIR',
      env: 'KEYSHIFT_DATA_DIR',
      default: './keyshift-data',
      description: 'data folder of the embedded store',
    },
    'database-url': {
      type: 'string',
      value: 'URL',
      env: 'DATABASE_URL',
      description: 'PostgreSQL connection URL, used instead of the embedded store',
    },
    issuer: {
      type: 'string',
      value: 'URL',
      env: 'KEYSHIFT_ISSUER',
      default: 'http://HOST:PORT',
      description: 'public URL of the instance: the `iss` of its tokens and the base of its metadata',
    },
    'log-level': {
      type: 'string',
      value: 'LEVEL',
      env: 'LOG_LEVEL',
      default: 'info',
      description: 'fatal, error, warn, info, debug, trace or silent',
    },
    demo: {
      type: 'boolean',
      description: 'seed a demo data set and a demo OAuth client on first start (npm start does)',
    },
    'api-rate-limit': {
      type: 'string',
      value: 'N:BURST',
      env: 'KEYSHIFT_API_RATE_LIMIT',
      default: '25:20',
      description: "core API requests per second and burst per client or key (Coupa's limit), or off",
    },
    'usage-ledger': {
      type: 'string',
      value: 'on|off',
      env: 'KEYSHIFT_USAGE_LEDGER',
      default: 'on',
      description:
        'count core API calls per key or client, resource and hour (what `keyshift transition` reads)',
    },
    'usage-retention-days': {
      type: 'string',
      value: 'DAYS',
      env: 'KEYSHIFT_USAGE_RETENTION_DAYS',
      default: '35',
      description: 'days of hourly counts kept before they are rolled up into days (31 to 365)',
    },
    'token-lifetime': {
      type: 'string',
      value: 'SECONDS',
      env: 'KEYSHIFT_TOKEN_LIFETIME',
      default: '86399',
      description:
        "lifetime of access tokens (expires_in), 60 to 86399: Coupa's 24 hours, or shorter to test an integration's renewal",
    },
    'keep-alive-timeout': {
      type: 'string',
      value: 'SECONDS',
      env: 'KEYSHIFT_KEEP_ALIVE_TIMEOUT',
      default: '5',
      description:
        'seconds an idle keep-alive connection stays open, 1 to 600; behind a load balancer, more than its idle timeout',
    },
    'max-file-size': {
      type: 'string',
      value: 'MIB',
      env: 'KEYSHIFT_MAX_FILE_SIZE',
      default: '16',
      description:
        'largest attachment or invoice image scan the core API accepts, 1 to 1024 MiB; larger: 413',
    },
    'connections-per-address': {
      type: 'string',
      value: 'N|off',
      env: 'KEYSHIFT_CONNECTIONS_PER_ADDRESS',
      default: '256',
      description:
        'open connections one remote address may hold (1 to 65535); more are closed at once. Behind a proxy, raise it or turn it off',
    },
    'time-zone': {
      type: 'string',
      value: 'ZONE',
      env: 'KEYSHIFT_TIME_ZONE',
      default: 'UTC',
      description:
        "the instance's time zone (IANA name, e.g. Europe/Berlin): the core API writes datetimes with its offset, 2016-11-08T11:28:50+02:00",
    },
  },
  environment: {
    KEYSHIFT_ADMIN_PASSWORD:
      'password (12 characters or more) of the first admin user `admin`; used only while the store has no admin',
    KEYSHIFT_SECRETS_KEY:
      'encrypts the signing keys and the pepper in the store (AES-256-GCM): 32 bytes as base64 or hex, e.g. from `openssl rand -base64 32`; every node needs the same',
    KEYSHIFT_SECRETS_KEY_PREVIOUS:
      'the key being replaced, while changing keys: what it encrypted is encrypted again with KEYSHIFT_SECRETS_KEY at start',
  },
  examples: [
    'keyshift serve',
    'KEYSHIFT_ADMIN_PASSWORD=... keyshift serve --host 0.0.0.0 --issuer https://keyshift.example.com',
    'DATABASE_URL=postgres://keyshift@db/keyshift keyshift serve --port 9000',
  ],
  run: runServe,
}
