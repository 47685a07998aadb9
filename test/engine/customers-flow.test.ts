// The customers flow end to end against the sandbox shop: a Sage « Format Sage » export of 23 client
// accounts (fixture make-customers.ts) → customers, their addresses and groups; what the shop holds and what
// the report says; zero writes on a replay, one write for one changed delivery place, adoption by e-mail.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { formatSage } from '../../src/erp/format-sage/format.ts';
import type { FileReport } from '../../src/report.ts';
import type { Row } from '../../src/sandbox/store.ts';
import { customers } from '../../pipelines/customers.ts';
import { CLIENTS, encodeCustomers, type Client } from '../fixtures/erp/sage/make-customers.ts';
import { makeWorkspace, reportOf, type Workspace, type WorkspaceOptions } from '../support/workspace.ts';

const FIXTURE = new URL('../fixtures/erp/sage/customers_format-sage.txt', import.meta.url).pathname;
const PIPELINES = [customers];

describe('customers flow (Format Sage clients → sandbox shop)', () => {
  let ws: Workspace;
  afterEach(async () => { await ws.close(); });
  const start = async (o: WorkspaceOptions = {}) => { ws = await makeWorkspace(o); };

  async function run(name: string, bytes?: Buffer): Promise<FileReport> {
    if (bytes) await fs.writeFile(path.join(ws.drop, name), bytes);
    else await fs.copyFile(FIXTURE, path.join(ws.drop, name));
    await (await ws.engine({ pipelines: PIPELINES, documents: [formatSage] })).runOnce();
    return reportOf(ws, name);
  }
  const section = (r: FileReport) => r.document?.sections.find((s) => s.pipeline === 'customers');
  const customer = (email: string): Row | undefined => ws.shop.store.list('customers').find((c) => c.email === email) as Row | undefined;
  const addressesOf = (c: Row): Row[] => ws.shop.store.list('addresses').filter((a) => String(a.id_customer) === String(c.id) && a.deleted !== '1') as Row[];
  const groupNamed = (fr: string): Row | undefined => ws.shop.store.list('groups').find((g) => (g.name as Record<string, string>)['1'] === fr) as Row | undefined;
  const groupsOf = (c: Row): string[] => (c.associations?.groups ?? []).map((g) => String(g.id)).sort();
  const edited = (edit: (clients: Client[]) => void): Buffer => {
    const copy = structuredClone(CLIENTS);
    edit(copy);
    return encodeCustomers(copy);
  };

  it('creates the 20 web accounts with their addresses and groups; no e-mail, prospect counted, a name of digits rejected with its line', async () => {
    await start();
    const report = await run('clients.txt');
    expect(section(report)?.records, report.summary).to.deep.equal({ read: 23, created: 20, updated: 0, unchanged: 0, rejected: 1 });
    expect(ws.shop.store.list('customers')).to.have.length(20);
    expect(report.warnings.join('\n')).to.include('1 client(s) sans e-mail, non publié(s) : CLI021').and.include('1 client(s) prospect, non publié(s) : CLI022');
    const reject = report.rejects.find((r) => r.key === 'CLI023')!;
    expect(reject.reason).to.match(/nom « 1234 » \(ligne \d+\) refusé par PrestaShop/);
    expect(reject.line).to.be.above(0);

    const revendeurs = groupNamed('Revendeurs')!;
    const grossistes = groupNamed('Grossistes')!;
    const public_ = groupNamed('Tarif public')!;
    expect(revendeurs, 'a group per price category, named by #CCCL').to.not.equal(undefined);
    expect(revendeurs).to.include({ price_display_method: '1' }); // its prices are HT in Sage
    expect(public_).to.include({ price_display_method: '0' }); // TTC
    expect(ws.shop.store.list('groups')).to.have.length(6);

    const martin = customer('contact@boulangerie-martin.fr')!;
    expect(martin).to.include({ firstname: 'Paul', lastname: 'Martin', company: 'Boulangerie Martin', siret: '41234567800011', active: '1', newsletter: '0', id_default_group: String(revendeurs.id) });
    expect(String(martin.passwd)).to.match(/^\$2y\$10\$/);
    expect(String(martin.secure_key)).to.match(/^[0-9a-f]{32}$/);
    expect(groupsOf(martin)).to.deep.equal([String(revendeurs.id)]);
    const addrs = addressesOf(martin);
    expect(addrs.map((a) => a.alias).sort()).to.deep.equal(['Boutique Part-Dieu', 'Facturation', 'Laboratoire']);
    expect(addrs.find((a) => a.alias === 'Facturation')).to.include({ address1: '12 rue du Four', postcode: '69003', city: 'Lyon', id_country: '8', company: 'Boulangerie Martin', vat_number: 'FR41412345678', phone: '04 78 12 34 56', firstname: 'Paul', lastname: 'Martin' });
    expect(addrs.find((a) => a.alias === 'Laboratoire'), 'the place\'s own contact').to.include({ firstname: 'Luc', lastname: 'Bernard', city: 'Villeurbanne' });

    const swiss = customer('einkauf@uhrenhaus.ch')!;
    expect(swiss.id_default_group).to.equal(String(grossistes.id));
    expect(addressesOf(swiss).map((a) => a.id_country)).to.deep.equal(['19', '19']); // CH: no French tax rule applies
    expect(addressesOf(customer('comptoir@flandres.fr')!).map((a) => `${a.alias}:${a.id_country}`).sort()).to.deep.equal(['Dépôt Bruxelles:3', 'Dépôt Lille:8', 'Dépôt Lille:8', 'Facturation:8']);
    expect(customer('marie.durand@example.fr')).to.include({ firstname: 'Marie', lastname: 'Durand', company: '', id_default_group: String(public_.id) });
    expect(customer('ancien@example.fr')).to.include({ active: '0' }); // mis en sommeil
    expect(customer('atelier2@example.fr')).to.include({ firstname: "L'Atelier", lastname: 'Lyon' });
    expect(customer('dupuis@example.fr')).to.include({ firstname: 'J.', lastname: 'Dupuis' });
    expect(report.warnings.join('\n')).to.include('CLI018 : nom nettoyé');
    expect(ws.shop.mails, 'no mail').to.have.length(0);
  });

  it('the same data again makes no write; one changed delivery place makes exactly one write', async () => {
    await start();
    await run('clients.txt');
    const writes = ws.shop.writeCount();
    const again = await run('clients-bis.txt', edited((c) => { c[0]!.stat1 = 'Web2'; })); // other bytes, same shop data
    expect(section(again)?.records).to.deep.equal({ read: 23, created: 0, updated: 0, unchanged: 20, rejected: 1 });
    expect(ws.shop.writeCount(), 'zero writes').to.equal(writes);

    const seen = ws.shop.requests.length;
    const changed = await run('clients-adresse.txt', edited((c) => { c[0]!.deliveries![1]!.address = '10 impasse des Mitrons'; }));
    expect(section(changed)?.records).to.deep.equal({ read: 23, created: 0, updated: 1, unchanged: 19, rejected: 1 });
    expect(ws.shop.writeCount()).to.equal(writes + 1);
    const lab = ws.shop.store.list('addresses').find((a) => a.alias === 'Laboratoire')!;
    const calls = ws.shop.requests.slice(seen).filter((r) => r.path !== '/api/' && r.path !== '/api/languages').map((r) => `${r.method} ${r.path}`);
    expect(calls.filter((c) => !c.startsWith('GET'))).to.deep.equal([`PATCH /api/addresses/${String(lab.id)}`]);
    expect(lab).to.include({ address1: '10 impasse des Mitrons' });
  });

  it('adopts the shop customer with the same e-mail (any case): not duplicated, its password and secure key kept', async () => {
    await start();
    const engine = await ws.engine({ pipelines: PIPELINES, documents: [formatSage] });
    await engine.ensureConnected();
    const existing = await engine.shop.create('customers', { firstname: 'Ancien', lastname: 'Compte', email: 'Contact@Boulangerie-Martin.fr', passwd: 'secret123', id_default_group: '3', active: '1' });
    const before = ws.shop.store.get('customers', Number(existing.id))!;
    const billing = await engine.shop.create('addresses', { id_customer: String(existing.id), alias: 'Facturation', firstname: 'Ancien', lastname: 'Compte', address1: 'ancienne adresse', city: 'Lyon', postcode: '69003', id_country: '8' });
    const report = await run('clients.txt');
    expect(section(report)?.records).to.include({ created: 19, updated: 1 });
    const all = ws.shop.store.list('customers').filter((c) => String(c.email).toLowerCase() === 'contact@boulangerie-martin.fr');
    expect(all.map((c) => c.id)).to.deep.equal([String(existing.id)]);
    expect(all[0]).to.include({ firstname: 'Paul', lastname: 'Martin', passwd: before.passwd, secure_key: before.secure_key });
    expect(addressesOf(all[0] as Row).map((a) => a.alias).sort(), 'its « Facturation » adopted, not doubled').to.deep.equal(['Boutique Part-Dieu', 'Facturation', 'Laboratoire']);
    expect(addressesOf(all[0] as Row).find((a) => a.alias === 'Facturation')).to.include({ id: String(billing.id), address1: '12 rue du Four' });
  });

  it('a delivery place removed from the ERP is deleted, unless an order uses it; the identity map gives the ERP code back', async () => {
    await start();
    await run('clients.txt');
    const hotel = customer('achats@hotel-alpes.fr')!;
    const cuisine = addressesOf(hotel).find((a) => a.alias === 'Cuisine')!;
    const orderId = ws.shop.store.placeOrder({ customer: { email: 'achats@hotel-alpes.fr', firstname: 'Claire', lastname: 'Favre' }, invoiceAddress: { address1: '1 route du Col', postcode: '74400', city: 'Chamonix' }, lines: [{ reference: 'X', name: 'X', quantity: 1, unitPriceTaxExcl: 10, taxRate: 20 }] });
    const engine = await ws.engine({ pipelines: PIPELINES, documents: [formatSage] });
    await engine.ensureConnected();
    await engine.shop.update('orders', orderId, { id_address_delivery: String(cuisine.id) }); // the order ships to « Cuisine »
    expect(ws.shop.store.get('orders', orderId)).to.include({ id_address_delivery: String(cuisine.id) });
    expect(engine.state.keysOfShopObject('customer', String(hotel.id))).to.deep.equal(['CLI004']);
    const report = await run('clients-moins.txt', edited((c) => { c[3]!.deliveries = []; }));
    expect(section(report)?.records).to.include({ updated: 1 });
    const left = ws.shop.store.list('addresses').filter((a) => String(a.id_customer) === String(hotel.id));
    expect(left.map((a) => `${String(a.alias)}:${String(a.deleted)}`).sort(), 'Réception deleted, Cuisine kept as is').to.include.members(['Cuisine:0', 'Facturation:0']).and.not.include.members(['Réception:0', 'Réception:1']);
    expect(report.warnings.join('\n')).to.include(`la commande ${orderId} l'utilise : laissée dans la boutique`);
  });

  it('config: the public price category is the shop\'s « Client » group, the export accounting category an extra HT group, a filter on a statistic field', async () => {
    await start({ config: { customers: { groupIds: { 1: 3 }, accountingGroups: { 3: 'Export HT' }, filter: { field: 'statistique1', values: ['web'] } } } });
    const report = await run('clients-filtre.txt', edited((c) => { c[1]!.stat1 = 'Interne'; }));
    expect(section(report)?.records).to.include({ created: 19 });
    expect(report.warnings.join('\n')).to.include('1 client(s) hors filtre web, non publié(s) : CLI002');
    expect(groupNamed('Tarif public'), 'category 1 is group 3').to.equal(undefined);
    expect(customer('marie.durand@example.fr')).to.include({ id_default_group: '3' });
    const exportGroup = groupNamed('Export HT')!;
    expect(exportGroup).to.include({ price_display_method: '1' });
    const swiss = customer('einkauf@uhrenhaus.ch')!;
    expect(groupsOf(swiss)).to.deep.equal([String(groupNamed('Grossistes')!.id), String(exportGroup.id)].sort());
    expect(groupsOf(customer('bestellung@feinkost-berlin.de')!), 'category 2 not mapped: its price group only').to.deep.equal([String(groupNamed('Grossistes')!.id)]);
  });

  it('PrestaShop 1.7 (no PATCH): a changed name is a GET-merge-PUT that keeps passwd and secure_key', async () => {
    await start({ version: '1.7.8.10' });
    await run('clients.txt');
    const before = customer('lemoine@traiteur.fr')!;
    const report = await run('clients-nom.txt', edited((c) => { c[5]!.contact = 'Sophie Lemoine-Roy'; }));
    expect(section(report)?.records).to.include({ updated: 1 });
    const after = customer('lemoine@traiteur.fr')!;
    expect(after).to.include({ lastname: 'Lemoine-Roy', passwd: before.passwd, secure_key: before.secure_key });
    expect(ws.shop.requests.some((r) => r.method === 'PUT' && r.path === `/api/customers/${String(before.id)}`)).to.equal(true);
  });
  it('a dry run writes nothing; a customer deleted in the back office is created anew with its addresses', async () => {
    await start();
    await fs.copyFile(FIXTURE, path.join(ws.drop, 'clients.txt'));
    await (await ws.engine({ pipelines: PIPELINES, documents: [formatSage], dryRun: true })).runOnce();
    expect(ws.shop.writeCount(), 'dry run').to.equal(0);
    await fs.rm(path.join(ws.drop, 'clients.txt'), { force: true });
    await run('clients-2.txt');
    const cafe = customer('cafe.place@example.fr')!;
    const engine = await ws.engine({ pipelines: PIPELINES, documents: [formatSage] });
    await engine.ensureConnected();
    await engine.shop.delete('customers', cafe.id as string); // no order: its addresses go too
    expect(ws.shop.store.list('addresses').filter((a) => String(a.id_customer) === String(cafe.id))).to.have.length(0);
    const report = await run('clients-3.txt', edited((c) => { c[4]!.phone = '05 56 00 00 00'; }));
    expect(section(report)?.records).to.include({ created: 1, updated: 0 });
    const again = customer('cafe.place@example.fr')!;
    expect(again.id).to.not.equal(cafe.id);
    expect(addressesOf(again).map((a) => `${String(a.alias)}:${String(a.phone)}`)).to.deep.equal(['Facturation:05 56 00 00 00']);
  });
});
