import { expect } from 'chai';
import { ConfigError } from '../../../src/errors.ts';
import { parseOrdersConfig } from '../../../src/erp/orders-config.ts';
import { writeDivalto, writeDivaltoBatch } from '../../../transforms/orders/divalto.ts';
import { DEFAULT_DIVALTO_COLUMNS } from '../../../transforms/orders/divalto-template.ts';
import { toErpOrder } from '../../../transforms/orders/from-prestashop.ts';
import { order42 } from '../../fixtures/orders/order-42.ts';
import { parseDivalto } from './parsers/divalto-parser.ts';

const cfg = parseOrdersConfig(undefined);

describe('orders: Divalto "Import de pièces par tableur" workbook', () => {
  const order = toErpOrder(order42(), cfg);

  it('has the headers on row 3 and FICHE rows IPAR, ENT then one MOUV per line, shipping and discount', async () => {
    const file = await writeDivalto(order, cfg);
    expect(file.fileName).to.equal('CMD-42-UUBOXOBGX.xlsx');
    const sheet = await parseDivalto(file.bytes);
    expect(sheet.sheetCount).to.equal(1);
    expect(sheet.title).to.contain('WEB000042');
    expect(sheet.headers).to.deep.equal(['FICHE', 'DOSSIER', 'ETABLISSEMENT', 'REF_PIECE', 'TYPE_TIERS', 'TYPE_PIECE', 'CODE_TIERS',
      'CODE_OP', 'DEPOT', 'ENT.PIDT', 'ENT.PIREF', 'REFERENCE', 'DESIGNATION', 'MOUV.OP', 'QUANTITE', 'MOUV.PUB', 'ERREUR']);
    expect(sheet.rows.map((r) => r.FICHE)).to.deep.equal(['IPAR', 'ENT', 'MOUV', 'MOUV', 'MOUV', 'MOUV', 'MOUV', 'MOUV']);
    expect(sheet.rows.map((r) => r.REFERENCE).slice(2)).to.deep.equal(['ERP-FX-0001', 'ERP-CH-0008', 'ERP-EQ-0020', 'ERP-LV-0001', 'PORT', 'REMISE']);
  });

  it('writes an order (TYPE_PIECE 2) with its customer, date, reference and lines', async () => {
    const sheet = await parseDivalto((await writeDivalto(order, cfg)).bytes);
    const [ipar, ent, first] = sheet.rows;
    expect(ipar).to.include({ DOSSIER: '1', REF_PIECE: 'WEB000042', TYPE_TIERS: 'C', TYPE_PIECE: 2 });
    expect(ent).to.include({ CODE_TIERS: 'CLIWEB', CODE_OP: 'C', DEPOT: '1', 'ENT.PIDT': '28/11/2026', 'ENT.PIREF': 'UUBOXOBGX' });
    expect(ent?.REFERENCE).to.equal(null);
    expect(first).to.include({ DESIGNATION: 'Vis à bois 4x40 FX (boîte de 200)', 'MOUV.OP': 'C', QUANTITE: 2, 'MOUV.PUB': 14.7488 });
    expect(sheet.rows[7]).to.include({ DESIGNATION: 'Code promo BIENVENUE', QUANTITE: 1, 'MOUV.PUB': -5 });
  });

  it('gives MOUV lines that add up to the order total HT', async () => {
    const sheet = await parseDivalto((await writeDivalto(order, cfg)).bytes);
    const cents = sheet.rows.filter((r) => r.FICHE === 'MOUV')
      .reduce((acc, r) => acc + Math.round(Number(r.QUANTITE) * Number(r['MOUV.PUB']) * 100 + 1e-6), 0);
    expect(cents).to.equal(6325);
  });

  it('writes a quote as TYPE_PIECE 1', async () => {
    const sheet = await parseDivalto((await writeDivalto(order, parseOrdersConfig({ documentType: 'quote' }))).bytes);
    expect(sheet.rows[0]?.TYPE_PIECE).to.equal(1);
  });

  it('keeps a would-be formula as an inert string cell and numeric-looking references as text', async () => {
    const src = order42();
    const d = src.details[0];
    if (!d) throw new Error('fixture');
    d.product_name = '=HYPERLINK("http://x","y")';
    d.product_reference = '00123';
    const sheet = await parseDivalto((await writeDivalto(toErpOrder(src, cfg), cfg)).bytes);
    expect(sheet.rows[2]?.DESIGNATION).to.equal('=HYPERLINK("http://x","y")');
    expect(sheet.cellTypes[2]?.DESIGNATION).to.equal(3); // ValueType.String, not Formula (6)
    expect(sheet.rows[2]?.REFERENCE).to.equal('00123');
  });

  it('follows a column template from the config (delivery address, gross price + discount %)', async () => {
    const columns = [
      ...DEFAULT_DIVALTO_COLUMNS.filter((c) => c.header !== 'MOUV.PUB' && c.header !== 'ERREUR'),
      { header: 'NOM', ENT: '{deliveryName}' },
      { header: 'VILLE', ENT: '{deliveryPostcode} {deliveryCity}' },
      { header: 'MOUV.PUB', MOUV: '{grossUnitPrice}' },
      { header: 'MOUV.REM_0001', MOUV: '{discountPercent}' },
      { header: 'ERREUR' },
    ];
    const custom = parseOrdersConfig({ divalto: { columns, dossier: '100' } });
    const sheet = await parseDivalto((await writeDivalto(order, custom)).bytes);
    expect(sheet.headers.slice(-5)).to.deep.equal(['NOM', 'VILLE', 'MOUV.PUB', 'MOUV.REM_0001', 'ERREUR']);
    expect(sheet.rows[0]?.DOSSIER).to.equal('100');
    expect(sheet.rows[1]).to.include({ NOM: 'Françoise Lefèvre', VILLE: '69005 Lyon' });
    expect(sheet.rows[2]).to.include({ 'MOUV.PUB': 16.3875, 'MOUV.REM_0001': 10 });
  });

  it('refuses a template with an unknown field or a line field on the header row', () => {
    const bad = [...DEFAULT_DIVALTO_COLUMNS, { header: 'X', ENT: '{designation}' }, { header: 'Y', MOUV: '{prixMagique}' }];
    expect(() => parseOrdersConfig({ divalto: { columns: bad } })).to.throw(ConfigError, /\{designation\}.*MOUV[\s\S]*\{prixMagique\}.*inconnu/);
    expect(() => parseOrdersConfig({ divalto: { columns: [{ header: 'DOSSIER' }] } })).to.throw(ConfigError, /FICHE/);
  });

  it('writes one workbook per piece in batch mode', async () => {
    const src = order42();
    src.order.id = '43';
    const files = await writeDivaltoBatch([order, toErpOrder(src, cfg)], parseOrdersConfig({ batch: true }));
    expect(files.map((f) => f.fileName)).to.deep.equal(['CMD-42-UUBOXOBGX.xlsx', 'CMD-43-UUBOXOBGX.xlsx']);
  });
});
