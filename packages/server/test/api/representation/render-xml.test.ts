/** The XML representation: Rails-style typed elements, nil="true", type="array" lists, safe text. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import {
  type ResourceRecord,
  renderList,
  renderRecord,
  type View,
} from '../../../src/api/representation/index.ts'
import { invoices, resolve, sampleInvoice } from './definitions.ts'

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>'

function xml(view: View, record: ResourceRecord = sampleInvoice): string {
  return renderRecord(invoices, record, view, 'xml', resolve).body
}

const HEAD =
  '<id type="integer">1</id><invoice-number>500</invoice-number>' +
  '<invoice-date type="datetime">2008-10-28T07:00:00+00:00</invoice-date>' +
  '<net-due-date type="date">2008-11-27</net-due-date><status>approved</status>' +
  '<tax-amount type="decimal">35.14</tax-amount><paid type="boolean">false</paid>' +
  '<supplier><id type="integer">17</id><name>Insight</name><number nil="true"/></supplier>'
const LINE =
  '<invoice-line><id type="integer">1</id><line-num type="integer">1</line-num><description>Laptop</description>' +
  '<price type="decimal">425.99</price><quantity type="float">1.0</quantity>' +
  '<account><code>SF-IT-Assets</code><segment-1>SF</segment-1></account></invoice-line>'
const TAIL = '<created-at type="datetime">2008-10-28T10:00:00+00:00</created-at>'

describe('XML representation (coupa-api-facts §4.1 and the <invoice-header> sample of §6)', () => {
  it('renders a full record under def.xmlRoot, typed scalars, nested reference and lines', () => {
    const rendered = renderRecord(invoices, sampleInvoice, { returnObject: 'full' }, 'xml', resolve)
    assert.equal(rendered.contentType, 'application/xml; charset=utf-8')
    assert.equal(
      rendered.body,
      `${DECLARATION}<invoice-header>${HEAD}<invoice-lines type="array">${LINE}</invoice-lines>${TAIL}</invoice-header>`,
    )
  })

  it('writes null as nil="true", an empty string as an empty element, empty lines as an empty array', () => {
    const record = { id: 2, invoice_number: '', paid: null, supplier: null, invoice_lines: [] }
    assert.equal(
      xml(
        { returnObject: 'full', fields: ['id', 'invoice_number', 'paid', 'supplier', 'invoice_lines'] },
        record,
      ),
      `${DECLARATION}<invoice-header><id type="integer">2</id><invoice-number></invoice-number>` +
        '<paid nil="true"/><supplier nil="true"/><invoice-lines type="array"/></invoice-header>',
    )
  })

  it('writes integral floats with .0 and other floats as JavaScript prints them', () => {
    const lines = [{ quantity: 2 }, { quantity: 0.25 }, { quantity: -1e-7 }]
    assert.equal(
      xml({ returnObject: 'full', fields: [{ invoice_lines: ['quantity'] }] }, { invoice_lines: lines }),
      `${DECLARATION}<invoice-header><invoice-lines type="array">` +
        '<invoice-line><quantity type="float">2.0</quantity></invoice-line>' +
        '<invoice-line><quantity type="float">0.25</quantity></invoice-line>' +
        '<invoice-line><quantity type="float">-1e-7</quantity></invoice-line></invoice-lines></invoice-header>',
    )
  })

  it('escapes &, <, >, quotes and CR, and drops characters XML 1.0 forbids', () => {
    const text = `Tom & "Jerry's" <b>]]>\r\n\ttab\u0000\u0007\u001f\uFFFE\uD800 ok \u{1F600}`
    assert.equal(
      xml({ returnObject: 'full', fields: ['invoice_number'] }, { invoice_number: text }),
      `${DECLARATION}<invoice-header><invoice-number>` +
        'Tom &amp; &quot;Jerry&apos;s&quot; &lt;b&gt;]]&gt;&#13;\n\ttab ok \u{1F600}' +
        '</invoice-number></invoice-header>',
    )
  })

  it('return_object=shallow reduces lines to their ids', () => {
    assert.equal(
      xml({ returnObject: 'shallow' }),
      `${DECLARATION}<invoice-header>${HEAD}<invoice-lines type="array"><invoice-line><id type="integer">1</id>` +
        `</invoice-line></invoice-lines>${TAIL}</invoice-header>`,
    )
  })

  it('return_object=limited shows the id only, none an empty body', () => {
    assert.equal(
      xml({ returnObject: 'limited' }),
      `${DECLARATION}<invoice-header><id type="integer">1</id></invoice-header>`,
    )
    assert.equal(xml({ returnObject: 'none' }), '')
  })

  it('fields projects nested references and lines', () => {
    const view: View = {
      returnObject: 'full',
      fields: ['id', { invoice_lines: ['id', { account: ['segment_1'] }] }],
    }
    assert.equal(
      xml(view),
      `${DECLARATION}<invoice-header><id type="integer">1</id><invoice-lines type="array"><invoice-line>` +
        '<id type="integer">1</id><account><segment-1>SF</segment-1></account></invoice-line></invoice-lines>' +
        '</invoice-header>',
    )
  })

  it('renders a list under def.xmlCollection with type="array", one def.xmlRoot per record', () => {
    const rendered = renderList(invoices, [{ id: 1 }, { id: 2 }], { returnObject: 'limited' }, 'xml', resolve)
    assert.deepEqual(rendered, {
      contentType: 'application/xml; charset=utf-8',
      body:
        `${DECLARATION}<invoice-headers type="array"><invoice-header><id type="integer">1</id></invoice-header>` +
        '<invoice-header><id type="integer">2</id></invoice-header></invoice-headers>',
    })
    assert.equal(
      renderList(invoices, [], { returnObject: 'full' }, 'xml', resolve).body,
      `${DECLARATION}<invoice-headers type="array"/>`,
    )
  })
})
