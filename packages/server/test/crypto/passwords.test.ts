import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { pbkdf2 } from 'node:crypto'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { hashPassword, ScryptBusyError, ScryptPool, verifyPassword } from '../../src/crypto/passwords.ts'

describe('admin passwords (scrypt)', () => {
  it('verifies the password it hashed and refuses any other', async () => {
    const encoded = await hashPassword('correct horse battery staple')
    assert.match(encoded, /^scrypt\$131072\$8\$1\$[\w-]{22}\$[\w-]{43}$/)
    assert.equal(await verifyPassword('correct horse battery staple', encoded), true)
    assert.equal(await verifyPassword('correct horse battery stapler', encoded), false)
    assert.equal(await verifyPassword('', encoded), false)
  })

  it('salts every hash', async () => {
    const [a, b] = await Promise.all([hashPassword('same'), hashPassword('same')])
    assert.notEqual(a, b)
  })

  it('refuses an encoding it does not know without hashing', async () => {
    assert.equal(await verifyPassword('x', 'bcrypt$10$abc'), false)
    assert.equal(await verifyPassword('x', 'scrypt$131072$8$1$$'), false)
  })

  it('says what failed, without the password, when the stored cost is impossible', async () => {
    await assert.rejects(verifyPassword('s3cret-value', 'scrypt$3$8$1$c2FsdA$aGFzaA'), (error: Error) => {
      assert.match(error.message, /^password hashing failed: /)
      assert.doesNotMatch(error.message, /s3cret-value/)
      return true
    })
    // The thread is still there for the next one.
    assert.equal(await verifyPassword('y', await hashPassword('y')), true)
  })

  it('does not wait behind jobs on the thread pool, where the tokens are signed', async () => {
    // Keeps every thread of libuv's pool (4 in the test runner) busy for about a second.
    const order: string[] = []
    const poolJobs = Array.from(
      { length: 4 },
      () =>
        new Promise<void>((resolve, reject) =>
          pbkdf2('pool', 'salt', 8_000_000, 32, 'sha256', (error) => {
            if (error) reject(error)
            order.push('pool')
            resolve()
          }),
        ),
    )
    const password = hashPassword('while the pool is busy').then(() => order.push('scrypt'))
    await Promise.all([...poolJobs, password])
    assert.equal(order[0], 'scrypt', `finished in this order: ${order.join(', ')}`)
  })

  it('lets the process exit once nothing is being hashed', () => {
    const module = fileURLToPath(new URL('../../src/crypto/passwords.ts', import.meta.url))
    const script = `const { hashPassword } = await import(${JSON.stringify(module)}); console.log((await hashPassword('x')).split('$')[0])`
    const result = spawnSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      encoding: 'utf8',
      timeout: 30_000,
    })
    assert.equal(result.signal, null, 'the process had to be killed: the scrypt thread kept it alive')
    assert.equal(result.status, 0, result.stderr)
    assert.equal(result.stdout, 'scrypt\n')
  })

  it('takes checks from the queues in turn: a burst from one address does not hold up another', async () => {
    const pool = new ScryptPool({ threads: 1, maxPerQueue: 6 })
    const job = (password: string) => ({ password, salt: Buffer.from('salt'), keyLength: 32, cost: CHEAP })
    const order: string[] = []
    const run = (queue: string, name: string) => pool.run(job(name), queue).then(() => order.push(name))
    const burst = Array.from({ length: 6 }, (_, i) => run('203.0.113.1', `burst ${i}`))
    await assert.rejects(pool.run(job('burst 6'), '203.0.113.1'), ScryptBusyError)
    const other = [run('198.51.100.1', 'other 0'), run('198.51.100.1', 'other 1')]
    await Promise.all([...burst, ...other])
    // The check running when the other address asked went first; then the queues took turns.
    assert.deepEqual(order.slice(0, 5), ['burst 0', 'other 0', 'burst 1', 'other 1', 'burst 2'])
  })
})

// Cheap enough for a test of the queues; the order, not the cost, is what is checked.
const CHEAP = { N: 2 ** 12, r: 8, p: 1 }
