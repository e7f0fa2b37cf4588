import { useMemo, useState } from 'preact/hooks'
import { api, messageOf } from '../api.ts'
import { ErrorMessage, Field } from '../components/field.tsx'
import { FormButtons, useForm } from '../components/form.tsx'
import { useLoad } from '../components/load.ts'
import { RowButton, Table } from '../components/table.tsx'
import type { CustomFieldList, CustomFieldType, CustomFieldView, ScopeList } from '../types.ts'

const TYPES: readonly CustomFieldType[] = ['string', 'integer', 'boolean', 'date', 'lookup']

/** Setup > Custom Fields: what records carry under `custom-fields`, and a form to define one. */
export function CustomFieldsPage() {
  const fields = useLoad(() => api<CustomFieldList>('GET', '/custom-fields'))
  const [creating, setCreating] = useState(false)
  const [problem, setProblem] = useState<string | null>(null)
  const done = () => {
    setCreating(false)
    fields.reload()
  }
  const setActive = async (field: CustomFieldView, active: boolean) => {
    setProblem(null)
    try {
      await api('PATCH', `/custom-fields/${encodeURIComponent(field.id)}`, { active })
      fields.reload()
    } catch (error) {
      setProblem(messageOf(error))
    }
  }
  if (creating) return <CreateCustomField onDone={done} />
  return (
    <section aria-labelledby="custom-fields-title">
      <div class="page-head">
        <h1 id="custom-fields-title">Custom Fields</h1>
        <button type="button" class="primary" onClick={() => setCreating(true)}>
          Create
        </button>
      </div>
      <p>
        Records carry their custom fields under <code>custom-fields</code> in JSON and XML; integrations
        filter on them with <code>custom_fields[name]=value</code>.
      </p>
      <ErrorMessage message={fields.error ?? problem} />
      <Table
        caption="Custom fields"
        columns={['Resource', 'Name', 'Label', 'Type', 'Required', 'Active', '']}
        rows={fields.data?.custom_fields}
        row={(field) => (
          <tr key={field.id}>
            <td class="mono">{field.resource}</td>
            <th scope="row" class="mono">
              {field.name}
            </th>
            <td>{field.label}</td>
            <td>{field.type === 'lookup' ? `lookup: ${(field.values ?? []).join(', ')}` : field.type}</td>
            <td>{field.required ? 'Yes' : 'No'}</td>
            <td>{field.active ? 'Yes' : 'No'}</td>
            <td class="actions">
              <RowButton
                action={field.active ? 'Deactivate' : 'Activate'}
                label={`${field.active ? 'Deactivate' : 'Activate'} ${field.resource} ${field.name}`}
                danger={field.active}
                onClick={() => setActive(field, !field.active)}
              />
            </td>
          </tr>
        )}
        empty={<p>No custom fields.</p>}
      />
    </section>
  )
}

/** The resources of the core API, from what the scopes grant (`invoices#index` → `invoices`). */
function resourcesOf(scopes: ScopeList | undefined): string[] {
  const names = (scopes?.scopes ?? []).flatMap((scope) => scope.actions.map((a) => a.split('#')[0] ?? ''))
  return [...new Set(names)].filter(Boolean).sort()
}

function CreateCustomField({ onDone }: { onDone: () => void }) {
  const scopes = useLoad(() => api<ScopeList>('GET', '/scopes'))
  const resources = useMemo(() => resourcesOf(scopes.data), [scopes.data])
  const form = useForm('custom-field', { resource: '', name: '', label: '', type: 'string', values: '' })
  const [required, setRequired] = useState(false)
  const { values, text, set } = form
  const submit = form.onSubmit(async () => {
    const lookup = values.type === 'lookup'
    await api('POST', '/custom-fields', {
      resource: values.resource,
      name: values.name,
      label: values.label,
      type: values.type,
      values: lookup
        ? values.values
            .split(',')
            .map((v) => v.trim())
            .filter(Boolean)
        : null,
      required,
    })
    onDone()
  })
  return (
    <section aria-labelledby="create-custom-field-title">
      <h1 id="create-custom-field-title">Create Custom Field</h1>
      <form onSubmit={submit} noValidate>
        <ErrorMessage message={form.error ?? scopes.error} />
        <Field id="custom-field-resource" label="Resource" errors={form.fields.resource}>
          {(aria) => (
            <select
              {...aria}
              value={values.resource}
              onChange={(e) => set('resource', e.currentTarget.value)}
            >
              <option value="">Choose a resource</option>
              {resources.map((name) => (
                <option key={name} value={name}>
                  {name}
                </option>
              ))}
            </select>
          )}
        </Field>
        {text('name', 'Name', { required: true, hint: 'As records show it, e.g. erp-vendor-id.' })}
        {text('label', 'Label', {
          required: true,
          hint: 'Used in messages: "ERP Vendor ID can\'t be blank".',
        })}
        <Field id="custom-field-type" label="Type" errors={form.fields.type}>
          {(aria) => (
            <select {...aria} value={values.type} onChange={(e) => set('type', e.currentTarget.value)}>
              {TYPES.map((type) => (
                <option key={type} value={type}>
                  {type}
                </option>
              ))}
            </select>
          )}
        </Field>
        {values.type === 'lookup' &&
          text('values', 'Values', { required: true, hint: 'Separated by commas.' })}
        <div class="field">
          <label>
            <input
              type="checkbox"
              checked={required}
              onChange={(e) => setRequired(e.currentTarget.checked)}
            />{' '}
            Required when a record is created
          </label>
        </div>
        <FormButtons label="Create custom field" busyLabel="Creating…" busy={form.busy} onCancel={onDone} />
      </form>
    </section>
  )
}
