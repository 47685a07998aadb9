// A price file's lines (profile `prices` flow) → base prices or specific prices; the Divalto TAR layout of
// config/profiles/divalto.yaml.
import { expect } from 'chai';
import { loadProfile, type PricesFlowProfile } from '../../../src/erp/profile.ts';
import type { Row } from '../../../src/parse/row.ts';
import { isRejected } from '../../../src/pipeline.ts';
import { priceFileRow } from '../../../transforms/prices/base-price.ts';

const divalto = loadProfile('divalto').flows.prices!;
const row = (values: Record<string, string>, line = 2): Row => ({ line, values });
const record = (flow: PricesFlowProfile, values: Record<string, string>) => {
  const t = priceFileRow(row(values), flow);
  if (isRejected(t)) throw new Error(t.reject);
  return t;
};
/** A base price line is rejected; a tariff line's problem is its set's (so that the set deletes nothing). */
const reason = (flow: PricesFlowProfile, values: Record<string, string>): string => {
  const t = priceFileRow(row(values), flow);
  if (isRejected(t)) return t.reject;
  return 'set' in t.record ? t.record.set.problem ?? '' : '';
};

describe('price file lines', () => {
  it('Divalto TAR: TACOD → group tarif:<CODE>, PUB / PPAR the unit price, TADT the first day', () => {
    const t = record(divalto, { TACOD: 'rev', REF: 'ART001', SREF1: '', SREF2: '', PUB: '250.00', PPAR: '100', TADT: '2027-01-01' });
    expect(t.key).to.equal('ART001|tarif:REV');
    expect(t.record).to.deep.equal({ set: { reference: 'ART001', for: { group: 'tarif:REV' }, label: 'tarif rev', remarks: [], prices: [
      { reference: 'ART001', for: { group: 'tarif:REV' }, fromQuantity: 1, price: '2.500000', reduction: '0.000000', reductionType: 'percentage', from: '2027-01-01 00:00:00', to: null },
    ] } });
  });

  it('a line without group nor customer is the article\'s base price', () => {
    expect(record(divalto, { TACOD: '', REF: 'ART002', PUB: '4.5', PPAR: '' }).record).to.deep.equal({ base: { reference: 'ART002', priceTaxExcl: '4.500000' } });
  });

  it('refuses with the column what cannot be read for sure', () => {
    expect(reason(divalto, { TACOD: 'REV', REF: 'ART001', SREF1: 'ROUGE', PUB: '1' })).to.match(/déclinaison \(SREF1 = ROUGE\)/);
    expect(reason(divalto, { TACOD: 'REV', REF: 'ART001', PUB: '1,5' })).to.match(/prix \(colonne PUB\)/);
    expect(reason(divalto, { TACOD: 'REV', REF: 'ART001', PUB: '1', PPAR: '0' })).to.match(/prix par « 0 » \(colonne PPAR\)/);
    expect(reason(divalto, { TACOD: 'REV', REF: 'ART001', PUB: '1', TADT: '2027-02-31' })).to.match(/date « 2027-02-31 » \(colonne TADT\)/);
    expect(reason(divalto, { TACOD: '', REF: '', PUB: '1' })).to.match(/référence vide \(colonne REF\)/);
  });

  it('a generic file with customer, quantity and discount columns (EBP-style family key)', () => {
    const flow = { ...divalto, decimal: ',', groupKey: 'famille', columns: { reference: 'Code article', price: 'Prix', group: 'Famille', customer: 'Client', fromQuantity: 'Qté', discount: 'Remise', to: 'Fin' } } as PricesFlowProfile;
    const a = record(flow, { 'Code article': 'A1', Prix: '', Famille: 'GROS', Client: '', 'Qté': '10', Remise: '12,5', Fin: '31/12/2027' });
    expect(a.key).to.equal('A1|famille:GROS');
    expect('set' in a.record && a.record.set.prices[0]).to.include({ fromQuantity: 10, price: null, reduction: '0.125000', to: '2027-12-31 23:59:59' });
    const b = record(flow, { 'Code article': 'A1', Prix: '3,10', Famille: '', Client: 'dupont', 'Qté': '', Remise: '' });
    expect(b.key).to.equal('A1|client:DUPONT');
    expect(reason(flow, { 'Code article': 'A1', Prix: '1', Famille: 'GROS', Client: 'DUPONT' })).to.match(/l'un ou l'autre/);
    expect(reason(flow, { 'Code article': 'A1', Prix: '1', Famille: 'GROS', 'Qté': '2,5' })).to.match(/quantité « 2,5 »/);
  });
});
