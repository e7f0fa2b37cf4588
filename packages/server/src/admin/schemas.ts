import { z } from 'zod'
import { ValidationError } from '../contract/errors.ts'
import { type Camelized, camelized } from '../contract/requests.ts'

const required = {
  error: (issue: { input: unknown }) => (issue.input === undefined ? 'is required' : 'must be text'),
}
const text = (max: number) =>
  z.string(required).trim().min(1, 'must not be blank').max(max, `must be at most ${max} characters`)
const optionalText = (max: number) => text(max).nullable().optional()

export const clientCreateBody = z.strictObject({
  name: text(255),
  grant_type: z.string().optional().default('client_credentials'),
  scopes: z.union([z.literal('all'), z.array(z.string()).min(1, 'choose at least one scope')]),
  login: text(255),
  contact_first_name: optionalText(255),
  contact_last_name: optionalText(255),
  contact_email: z.email('must be an email address').max(255).nullable().optional(),
})

export const clientUpdateBody = clientCreateBody
  .pick({ name: true, scopes: true, contact_first_name: true, contact_last_name: true, contact_email: true })
  .partial()

export const secretRotationBody = z
  .strictObject({
    grace_period_seconds: z.number().int().min(0).optional(),
    revoke_tokens: z
      .boolean('must be true or false')
      .optional()
      .describe('Also refuse, for good, every token issued so far (with either secret).'),
  })
  .optional()
  .default({})

/**
 * Parses a body with `schema`, turning zod's issues into a ValidationError per (wire) field, and
 * answers it with its names in camelCase, as the services take it.
 */
export function parseBody<T extends z.ZodType>(schema: T, body: unknown): Camelized<z.output<T>> {
  const result = schema.safeParse(body)
  if (result.success) return camelized(result.data)
  const errors: Record<string, string[]> = {}
  for (const issue of result.error.issues) {
    const field =
      issue.code === 'unrecognized_keys'
        ? issue.keys.join(', ')
        : issue.path.length
          ? issue.path.join('.')
          : 'body'
    const message = issue.code === 'unrecognized_keys' ? 'unknown field' : issue.message
    const list = errors[field] ?? []
    list.push(message)
    errors[field] = list
  }
  throw new ValidationError(errors)
}

export const apiKeyCreateBody = z.strictObject({
  name: text(255),
  description: optionalText(1000),
  contact_first_name: optionalText(255),
  contact_last_name: optionalText(255),
  contact_login: text(255),
  contact_email: z
    .email({ error: (issue) => (issue.input === undefined ? 'is required' : 'must be an email address') })
    .max(255),
  expires_on: z.iso.date('must be a date, YYYY-MM-DD').nullable().optional(),
  permissions: z.array(z.string()).nullable().optional(),
})

export const signInBody = z.strictObject({
  username: text(200),
  password: z.string(required).min(1, 'must not be blank').max(1024, 'must be at most 1024 characters'),
})

const customFieldValues = z
  .array(text(255))
  .max(500, 'must have at most 500 values')
  .nullable()
  .optional()
  .describe("A lookup's allowed values; only a lookup takes them.")

export const customFieldCreateBody = z.strictObject({
  resource: text(100).describe('The resource whose records carry it: `invoices`, `suppliers`, …'),
  name: text(63).describe('Dashed or underscored: `erp-vendor-id`; records show it dashed.'),
  label: text(255).describe("Used in messages: `ERP Vendor ID can't be blank`."),
  type: z.enum(
    ['string', 'integer', 'boolean', 'date', 'lookup'],
    'must be string, integer, boolean, date or lookup',
  ),
  values: customFieldValues,
  required: z.boolean('must be true or false').optional(),
})

export const customFieldUpdateBody = z.strictObject({
  label: text(255).optional(),
  values: customFieldValues,
  required: z.boolean('must be true or false').optional(),
  active: z.boolean('must be true or false').optional(),
})
