// The shop of an order named in its ERP document (issue 11, multistore): its document-number prefix, the Sage
// affaire, EBP's optional shop column, Divalto's {shop} field; and the cancellation notice names the same number.
import { expect } from 'chai';
import { parseOrdersConfig } from '../../../src/erp/orders-config.ts';
import { writeCancellationNotice } from '../../../transforms/orders/cancellation.ts';
import { writeDivalto } from '../../../transforms/orders/divalto.ts';
import { DEFAULT_DIVALTO_COLUMNS } from '../../../transforms/orders/divalto-template.ts';
import { EBP_ORDER_HEADER, writeEbp } from '../../../transforms/orders/ebp.ts';
import { toErpOrder } from '../../../transforms/orders/from-prestashop.ts';
import { writeSage100 } from '../../../transforms/orders/sage100.ts';
import { checkOrderFor } from '../../../transforms/orders/write.ts';
import { order42 } from '../../fixtures/orders/order-42.ts';
import { parseDivalto } from './parsers/divalto-parser.ts';
import { parseEbp } from './parsers/ebp-parser.ts';
import { field, parseSage } from './parsers/sage-parser.ts';

const shops = { 2: { documentPrefix: 'WEBBE', label: 'BOUT-BE' } };

function inShop(id: number | undefined) {
  const src = order42();
  if (id !== undefined) src.order.id_shop = String(id);
  return toErpOrder(src);
}

describe('orders: the shop named in the ERP document (multistore)', () => {
  it('reads the order’s shop from orders.id_shop', () => {
    expect(inShop(2).shopId).to.equal(2);
    expect(inShop(undefined)).to.not.have.property('shopId');
  });

  it('Sage: the shop’s prefix in the document number, its label as the affaire of the document and of each line', () => {
    const cfg = parseOrdersConfig({ shops });
    const chenOf = (id: number) => parseSage(writeSage100(inShop(id), cfg).bytes).records;
    const be = chenOf(2);
    expect(field(be.find((r) => r.flag === '#CHEN')!, 5)).to.equal('WEBBE000042');
    expect(field(be.find((r) => r.flag === '#CHEN')!, 27)).to.equal('BOUT-BE');
    expect(be.filter((r) => r.flag === '#CHLI').map((r) => field(r, 29))).to.satisfy((a: string[]) => a.length > 0 && a.every((v) => v === 'BOUT-BE'));
    // a shop orders.shops does not name: the global prefix, no affaire (as without multistore)
    const fr = chenOf(1);
    expect(field(fr.find((r) => r.flag === '#CHEN')!, 5)).to.equal('WEB000042');
    expect(field(fr.find((r) => r.flag === '#CHEN')!, 27)).to.equal('');
  });

  it('EBP: the frozen header unless orders.ebp.shopColumn adds the shop column at the end', () => {
    const plain = parseEbp(writeEbp(inShop(2), parseOrdersConfig({ shops })).bytes, 'windows-1252');
    expect(plain.header).to.deep.equal([...EBP_ORDER_HEADER]);
    expect(plain.rows[0]!['Document - Numéro du document']).to.equal('WEBBE000042');
    const cfg = parseOrdersConfig({ shops, ebp: { shopColumn: 'Document - Code commercial/collaborateur' } });
    const withShop = parseEbp(writeEbp(inShop(2), cfg).bytes, 'windows-1252');
    expect(withShop.header).to.deep.equal([...EBP_ORDER_HEADER, 'Document - Code commercial/collaborateur']);
    expect(withShop.rows.map((r) => r['Document - Code commercial/collaborateur'])).to.satisfy((a: string[]) => a.length > 0 && a.every((v) => v === 'BOUT-BE'));
    // a label EBP's `;` file cannot carry as it is holds the order, with the reason
    const bad = parseOrdersConfig({ shops: { 2: { label: 'BOUT;BE' } }, ebp: { shopColumn: 'Document - Code commercial/collaborateur' } });
    const held = checkOrderFor('ebp', inShop(2), bad);
    expect(held.held && held.reason).to.match(/^le nom de la boutique « BOUT;BE » contient « ; ».*corrigez orders\.shops\.<id>\.label/);
  });

  it('Divalto: {shop} gives the label to whichever column the template maps it to', async () => {
    const cfg = parseOrdersConfig({ shops, divalto: { columns: [...DEFAULT_DIVALTO_COLUMNS.slice(0, -1), { header: 'ENT.AFFAIRE', ENT: '{shop}' }, { header: 'ERREUR' }] } });
    const sheet = await parseDivalto((await writeDivalto(inShop(2), cfg)).bytes);
    expect(sheet.rows.map((r) => r['FICHE'])).to.include('ENT');
    expect(sheet.rows.find((r) => r['FICHE'] === 'ENT')!['ENT.AFFAIRE']).to.equal('BOUT-BE');
    expect(sheet.rows.find((r) => r['FICHE'] === 'IPAR')!['REF_PIECE']).to.equal('WEBBE000042');
  });

  it('the cancellation notice names the document number the shop’s prefix gave', () => {
    const cfg = parseOrdersConfig({ shops });
    const text = writeCancellationNotice({ idOrder: 42, shopId: 2, reference: 'UUBOXOBGX', cancelledAt: '2026-11-29 10:15:00', exportedFileName: 'CMD-42-UUBOXOBGX.txt' }, 'divalto', cfg).bytes.toString('utf8');
    expect(text).to.include('Pièce ERP (commande) : WEBBE000042');
  });
});
