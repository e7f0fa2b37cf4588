import { randomUUID } from 'node:crypto'
import {
  CUSTOM_FIELD_NAME,
  CUSTOM_FIELDS,
  type CustomFieldType,
  withCustomFields,
} from '../catalogue/custom-fields.ts'
import type { ResourceDefinition } from '../catalogue/index.ts'
import type { Clock } from '../contract/clock.ts'
import { ConflictError, NotFoundError, ValidationError } from '../contract/errors.ts'
import type { CustomFieldRecord } from '../contract/records.ts'
import { type Store, StoreConflictError } from '../store/store.ts'
import type { ResolveResource } from './representation/index.ts'

type CustomFieldStore = Pick<Store, 'insertCustomField' | 'listCustomFields' | 'updateCustomField'>

export interface CustomFieldsOptions {
  store: CustomFieldStore
  clock: Clock
  /** The declared resources (catalogue findResource): custom fields belong to one of them. */
  resolve: ResolveResource
}

export interface NewCustomFieldInput {
  resource: string
  name: string
  label: string
  type: CustomFieldType
  values?: string[] | null | undefined
  required?: boolean | undefined
}

export type CustomFieldChangesInput = Partial<
  Pick<CustomFieldRecord, 'label' | 'required' | 'active'> & { values: string[] | null }
>

/**
 * The instance's custom fields (docs/CUSTOM-FIELDS.md): defined through the admin API, kept in
 * memory, read again with the settings (app.ts: on every poll, and at once on PostgreSQL when
 * another node announces a change), and applied to the resource definitions a request is served
 * with. Listeners hear which resources changed, so rendered records of those are dropped.
 */
export class CustomFields {
  readonly #store: CustomFieldStore
  readonly #clock: Clock
  readonly #declared: ResolveResource
  #fields: readonly CustomFieldRecord[] = []
  /** The definitions with their custom fields, by resource; rebuilt when the fields change. */
  #applied = new Map<string, ReturnType<typeof withCustomFields>>()
  readonly #listeners: Array<(resource: string) => void> = []

  constructor({ store, clock, resolve }: CustomFieldsOptions) {
    this.#store = store
    this.#clock = clock
    this.#declared = resolve
  }

  /** Reads the fields again; tells the listeners which resources' fields changed. */
  async load(): Promise<void> {
    // Shown in the order they were defined, then by name: the same order on every node.
    const fields = (await this.#store.listCustomFields()).sort(
      (a, b) => a.createdAt - b.createdAt || a.name.localeCompare(b.name),
    )
    const changed = changedResources(this.#fields, fields)
    this.#fields = fields
    if (changed.length === 0) return
    this.#applied = new Map()
    for (const resource of changed) for (const listener of this.#listeners) listener(resource)
  }

  /** Calls `listener` with each resource whose custom fields changed. */
  onChange(listener: (resource: string) => void): void {
    this.#listeners.push(listener)
  }

  /** `def` with its active custom fields as the `custom_fields` object (catalogue/custom-fields.ts). */
  apply(def: ResourceDefinition): ResourceDefinition {
    return this.#appliedTo(def).def
  }

  /** Finds declared resources and the `<resource>/custom_fields` ones the applied definitions point to. */
  readonly resolve: ResolveResource = (name) => {
    const [resource, group] = name.split('/')
    if (group !== CUSTOM_FIELDS) return this.#declared(name)
    const def = resource === undefined ? undefined : this.#declared(resource)
    return def && this.#appliedTo(def).group
  }

  /** Coupa's "<Label> can't be blank" for each required custom field a new record lacks. */
  missingOnCreate(def: ResourceDefinition, input: Record<string, unknown>): string[] {
    const given = (input[CUSTOM_FIELDS] ?? {}) as Record<string, unknown>
    return this.#fields
      .filter((f) => f.resource === def.name && f.active && f.required && given[f.name] == null)
      .map((f) => `${f.label} can't be blank`)
  }

  list(): Promise<CustomFieldRecord[]> {
    return this.#store.listCustomFields()
  }

  async create(input: NewCustomFieldInput): Promise<CustomFieldRecord> {
    const name = input.name.replaceAll('-', '_')
    const errors: Record<string, string[]> = {}
    if (!this.#declared(input.resource)) errors.resource = [`no resource ${JSON.stringify(input.resource)}`]
    if (!CUSTOM_FIELD_NAME.test(input.name) || name === 'id') {
      errors.name = ['must start with a lowercase letter and hold only a-z, 0-9, - and _ (not "id")']
    }
    const values = checkValues(input.type, input.values, errors)
    if (Object.keys(errors).length > 0) throw new ValidationError(errors)
    const now = this.#clock.now()
    const record: CustomFieldRecord = {
      id: randomUUID(),
      resource: input.resource,
      name,
      label: input.label,
      type: input.type,
      values,
      required: input.required ?? false,
      active: true,
      createdAt: now,
      updatedAt: now,
    }
    try {
      await this.#store.insertCustomField(record)
    } catch (error) {
      if (!(error instanceof StoreConflictError)) throw error
      throw new ConflictError('name', `${input.resource} already has a custom field ${input.name}`)
    }
    await this.load()
    return record
  }

  async update(id: string, changes: CustomFieldChangesInput): Promise<CustomFieldRecord> {
    const current = (await this.#store.listCustomFields()).find((f) => f.id === id)
    if (!current) throw new NotFoundError(`no custom field ${JSON.stringify(id.slice(0, 40))}`)
    const errors: Record<string, string[]> = {}
    const values =
      changes.values === undefined ? undefined : checkValues(current.type, changes.values, errors)
    if (Object.keys(errors).length > 0) throw new ValidationError(errors)
    const updated = await this.#store.updateCustomField(id, {
      ...changes,
      ...(values !== undefined && { values }),
      updatedAt: this.#clock.now(),
    })
    if (!updated) throw new NotFoundError(`no custom field ${JSON.stringify(id.slice(0, 40))}`)
    await this.load()
    return updated
  }

  #appliedTo(def: ResourceDefinition): ReturnType<typeof withCustomFields> {
    let applied = this.#applied.get(def.name)
    if (!applied) {
      applied = withCustomFields(def, this.#fields)
      this.#applied.set(def.name, applied)
    }
    return applied
  }
}

/** A lookup needs its values; no other type takes any. */
function checkValues(
  type: CustomFieldType,
  values: readonly string[] | null | undefined,
  errors: Record<string, string[]>,
): string[] | null {
  if (type !== 'lookup') {
    if (values != null) errors.values = ['only a lookup has values']
    return null
  }
  if (!values || values.length === 0) errors.values = ['a lookup needs at least one value']
  return values ? [...new Set(values)] : null
}

/** The resources whose fields differ between two readings. */
function changedResources(
  before: readonly CustomFieldRecord[],
  after: readonly CustomFieldRecord[],
): string[] {
  const describe = (fields: readonly CustomFieldRecord[]) => {
    const byResource = new Map<string, string>()
    for (const f of fields)
      byResource.set(f.resource, `${byResource.get(f.resource) ?? ''}${JSON.stringify(f)}`)
    return byResource
  }
  const [old, now] = [describe(before), describe(after)]
  return [...new Set([...old.keys(), ...now.keys()])].filter((r) => old.get(r) !== now.get(r))
}
