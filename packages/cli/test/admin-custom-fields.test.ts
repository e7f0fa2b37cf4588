/**
 * `keyshift admin custom-fields list|create|update` against a real instance on 127.0.0.1: what is
 * defined shows in the list and on the core API's records.
 */
import assert from 'node:assert/strict'
import { mkdtemp, rm } from 'node:fs/promises'
import type { AddressInfo } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { build, type Instance, openStore, type Store } from '@keyshift/server'
import { run } from './helpers.ts'

describe('keyshift admin custom-fields (a real instance)', () => {
  const password = 'correct horse battery staple'
  let dataDir: string
  let store: Store
  let instance: Instance
  let url: string

  before(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'keyshift-cli-test-'))
    store = await openStore({ dataDir })
    instance = await build({ store, issuer: 'http://127.0.0.1', apiRateLimit: false })
    await instance.adminUsers.create('admin', password)
    await instance.app.listen({ host: '127.0.0.1', port: 0 })
    url = `http://127.0.0.1:${(instance.app.server.address() as AddressInfo).port}`
  })
  after(async () => {
    await instance?.close()
    await store?.close()
    await rm(dataDir, { recursive: true, force: true })
  })

  const admin = (args: string[]) =>
    run(['admin', 'custom-fields', ...args, '--url', url], { KEYSHIFT_ADMIN_PASSWORD: password })

  it('creates a lookup field, lists it, updates and deactivates it', async () => {
    const empty = await admin(['list'])
    assert.equal(empty.code, 0, empty.stderr)
    assert.match(empty.stdout, /^No custom fields/)
    const created = await admin([
      'create',
      '--resource',
      'purchase_orders',
      '--name',
      'cost-center',
      '--label',
      'Cost Center',
      '--type',
      'lookup',
      '--values',
      'CC-100,CC-200',
      '--required',
      '--json',
    ])
    assert.equal(created.code, 0, created.stderr)
    const field = JSON.parse(created.stdout)
    assert.deepEqual(
      [field.resource, field.name, field.type, field.values, field.required, field.active],
      ['purchase_orders', 'cost-center', 'lookup', ['CC-100', 'CC-200'], true, true],
    )
    const list = await admin(['list'])
    assert.match(list.stdout, /RESOURCE +NAME +TYPE/)
    assert.match(
      list.stdout,
      new RegExp(`${field.id} +purchase_orders +cost-center +lookup +yes +yes +Cost Center`),
    )
    const updated = await admin(['update', field.id, '--label', 'Cost centre', '--optional', '--deactivate'])
    assert.equal(updated.code, 0, updated.stderr)
    assert.match(updated.stdout, /Label +Cost centre\n/)
    assert.match(updated.stdout, /Required +no\n/)
    assert.match(updated.stdout, /Active +no\n/)
  })

  it("refuses what the server refuses, with the server's reason, and an update with nothing to change", async () => {
    const duplicate = await admin([
      'create',
      '--resource',
      'purchase_orders',
      '--name',
      'cost_center',
      '--label',
      'Again',
    ])
    assert.equal(duplicate.code, 1)
    assert.match(duplicate.stderr, /purchase_orders already has a custom field cost_center/)
    const nothing = await admin(['update', 'some-id'])
    assert.equal(nothing.code, 2)
    assert.match(nothing.stderr, /KS_USAGE: nothing to update/)
    const type = await admin([
      'create',
      '--resource',
      'invoices',
      '--name',
      'x',
      '--label',
      'X',
      '--type',
      'text',
    ])
    assert.equal(type.code, 2)
    assert.match(type.stderr, /--type must be one of string, integer, boolean, date, lookup/)
  })
})
