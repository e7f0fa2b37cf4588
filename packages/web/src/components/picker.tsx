import { useMemo, useState } from 'preact/hooks'

export interface PickerOption {
  value: string
  description: string
  /** The heading it is listed under: the scope's object, the permission's resource. */
  group: string
}

export interface PickerProps {
  id: string
  /** What is being picked, for labels: "scopes", "permissions". */
  noun: string
  options: readonly PickerOption[]
  selected: ReadonlySet<string>
  onChange: (selected: Set<string>) => void
  errors?: string[] | undefined
}

/** Checkboxes grouped by object, with a search box, "select all" per group and for everything shown. */
export function Picker({ id, noun, options, selected, onChange, errors }: PickerProps) {
  const [search, setSearch] = useState('')
  const shown = useMemo(() => {
    const words = search.toLowerCase().split(/\s+/).filter(Boolean)
    return options.filter((option) => {
      const text = `${option.value} ${option.description} ${option.group}`.toLowerCase()
      return words.every((word) => text.includes(word))
    })
  }, [options, search])
  const groups = useMemo(() => {
    const byGroup = new Map<string, PickerOption[]>()
    for (const option of shown) byGroup.set(option.group, [...(byGroup.get(option.group) ?? []), option])
    return [...byGroup.entries()]
  }, [shown])

  const setAll = (list: readonly PickerOption[], on: boolean) => {
    const next = new Set(selected)
    for (const option of list) on ? next.add(option.value) : next.delete(option.value)
    onChange(next)
  }
  const allOf = (list: readonly PickerOption[]) => list.length > 0 && list.every((o) => selected.has(o.value))
  const errorId = `${id}-error`

  return (
    <fieldset class="picker" aria-describedby={errors?.length ? errorId : undefined}>
      <legend>
        {noun[0]?.toUpperCase()}
        {noun.slice(1)} <span class="hint">({selected.size} selected)</span>
      </legend>
      {errors?.length ? (
        <p id={errorId} class="field-error" role="alert">
          {errors.join('; ')}
        </p>
      ) : null}
      <div class="picker-tools">
        <label for={`${id}-search`}>Search {noun}</label>
        <input
          id={`${id}-search`}
          type="search"
          value={search}
          onInput={(e) => setSearch(e.currentTarget.value)}
          placeholder="invoice, supplier.read, …"
        />
        <label class="check">
          <input
            type="checkbox"
            checked={allOf(shown)}
            onChange={(e) => setAll(shown, e.currentTarget.checked)}
          />{' '}
          Select all {search ? 'shown' : ''} ({shown.length})
        </label>
      </div>
      <div class="picker-groups">
        {groups.map(([group, list]) => (
          <fieldset key={group} class="picker-group">
            <legend>
              <label class="check">
                <input
                  type="checkbox"
                  checked={allOf(list)}
                  onChange={(e) => setAll(list, e.currentTarget.checked)}
                  aria-label={`All ${noun} of ${group}`}
                />{' '}
                {group}
              </label>
            </legend>
            {list.map((option) => (
              <label key={option.value} class="check option">
                <input
                  type="checkbox"
                  name={id}
                  value={option.value}
                  checked={selected.has(option.value)}
                  onChange={(e) => {
                    const next = new Set(selected)
                    e.currentTarget.checked ? next.add(option.value) : next.delete(option.value)
                    onChange(next)
                  }}
                />{' '}
                <span class="mono">{option.value}</span> <span class="hint">{option.description}</span>
              </label>
            ))}
          </fieldset>
        ))}
        {groups.length === 0 && (
          <p class="hint">
            No {noun} match “{search}”.
          </p>
        )}
      </div>
    </fieldset>
  )
}
