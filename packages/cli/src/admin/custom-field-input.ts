/** The command-line input of `keyshift admin custom-fields`, turned into admin API bodies. */
import type { CustomFieldChanges, CustomFieldType, NewCustomField } from '@keyshift/server/admin-api'
import { flagArg, listArg, type OptionTable, type ParsedArgs, stringArg } from '../command.ts'
import { CliError } from '../errors.ts'

const PATH = 'keyshift admin custom-fields'
const TYPES: readonly CustomFieldType[] = ['string', 'integer', 'boolean', 'date', 'lookup']

const VALUES = {
  type: 'string',
  value: '"A,B"',
  description: "a lookup's allowed values, separated by commas",
} as const

export const CUSTOM_FIELD_CREATE_OPTIONS: OptionTable = {
  resource: {
    type: 'string',
    value: 'RESOURCE',
    description: 'the resource, e.g. invoices or suppliers (required)',
  },
  name: {
    type: 'string',
    value: 'NAME',
    description: 'the name records show, e.g. erp-vendor-id (required)',
  },
  label: { type: 'string', value: 'LABEL', description: 'the label used in messages (required)' },
  type: { type: 'string', value: 'TYPE', description: `${TYPES.join(', ')} (default string)` },
  values: VALUES,
  required: { type: 'boolean', description: 'records must give it when they are created' },
}

export const CUSTOM_FIELD_UPDATE_OPTIONS: OptionTable = {
  label: { type: 'string', value: 'LABEL', description: 'a new label' },
  values: VALUES,
  required: { type: 'boolean', description: 'make it required on create' },
  optional: { type: 'boolean', description: 'make it optional' },
  activate: { type: 'boolean', description: 'show and accept it again' },
  deactivate: { type: 'boolean', description: 'neither show nor accept it; stored values are kept' },
}

function required(args: ParsedArgs, name: string): string {
  const value = stringArg(args, name)
  if (value === undefined || value === '') {
    throw new CliError('KS_USAGE', `missing --${name}; run '${PATH} create --help'`)
  }
  return value
}

function values(args: ParsedArgs): string[] | undefined {
  const value = stringArg(args, 'values')
  return value === undefined ? undefined : listArg(value.replaceAll(',', ' '))
}

/** One of two opposite flags, or undefined when neither is given. */
function either(args: ParsedArgs, yes: string, no: string): boolean | undefined {
  const [on, off] = [flagArg(args, yes), flagArg(args, no)]
  if (on && off) throw new CliError('KS_USAGE', `give --${yes} or --${no}, not both`)
  return on ? true : off ? false : undefined
}

export function newCustomField(args: ParsedArgs): NewCustomField {
  const type = (stringArg(args, 'type') ?? 'string') as CustomFieldType
  if (!TYPES.includes(type)) throw new CliError('KS_USAGE', `--type must be one of ${TYPES.join(', ')}`)
  return {
    resource: required(args, 'resource'),
    name: required(args, 'name'),
    label: required(args, 'label'),
    type,
    values: values(args),
    required: flagArg(args, 'required') || undefined,
  }
}

export function customFieldChanges(args: ParsedArgs): CustomFieldChanges {
  const changes: CustomFieldChanges = {
    label: stringArg(args, 'label'),
    values: values(args),
    required: either(args, 'required', 'optional'),
    active: either(args, 'activate', 'deactivate'),
  }
  if (Object.values(changes).every((value) => value === undefined)) {
    throw new CliError(
      'KS_USAGE',
      `nothing to update: give --label, --values, --required/--optional or --activate/--deactivate; run '${PATH} update --help'`,
    )
  }
  return changes
}
