// Sage clients of the customers fixture (CP850, CRLF) → CustomerLine: keys, e-mail, names, addresses with
// their ISO countries, categories, and the physical lines reasons point at.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import iconv from 'iconv-lite';
import { isRejected, type Keyed, type Transformed } from '../../../src/pipeline.ts';
import type { CustomerLine } from '../../../transforms/customers/types.ts';
import { sageClientToCustomer } from '../../../transforms/sage/customers.ts';
import type { SageClientRow } from '../../../transforms/sage/rows.ts';
import { CLIENTS, encodeCustomers } from '../../fixtures/erp/sage/make-customers.ts';
import { documentItems, tablesOf } from './support.ts';

const FIXTURE = new URL('../../fixtures/erp/sage/customers_format-sage.txt', import.meta.url).pathname;

async function transformed(bytes: Buffer = readFileSync(FIXTURE), o = { defaultCountry: 'FR' }): Promise<Map<string, Transformed<CustomerLine>>> {
  const items = await documentItems(bytes);
  const tables = tablesOf(items);
  const out = new Map<string, Transformed<CustomerLine>>();
  for (const i of items) if ('pipelines' in i && i.kind === 'client') {
    const t = sageClientToCustomer(i.row as SageClientRow, tables, o);
    out.set(t.key ?? '', t);
  }
  return out;
}
const record = (m: Map<string, Transformed<CustomerLine>>, key: string): CustomerLine => {
  const t = m.get(key)!;
  if (isRejected(t)) throw new Error(t.reject);
  return (t as Keyed<CustomerLine>).record;
};

describe('Sage clients → customers', () => {
  it('the checked-in fixture is what the generator writes', () => {
    expect(readFileSync(FIXTURE).equals(encodeCustomers())).to.equal(true);
  });

  it('reads each account with its e-mail, person, company, categories and addresses', async () => {
    const m = await transformed();
    expect(m.size).to.equal(CLIENTS.length);
    const martin = record(m, 'CLI001');
    expect(martin).to.include({ email: 'contact@boulangerie-martin.fr', firstname: 'Paul', lastname: 'Martin', company: 'Boulangerie Martin', siret: '41234567800011', active: true, priceCategory: '2', priceCategoryLabel: 'Revendeurs', priceCategoryTaxExcluded: true, accountingCategory: '1' });
    expect(martin.addresses.map((a) => a.key)).to.deep.equal(['CLI001#billing', 'CLI001#BOUTIQUE PART-DIEU', 'CLI001#LABORATOIRE']);
    expect(record(m, 'CLI003')).to.include({ firstname: 'Marie', lastname: 'Durand', company: '', siret: '', priceCategoryTaxExcluded: false });
    const swiss = record(m, 'CLI015');
    expect(swiss.addresses.map((a) => a.country)).to.deep.equal(['CH', 'CH']);
    expect(swiss.addresses[0]).to.include({ vatNumber: 'CHE-123.456.789', postcode: '8001', city: 'Zürich', address1: 'Bahnhofstrasse 10' });
    expect(record(m, 'CLI017').active).to.equal(false);
    expect(record(m, 'CLI020').addresses.map((a) => a.key)).to.deep.equal(['CLI020#billing', 'CLI020#DÉPÔT LILLE', 'CLI020#DÉPÔT BRUXELLES', 'CLI020#DÉPÔT LILLE#2']);
    expect(record(m, 'CLI021').skip).to.equal('sans e-mail');
    expect(record(m, 'CLI022').skip).to.equal('prospect');
    expect(record(m, 'CLI018').remarks[0]).to.match(/nom nettoyé/);
  });

  it('rejects with the physical line: a name of digits (#CCLI 5), an unknown country label (#CCDL 7), a bad e-mail (#CCLI 57)', async () => {
    const clients = structuredClone(CLIENTS);
    clients[1]!.deliveries![0]!.country = 'Narnia';
    clients[2]!.email = 'marie.durand@';
    const bytes = encodeCustomers(clients);
    const lines = iconv.decode(bytes, 'cp850').split('\r\n');
    const flagLine = (code: string) => lines.findIndex((l, i) => l === '#CCLI' && lines[i + 1] === code) + 1;
    const m = await transformed(bytes);
    const reason = (k: string) => { const t = m.get(k)!; return isRejected(t) ? t.reject : ''; };
    expect(reason('CLI023')).to.include(`(ligne ${flagLine('CLI023') + 5})`);
    expect(lines[flagLine('CLI023') + 5 - 1]).to.equal('1234');
    expect(reason('CLI002')).to.match(/pays « Narnia » de l'adresse de livraison « Épicerie du Pont - Livraison » \(ligne (\d+)\)/);
    const ccdl = Number(/ligne (\d+)/.exec(reason('CLI002'))![1]);
    expect(lines[ccdl - 1]).to.equal('Narnia');
    expect(reason('CLI003')).to.include(`e-mail « marie.durand@ » invalide (ligne ${flagLine('CLI003') + 57})`);
  });
});
