import { Fragment } from 'preact'
import { useMemo, useState } from 'preact/hooks'
import { api } from '../api.ts'
import { ErrorMessage } from '../components/field.tsx'
import { useLoad } from '../components/load.ts'
import { Table } from '../components/table.tsx'
import { scopesByGroup } from '../scope-groups.ts'
import type { ScopeList, ScopeView } from '../types.ts'

/**
 * Setup > Scopes: each scope, what it is for, and the core API actions it grants, grouped by family.
 * A scope of Coupa's list whose API this instance does not serve grants nothing here.
 */
export function ScopesPage() {
  const scopes = useLoad(() => api<ScopeList>('GET', '/scopes'))
  const [search, setSearch] = useState('')
  const shown = useMemo(() => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean)
    const found = (scopes.data?.scopes ?? []).filter((scope) => {
      const text = `${scope.name} ${scope.description} ${scope.actions.join(' ')}`.toLowerCase()
      return words.every((word) => text.includes(word))
    })
    return scopes.data ? scopesByGroup(found) : undefined
  }, [scopes.data, search])
  return (
    <section aria-labelledby="scopes-title">
      <h1 id="scopes-title">Scopes</h1>
      <p>
        A client may only do what its scopes grant. A scope grants actions on resources of the core API, not
        HTTP verbs: <code>index</code> and <code>show</code> are GET, <code>create</code> is POST,{' '}
        <code>update</code> and named actions are PUT.
      </p>
      <ErrorMessage message={scopes.error} />
      <div class="field">
        <label for="scope-search">Search scopes</label>
        <input
          id="scope-search"
          type="search"
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
          placeholder="invoice, void, supplier, …"
        />
      </div>
      <Table
        caption="Scopes and the API actions they grant"
        columns={['Scope', 'Description', 'API actions granted']}
        rows={shown}
        row={([group, list]) => (
          <Fragment key={group}>
            <tr class="group-row">
              <th scope="rowgroup" colSpan={3}>
                {group} <span class="hint">({list.length})</span>
              </th>
            </tr>
            {list.map((scope) => (
              <ScopeRow key={scope.name} scope={scope} />
            ))}
          </Fragment>
        )}
      />
    </section>
  )
}

function ScopeRow({ scope }: { scope: ScopeView }) {
  return (
    <tr>
      <th scope="row" class="mono">
        {scope.name}
      </th>
      <td>{scope.description}</td>
      <td>
        {scope.actions.length === 0 ? (
          <span class="hint">
            {scope.service === 'oidc' ? 'OpenID Connect' : 'not served by this instance'}
          </span>
        ) : (
          <ActionList actions={scope.actions} />
        )}
      </td>
    </tr>
  )
}

/** `invoices#index, invoices#show` → "invoices: index, show". */
function ActionList({ actions }: { actions: string[] }) {
  const byResource = new Map<string, string[]>()
  for (const pair of actions) {
    const [resource = '', action = ''] = pair.split('#')
    byResource.set(resource, [...(byResource.get(resource) ?? []), action])
  }
  return (
    <ul class="plain">
      {[...byResource.entries()].map(([resource, list]) => (
        <li key={resource}>
          <span class="mono">/api/{resource}</span>: {list.join(', ')}
        </li>
      ))}
    </ul>
  )
}
