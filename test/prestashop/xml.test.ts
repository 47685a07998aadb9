import { expect } from 'chai';
import { buildBody, cdata, parseErrors, parseList, parseRecord, XmlFormatError } from '../../src/prestashop/xml.ts';
import { resourceInfo } from '../../src/prestashop/schema.ts';
import { transcript } from './support/fake-shop.ts';

const body = (prefix: string): string => transcript(prefix).response.body;

describe('prestashop xml: parsing real transcript bodies', () => {
  it('reads a product (025): scalars as strings, languages by id, associations as arrays, attributes dropped', () => {
    const p = parseRecord(body('025'));
    expect(p['id']).to.equal('30');
    expect(p['reference']).to.equal('ERP-FX-0001');
    expect(p['price']).to.equal('15.990000');
    expect(p['id_category_default']).to.equal('13'); // xlink:href attribute dropped
    expect(p['manufacturer_name']).to.equal(''); // notFilterable attribute dropped, empty CDATA
    expect(p['name']).to.deep.equal({ '1': 'Vis à bois 4x40 FX (boîte de 200)', '2': 'Wood screw 4x40 FX (box of 200)' });
    expect(p['description_short']).to.deep.equal({ '1': '<p>Boîte de 200 vis</p>', '2': '<p>Box of 200 screws</p>' });
    const assoc = p['associations'] as Record<string, unknown>;
    expect(assoc['categories']).to.deep.equal([{ id: '2' }, { id: '13' }]);
    expect(assoc['images']).to.deep.equal([]);
    // a single child is still an array
    expect(assoc['stock_availables']).to.deep.equal([{ id: '69', id_product_attribute: '0' }]);
  });

  it('reads a category (011) and a display=full list (012) with empty associations', () => {
    const c = parseRecord(body('011'));
    expect(c['id']).to.equal('13');
    expect(c['name']).to.deep.equal({ '1': 'Visserie FX', '2': 'Screws FX' });
    const list = parseList(body('012'));
    expect(list).to.have.length(1);
    expect(list[0]?.['level_depth']).to.equal('2');
    expect(list[0]?.['associations']).to.deep.equal({ categories: [], products: [] });
  });

  it('reads an order with its order_rows (098)', () => {
    const o = parseRecord(body('098'));
    expect(o['id']).to.equal('12');
    expect(o['current_state']).to.equal('11');
    expect(o['total_paid_tax_excl']).to.equal('36.500000');
    const rows = (o['associations'] as Record<string, Array<Record<string, unknown>>>)['order_rows'];
    expect(rows).to.have.length(1);
    expect(rows?.[0]).to.include({ id: '14', product_id: '30', product_quantity: '2', product_reference: 'ERP-FX-0001' });
  });

  it('reads a stock list (049) and an ids-only list (137)', () => {
    expect(parseList(body('049'))).to.deep.equal([
      { id: '69', id_product: '30', id_product_attribute: '0', id_shop: '1', id_shop_group: '0', quantity: '0', depends_on_stock: '0', out_of_stock: '2', location: '' },
    ]);
    expect(parseList(body('137'))).to.deep.equal([{ id: '1' }, { id: '2' }, { id: '3' }]);
  });

  it('reads error bodies: several errors in order, &gt; decoded (026, 070, 047)', () => {
    expect(parseErrors(body('026')).map((e) => e.code)).to.deep.equal([3, 93]);
    expect(parseErrors(body('070'))).to.deep.equal([
      { code: 140, message: 'The email is already used, please choose another one' },
      { code: 46, message: 'Unable to save resource' },
    ]);
    expect(parseErrors(body('047')).map((e) => e.code)).to.deep.equal([32, 3, 3, 3, 3]);
    expect(parseErrors(body('043'))[0]?.message).to.contain('Product->reference is currently 65 chars');
  });

  it('finds no errors in an empty or plain-text body (085, 002)', () => {
    expect(parseErrors('')).to.deep.equal([]);
    expect(parseErrors(body('002'))).to.deep.equal([]);
  });

  it('refuses a body with a DOCTYPE or an ENTITY declaration', () => {
    const evil = '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]><prestashop><product><id>&e;</id></product></prestashop>';
    expect(() => parseRecord(evil)).to.throw(XmlFormatError);
    expect(() => parseList(evil)).to.throw(XmlFormatError);
  });

  it('decodes the predefined entities of plain text but expands nothing else', () => {
    const rec = parseRecord('<prestashop><product><a>x &amp; y &lt;z&gt; &#233;</a><b>&unknown;</b></product></prestashop>');
    expect(rec).to.deep.equal({ a: 'x & y <z> é', b: '&unknown;' });
  });
});

describe('prestashop xml: request bodies', () => {
  it('wraps values in CDATA and splits ]]> so it survives', () => {
    expect(cdata('a]]>b')).to.equal('<![CDATA[a]]]]><![CDATA[>b]]>');
    const rec = parseRecord(buildBody('product', { reference: 'R]]>&<x>' }));
    expect(rec['reference']).to.equal('R]]>&<x>');
  });

  it('writes languages and associations in the webservice shape, and round-trips', () => {
    const info = resourceInfo('products');
    const xml = buildBody('product', {
      id: 30,
      price: '14.5',
      active: true,
      name: { '1': 'Vis', '2': 'Screw' },
      associations: { categories: [{ id: '2' }, { id: '13' }], stock_availables: [{ id: '69', id_product_attribute: '0' }] },
    }, { associationItem: info.associationItem });
    expect(xml).to.contain('<prestashop xmlns:xlink="http://www.w3.org/1999/xlink">\n<product>');
    expect(xml).to.contain('<name><language id="1"><![CDATA[Vis]]></language><language id="2"><![CDATA[Screw]]></language></name>');
    expect(xml).to.match(/<associations>\s*<categories>\s*<category><id><!\[CDATA\[2\]\]><\/id><\/category>/);
    expect(xml).to.contain('<stock_available><id><![CDATA[69]]></id><id_product_attribute><![CDATA[0]]></id_product_attribute></stock_available>');
    expect(xml).to.contain('<active><![CDATA[1]]></active>');
    const back = parseRecord(xml);
    expect(back).to.deep.equal({
      id: '30',
      price: '14.5',
      active: '1',
      name: { '1': 'Vis', '2': 'Screw' },
      associations: { categories: [{ id: '2' }, { id: '13' }], stock_availables: [{ id: '69', id_product_attribute: '0' }] },
    });
  });

  it('refuses field names that would inject markup', () => {
    expect(() => buildBody('product', { 'a><b': '1' })).to.throw(TypeError);
  });

  it('drops characters XML 1.0 cannot carry', () => {
    expect(parseRecord(buildBody('product', { note: 'a\u0001b\tc' }))['note']).to.equal('ab\tc');
  });
});
