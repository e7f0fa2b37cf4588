import assert from 'node:assert/strict'
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, beforeEach, describe, it } from 'node:test'
import { ADMIN_PASSWORD, createFakeTransition, INVOICE_ID, SUPPLIER_ID } from './fake-transition.ts'
import { type FakeServer, fakeServer, run } from './helpers.ts'

/** A plan with one valid `replace` key at lines 3 to 11, then `extra` (more keys). */
function planText(instance: string, first: string[], extra = ''): string {
  return [`instance: ${instance}`, 'keys:', ...first, extra].join('\n')
}

const SUPPLIER = [
  `  - api_key_id: ${SUPPLIER_ID}`, // line 3
  '    api_key_name: Supplier sync',
  '    action: replace',
  '    phase: 1',
  '    scopes: [core.supplier.read]', // line 7
  '    client:',
  '      name: Supplier sync',
  '      login: supplier-sync', // line 10
  '    integration: supplier-sync',
]

function replaceLine(lines: string[], index: number, line: string | undefined): string[] {
  const copy = [...lines]
  if (line === undefined) copy.splice(index, 1)
  else copy[index] = line
  return copy
}

describe('keyshift transition apply: a plan file with a problem creates nothing (KS_PLAN_INVALID)', () => {
  let server: FakeServer
  let dir: string
  before(async () => {
    server = await fakeServer(createFakeTransition().respond)
    dir = mkdtempSync(join(tmpdir(), 'keyshift-plan-'))
  })
  after(() => server.close())
  beforeEach(() => {
    server.requests.length = 0
  })

  async function apply(text: string) {
    const file = join(dir, 'plan.yaml')
    writeFileSync(file, text)
    const result = await run(
      ['transition', 'apply', '--plan', file, '--secrets-file', join(dir, 'never.env')],
      {
        KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD,
      },
    )
    assert.equal(result.code, 1, result.stderr)
    assert.deepEqual(server.requests, [], 'no request is sent')
    assert.equal(existsSync(join(dir, 'never.env')), false, 'no secrets file is created')
    assert.equal(result.stdout, '')
    // The detail lines, without the file's folder.
    const lines = result.stderr.split('\n')
    assert.match(
      lines[0] ?? '',
      /^keyshift: KS_PLAN_INVALID: the plan .*plan\.yaml has \d problems?; nothing was created$/,
    )
    return lines.filter((line) => line.startsWith('  ')).map((line) => line.replace(`  ${file}`, 'plan.yaml'))
  }

  it('accepts the valid plan these cases start from', async () => {
    const file = join(dir, 'valid.yaml')
    writeFileSync(file, planText(server.url, SUPPLIER))
    const result = await run(['transition', 'apply', '--plan', file], {
      KEYSHIFT_ADMIN_PASSWORD: ADMIN_PASSWORD,
    })
    assert.equal(result.code, 0, result.stderr)
  })

  it('YAML that does not parse: the line of the error', async () => {
    const details = await apply(
      planText(server.url, replaceLine(SUPPLIER, 4, '    scopes: [core.supplier.read')),
    )
    assert.deepEqual(details, [
      'plan.yaml:8: invalid YAML (column 5): Flow sequence in block collection must be sufficiently indented and end with a ]',
    ])
    assert.deepEqual(await apply(planText(server.url, replaceLine(SUPPLIER, 3, '    action: skip'))), [
      'plan.yaml:6: invalid YAML (column 5): Map keys must be unique',
    ])
  })

  it('a wrong type: the line and the field', async () => {
    const details = await apply(
      planText(server.url, replaceLine(SUPPLIER, 4, '    scopes: core.supplier.read')),
    )
    assert.deepEqual(details, ['plan.yaml:7: keys[0].scopes: must be a list of scope names'])
  })

  it('wrong types in several fields: every one, in the order of the file', async () => {
    let lines = replaceLine(SUPPLIER, 3, '    phase: first')
    lines = replaceLine(lines, 7, '      login: [supplier-sync]')
    const details = await apply(planText(server.url, lines))
    assert.deepEqual(details, [
      'plan.yaml:6: keys[0].phase: must be a phase number (1, 2, …) or null',
      'plan.yaml:10: keys[0].client.login: must be text',
    ])
  })

  it('an unknown action', async () => {
    const details = await apply(planText(server.url, replaceLine(SUPPLIER, 2, '    action: rotate')))
    assert.deepEqual(details, ['plan.yaml:5: keys[0].action: must be replace, link, revoke or skip'])
  })

  it('a replace without client, without login, or without scopes', async () => {
    const noClient = SUPPLIER.slice(0, 5).concat(SUPPLIER.slice(8))
    assert.deepEqual(await apply(planText(server.url, noClient)), [
      'plan.yaml:3: keys[0].client: is required when action is replace (name and login)',
    ])
    assert.deepEqual(await apply(planText(server.url, replaceLine(SUPPLIER, 7, undefined))), [
      'plan.yaml:8: keys[0].client.login: is required',
    ])
    assert.deepEqual(await apply(planText(server.url, replaceLine(SUPPLIER, 4, undefined))), [
      'plan.yaml:3: keys[0].scopes: is required when action is replace',
    ])
    assert.deepEqual(await apply(planText(server.url, replaceLine(SUPPLIER, 4, '    scopes: []'))), [
      'plan.yaml:7: keys[0].scopes: must not be empty when action is replace',
    ])
  })

  it('a login used by two keys', async () => {
    const second = SUPPLIER.map((line) =>
      line.replace(SUPPLIER_ID, INVOICE_ID).replace('integration: supplier-sync', 'integration: invoices'),
    )
    const details = await apply(planText(server.url, SUPPLIER, second.join('\n')))
    assert.deepEqual(details, [
      'plan.yaml:19: keys[1].client.login: the same client login is already used by keys[0]',
    ])
  })

  it('a field that is not known (a typo), and a key listed twice', async () => {
    const second = [`  - api_key_id: ${SUPPLIER_ID}`, '    action: skip', '    scopse: [core.x]'].join('\n')
    const details = await apply(planText(server.url, SUPPLIER, second))
    assert.deepEqual(details, [
      'plan.yaml:12: keys[1].api_key_id: the same api_key_id is already used by keys[0]',
      'plan.yaml:14: keys[1].scopse: unknown field',
    ])
  })

  it('a file that is not a plan at all', async () => {
    assert.deepEqual(await apply('- just\n- a list\n'), [
      'plan.yaml:1: (top level): must be a mapping with instance and keys',
    ])
    assert.deepEqual(await apply(`instance: ${server.url}\n`), ['plan.yaml:1: keys: is required'])
  })
})
