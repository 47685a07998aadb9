import { expect } from 'chai';
import { RecordRejected } from '../../../src/errors.ts';
import { parseOrdersConfig } from '../../../src/erp/orders-config.ts';
import { toErpOrder } from '../../../transforms/orders/from-prestashop.ts';
import { writeSage100 } from '../../../transforms/orders/sage100.ts';
import { checkOrderFor } from '../../../transforms/orders/write.ts';
import { order42 } from '../../fixtures/orders/order-42.ts';
import { chliAmountCents, field, parseSage, type SageRecord } from './parsers/sage-parser.ts';

const cfg = parseOrdersConfig(undefined);

function records(bytes: Buffer, flag: string): SageRecord[] {
  return parseSage(bytes).records.filter((r) => r.flag === flag);
}

describe('orders: Sage 100 Format Sage file', () => {
  const order = toErpOrder(order42(), cfg);
  const file = writeSage100(order, cfg);
  const parsed = parseSage(file.bytes);

  it('is named after the order id and reference', () => {
    expect(file.fileName).to.equal('CMD-42-UUBOXOBGX.txt');
  });

  it('opens with #FLG 000 / #VER 33, ends with #FIN, CRLF everywhere', () => {
    expect(parsed.lines.slice(0, 2)).to.deep.equal(['#FLG 000', '#VER 33']);
    expect(parsed.lines[parsed.lines.length - 1]).to.equal('#FIN');
    expect(parsed.hasLoneLf).to.equal(false);
    expect(parsed.hasLoneCr).to.equal(false);
    expect(file.bytes.subarray(-2).toString('latin1')).to.equal('\r\n');
  });

  it('has one #CHEN of exactly 86 lines and one #CHLI of 62 lines per line, shipping and discount', () => {
    const [chen, ...rest] = records(file.bytes, '#CHEN');
    expect(rest).to.have.length(0);
    expect(chen?.fields).to.have.length(86);
    const chli = records(file.bytes, '#CHLI');
    expect(chli.map((r) => r.fields.length)).to.deep.equal([62, 62, 62, 62, 62, 62]);
    expect(chli.map((r) => field(r, 2))).to.deep.equal(['ERP-FX-0001', 'ERP-CH-0008', 'ERP-EQ-0020', 'ERP-LV-0001', 'PORT', 'REMISE']);
  });

  it('writes accents as CP850 bytes (é 0x82, è 0x8A, à 0x85) and never as UTF-8', () => {
    expect(file.bytes.includes(Buffer.from('Vis \x85 bois', 'latin1'))).to.equal(true);
    expect(file.bytes.includes(Buffer.from('tr\x8As pratique', 'latin1'))).to.equal(true);
    expect(file.bytes.includes(Buffer.from('\x82dition', 'latin1'))).to.equal(true);
    expect(file.bytes.includes(Buffer.from('é', 'utf8'))).to.equal(false);
  });

  it('transliterates what CP850 lacks and keeps « » which it has', () => {
    const chli = records(file.bytes, '#CHLI');
    expect(field(chli[2] as SageRecord, 3)).to.equal('Équerre d\'assemblage zinguée');
    expect(field(chli[3] as SageRecord, 3)).to.equal('Livre « Le guide très pratique » - édition 2026');
    expect(field(chli[1] as SageRecord, 3)).to.equal('Chevilles nylon Ø8 - lot de 50');
    const src = order42();
    const d = src.details[0];
    if (!d) throw new Error('fixture');
    d.product_name = 'Carte cadeau 10 € – cœur';
    const euro = records(writeSage100(toErpOrder(src, cfg), cfg).bytes, '#CHLI')[0] as SageRecord;
    expect(field(euro, 3)).to.equal('Carte cadeau 10 EUR - coeur');
  });

  it('uses decimal commas, JJMMAA dates, the document type, piece number and the shop reference', () => {
    const chen = records(file.bytes, '#CHEN')[0] as SageRecord;
    expect([field(chen, 1), field(chen, 2), field(chen, 3)]).to.deep.equal(['1', '2', '1']);
    expect(field(chen, 5)).to.equal('WEB000042');
    expect(field(chen, 6)).to.equal('281126');
    expect(field(chen, 7)).to.equal('UUBOXOBGX');
    expect(field(chen, 11)).to.equal('CLIWEB');
    expect(field(chen, 41)).to.equal('13:30:06');
    expect(field(chen, 46)).to.equal('UUBOXOBGX');
    const [pct, amount] = records(file.bytes, '#CHLI');
    expect([field(pct as SageRecord, 12), field(pct as SageRecord, 14), field(pct as SageRecord, 19)]).to.deep.equal(['16,3875', '2,00', '10%']);
    expect(field(amount as SageRecord, 19)).to.equal('0,50U');
    expect(field(pct as SageRecord, 33)).to.equal('20,0000');
    expect(field(pct as SageRecord, 53)).to.equal('281126');
  });

  it('gives lines whose amounts add up to the order total HT to the cent', () => {
    const total = records(file.bytes, '#CHLI').reduce((acc, r) => acc + chliAmountCents(r), 0);
    expect(total).to.equal(6325);
  });

  it('writes a quote when documentType is quote', () => {
    const quote = writeSage100(order, parseOrdersConfig({ documentType: 'quote' }));
    expect(field(records(quote.bytes, '#CHEN')[0] as SageRecord, 2)).to.equal('1');
  });

  it('creates the new customer (#CCLI 121 lines, #CCDL 17) before the document and points the document to them', () => {
    const created = parseSage(writeSage100(order, parseOrdersConfig({ newCustomer: 'create' })).bytes);
    expect(created.records.map((r) => r.flag)).to.deep.equal(['#FLG', '#VER', '#CCLI', '#CCDL', '#CHEN', '#CHLI', '#CHLI', '#CHLI', '#CHLI', '#CHLI', '#CHLI', '#FIN']);
    const [ccli, ccdl, chen] = created.records.slice(2) as [SageRecord, SageRecord, SageRecord];
    expect(ccli.fields).to.have.length(121);
    expect(ccdl.fields).to.have.length(17);
    expect(field(ccli, 1)).to.equal('WEB000006');
    expect(field(chen, 11)).to.equal('WEB000006');
    expect(field(ccli, 5)).to.equal('DURAND-LÉGER Élodie');
    expect(field(ccli, 57)).to.equal('elodie.durand@example.invalid');
    expect(field(ccdl, 2)).to.equal('3 place de l\'OEuvre');
    expect(field(ccdl, 7)).to.equal('France');
    expect(field(chen, 13)).to.equal(field(ccdl, 1));
  });

  it('uses the customer\'s own ERP code and creates nothing when the ERP created the customer', () => {
    const src = order42();
    src.customer.note = 'ERP:DURAND01';
    const known = parseSage(writeSage100(toErpOrder(src, cfg), parseOrdersConfig({ newCustomer: 'create' })).bytes);
    expect(known.records.some((r) => r.flag === '#CCLI')).to.equal(false);
    expect(field(known.records.find((r) => r.flag === '#CHEN') as SageRecord, 11)).to.equal('DURAND01');
    expect(records(writeSage100(toErpOrder(src, cfg), cfg).bytes, '#CHLI').map((r) => field(r, 42))).to.include('DURAND01');
  });

  it('replaces a newline inside a value by a space so no field shifts, and cuts to the field length', () => {
    const src = order42();
    const d = src.details[2];
    if (!d) throw new Error('fixture');
    d.product_name = `Équerre\r\nrenforcée\n${'x'.repeat(100)}`;
    const bytes = writeSage100(toErpOrder(src, cfg), cfg).bytes;
    const chli = records(bytes, '#CHLI');
    expect(chli.map((r) => r.fields.length)).to.deep.equal([62, 62, 62, 62, 62, 62]);
    expect(field(chli[2] as SageRecord, 3)).to.have.length(69);
    expect(field(chli[2] as SageRecord, 3).startsWith('Équerre renforcée xxx')).to.equal(true);
  });

  it('writes several orders in one batch file', () => {
    const src = order42();
    src.order.id = '43';
    const batch = writeSage100([order, toErpOrder(src, cfg)], parseOrdersConfig({ batch: true }));
    expect(batch.fileName).to.equal('CMD-BATCH-42-43.txt');
    expect(records(batch.bytes, '#CHEN').map((r) => field(r, 5))).to.deep.equal(['WEB000042', 'WEB000043']);
  });

  it('holds an order with a character CP850 cannot hold instead of writing a "?"', () => {
    const src = order42();
    const d = src.details[0];
    if (!d) throw new Error('fixture');
    d.product_name = 'Vis 螺丝';
    const o = toErpOrder(src, cfg);
    expect(() => writeSage100(o, cfg)).to.throw(RecordRejected, /螺/);
    const check = checkOrderFor('sage', o, cfg);
    expect(check.held).to.equal(true);
    expect(check.held && check.reason).to.match(/caractère « 螺 ».*CP850/);
  });
});
