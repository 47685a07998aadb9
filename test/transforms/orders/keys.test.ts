// ERP keys (article codes, customer codes, document numbers) go out exactly as they are, in every format (issue #7);
// a key a format cannot carry unchanged holds the order with a French reason. Free text stays neutralised.
import { expect } from 'chai';
import { parseOrdersConfig } from '../../../src/erp/orders-config.ts';
import type { OrdersConfig } from '../../../src/erp/orders-config.ts';
import { writeDivalto } from '../../../transforms/orders/divalto.ts';
import { writeEbp } from '../../../transforms/orders/ebp.ts';
import { toErpOrder } from '../../../transforms/orders/from-prestashop.ts';
import type { ErpKind } from '../../../transforms/orders/common.ts';
import { writeSage100 } from '../../../transforms/orders/sage100.ts';
import { checkOrderFor } from '../../../transforms/orders/write.ts';
import { order42 } from '../../fixtures/orders/order-42.ts';
import { parseDivalto } from './parsers/divalto-parser.ts';
import { parseEbp } from './parsers/ebp-parser.ts';
import { field, parseSage } from './parsers/sage-parser.ts';

const cfg = parseOrdersConfig(undefined);

/** order 42 whose first line has this reference (and, optionally, this customer note). */
function withReference(reference: string, note?: string): ReturnType<typeof toErpOrder> {
  const src = order42();
  src.details[0]!.product_reference = reference;
  src.order.associations!.order_rows![0]!.product_reference = reference;
  if (note !== undefined) src.customer.note = note;
  return toErpOrder(src, cfg);
}

function heldReason(erp: ErpKind, o: ReturnType<typeof toErpOrder>, c: OrdersConfig = cfg): string {
  const check = checkOrderFor(erp, o, c);
  expect(check.held, 'held').to.equal(true);
  return check.held ? check.reason : '';
}

describe('orders: ERP keys go out exactly as they are', () => {
  describe('EBP', () => {
    const codes = (o: ReturnType<typeof toErpOrder>) => parseEbp(writeEbp(o, cfg).bytes, 'windows-1252').rows.map((r) => r['Ligne - Code article']);

    it('writes an article code beginning with @ + - = without an apostrophe', () => {
      for (const ref of ['+VIS-4X40', '-CHEV', '=EQ20', '@LV01']) {
        const o = withReference(ref);
        expect(checkOrderFor('ebp', o, cfg).held, ref).to.equal(false);
        expect(codes(o)[0], ref).to.equal(ref);
      }
    });

    it('writes a customer code beginning with = as it is, and still neutralises a formula in free text', () => {
      const src = order42();
      src.customer.note = 'ERP:=C042';
      src.details[1]!.product_name = '=HYPERLINK("x")';
      const rows = parseEbp(writeEbp(toErpOrder(src, cfg), cfg).bytes, 'windows-1252').rows;
      expect(rows[0]?.['Document - Code client']).to.equal('=C042');
      expect(rows[1]?.['Ligne - Description commerciale en clair']).to.equal('\'=HYPERLINK(\'x\')');
    });

    it('holds an order whose article code holds a ; or a quote, with the reason', () => {
      const reason = heldReason('ebp', withReference('VIS;40'));
      expect(reason).to.contain('la référence article « VIS;40 » contient « ; »');
      expect(reason).to.contain('corrigez la référence du produit dans la boutique');
      expect(heldReason('ebp', withReference('VIS"40'))).to.contain('contient « " »');
    });

    it('holds an order whose article code has a character cp1252 cannot hold, instead of transliterating it', () => {
      expect(heldReason('ebp', withReference('VIS-Ő40'))).to.match(/« Ő ».*WINDOWS-1252/);
    });
  });

  describe('Sage 100', () => {
    const chliArticles = (o: ReturnType<typeof toErpOrder>) => parseSage(writeSage100(o, cfg).bytes).records.filter((r) => r.flag === '#CHLI').map((r) => field(r, 2));

    it('writes a formula-looking article code as it is', () => {
      expect(chliArticles(withReference('+VIS-4X40'))[0]).to.equal('+VIS-4X40');
    });

    it('holds instead of cutting an article code longer than 18 characters', () => {
      const reason = heldReason('sage', withReference('ERP-FX-0001-LONGUEUR'));
      expect(reason).to.contain('fait 20 caractères, Sage 100 en accepte 18');
    });

    it('holds instead of upper-casing or transliterating a code', () => {
      expect(heldReason('sage', withReference('ERP-FX-0001', 'ERP:durand01'))).to.contain('le code client « durand01 » contient des minuscules');
      expect(heldReason('sage', withReference('VIS’40'))).to.match(/« ’ ».*CP850/);
    });

    it('holds an order whose configured shipping article cannot be written, saying which key to fix', () => {
      const reason = heldReason('sage', withReference('ERP-FX-0001'), parseOrdersConfig({ articles: { shipping: 'port' } }));
      expect(reason).to.contain('le code article des frais de port « port »');
      expect(reason).to.contain('orders.articles.shipping');
    });

    it('holds a line without a reference (the ERP could not find its article)', () => {
      expect(heldReason('sage', withReference(''))).to.contain('la référence article est vide');
    });
  });

  describe('Divalto', () => {
    it('writes a formula-looking or number-looking key as a text cell, unchanged', async () => {
      for (const ref of ['=1+1', '+VIS', '@SUM(A1)', '00042']) {
        const o = withReference(ref, 'ERP:=C042');
        expect(checkOrderFor('divalto', o, cfg).held, ref).to.equal(false);
        const sheet = await parseDivalto((await writeDivalto(o, cfg)).bytes);
        expect(sheet.rows[2]?.REFERENCE, ref).to.equal(ref);
        expect(sheet.cellTypes[2]?.REFERENCE, `${ref}: ValueType.String, not Formula`).to.equal(3);
        expect(sheet.rows[1]?.CODE_TIERS).to.equal('=C042');
        expect(sheet.cellTypes[1]?.CODE_TIERS).to.equal(3);
      }
    });

    it('holds an order whose key has a line break, instead of replacing it by a space', async () => {
      const o = withReference('VIS\n40');
      expect(heldReason('divalto', o)).to.contain('contient un saut de ligne');
      let thrown: unknown;
      await writeDivalto(o, cfg).catch((err: unknown) => { thrown = err; });
      expect(thrown, 'the writer refuses it too').to.be.instanceOf(Error);
    });
  });
});
