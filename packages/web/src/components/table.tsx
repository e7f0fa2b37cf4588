import type { ComponentChildren } from 'preact'

/** A column heading; a numeric column is right-aligned, its cells then take `class="num"`. */
export type Column = string | { label: string; numeric: true }

interface TableProps<Row> {
  /** What the table lists, for screen readers only. */
  caption?: string
  columns: readonly Column[]
  /** Nothing is shown while they are undefined (still loading). */
  rows: readonly Row[] | undefined
  /** The `<tr>` of one row, with its key. */
  row: (row: Row) => ComponentChildren
  /** Shown instead of the table when there are no rows; without it, the table shows empty. */
  empty?: ComponentChildren
}

/** A table that scrolls sideways on a narrow screen, with its column headings. */
export function Table<Row>({ caption, columns, rows, row, empty }: TableProps<Row>) {
  if (rows === undefined) return null
  if (rows.length === 0 && empty !== undefined) return <>{empty}</>
  return (
    <div class="table-wrap">
      <table>
        {caption && <caption class="offscreen">{caption}</caption>}
        <thead>
          <tr>{columns.map(heading)}</tr>
        </thead>
        <tbody>{rows.map(row)}</tbody>
      </table>
    </div>
  )
}

function heading(column: Column) {
  const { label, numeric } = typeof column === 'string' ? { label: column, numeric: false } : column
  return (
    <th key={label} scope="col" class={numeric ? 'num' : undefined}>
      {label}
    </th>
  )
}

interface RowButtonProps {
  /** What it does, as shown: "Revoke". */
  action: string
  /** What it does to which row, for screen readers: "Revoke Acme ERP". */
  label: string
  danger?: boolean
  onClick: () => void
}

/** A button in a table row, named for the row it acts on. */
export function RowButton({ action, label, danger = false, onClick }: RowButtonProps) {
  return (
    <button type="button" class={danger ? 'danger' : undefined} onClick={onClick} aria-label={label}>
      {action}
    </button>
  )
}
