/** Small formatters for human output. */

/** `label  value` lines, aligned; rows with an undefined value are left out. */
export function fields(rows: [string, string | undefined][]): string {
  const shown = rows.filter((row): row is [string, string] => row[1] !== undefined)
  const width = Math.max(0, ...shown.map(([label]) => label.length))
  return shown.map(([label, value]) => `${label.padEnd(width + 2)}${value}`.trimEnd()).join('\n')
}

/** A plain-text table with a header row. */
export function table(headers: string[], rows: string[][]): string {
  const widths = headers.map((header, i) =>
    Math.max(header.length, ...rows.map((row) => (row[i] ?? '').length)),
  )
  const line = (cells: string[]): string =>
    cells
      .map((cell, i) => cell.padEnd(widths[i] ?? 0))
      .join('  ')
      .trimEnd()
  return [line(headers), ...rows.map(line)].join('\n')
}

/** Blocks of text with a blank line between them, ending in a newline. */
export function paragraphs(blocks: string[]): string {
  return `${blocks.join('\n\n')}\n`
}

export function json(value: unknown): string {
  return `${JSON.stringify(value, null, 2)}\n`
}
