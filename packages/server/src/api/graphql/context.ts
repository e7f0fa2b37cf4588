import type { ResourceDefinition } from '../../catalogue/index.ts'
import { QueryError, type QuerySpec } from '../query/index.ts'
import type { ApiService, ExpandedRecord } from '../service.ts'

/** What the resolvers read records through: the same service as the REST API, so the records are the same. */
export interface GraphqlReads {
  /** A page of records, as `GET /api/<resource>?<query>` selects it. */
  list(def: ResourceDefinition, spec: QuerySpec): Promise<ExpandedRecord[]>
  /** One record by id, or undefined; loads within one turn are read in one query per resource. */
  load(def: ResourceDefinition, id: number): Promise<ExpandedRecord | undefined>
}

/**
 * What one request may read once it runs: lists (each a page of at most 50, some read one by one)
 * and associated records. The depth and field limits bound the document; these bound what nested
 * lists multiply (50 users, each with its groups, each with its users…).
 */
export interface ReadBounds {
  maxLists: number
  maxRecords: number
}

export const DEFAULT_READ_BOUNDS: ReadBounds = { maxLists: 100, maxRecords: 5000 }

function tooMany(what: string): QueryError {
  return new QueryError([`This query reads more than ${what}; narrow it with query: filters or split it`])
}

/**
 * The reads of one GraphQL request. `load` batches: every id asked for in one turn of the event
 * loop is read with one `showMany`, and each record is read once per request. (The route runs the
 * whole request in the client's scan lane, as the REST index runs a search that reads records one
 * by one: a query may hold several such searches.)
 */
export function requestReads(service: ApiService, bounds: ReadBounds = DEFAULT_READ_BOUNDS): GraphqlReads {
  let lists = 0
  const loaded = new Map<string, Promise<ExpandedRecord | undefined>>()
  const batches = new Map<string, { ids: number[]; records: Promise<Map<number, ExpandedRecord>> }>()

  function batchOf(def: ResourceDefinition) {
    const open = batches.get(def.name)
    if (open) return open
    const ids: number[] = []
    const records = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
      batches.delete(def.name)
      return new Map((await service.showMany(def, ids)).map((record) => [record.id, record]))
    })
    const batch = { ids, records }
    batches.set(def.name, batch)
    return batch
  }

  return {
    list(def, spec) {
      if (++lists > bounds.maxLists) throw tooMany(`${bounds.maxLists} lists`)
      return service.list(def, spec)
    },
    load(def, id) {
      const key = `${def.name}#${id}`
      const known = loaded.get(key)
      if (known) return known
      if (loaded.size >= bounds.maxRecords) throw tooMany(`${bounds.maxRecords} associated records`)
      const batch = batchOf(def)
      batch.ids.push(id)
      const record = batch.records.then((records) => records.get(id))
      loaded.set(key, record)
      return record
    },
  }
}
