/**
 * What a file uploaded to the core API may be, and how it is sent back. Files are kept only in the
 * types listed here, each checked against its declared type (or its name's extension when the
 * client declared none, as `curl -F file=@x` may) and, where a type has a signature, against its
 * first bytes: a `.pdf` that is HTML is refused. HTML, SVG and scripts are never accepted, and a
 * download is always an attachment (RFC 6266) with `nosniff`, so no file is rendered by a browser
 * on the instance's origin.
 */
import { ApiError } from '../errors.ts'

/** The default largest file: 16 MiB. */
export const DEFAULT_MAX_FILE_BYTES = 16 * 1024 * 1024

interface FileType {
  extensions: readonly string[]
  /** Signatures at offset 0, one of which the file must start with; none: not checked. */
  magic?: readonly Buffer[]
}

const ole = [Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])]
const zip = [Buffer.from('PK\x03\x04', 'latin1'), Buffer.from('PK\x05\x06', 'latin1')]

/** The allow-list, by media type. */
const FILE_TYPES: Readonly<Record<string, FileType>> = {
  'application/pdf': { extensions: ['pdf'], magic: [Buffer.from('%PDF-')] },
  'image/png': {
    extensions: ['png'],
    magic: [Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])],
  },
  'image/jpeg': { extensions: ['jpg', 'jpeg'], magic: [Buffer.from([0xff, 0xd8, 0xff])] },
  'image/gif': { extensions: ['gif'], magic: [Buffer.from('GIF87a'), Buffer.from('GIF89a')] },
  'image/tiff': {
    extensions: ['tif', 'tiff'],
    magic: [Buffer.from([0x49, 0x49, 0x2a, 0x00]), Buffer.from([0x4d, 0x4d, 0x00, 0x2a])],
  },
  'text/plain': { extensions: ['txt'] },
  'text/csv': { extensions: ['csv'] },
  'application/xml': { extensions: ['xml'] },
  'application/json': { extensions: ['json'] },
  'application/msword': { extensions: ['doc'], magic: ole },
  'application/vnd.ms-excel': { extensions: ['xls'], magic: ole },
  'application/vnd.openxmlformats-officedocument.wordprocessingml.document': {
    extensions: ['docx'],
    magic: zip,
  },
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': { extensions: ['xlsx'], magic: zip },
  'application/zip': { extensions: ['zip'], magic: zip },
}

/** The types an invoice image scan may be: a scan is a PDF or an image. */
export const IMAGE_SCAN_TYPES: ReadonlySet<string> = new Set([
  'application/pdf',
  'image/png',
  'image/jpeg',
  'image/gif',
  'image/tiff',
])

const ALIASES: Readonly<Record<string, string>> = {
  'image/jpg': 'image/jpeg',
  'image/pjpeg': 'image/jpeg',
  'text/xml': 'application/xml',
  'application/x-zip-compressed': 'application/zip',
}

/** Types that say nothing about the file: the name's extension decides instead. */
const UNDECLARED = new Set(['', 'application/octet-stream', 'binary/octet-stream'])

/** The media types accepted, for messages and docs. */
export const ACCEPTED_TYPES: readonly string[] = Object.keys(FILE_TYPES)

/** An uploaded file as received: its name, declared type and bytes. */
export interface UploadedFile {
  name: string
  contentType: string
  bytes: Buffer
}

/** A stored file, ready to send: its safe name and its type from the allow-list. */
export interface CheckedFile {
  name: string
  contentType: string
  bytes: Buffer
}

/**
 * The file with a safe name and its media type from the allow-list.
 * @throws ApiError 413 for a file larger than `maxBytes`, 415 for a type not allowed (or not in
 *   `only`) or bytes that are not what the type says.
 */
export function checkFile(file: UploadedFile, maxBytes: number, only?: ReadonlySet<string>): CheckedFile {
  if (file.bytes.length > maxBytes) throw tooLarge(maxBytes)
  const name = safeFileName(file.name)
  const contentType = mediaTypeOf(file.contentType, name)
  const type = contentType === undefined ? undefined : FILE_TYPES[contentType]
  if (contentType === undefined || type === undefined || (only && !only.has(contentType))) {
    const accepted = only ? [...only] : ACCEPTED_TYPES
    throw new ApiError(415, [
      `a file of type ${JSON.stringify((contentType ?? file.contentType) || 'unknown')} is not accepted; accepted: ${accepted.join(', ')}`,
    ])
  }
  if (type.magic && !type.magic.some((signature) => startsWith(file.bytes, signature))) {
    throw new ApiError(415, [`the file is not ${contentType}: its content does not match its type`])
  }
  return { name, contentType, bytes: file.bytes }
}

export function tooLarge(maxBytes: number): ApiError {
  return new ApiError(413, [`the file is larger than the limit of ${maxBytes} bytes`])
}

/** The declared type, normalized; for a type that declares nothing, the type of the name's extension. */
function mediaTypeOf(declared: string, name: string): string | undefined {
  const type = (declared.split(';')[0] ?? '').trim().toLowerCase()
  if (!UNDECLARED.has(type)) return ALIASES[type] ?? type
  const extension = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase()
  return Object.entries(FILE_TYPES).find(([, t]) => extension && t.extensions.includes(extension))?.[0]
}

function startsWith(bytes: Buffer, signature: Buffer): boolean {
  return bytes.length >= signature.length && bytes.subarray(0, signature.length).equals(signature)
}

/**
 * The last segment of the name a client sent, without control characters, at most 255 characters;
 * `file` when nothing is left.
 */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? ''
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = base.replace(/[\u0000-\u001f\u007f]/g, '').trim()
  const kept = clean === '.' || clean === '..' ? '' : clean
  return [...kept].slice(0, 255).join('') || 'file'
}

/**
 * `Content-Disposition: attachment` with the name as an ASCII `filename` (other characters, quotes
 * and backslashes become `_`) and, when it is not plain ASCII, `filename*` in UTF-8
 * (https://www.rfc-editor.org/rfc/rfc6266#section-4.3, https://www.rfc-editor.org/rfc/rfc8187).
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_')
  if (ascii === name) return `attachment; filename="${ascii}"`
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  )
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`
}
