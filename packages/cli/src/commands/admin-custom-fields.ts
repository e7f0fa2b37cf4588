/** `keyshift admin custom-fields …`: the custom fields records carry under `custom-fields`. */
import { adminCommand } from '../admin/command.ts'
import {
  CUSTOM_FIELD_CREATE_OPTIONS,
  CUSTOM_FIELD_UPDATE_OPTIONS,
  customFieldChanges,
  newCustomField,
} from '../admin/custom-field-input.ts'
import { CUSTOM_FIELD, CUSTOM_FIELD_LIST } from '../admin/render-custom-fields.ts'
import type { CommandGroup } from '../command.ts'

const GROUP = 'keyshift admin custom-fields'

const listCommand = adminCommand(`${GROUP} list`, {
  summary: 'List the custom fields of every resource, active or not',
  call: (api) => api.listCustomFields(),
  print: CUSTOM_FIELD_LIST,
})

const createCommand = adminCommand(`${GROUP} create`, {
  summary: 'Define a custom field: records of the resource carry it under custom-fields',
  usage:
    '--resource RESOURCE --name NAME --label LABEL [--type TYPE] [--values "A,B"] [--required] [options]',
  options: CUSTOM_FIELD_CREATE_OPTIONS,
  examples: [
    `${GROUP} create --resource suppliers --name erp-vendor-id --label "ERP Vendor ID"`,
    `${GROUP} create --resource purchase_orders --name cost-center --label "Cost Center" --type lookup --values "CC-100,CC-200" --required`,
  ],
  input: newCustomField,
  call: (api, field) => api.createCustomField(field),
  print: CUSTOM_FIELD,
})

const updateCommand = adminCommand(`${GROUP} update`, {
  summary: "Change a custom field's label, lookup values, required or active",
  usage: '<id> [--label LABEL] [--values "A,B"] [--required|--optional] [--activate|--deactivate] [options]',
  positionals: [{ name: 'id', description: 'the id of the custom field (see list)' }],
  options: CUSTOM_FIELD_UPDATE_OPTIONS,
  input: (args) => ({ id: args.positionals[0] ?? '', changes: customFieldChanges(args) }),
  call: (api, { id, changes }) => api.updateCustomField(id, changes),
  print: CUSTOM_FIELD,
})

export const customFieldsGroup: CommandGroup = {
  kind: 'group',
  name: 'custom-fields',
  summary: 'Manage the custom fields of the core API resources (ERP keys and the like)',
  commands: [listCommand, createCommand, updateCommand],
}
