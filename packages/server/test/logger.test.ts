import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createLogger, redactUrl } from '../src/logger.ts'

describe('logger', () => {
  it('redacts secret-bearing query parameters of a URL', () => {
    assert.equal(
      redactUrl('/oauth2/token?a=1&client_secret=abc&token=t.t.t#x'),
      '/oauth2/token?a=1&client_secret=[REDACTED]&token=[REDACTED]#x',
    )
  })

  it('redacts URLs quoted in the message and stack of a logged error', () => {
    const lines: string[] = []
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } })
    logger.error({ err: new Error("'/x?client_secret=s3cr3t-value' is not a valid url component") }, 'failed')
    assert.equal(lines.length, 1)
    assert.equal(lines[0]?.includes('s3cr3t-value'), false)
    assert.match(String(lines[0]), /client_secret=\[REDACTED\]/)
  })

  it('redacts fields named like secrets', () => {
    const lines: string[] = []
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } })
    logger.info({ client_secret: 'abc123', nested: { password: 'hunter2', token: 'a.b.c' } }, 'event')
    assert.equal(/abc123|hunter2|a\.b\.c/.test(String(lines[0])), false)
  })
})
