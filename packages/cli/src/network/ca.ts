/**
 * Private certificate authorities: a PEM bundle added to Node's default roots, never replacing
 * them. There is no setting that turns verification off: a certificate that does not verify fails.
 */
import { X509Certificate } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { rootCertificates } from 'node:tls'

const PEM_BLOCK = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g

/** The certificates of a CA bundle, or what is wrong with the file (never its content). */
export function readCaBundle(file: string): { certificates: string[] } | { problem: string } {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    const code = (error as { code?: unknown }).code
    const reason = code === 'ENOENT' ? 'no such file' : typeof code === 'string' ? code : 'unreadable'
    return { problem: `cannot read ${file} (${reason})` }
  }
  const blocks = text.match(PEM_BLOCK) ?? []
  if (blocks.length === 0) {
    return { problem: `${file} holds no PEM certificate (a block starting -----BEGIN CERTIFICATE-----)` }
  }
  for (const [index, block] of blocks.entries()) {
    try {
      new X509Certificate(block)
    } catch {
      return { problem: `certificate ${index + 1} of ${file} cannot be parsed` }
    }
  }
  return { certificates: blocks }
}

/** Node's default roots and `extra`; undefined when there is no extra (Node's own store then). */
export function trustedCas(extra: readonly string[] | undefined): string[] | undefined {
  return extra === undefined || extra.length === 0 ? undefined : [...rootCertificates, ...extra]
}
