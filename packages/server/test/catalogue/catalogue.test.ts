import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { FieldDefinition, ResourceDefinition, ScalarField } from '../../src/catalogue/index.ts'
import {
  findResource,
  findScope,
  nestedPermissions,
  resourcePermissions,
  resources,
  scopeActions,
  scopesWithActions,
} from '../../src/catalogue/index.ts'

const DASHED = /^[a-z0-9]+(-[a-z0-9]+)*$/
const UNDERSCORED = /^[a-z0-9]+(_[a-z0-9]+)*$/

function scopesOf(def: ResourceDefinition): string[] {
  return [def.scopes.read, def.scopes.create, def.scopes.update, ...(def.actions ?? []).map((a) => a.scope)]
}

function statusField(def: ResourceDefinition): ScalarField | undefined {
  return def.fields.find((f): f is ScalarField => f.kind === 'scalar' && f.name === 'status')
}

/** Every field of a resource, lines' fields included, with the path that names it. */
function allFields(fields: readonly FieldDefinition[], path: string): Array<[string, FieldDefinition]> {
  return fields.flatMap(
    (field): Array<[string, FieldDefinition]> => [
      [`${path}.${field.name}`, field],
      ...(field.kind === 'lines' ? allFields(field.fields, `${path}.${field.name}`) : []),
    ],
  )
}

describe('resource catalogue', () => {
  it('declares each resource name, singular and XML root once', () => {
    for (const key of ['name', 'singular', 'xmlRoot', 'xmlCollection'] as const) {
      const names = resources.map((def) => def[key])
      assert.equal(new Set(names).size, names.length, `duplicate ${key}: ${names.join(', ')}`)
    }
  })

  it('names resources and fields underscored and every XML name dashed', () => {
    for (const def of resources) {
      assert.match(def.name, UNDERSCORED, def.name)
      for (const xml of [def.singular, def.xmlRoot, def.xmlCollection]) assert.match(xml, DASHED, def.name)
      for (const [path, field] of allFields(def.fields, def.name)) {
        assert.match(field.name, UNDERSCORED, path)
        if (field.kind === 'lines') assert.match(field.element, DASHED, path)
      }
    }
  })

  it('declares each field once per record and per line', () => {
    const check = (fields: readonly FieldDefinition[], path: string) => {
      const names = fields.map((f) => f.name)
      assert.equal(new Set(names).size, names.length, `duplicate field in ${path}`)
      for (const f of fields) if (f.kind === 'lines') check(f.fields, `${path}.${f.name}`)
    }
    for (const def of resources) check(def.fields, def.name)
  })

  // Up to 40: an account alone has 20 segments (coupa-api-facts §6), an invoice header about 30 fields.
  it('gives every resource id, created_at and updated_at, and 5 to 40 fields', () => {
    for (const def of resources) {
      const names = def.fields.map((f) => f.name)
      for (const name of ['id', 'created_at', 'updated_at'])
        assert.ok(names.includes(name), `${def.name}.${name}`)
      assert.ok(names.length >= 5 && names.length <= 40, `${def.name} has ${names.length} fields`)
    }
  })

  it('uses only scopes of the scope catalogue', () => {
    for (const def of resources) {
      for (const scope of scopesOf(def))
        assert.ok(findScope(scope), `${def.name} uses unknown scope ${scope}`)
    }
  })

  it('points every reference at a declared resource and at fields it has', () => {
    for (const def of resources) {
      for (const [path, field] of allFields(def.fields, def.name)) {
        if (field.kind !== 'reference') continue
        const target = findResource(field.resource)
        assert.ok(target, `${path} refers to undeclared ${field.resource}`)
        assert.ok(field.fields.includes('id'), `${path} shows no id`)
        const targetFields = new Set(target.fields.map((f) => f.name))
        for (const name of field.fields) assert.ok(targetFields.has(name), `${path} shows missing ${name}`)
      }
    }
  })

  // A line may hold one list of its own (an invoice line's `account-allocations`), no deeper.
  it('declares well-formed lines: an id, scalar or reference fields, lines nested one level at most', () => {
    function checkLines(fields: readonly FieldDefinition[], path: string, depth: number): void {
      for (const field of fields) {
        if (field.kind !== 'lines') continue
        const where = `${path}.${field.name}`
        assert.ok(depth < 2, `${where} nests lines more than one level`)
        assert.ok(field.fields.length > 0, `${where} is empty`)
        assert.ok(
          field.fields.some((f) => f.kind === 'scalar' && f.name === 'id' && f.writable === false),
          `${where} has no read-only id`,
        )
        checkLines(field.fields, where, depth + 1)
      }
    }
    for (const def of resources) checkLines(def.fields, def.name, 0)
  })

  it('keeps action statuses, initial statuses and values consistent', () => {
    for (const def of resources) {
      const status = statusField(def)
      if (def.initialStatus !== undefined) assert.ok(status?.values?.includes(def.initialStatus), def.name)
      for (const action of def.actions ?? []) {
        assert.ok(status?.values, `${def.name}#${action.name} needs a status with values`)
        assert.equal(status.writable, false, `${def.name}.status is driven by actions`)
        for (const from of action.from)
          assert.ok(status.values.includes(from), `${def.name}#${action.name} ${from}`)
        assert.ok(status.values.includes(action.to), `${def.name}#${action.name} → ${action.to}`)
      }
    }
  })

  it('never requires a field clients cannot write', () => {
    for (const def of resources) {
      for (const [path, field] of allFields(def.fields, def.name)) {
        if (field.kind !== 'lines' && field.required) assert.notEqual(field.writable, false, path)
      }
    }
  })

  it('lists every resource#action pair once', () => {
    for (const permission of ['invoices#index', 'invoices#show', 'invoices#create', 'invoices#update']) {
      assert.ok(resourcePermissions.has(permission), permission)
    }
    assert.ok(resourcePermissions.has('invoices#void'))
    assert.ok(resourcePermissions.has('purchase_orders#reopen'))
    assert.ok(resourcePermissions.has('approvals#hold'))
    const expected =
      resources.reduce((n, def) => n + 4 + (def.actions?.length ?? 0), 0) + nestedPermissions.length
    assert.equal(resourcePermissions.size, expected)
  })

  it('maps scopes to the actions they grant', () => {
    assert.deepEqual(scopeActions('core.invoice.delete'), ['invoices#abandon', 'invoices#void'])
    assert.deepEqual(scopeActions('core.invoice.read'), [
      'invoices#attachments',
      'invoices#index',
      'invoices#retrieve_image_scan',
      'invoices#show',
    ])
    assert.deepEqual(scopeActions('core.requisition.write'), [
      'requisitions#add_attachment',
      'requisitions#create',
      'requisitions#submit_for_approval',
      'requisitions#update',
    ])
    assert.deepEqual(scopeActions('openid'), [])
    const granted = scopesWithActions().flatMap(scopeActions)
    assert.deepEqual(granted.sort(), [...resourcePermissions].sort())
  })

  it('finds resources by name', () => {
    assert.equal(findResource('purchase_orders')?.xmlRoot, 'order-header')
    assert.equal(findResource('nope'), undefined)
  })
})
