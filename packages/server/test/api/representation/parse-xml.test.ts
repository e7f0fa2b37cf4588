/** Reading POST and PUT bodies in XML: the definition types the text, problems all named. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { suppliers } from './definitions.ts'
import { bodyErrors, PARSED_INVOICE, parseXml } from './helpers.ts'

describe('parseRequestBody: XML', () => {
  it('reads the Coupa XML shape, ignoring the type attributes and whitespace between elements', () => {
    const body = `<?xml version="1.0" encoding="UTF-8"?>
<invoice-header>
  <invoice-number>INV-1</invoice-number>
  <tax-amount type="decimal">567.070</tax-amount>
  <paid type="boolean">true</paid>
  <invoice-date type="datetime">2010-03-25T18:38:00-07:00</invoice-date>
  <supplier><id type="integer">17</id></supplier>
  <invoice-lines type="array">
    <invoice-line><line-num>1</line-num><price>10.00</price><quantity>2.5</quantity><account><code>SF</code></account></invoice-line>
  </invoice-lines>
</invoice-header>`
    assert.deepEqual(parseXml(body), PARSED_INVOICE)
  })

  it('accepts the singular as root, underscored names, nil="true" and empty typed elements as null', () => {
    const body =
      '<invoice><invoice_number></invoice_number><paid nil="true"/><tax-amount type="decimal"/><supplier nil="true"/></invoice>'
    assert.deepEqual(parseXml(body), { invoice_number: '', paid: null, tax_amount: null, supplier: null })
  })

  it("reads a supplier create as in Coupa's example, reference by natural key", () => {
    const body =
      '<supplier><name>CDW</name><status>active</status><payment-term><code>Net 30</code></payment-term></supplier>'
    assert.deepEqual(parseXml(body, suppliers), {
      name: 'CDW',
      status: 'active',
      payment_term: { code: 'Net 30' },
    })
  })

  it('keeps text exactly: spaces, CDATA as written, entities decoded once', () => {
    const body =
      '<invoice-header><invoice-number>  a &amp;lt; &#169;&#xA9; <![CDATA[<&amp;>]]> &quot;&apos;&gt;&#13;</invoice-number></invoice-header>'
    assert.deepEqual(parseXml(body), { invoice_number: '  a &lt; ©© <&amp;> "\'>\r' })
  })

  it('names unknown elements, wrong types, misplaced text and repeated elements', () => {
    const body =
      '<invoice-header>stray<bogus>1</bogus><paid>maybe</paid><paid>true</paid><invoice-number><b>x</b></invoice-number>' +
      '<invoice-lines><line><id>1</id></line><invoice-line><price>abc</price></invoice-line></invoice-lines></invoice-header>'
    assert.deepEqual(
      bodyErrors(() => parseXml(body)),
      [
        'invoice-header must hold elements, not text',
        'paid appears more than once',
        'invoice-number must be text, not elements',
        'invoice-lines[0] must be a <invoice-line> element, not <line>',
      ],
    )
    assert.deepEqual(
      bodyErrors(() => parseXml('<invoice-header><bogus/><paid>maybe</paid></invoice-header>')),
      ['unknown field bogus', 'paid must be a boolean'],
    )
  })

  it('refuses another root, a body that is not well-formed, and two roots', () => {
    assert.deepEqual(
      bodyErrors(() => parseXml('<order-header/>')),
      ['the XML root must be <invoice-header>, not <order-header>'],
    )
    assert.match(
      bodyErrors(() => parseXml('<invoice-header><paid></invoice-header>'))[0] ?? '',
      /^the XML body is not well-formed: /,
    )
    assert.deepEqual(
      bodyErrors(() => parseXml('<invoice-header/><invoice-header/>')),
      ['the XML body must have exactly one root element'],
    )
  })
})
