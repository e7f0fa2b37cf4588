/**
 * `/api/suppliers/:id/addresses`: the remit-to addresses of one supplier (facts §4.3), list, show,
 * create and update, under the supplier scopes (facts §2.2: remit_to_addresses index/show with
 * `core.supplier.read`, create/update with `core.supplier.write`). The same engine serves them as
 * `/api/remit_to_addresses`; here the supplier comes from the path.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify'
import type { Principal } from '../../auth/principal.ts'
import { findResource, type ResourceDefinition } from '../../catalogue/index.ts'
import { NotFoundError } from '../../contract/errors.ts'
import { ApiError } from '../errors.ts'
import { type Format, responseFormat } from '../format.ts'
import { parseQuery, type QuerySpec } from '../query/index.ts'
import type { Answer, ResourceReads } from '../reads.ts'
import { noResultsXml, parseRequestBody, type ResolveResource } from '../representation/index.ts'
import type { ApiService, ExpandedRecord } from '../service.ts'

type SupplierParams = { Params: { id: string } }
type AddressParams = { Params: { id: string; addressId: string } }

function definition(name: string): ResourceDefinition {
  const def = findResource(name)
  if (!def) throw new Error(`the catalogue has no ${name}`)
  return def
}

/** What the routes need of the core API's dependencies (api/routes.ts passes its own). */
export interface SupplierAddressRouteDeps {
  service: ApiService
  reads: ResourceReads
  resolve: ResolveResource
  /** The core API's permit step of a resource: authorizes the caller and counts the call. */
  permitFor(def: ResourceDefinition): (request: FastifyRequest, action: string, scope: string) => Principal
}

/** Registers the four routes; `deps` are the core API's. */
export function supplierAddressRoutes(app: FastifyInstance, deps: SupplierAddressRouteDeps): void {
  const suppliers = definition('suppliers')
  const addresses = definition('remit_to_addresses')
  const { service, reads, resolve } = deps
  const base = '/suppliers/:id/addresses'
  const config = { resource: addresses.singular }

  const permit = deps.permitFor(addresses)

  /** The supplier of the path, which must exist (404 otherwise). */
  async function supplierOf(id: string): Promise<ExpandedRecord> {
    return service.show(suppliers, id)
  }

  /** The address of the path, which must be this supplier's (404 otherwise). */
  async function addressOf(supplierId: number, addressId: string): Promise<ExpandedRecord> {
    const address = await service.show(addresses, addressId)
    const owner = (address.supplier as { id?: unknown } | null)?.id
    if (owner !== supplierId) {
      throw new NotFoundError(
        `No remit-to address with id ${JSON.stringify(addressId.slice(0, 40))} for this supplier`,
      )
    }
    return address
  }

  app.get<SupplierParams>(base, { config }, async function supplierAddresses(request, reply) {
    permit(request, 'index', suppliers.scopes.read)
    const supplier = await supplierOf(request.params.id)
    const query = { ...(request.query as Record<string, string>), 'supplier[id]': String(supplier.id) }
    const spec = parseQuery(addresses, query, resolve)
    const { rendered, empty } = await reads.list(addresses, spec, formatOf(request))
    if (empty && formatOf(request) === 'xml') return send(reply.code(404), noResultsXml())
    return send(reply, rendered)
  })

  app.get<AddressParams>(`${base}/:addressId`, { config }, async function supplierAddress(request, reply) {
    permit(request, 'show', suppliers.scopes.read)
    const supplier = await supplierOf(request.params.id)
    const address = await addressOf(supplier.id, request.params.addressId)
    return send(reply, reads.render(addresses, address, outputSpec(request), formatOf(request)))
  })

  app.post<SupplierParams>(base, { config }, async function createSupplierAddress(request, reply) {
    const principal = permit(request, 'create', suppliers.scopes.create)
    const supplier = await supplierOf(request.params.id)
    const input = { ...readBody(request), supplier: { id: supplier.id } }
    const record = await service.create(addresses, input, principal)
    return answer(request, reply.code(201), record)
  })

  app.put<AddressParams>(
    `${base}/:addressId`,
    { config },
    async function updateSupplierAddress(request, reply) {
      const principal = permit(request, 'update', suppliers.scopes.update)
      const supplier = await supplierOf(request.params.id)
      await addressOf(supplier.id, request.params.addressId)
      // The path names the supplier: an address does not move to another supplier here.
      const input = { ...readBody(request), supplier: { id: supplier.id } }
      const record = await service.update(addresses, request.params.addressId, input, principal)
      return answer(request, reply, record)
    },
  )

  function readBody(request: FastifyRequest): Record<string, unknown> {
    if (typeof request.body !== 'string') {
      throw new ApiError(400, ['send the remit-to address as application/json or application/xml'])
    }
    return parseRequestBody(addresses, request.headers['content-type'], request.body, resolve)
  }

  function outputSpec(request: FastifyRequest): QuerySpec {
    const query = (request.query ?? {}) as Record<string, string>
    const output = Object.entries(query).filter(([name]) => name === 'return_object' || name === 'fields')
    return parseQuery(addresses, Object.fromEntries(output), resolve)
  }

  function answer(request: FastifyRequest, reply: FastifyReply, record: ExpandedRecord) {
    const spec = outputSpec(request)
    const rendered = reads.written(addresses, record, spec, formatOf(request))
    if (spec.returnObject === 'none') return reply.send()
    return send(reply, rendered)
  }
}

function formatOf(request: FastifyRequest): Format {
  return responseFormat(request.headers.accept)
}

function send(reply: FastifyReply, rendered: Answer) {
  return reply.type(rendered.contentType).send(rendered.body)
}
