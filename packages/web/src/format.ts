/** Dates and numbers as the pages show them: UTC, so that every admin reads the same time. */
export function when(iso: string | null | undefined): string {
  if (!iso) return '—'
  return `${iso.slice(0, 10)} ${iso.slice(11, 16)} UTC`
}

export function day(iso: string | null | undefined): string {
  return iso ? iso.slice(0, 10) : '—'
}

export function count(n: number): string {
  return n.toLocaleString('en-US')
}

export const STATE_LABELS: Record<string, string> = {
  in_use: 'In use',
  migrating: 'Migrating',
  ready_to_revoke: 'Ready to revoke',
  revoked: 'Revoked',
}

/** 604800 → "7 days", 7200 → "2 h", 90 → "90 s". */
export function duration(seconds: number): string {
  if (seconds >= 86_400 && seconds % 86_400 === 0)
    return `${seconds / 86_400} day${seconds === 86_400 ? '' : 's'}`
  if (seconds >= 3600 && seconds % 3600 === 0) return `${seconds / 3600} h`
  if (seconds >= 60 && seconds % 60 === 0) return `${seconds / 60} min`
  return `${seconds} s`
}
