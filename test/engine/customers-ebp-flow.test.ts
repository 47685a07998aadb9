// The customers flow from an EBP `Customers` export (fixture make-customers.ts: the standard 85 captions,
// cp1252) against the sandbox shop: customers, addresses and family groups; zero writes on a replay, one
// write for a changed delivery address, adoption by e-mail, the export customer's extra group.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FileReport } from '../../src/report.ts';
import type { Row } from '../../src/sandbox/store.ts';
import { customers } from '../../pipelines/customers.ts';
import { EBP_CLIENTS, encodeEbpClients, type EbpClient } from '../fixtures/erp/ebp/make-customers.ts';
import { makeWorkspace, reportOf, type Workspace } from '../support/workspace.ts';

const FIXTURE = new URL('../fixtures/erp/ebp/clients_export_cp1252.txt', import.meta.url).pathname;

describe('customers flow (EBP customer export → sandbox shop)', () => {
  let ws: Workspace;
  afterEach(async () => { await ws.close(); });

  async function run(name: string, bytes?: Buffer): Promise<FileReport> {
    if (bytes) await fs.writeFile(path.join(ws.drop, name), bytes);
    else await fs.copyFile(FIXTURE, path.join(ws.drop, name));
    await (await ws.engine({ pipelines: [customers] })).runOnce();
    return reportOf(ws, name);
  }
  const customer = (email: string): Row | undefined => ws.shop.store.list('customers').find((c) => String(c.email).toLowerCase() === email) as Row | undefined;
  const addressesOf = (c: Row): Row[] => ws.shop.store.list('addresses').filter((a) => String(a.id_customer) === String(c.id) && a.deleted !== '1') as Row[];
  const groupNamed = (fr: string): Row | undefined => ws.shop.store.list('groups').find((g) => (g.name as Record<string, string>)['1'] === fr) as Row | undefined;
  const edited = (edit: (c: EbpClient[]) => void) => { const copy = structuredClone(EBP_CLIENTS); edit(copy); return encodeEbpClients(copy); };

  it('creates the accounts with an e-mail, their addresses and family groups; replays with zero writes; one changed delivery address is one write', async () => {
    ws = await makeWorkspace({ config: { erp: { profile: 'ebp' }, customers: { accountingGroups: { export: 'Export HT' } } } });
    const report = await run('clients_export.txt');
    expect(report.pipeline).to.equal('customers');
    expect(report.records, report.summary).to.deep.equal({ read: 6, created: 5, updated: 0, unchanged: 0, rejected: 0 });
    expect(report.warnings.join('\n')).to.include('1 client(s) sans e-mail, non publié(s) : CL00004');
    const rev = groupNamed('Revendeurs')!;
    const martin = customer('contact@boulangerie-martin.fr')!;
    expect(martin).to.include({ firstname: 'Paul', lastname: 'Martin', company: 'Boulangerie Martin', siret: '412345678', id_default_group: String(rev.id), active: '1' });
    expect(addressesOf(martin).map((a) => `${String(a.alias)}:${String(a.city)}`).sort()).to.deep.equal(['Facturation:Lyon', 'Laboratoire:Villeurbanne']);
    expect(customer('elodie.durand@example.fr')).to.include({ firstname: 'Élodie', lastname: 'Durand', company: '', id_default_group: String(groupNamed('Particuliers')!.id) });
    expect(customer('ancien@example.fr')).to.include({ active: '0' });
    const swiss = customer('einkauf@uhrenhaus.ch')!;
    expect((swiss.associations?.groups ?? []).map((g) => String(g.id)).sort()).to.deep.equal([String(rev.id), String(groupNamed('Export HT')!.id)].sort());
    expect(addressesOf(swiss).map((a) => a.id_country)).to.deep.equal(['19']);

    const writes = ws.shop.writeCount();
    const again = await run('clients_export-2.txt', edited((c) => { c[0]!['Fax (facturation)'] = '04 78 00 00 99'; }));
    expect(again.records).to.include({ created: 0, updated: 0, unchanged: 5 });
    expect(ws.shop.writeCount(), 'zero writes').to.equal(writes);
    const moved = await run('clients_export-3.txt', edited((c) => { c[0]!['Adresse 1 (livraison)'] = '10 impasse des Mitrons'; }));
    expect(moved.records).to.include({ updated: 1, unchanged: 4 });
    expect(ws.shop.writeCount()).to.equal(writes + 1);
  });

  it('adopts the shop customer with the same e-mail instead of creating a second one', async () => {
    ws = await makeWorkspace({ config: { erp: { profile: 'ebp' } } });
    const engine = await ws.engine({ pipelines: [customers] });
    await engine.ensureConnected();
    const existing = await engine.shop.create('customers', { firstname: 'Antoine', lastname: 'Ancien', email: 'Cafe.Place@example.fr', passwd: 'secret123', id_default_group: '3' });
    const report = await run('clients_export.txt');
    expect(report.records).to.include({ created: 4, updated: 1 });
    expect(ws.shop.store.list('customers').filter((c) => String(c.email).toLowerCase() === 'cafe.place@example.fr').map((c) => c.id)).to.deep.equal([String(existing.id)]);
    expect(customer('cafe.place@example.fr')).to.include({ lastname: 'Roux' });
  });
});
