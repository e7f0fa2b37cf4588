import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import { ConfigError, readServeConfig } from '../src/config.ts'

describe('keyshift serve configuration', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(readServeConfig([], {}), {
      port: 8080,
      host: '127.0.0.1',
      dataDir: './keyshift-data',
      databaseUrl: undefined,
      issuer: undefined,
      adminPassword: undefined,
      logLevel: 'info',
      demo: false,
      apiRateLimit: { perSecond: 25, burst: 20 },
      usageLedger: true,
      usageRetentionDays: 35,
      tokenLifetimeSeconds: 86_399,
      keepAliveTimeoutSeconds: 5,
      maxConnectionsPerAddress: 256,
      maxFileSizeMiB: 16,
      secretsKey: undefined,
      previousSecretsKey: undefined,
      timeZone: 'UTC',
    })
  })

  it('takes flags before environment variables', () => {
    const config = readServeConfig(['--port', '9000', '--issuer', 'https://ks.example.com/'], {
      PORT: '7000',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u:p@db:5432/ks',
      KEYSHIFT_API_RATE_LIMIT: 'off',
    })
    assert.equal(config.port, 9000)
    assert.equal(config.host, '0.0.0.0')
    assert.equal(config.issuer, 'https://ks.example.com')
    assert.equal(config.databaseUrl, 'postgres://u:p@db:5432/ks')
    assert.equal(config.apiRateLimit, false)
    assert.deepEqual(readServeConfig(['--api-rate-limit', '100:50'], {}).apiRateLimit, {
      perSecond: 100,
      burst: 50,
    })
    const ledger = readServeConfig(['--usage-ledger', 'off'], {
      KEYSHIFT_USAGE_LEDGER: 'on',
      KEYSHIFT_USAGE_RETENTION_DAYS: '60',
    })
    assert.equal(ledger.usageLedger, false)
    assert.equal(ledger.usageRetentionDays, 60)
    assert.equal(readServeConfig([], { KEYSHIFT_USAGE_LEDGER: 'off' }).usageLedger, false)
    assert.equal(
      readServeConfig(['--max-file-size', '8'], { KEYSHIFT_MAX_FILE_SIZE: '64' }).maxFileSizeMiB,
      8,
    )
    assert.equal(readServeConfig([], { KEYSHIFT_MAX_FILE_SIZE: '64' }).maxFileSizeMiB, 64)
    assert.throws(
      () => readServeConfig(['--max-file-size', '0'], {}),
      /--max-file-size\/KEYSHIFT_MAX_FILE_SIZE: must be whole MiB from 1 to 1024/,
    )
  })

  it('names every wrong setting and what would be right, without echoing secrets', () => {
    assert.throws(
      () =>
        readServeConfig(['--port', 'eighty', '--api-rate-limit', 'fast', '--usage-ledger', 'yes'], {
          DATABASE_URL: 'mysql://u:secret@x/y',
          KEYSHIFT_ADMIN_PASSWORD: 'short',
        }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        assert.deepEqual(error.problems, [
          '--port/PORT: must be a whole number from 0 to 65535 (got "eighty")',
          '--database-url/DATABASE_URL: must be a PostgreSQL URL: postgres://user:password@host:5432/database',
          'KEYSHIFT_ADMIN_PASSWORD: must be at least 12 characters',
          '--api-rate-limit/KEYSHIFT_API_RATE_LIMIT: must be PER_SECOND:BURST such as 25:20 (Coupa\'s limit), or off (got "fast")',
          '--usage-ledger/KEYSHIFT_USAGE_LEDGER: must be on or off (got "yes")',
        ])
        assert.doesNotMatch(error.message, /secret|short/)
        return true
      },
    )
  })

  it('reads the secrets keys from the environment only, as base64 or hex, and never echoes them', () => {
    const key = randomBytes(32)
    const previous = randomBytes(32)
    const config = readServeConfig([], {
      KEYSHIFT_SECRETS_KEY: key.toString('base64'),
      KEYSHIFT_SECRETS_KEY_PREVIOUS: previous.toString('hex'),
    })
    assert.deepEqual(config.secretsKey, key)
    assert.deepEqual(config.previousSecretsKey, previous)
    const short = randomBytes(16).toString('base64')
    assert.throws(
      () => readServeConfig([], { KEYSHIFT_SECRETS_KEY: short, KEYSHIFT_SECRETS_KEY_PREVIOUS: 'not a key' }),
      (error: unknown) => {
        assert.ok(error instanceof ConfigError)
        const advice =
          'must be 32 random bytes as base64 or 64 hex digits; make one with: openssl rand -base64 32'
        assert.deepEqual(error.problems, [
          `KEYSHIFT_SECRETS_KEY: ${advice}`,
          `KEYSHIFT_SECRETS_KEY_PREVIOUS: ${advice}`,
        ])
        assert.ok(!error.message.includes(short) && !error.message.includes('not a key'))
        return true
      },
    )
    assert.throws(
      () =>
        readServeConfig([], {
          KEYSHIFT_SECRETS_KEY: key.toString('base64'),
          KEYSHIFT_SECRETS_KEY_PREVIOUS: key.toString('hex'),
        }),
      /KEYSHIFT_SECRETS_KEY_PREVIOUS: is the same key as KEYSHIFT_SECRETS_KEY/,
    )
  })

  it('takes a token lifetime from 60 s to 86 399 s', () => {
    assert.equal(readServeConfig(['--token-lifetime', '300'], {}).tokenLifetimeSeconds, 300)
    assert.equal(readServeConfig([], { KEYSHIFT_TOKEN_LIFETIME: '86399' }).tokenLifetimeSeconds, 86_399)
    for (const value of ['59', '86400', '1.5', 'day']) {
      assert.throws(() => readServeConfig(['--token-lifetime', value], {}), {
        name: 'ConfigError',
        message: new RegExp(
          `--token-lifetime/KEYSHIFT_TOKEN_LIFETIME: must be whole seconds from 60 to 86399 .*\\(got "${value.replace('.', '\\.')}"\\)`,
        ),
      })
    }
  })

  it('takes an IANA time zone, UTC by default, and refuses one Node does not know', () => {
    assert.equal(readServeConfig(['--time-zone', 'Europe/Berlin'], {}).timeZone, 'Europe/Berlin')
    const fromEnv = readServeConfig([], { KEYSHIFT_TIME_ZONE: 'America/Los_Angeles' })
    assert.equal(fromEnv.timeZone, 'America/Los_Angeles')
    assert.equal(readServeConfig([], { KEYSHIFT_TIME_ZONE: '' }).timeZone, 'UTC')
    for (const value of ['Mars/Olympus', 'CEST']) {
      assert.throws(() => readServeConfig(['--time-zone', value], {}), {
        name: 'ConfigError',
        message: new RegExp(
          `--time-zone/KEYSHIFT_TIME_ZONE: must be an IANA time zone such as UTC, Europe/Berlin or America/Los_Angeles \\(got "${value}"\\)`,
        ),
      })
    }
  })

  it('refuses an unknown flag', () => {
    assert.throws(() => readServeConfig(['--prot', '1'], {}), ConfigError)
  })
})
