/** Human output of `keyshift admin custom-fields`. */
import type { CustomFieldView } from '@keyshift/server/admin-api'
import { fields, table } from '../output.ts'
import { listPrinter, type Printer } from './command.ts'

function formatCustomField(field: CustomFieldView): string {
  return `${fields([
    ['Resource', field.resource],
    ['Name', field.name],
    ['Label', field.label],
    ['Type', field.type],
    ['Values', field.values?.join(', ')],
    ['Required', field.required ? 'yes' : 'no'],
    ['Active', field.active ? 'yes' : 'no'],
    ['Id', field.id],
  ])}\n`
}

export const CUSTOM_FIELD: Printer<CustomFieldView> = { format: formatCustomField }

function formatCustomFieldList(list: CustomFieldView[]): string {
  if (list.length === 0) return 'No custom fields. Define one: `keyshift admin custom-fields create`.\n'
  const rows = list.map((f) => [
    f.id,
    f.resource,
    f.name,
    f.type,
    f.required ? 'yes' : 'no',
    f.active ? 'yes' : 'no',
    f.label,
  ])
  return `${table(['ID', 'RESOURCE', 'NAME', 'TYPE', 'REQUIRED', 'ACTIVE', 'LABEL'], rows)}\n`
}

export const CUSTOM_FIELD_LIST = listPrinter('custom_fields', CUSTOM_FIELD, formatCustomFieldList)
