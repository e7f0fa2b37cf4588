import assert from 'node:assert/strict'
import { spawn } from 'node:child_process'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { client } from '../../test/records.ts'
import { type StoreBackend, useFreshStore } from '../../test/stores.ts'
import type { OAuthClientRecord } from '../contract/records.ts'
import { openStore } from './open.ts'

/** An acknowledged write survives the death of the process that made it. */
export function durabilitySuite(backend: StoreBackend): void {
  describe('durability', () => {
    const t = useFreshStore(backend)

    it('keeps a client whose insert resolved, though its process is killed with SIGKILL right after', async () => {
      const { store, dataDir = '', databaseUrl } = t()
      await store.close() // the writer is the only process on the database
      const options = { dataDir, databaseUrl }
      await insertInChildThenKill(options, client(1))
      const reopened = await openStore(options)
      try {
        assert.deepEqual(await reopened.getClient('client-1'), client(1))
      } finally {
        await reopened.close()
      }
    })
  })
}

const writer = fileURLToPath(new URL('../../test/insert-client-then-wait.ts', import.meta.url))

/** Runs the writer in a child process and kills it with SIGKILL as soon as it prints "ok". */
function insertInChildThenKill(options: object, record: OAuthClientRecord): Promise<void> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', writer, JSON.stringify(options), JSON.stringify(record)],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  let output = ''
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000)
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk) => {
      output += chunk
      if (output.includes('ok\n')) child.kill('SIGKILL')
    })
    child.stderr.on('data', (chunk) => {
      output += chunk
    })
    child.on('error', reject)
    child.on('exit', (code, signal) => {
      clearTimeout(timer)
      if (signal === 'SIGKILL' && output.includes('ok\n')) resolve()
      else reject(new Error(`the writer did not acknowledge its insert (exit ${signal ?? code}): ${output}`))
    })
  })
}
