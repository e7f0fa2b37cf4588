/**
 * multipart/form-data bodies (RFC 7578), read by the parser Node has built in (undici's
 * `Request.formData()`): no dependency of our own. The body is already bounded in size by the
 * route's content-type parser before it gets here.
 */
import { ApiError } from '../errors.ts'
import type { UploadedFile } from './files.ts'

/** The fields of a form: text values and files, by name. */
export interface FormFields {
  text: Map<string, string>
  files: Map<string, UploadedFile>
}

/** @throws ApiError 400 when the body is not a well-formed multipart/form-data body. */
export async function readMultipart(contentType: string, body: Buffer): Promise<FormFields> {
  let form: FormData
  try {
    form = await new Request('http://keyshift.invalid/', {
      method: 'POST',
      headers: { 'content-type': contentType },
      body,
    }).formData()
  } catch {
    throw new ApiError(400, ['the multipart/form-data body is malformed (RFC 7578)'])
  }
  const fields: FormFields = { text: new Map(), files: new Map() }
  for (const [name, value] of form) {
    if (typeof value === 'string') fields.text.set(name, value)
    else
      fields.files.set(name, {
        name: value.name,
        contentType: value.type,
        bytes: Buffer.from(await value.arrayBuffer()),
      })
  }
  return fields
}
