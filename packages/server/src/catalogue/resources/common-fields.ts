import type { FieldDefinition } from '../definitions.ts'

/** Fields every Coupa record has. */
export const timestamps: readonly FieldDefinition[] = [
  { kind: 'scalar', name: 'id', type: 'integer', writable: false },
  { kind: 'scalar', name: 'created_at', type: 'datetime', writable: false },
  { kind: 'scalar', name: 'updated_at', type: 'datetime', writable: false },
]

export const currency: FieldDefinition = {
  kind: 'reference',
  name: 'currency',
  resource: 'currencies',
  fields: ['id', 'code'],
}

export const exportFields: readonly FieldDefinition[] = [
  { kind: 'scalar', name: 'exported', type: 'boolean', writable: false },
  { kind: 'scalar', name: 'last_exported_at', type: 'datetime', writable: false },
]
