import type { FastifyInstance } from 'fastify'
import type { CustomFields } from '../api/custom-fields.ts'
import { customFieldView } from '../contract/views.ts'
import type { CustomFieldList, CustomFieldView } from '../contract/wire.ts'
import { customFieldCreateBody, customFieldUpdateBody, parseBody } from './schemas.ts'
import { actorOf } from './transition-routes.ts'

type IdParams = { Params: { id: string } }

/**
 * Custom fields under /admin/v1/custom-fields (docs/CUSTOM-FIELDS.md). Every write is logged with
 * the admin user who made it, as the other admin writes are.
 */
export function registerCustomFieldRoutes(app: FastifyInstance, customFields: CustomFields): void {
  app.get('/custom-fields', async function listCustomFields(): Promise<CustomFieldList> {
    return { custom_fields: (await customFields.list()).map(customFieldView) }
  })

  app.post('/custom-fields', async function createCustomField(request, reply): Promise<CustomFieldView> {
    const field = await customFields.create(parseBody(customFieldCreateBody, request.body))
    request.log.info(
      { custom_field_id: field.id, resource: field.resource, name: field.name, actor: actorOf(request) },
      'custom field created',
    )
    reply.code(201)
    return customFieldView(field)
  })

  app.patch<IdParams>('/custom-fields/:id', async function updateCustomField(request) {
    const field = await customFields.update(request.params.id, parseBody(customFieldUpdateBody, request.body))
    request.log.info({ custom_field_id: field.id, actor: actorOf(request) }, 'custom field updated')
    return customFieldView(field)
  })

  app.post<IdParams>('/custom-fields/:id/deactivate', async function deactivateCustomField(request) {
    const field = await customFields.update(request.params.id, { active: false })
    request.log.info({ custom_field_id: field.id, actor: actorOf(request) }, 'custom field deactivated')
    return customFieldView(field)
  })
}
