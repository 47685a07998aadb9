import { expect } from 'chai';
import { parseOrdersConfig } from '../../../src/erp/orders-config.ts';
import { ebpImportCommand, writeEbp } from '../../../transforms/orders/ebp.ts';
import { toErpOrder } from '../../../transforms/orders/from-prestashop.ts';
import { checkOrderFor } from '../../../transforms/orders/write.ts';
import { order42 } from '../../fixtures/orders/order-42.ts';
import { ebpDocumentTotalCents, parseEbp } from './parsers/ebp-parser.ts';

const cfg = parseOrdersConfig(undefined);

// Copied from EBP_DIVALTO.md §1.4 (the model saved once in EBP): the file must keep exactly these, in this order.
const FROZEN_HEADER = [
  'Document - Numéro du document', 'Document - Date', 'Document - Code client', 'Document - Nom du client', 'Document - Référence',
  'Document - Adresse 1 (facturation)', 'Document - Code postal (facturation)', 'Document - Ville (facturation)',
  'Document - Code Pays (facturation)', 'Document - E-mail (facturation)', 'Document - Nom (adresse) (livraison)',
  'Document - Adresse 1 (livraison)', 'Document - Code postal (livraison)', 'Document - Ville (livraison)',
  'Document - Code Pays (livraison)', 'Document - Téléphone portable (livraison)', 'Document - Frais de port HT',
  'Document - % remise', 'Ligne - Code article', 'Ligne - Description commerciale en clair', 'Ligne - Quantité',
  'Ligne - PV HT', 'Ligne - % remise unitaire cumulé', 'Ligne - Taux de TVA',
];

function withDesignation(name: string, index = 0): ReturnType<typeof toErpOrder> {
  const src = order42();
  const d = src.details[index];
  if (!d) throw new Error('fixture');
  d.product_name = name;
  return toErpOrder(src, cfg);
}

describe('orders: EBP order import file', () => {
  const order = toErpOrder(order42(), cfg);
  const file = writeEbp(order, cfg);
  const parsed = parseEbp(file.bytes, 'windows-1252');

  it('has exactly the frozen header and one row per product line', () => {
    expect(file.fileName).to.equal('CMD-42-UUBOXOBGX.csv');
    expect(parsed.header).to.deep.equal(FROZEN_HEADER);
    expect(parsed.rows.map((r) => r['Ligne - Code article'])).to.deep.equal(['ERP-FX-0001', 'ERP-CH-0008', 'ERP-EQ-0020', 'ERP-LV-0001']);
  });

  it('repeats the header values on every row', () => {
    const documentColumns = FROZEN_HEADER.filter((h) => h.startsWith('Document - '));
    for (const row of parsed.rows) {
      for (const h of documentColumns) expect(row[h], h).to.equal(parsed.rows[0]?.[h]);
    }
    expect(parsed.rows[0]).to.include({
      'Document - Numéro du document': 'WEB000042', 'Document - Date': '28/11/2026', 'Document - Code client': 'CLIWEB',
      'Document - Nom du client': 'DURAND-LÉGER Élodie', 'Document - Référence': 'UUBOXOBGX',
      'Document - Adresse 1 (facturation)': '12, rue de l’Église, Bâtiment B', 'Document - Code Pays (facturation)': 'FR',
      'Document - Nom (adresse) (livraison)': 'LEFÈVRE Françoise', 'Document - Adresse 1 (livraison)': '3 place de l’Œuvre' /* ’ and Œ exist in cp1252 */,
      'Document - Frais de port HT': '7,00', 'Document - % remise': '8,16',
    });
  });

  it('writes prices HT with a decimal comma, the line discount as a %, the VAT as a rate', () => {
    expect(parsed.rows[0]).to.include({ 'Ligne - Quantité': '2', 'Ligne - PV HT': '16,3875', 'Ligne - % remise unitaire cumulé': '10', 'Ligne - Taux de TVA': '20,00' });
    // 0,50 € off 5,00 € is 10 %: expressed as EBP's % column
    expect(parsed.rows[1]).to.include({ 'Ligne - PV HT': '5,00', 'Ligne - % remise unitaire cumulé': '10' });
    expect(parsed.rows[3]).to.include({ 'Ligne - Taux de TVA': '5,50', 'Ligne - Description commerciale en clair': 'Livre « Le guide très pratique » – édition 2026' });
  });

  it('gives, with EBP\'s arithmetic, the order total HT to the cent', () => {
    expect(ebpDocumentTotalCents(parsed.rows)).to.equal(6325);
  });

  it('is cp1252 by default (€ = 0x80, é = 0xE9) and UTF-8 with BOM on demand', () => {
    const euro = writeEbp(withDesignation('Carte cadeau 10 €'), cfg);
    expect(euro.bytes.includes(Buffer.from([0x31, 0x30, 0x20, 0x80]))).to.equal(true);
    expect(euro.bytes.includes(Buffer.from('Élodie', 'latin1'))).to.equal(true);
    const utf8 = writeEbp(withDesignation('Carte cadeau 10 €'), parseOrdersConfig({ ebp: { encoding: 'utf-8-bom' } }));
    expect([...utf8.bytes.subarray(0, 3)]).to.deep.equal([0xef, 0xbb, 0xbf]);
    const back = parseEbp(utf8.bytes, 'utf-8');
    expect(back.rows[0]?.['Ligne - Description commerciale en clair']).to.equal('Carte cadeau 10 €');
  });

  it('neutralises a ; a quote or a newline inside a field so columns never shift', () => {
    const bytes = writeEbp(withDesignation('Vis; "inox"\r\nA2'), cfg).bytes;
    const rows = parseEbp(bytes, 'windows-1252').rows; // throws if a row has a wrong field count
    expect(rows[0]?.['Ligne - Description commerciale en clair']).to.equal('Vis, \'inox\' A2');
  });

  it('neutralises a formula but leaves a negative number or a phone number as it is', () => {
    const rows = (name: string): Record<string, string>[] => parseEbp(writeEbp(withDesignation(name), cfg).bytes, 'windows-1252').rows;
    expect(rows('=cmd|\' /C calc\'!A0')[0]?.['Ligne - Description commerciale en clair']).to.equal('\'=cmd|\' /C calc\'!A0');
    expect(rows('@SUM(A1)')[0]?.['Ligne - Description commerciale en clair']).to.equal('\'@SUM(A1)');
    expect(rows('-12,50')[0]?.['Ligne - Description commerciale en clair']).to.equal('-12,50');
    const src = order42();
    src.deliveryAddress.phone_mobile = '+33 6 98 76 54 32';
    const phoneRows = parseEbp(writeEbp(toErpOrder(src, cfg), cfg).bytes, 'windows-1252').rows;
    expect(phoneRows[0]?.['Document - Téléphone portable (livraison)']).to.equal('+33 6 98 76 54 32');
  });

  it('puts several orders in one batch file, grouped by document number', () => {
    const src = order42();
    src.order.id = '43';
    const batch = writeEbp([order, toErpOrder(src, cfg)], cfg);
    expect(batch.fileName).to.equal('CMD-BATCH-42-43.csv');
    const numbers = parseEbp(batch.bytes, 'windows-1252').rows.map((r) => r['Document - Numéro du document']);
    expect(numbers).to.deep.equal(['WEB000042', 'WEB000042', 'WEB000042', 'WEB000042', 'WEB000043', 'WEB000043', 'WEB000043', 'WEB000043']);
  });

  it('imports a quote into the quotes table (the file is the same)', () => {
    expect(ebpImportCommand('D:\\in\\CMD-42.csv', 'Commandes_Web', cfg)).to.equal('/Import="D:\\in\\CMD-42.csv";SaleOrders;Commandes_Web;stop');
    expect(ebpImportCommand('D:\\in\\CMD-42.csv', 'Devis_Web', parseOrdersConfig({ documentType: 'quote' }))).to.contain(';SaleQuotes;');
  });

  it('holds an order whose cart rule cannot be expressed as a % to the cent', () => {
    const src = order42();
    const line = src.details[2];
    if (!line) throw new Error('fixture');
    // 300,50 € of goods: a 2-decimal % moves the discount by 3 cents, none gives exactly 5,00 €
    line.product_quantity = '30';
    line.total_price_tax_excl = '247.500000';
    src.order.total_products = '300.500000';
    src.order.total_paid_tax_excl = '302.500000';
    const o = toErpOrder(src, cfg);
    const check = checkOrderFor('ebp', o, cfg);
    expect(check.held).to.equal(true);
    expect(check.held && check.reason).to.match(/remise de commande 5,00 € impossible à exprimer.*300,50 €/);
    expect(() => writeEbp(o, cfg)).to.throw(/impossible à exprimer/);
  });
});

describe('orders: EBP line discount that EBP would round differently from the shop', () => {
  it('sends the line at its net price so the document still adds up (8,25 € − 10 % × 3 = 22,28 €)', () => {
    const base = toErpOrder(order42(), cfg);
    const line = { ...base.lines[0]!, quantity: 3, unitPriceTaxExcl: 8_250_000, netUnitPriceTaxExcl: 7_425_000, totalTaxExcl: 22_280_000, discount: { percent: 10 } };
    const products = 22_280_000;
    const order = {
      ...base, lines: [line], orderDiscounts: [], shippingTaxExcl: 0,
      totals: { ...base.totals, productsTaxExcl: products, discountsTaxExcl: 0, shippingTaxExcl: 0, wrappingTaxExcl: 0, paidTaxExcl: products },
    };
    expect(checkOrderFor('ebp', order, cfg).held).to.equal(false);
    const rows = parseEbp(writeEbp(order, cfg).bytes, 'windows-1252').rows;
    expect(rows[0]).to.include({ 'Ligne - PV HT': '7,425', 'Ligne - % remise unitaire cumulé': '0' });
    expect(ebpDocumentTotalCents(rows)).to.equal(2228);
  });
});
