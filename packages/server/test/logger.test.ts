import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RequestLogger } from '../src/http/request-logger.ts'
import { createHttpServer } from '../src/http/server.ts'
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

  it('writes request lines as a child logger would: request id, bindings, redaction; nothing below its level', async () => {
    const lines: string[] = []
    const logger = createLogger({ level: 'info', destination: { write: (line: string) => lines.push(line) } })
    const app = createHttpServer({ logger, errorHandlersByPrefix: [] })
    app.get('/x', async (request) => {
      assert.ok(request.log instanceof RequestLogger)
      request.log.debug('below the level: not written')
      request.log.info({ client_secret: 'abc123', client_id: 'c1' }, 'an event')
      request.log.child({ step: 'inner' }).warn('from a child')
      return { ok: true }
    })
    const res = await app.inject({ method: 'GET', url: '/x' })
    assert.equal(res.statusCode, 200)
    await app.close()
    const written = lines.map((line) => JSON.parse(line) as Record<string, unknown>)
    assert.deepEqual(
      written.map((l) => l.msg),
      ['an event', 'from a child'],
    )
    const [event, inner] = written
    assert.match(String(event?.reqId), /.+/)
    assert.equal(inner?.reqId, event?.reqId)
    assert.equal(inner?.step, 'inner')
    assert.equal(event?.client_secret, '[REDACTED]')
    assert.equal(event?.client_id, 'c1')
  })

  it('follows the level of its logger and makes its child only to write a line', () => {
    const lines: string[] = []
    const parent = createLogger({ level: 'warn', destination: { write: (line: string) => lines.push(line) } })
    let children = 0
    const counting = Object.create(parent, {
      child: {
        value: (...args: Parameters<typeof parent.child>) => {
          children++
          return parent.child(...args)
        },
      },
    }) as typeof parent
    const log = new RequestLogger(counting, { reqId: 'r1' }, {})
    log.info('dropped')
    assert.equal(log.level, 'warn')
    assert.equal(log.isLevelEnabled('info'), false)
    assert.equal(children, 0)
    log.error('kept')
    log.error('kept again')
    assert.equal(children, 1)
    log.level = 'debug'
    log.debug('now written')
    assert.deepEqual(
      lines.map((line) => [JSON.parse(line).msg, JSON.parse(line).reqId]),
      [
        ['kept', 'r1'],
        ['kept again', 'r1'],
        ['now written', 'r1'],
      ],
    )
  })
})
