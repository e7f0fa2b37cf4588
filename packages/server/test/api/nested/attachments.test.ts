import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { storeBackends } from '../../stores.ts'
import { type ApiInstance, startApiInstance } from '../engine/support.ts'

const PDF = Buffer.concat([Buffer.from('%PDF-1.7\n'), Buffer.from(Array.from({ length: 256 }, (_, i) => i))])
const PNG = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  Buffer.from('pixels'),
])
const MAX = 4096

type Part = { name: string; value: string } | { name: string; filename: string; type: string; bytes: Buffer }

/** A multipart/form-data body (RFC 7578) as curl -F sends it. */
function multipart(parts: Part[]): { body: Buffer; contentType: string } {
  const boundary = 'keyshift-test-boundary'
  const chunks: Buffer[] = []
  for (const part of parts) {
    const disposition = `Content-Disposition: form-data; name="${part.name}"`
    if ('value' in part) chunks.push(Buffer.from(`--${boundary}\r\n${disposition}\r\n\r\n${part.value}\r\n`))
    else {
      chunks.push(
        Buffer.from(
          `--${boundary}\r\n${disposition}; filename="${part.filename}"\r\nContent-Type: ${part.type}\r\n\r\n`,
        ),
        part.bytes,
        Buffer.from('\r\n'),
      )
    }
  }
  chunks.push(Buffer.from(`--${boundary}--\r\n`))
  return { body: Buffer.concat(chunks), contentType: `multipart/form-data; boundary=${boundary}` }
}

const pdfForm = (filename = 'Standard_Terms.pdf', bytes = PDF, type = 'application/pdf') =>
  multipart([
    { name: 'attachment[file]', filename, type, bytes },
    { name: 'attachment[type]', value: 'file' },
    { name: 'attachment[intent]', value: 'Supplier' },
  ])

for (const backend of storeBackends) {
  describe(`attachments, comments and image scans on ${backend.name} (coupa-api-facts §4.3, §4.4)`, {
    skip: backend.skip,
  }, () => {
    let t: ApiInstance
    let all: Record<string, string>
    before(async () => {
      t = await startApiInstance(backend, { maxFileBytes: MAX })
      all = await t.bearer([
        'core.invoice.read',
        'core.invoice.create',
        'core.invoice.write',
        'core.comment.read',
        'core.comment.write',
        'core.purchase_order.read',
        'core.purchase_order.write',
        'core.requisition.read',
        'core.requisition.write',
      ])
    })
    after(() => t.close())

    const send = (
      method: 'GET' | 'POST' | 'PUT',
      url: string,
      options: {
        body?: Buffer | string
        contentType?: string
        accept?: string
        auth?: Record<string, string>
      } = {},
    ) =>
      t.instance.app.inject({
        method,
        url,
        headers: {
          ...(options.auth ?? all),
          accept: options.accept ?? 'application/json',
          ...(options.contentType && { 'content-type': options.contentType }),
        },
        ...(options.body !== undefined && { payload: options.body }),
      })

    it('uploads a file (multipart), shows it in JSON and XML, and downloads the same bytes', async () => {
      const form = pdfForm('Standard Terms – v2.pdf')
      const created = await send('POST', '/api/invoices/1/attachments', {
        body: form.body,
        contentType: form.contentType,
      })
      assert.equal(created.statusCode, 201, created.body)
      const record = created.json()
      assert.equal(record.type, 'AttachmentFile')
      assert.equal(record.intent, 'Supplier')
      assert.equal(record.file, 'Standard Terms – v2.pdf')
      assert.equal(record['file-file-size'], PDF.length)
      assert.equal(record['file-content-type'], 'application/pdf')
      assert.equal(
        record['file-url'],
        `http://keyshift.test/api/invoices/1/attachments/${record.id}/download`,
      )

      const xml = await send('GET', `/api/invoices/1/attachments/${record.id}`, { accept: 'application/xml' })
      assert.equal(xml.statusCode, 200)
      assert.match(xml.body, new RegExp(`^<\\?xml[^>]*\\?><attachment><id type="integer">${record.id}</id>`))
      assert.match(xml.body, /<type>AttachmentFile<\/type>/)

      const download = await send('GET', `/api/invoices/1/attachments/${record.id}/download`)
      assert.equal(download.statusCode, 200)
      assert.ok(download.rawPayload.equals(PDF))
      assert.equal(download.headers['content-type'], 'application/pdf')
      assert.equal(download.headers['x-content-type-options'], 'nosniff')
      assert.equal(
        download.headers['content-disposition'],
        `attachment; filename="Standard Terms _ v2.pdf"; filename*=UTF-8''Standard%20Terms%20%E2%80%93%20v2.pdf`,
      )
    })

    it('adds a URL (JSON) and a text (XML), and lists them with the files', async () => {
      const url = await send('POST', '/api/invoices/2/attachments', {
        body: JSON.stringify({ type: 'url', url: 'https://example.com/po.pdf', intent: 'Internal' }),
        contentType: 'application/json',
      })
      assert.equal(url.statusCode, 201, url.body)
      assert.equal(url.json().type, 'AttachmentUrl')
      const text = await send('POST', '/api/invoices/2/attachments', {
        body: '<attachment><type>text</type><text>Deliver to dock 4</text></attachment>',
        contentType: 'application/xml',
        accept: 'application/xml',
      })
      assert.equal(text.statusCode, 201, text.body)
      assert.match(text.body, /<type>AttachmentText<\/type><intent>Internal<\/intent>/)
      const list = await send('GET', '/api/invoices/2/attachments', { accept: 'application/xml' })
      assert.equal(list.statusCode, 200)
      assert.match(
        list.body,
        /^<\?xml[^>]*\?><attachments type="array"><attachment>.*<\/attachment><attachment>.*<\/attachment><\/attachments>$/,
      )
      const json = await send('GET', '/api/invoices/2/attachments')
      assert.deepEqual(
        json.json().map((a: Record<string, unknown>) => [a.type, a.url ?? a.text]),
        [
          ['AttachmentUrl', 'https://example.com/po.pdf'],
          ['AttachmentText', 'Deliver to dock 4'],
        ],
      )
      const noFile = await send('GET', `/api/invoices/2/attachments/${url.json().id}/download`)
      assert.equal(noFile.statusCode, 404)
    })

    it('serves purchase orders and requisitions the same way, with their own scopes', async () => {
      for (const parent of ['purchase_orders', 'requisitions']) {
        const form = pdfForm()
        const created = await send('POST', `/api/${parent}/1/attachments`, {
          body: form.body,
          contentType: form.contentType,
        })
        assert.equal(created.statusCode, 201, `${parent}: ${created.body}`)
        const list = await send('GET', `/api/${parent}/1/attachments`)
        assert.deepEqual(
          list.json().map((a: { id: number }) => a.id),
          [created.json().id],
        )
      }
      const invoiceOnly = await t.bearer(['core.invoice.read', 'core.invoice.create'])
      const refused = await send('GET', '/api/purchase_orders/1/attachments', { auth: invoiceOnly })
      assert.equal(refused.statusCode, 403)
      assert.match(String(refused.headers['www-authenticate']), /scope="core.purchase_order.read"/)
    })

    it('creates and lists comments in JSON and XML', async () => {
      const json = await send('POST', '/api/invoices/3/comments', {
        body: JSON.stringify({ comments: 'Please check the tax' }),
        contentType: 'application/json',
      })
      assert.equal(json.statusCode, 201, json.body)
      assert.deepEqual(
        { ...(json.json() as Record<string, unknown>), id: 0, 'created-at': '', 'updated-at': '' },
        {
          id: 0,
          'created-at': '',
          'updated-at': '',
          comments: 'Please check the tax',
          'commentable-type': 'InvoiceHeader',
          'commentable-id': 3,
        },
      )
      const xml = await send('POST', '/api/invoices/3/comments', {
        body: '<comment><comments>Approved &amp; booked</comments></comment>',
        contentType: 'application/xml',
        accept: 'application/xml',
      })
      assert.equal(xml.statusCode, 201, xml.body)
      const list = await send('GET', '/api/invoices/3/comments', { accept: 'application/xml' })
      assert.match(
        list.body,
        /<comments type="array"><comment>.*<comments>Please check the tax<\/comments>.*<comments>Approved &amp; booked<\/comments>/,
      )
      const one = await send('GET', `/api/invoices/3/comments/${json.json().id}`)
      assert.equal(one.json().comments, 'Please check the tax')
      const blank = await send('POST', '/api/invoices/3/comments', {
        body: '{"comments":""}',
        contentType: 'application/json',
      })
      assert.equal(blank.statusCode, 400)
      assert.deepEqual(blank.json(), { errors: { comment: ["Comments can't be blank"] } })
    })

    it("stores an invoice image scan and gives it back; an invoice without one is a 404 in Coupa's format", async () => {
      const none = await send('GET', '/api/invoices/4/retrieve_image_scan')
      assert.equal(none.statusCode, 404)
      assert.deepEqual(none.json(), { errors: { 'invoice-header': ['Invoice 4 has no image scan'] } })
      const noneXml = await send('GET', '/api/invoices/4/retrieve_image_scan', { accept: 'application/xml' })
      assert.match(noneXml.body, /<errors><error>Invoice 4 has no image scan<\/error><\/errors>$/)

      const raw = await send('PUT', '/api/invoices/4/image_scan?file_name=scan.pdf', {
        body: PDF,
        contentType: 'application/pdf',
      })
      assert.equal(raw.statusCode, 200, raw.body)
      assert.equal(raw.json().id, 4)
      const back = await send('GET', '/api/invoices/4/retrieve_image_scan')
      assert.ok(back.rawPayload.equals(PDF))
      assert.equal(back.headers['content-disposition'], 'attachment; filename="scan.pdf"')

      const form = multipart([
        { name: 'invoice[image_scan]', filename: 'scan.png', type: 'image/png', bytes: PNG },
      ])
      const replaced = await send('PUT', '/api/invoices/4/image_scan', {
        body: form.body,
        contentType: form.contentType,
      })
      assert.equal(replaced.statusCode, 200, replaced.body)
      const latest = await send('GET', '/api/invoices/4/retrieve_image_scan')
      assert.ok(latest.rawPayload.equals(PNG))
      assert.equal(latest.headers['content-type'], 'image/png')
    })

    it('refuses a file over the limit with 413', async () => {
      const big = Buffer.concat([Buffer.from('%PDF-'), Buffer.alloc(MAX)])
      const form = pdfForm('big.pdf', big)
      const refused = await send('POST', '/api/invoices/1/attachments', {
        body: form.body,
        contentType: form.contentType,
      })
      assert.equal(refused.statusCode, 413)
      assert.deepEqual(refused.json(), {
        errors: { attachment: [`the file is larger than the limit of ${MAX} bytes`] },
      })
      const scan = await send('PUT', '/api/invoices/1/image_scan', {
        body: big,
        contentType: 'application/pdf',
      })
      assert.equal(scan.statusCode, 413)
    })

    it('refuses HTML, and a .pdf that is HTML, with 415', async () => {
      const html = pdfForm('page.html', Buffer.from('<html><script>alert(1)</script></html>'), 'text/html')
      const asHtml = await send('POST', '/api/invoices/1/attachments', {
        body: html.body,
        contentType: html.contentType,
      })
      assert.equal(asHtml.statusCode, 415, asHtml.body)
      assert.match(asHtml.json().errors.attachment[0], /"text\/html" is not accepted/)
      const disguised = pdfForm(
        'invoice.pdf',
        Buffer.from('<html><script>alert(1)</script></html>'),
        'application/octet-stream',
      )
      const asPdf = await send('POST', '/api/invoices/1/attachments', {
        body: disguised.body,
        contentType: disguised.contentType,
      })
      assert.equal(asPdf.statusCode, 415, asPdf.body)
      assert.match(asPdf.json().errors.attachment[0], /not application\/pdf/)
      const scan = await send('PUT', '/api/invoices/1/image_scan', {
        body: '<svg onload="x()"/>',
        contentType: 'image/svg+xml',
      })
      assert.equal(scan.statusCode, 415)
      const csvScan = await send('PUT', '/api/invoices/1/image_scan', {
        body: 'a,b',
        contentType: 'text/csv',
      })
      assert.equal(csvScan.statusCode, 415)
    })

    it('answers 404 for a missing parent or attachment, 403 without the scope, 400 for a malformed form', async () => {
      const form = pdfForm()
      const missing = await send('POST', '/api/invoices/999999/attachments', {
        body: form.body,
        contentType: form.contentType,
      })
      assert.equal(missing.statusCode, 404)
      assert.match(missing.json().errors.attachment[0], /999999/)
      assert.equal((await send('GET', '/api/invoices/999999/comments')).statusCode, 404)
      assert.equal((await send('GET', '/api/invoices/1/attachments/999999')).statusCode, 404)
      assert.equal((await send('GET', '/api/invoices/1/attachments/abc')).statusCode, 404)

      const readOnly = await t.bearer(['core.invoice.read'])
      const refused = await send('POST', '/api/invoices/1/attachments', {
        body: form.body,
        contentType: form.contentType,
        auth: readOnly,
      })
      assert.equal(refused.statusCode, 403)
      assert.match(String(refused.headers['www-authenticate']), /scope="core.invoice.create"/)
      const noComments = await send('GET', '/api/invoices/1/comments', { auth: readOnly })
      assert.equal(noComments.statusCode, 403)
      const key = await t.apiKey(['invoices#attachments'])
      assert.equal((await send('GET', '/api/invoices/1/attachments', { auth: key })).statusCode, 200)
      assert.equal((await send('GET', '/api/invoices/1/retrieve_image_scan', { auth: key })).statusCode, 403)

      const malformed = await send('POST', '/api/invoices/1/attachments', {
        body: '--nope\r\nContent-Disposition: form-data; name="x"\r\n\r\nunterminated',
        contentType: 'multipart/form-data; boundary=other',
      })
      assert.equal(malformed.statusCode, 400, malformed.body)
      const noType = await send('POST', '/api/invoices/1/attachments', {
        body: '{"intent":"Supplier"}',
        contentType: 'application/json',
      })
      assert.equal(noType.statusCode, 400)
    })
  })
}
