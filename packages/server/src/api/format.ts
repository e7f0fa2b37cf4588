/**
 * Content negotiation of the core API. Coupa answers XML unless JSON is asked for: "The Coupa API
 * requires that you set both your content-type and content-accept headers to the same type."
 */
export type Format = 'json' | 'xml'

/**
 * Accept headers already negotiated: an integration sends the same one on every call. Bounded: when
 * full it starts again (a client varying its header only costs the parse it would have had).
 */
const negotiated = new Map<string, Format>()
const NEGOTIATED_MAX = 256

/** JSON when Accept prefers it; XML when Accept is absent, `*\/*`, or names XML. */
export function responseFormat(accept: string | undefined): Format {
  if (!accept) return 'xml'
  let format = negotiated.get(accept)
  if (format === undefined) {
    if (negotiated.size >= NEGOTIATED_MAX) negotiated.clear()
    format = negotiate(accept)
    negotiated.set(accept, format)
  }
  return format
}

function negotiate(accept: string): Format {
  let best: { format: Format; q: number } | undefined
  for (const part of accept.split(',')) {
    const [type = '', ...params] = part.trim().toLowerCase().split(';')
    const q = Number(params.find((p) => p.trim().startsWith('q='))?.split('=')[1] ?? 1)
    const format = /[/+]json$/.test(type) ? 'json' : /[/+]xml$/.test(type) ? 'xml' : undefined
    if (format && (!best || q > best.q)) best = { format, q }
  }
  return best?.format ?? 'xml'
}
