// Customers — nightly master data (issue 9). ERP customer accounts → the shop's customers, their addresses
// and groups.
//   source:    a Sage « Format Sage » export (#CCLI with its #CCDL and #MCTT; #CPAI, #CCCL, #CCOM tables),
//              wherever dropped; EBP: its `Customers` export (config/profiles/ebp.yaml customers); a
//              profile without a customers layout refuses the file, not the run
//   transform: record → CustomerLine (transforms/sage/customers.ts): names split and cleaned to PrestaShop's
//              rules (or the line rejected), e-mail (#CCLI 57, else a contact's), active (not « mis en
//              sommeil », not blocked), SIRET, VAT number, billing + delivery addresses with ISO countries
//   combine:   accounts without e-mail, prospects and those outside customers.filter are counted « non
//              publié », not rejected; two accounts with one e-mail are both rejected
//   identity:  ERP code → customer (entity `customer`, key normalizeKey(code).toUpperCase()); else the shop
//              customer with the same e-mail (not a guest) is adopted, never duplicated
//   load:      groups first (pipelines/steps/customer-groups.ts: price category → default group, accounting
//              category → extra group, membership exact), then the customer: new → POST with a random
//              password it never sees, newsletter off, no welcome mail (the webservice sends none); known →
//              one PATCH (GET-merge-PUT on 1.7, secure_key and passwd sent back as read) of the owned fields
//              that differ. Then its addresses (pipelines/steps/customer-addresses.ts).
//   resources: customers, addresses, groups (read, write), countries, orders (read: is an address used)
import { FileFatalError, ShopObjectGone } from '../src/errors.ts';
import type { CustomersFlowProfile } from '../src/erp/profile.ts';
import { readFlowBatches } from '../src/erp/read-flow.ts';
import type { Row } from '../src/parse/row.ts';
import { ebpRowToCustomer } from '../transforms/ebp/customers.ts';
import { randomBytes } from 'node:crypto';
import type { FileContext, FilePipeline, Found, IdentityResolver, Keyed, LoadResult, LoadStep, Transformed } from '../src/pipeline.ts';
import { ShopRejected } from '../src/prestashop/errors.ts';
import { filterEq } from '../src/prestashop/query.ts';
import { findByField, isFilterable, pickOne } from '../src/runner/find-by-field.ts';
import type { DocumentRecord } from '../src/runner/process-document.ts';
import type { CustomerLine, NotPublished } from '../transforms/customers/types.ts';
import { changedCustomerFields, customerChange, customerFieldsOf, newCustomer, sortedGroups, type CustomerFields } from '../transforms/prestashop/customer.ts';
import { sageClientToCustomer } from '../transforms/sage/customers.ts';
import type { SageClientRow } from '../transforms/sage/rows.ts';
import { checkCountries, syncAddresses } from './steps/customer-addresses.ts';
import { groupIdOf, groupKeyOfAccountingCategory, groupName } from './steps/customer-groups.ts';

/** A shop customer; `fields` as the connector last wrote them, `addresses` the address keys it owns. */
export interface CustomerTarget { id: string; fields?: CustomerFields; addresses?: string[] }

export const CUSTOMER_ENTITY = 'customer';
const NO_TABLES = new Map<string, ReadonlyMap<string, unknown>>();
/** PS_CUSTOMER_GROUP: an account without a price category stays in « Client ». */
const CUSTOMER_GROUP = '3';

export const customers: FilePipeline<Row, CustomerLine, CustomerLine, CustomerTarget> = {
  kind: 'file',
  name: 'customers',
  title: 'Clients',
  schedule: 'masterData',
  resources: ['customers', 'addresses', 'groups', 'countries', 'orders'],
  writes: ['customers', 'addresses', 'groups'],
  dependsOn: [],

  async *parse(file, ctx) {
    for await (const batch of readFlowBatches(file, customersFileFlow(ctx), ctx)) yield batch;
  },
  transform(row, ctx): Transformed<CustomerLine> {
    const c = ctx.config.customers;
    return ebpRowToCustomer(row, customersFileFlow(ctx), { defaultCountry: c.defaultCountry, ...(c.filter ? { filter: c.filter } : {}) });
  },
  documents: {
    'format-sage': (item: DocumentRecord, ctx: FileContext) => {
      if (item.kind !== 'client') return { line: item.line, reject: `enregistrement ${item.kind} : pas un client` };
      const c = ctx.config.customers;
      return sageClientToCustomer(item.row as SageClientRow, ctx.document?.tables ?? NO_TABLES, { defaultCountry: c.defaultCountry, ...(c.filter ? { filter: c.filter } : {}) });
    },
  },

  async *combine(batches, ctx) {
    const skipped = new Map<NotPublished, string[]>();
    const emails = emailsOf(ctx);
    const keysOfEmail = new Map<string, string[]>();
    const held: Array<Keyed<CustomerLine>> = [];
    for await (const batch of batches) {
      for (const rec of batch) {
        const r = rec.record;
        if (r.skip || r.email === null) {
          const why = r.skip ?? 'sans e-mail';
          skipped.set(why, [...(skipped.get(why) ?? []), r.code]);
          continue;
        }
        for (const remark of r.remarks) ctx.warn(remark);
        keysOfEmail.set(r.email, [...(keysOfEmail.get(r.email) ?? []), rec.key]);
        emails.set(rec.key, r.email);
        held.push(rec);
      }
    }
    // held whole: an e-mail shared by two accounts is only known at the end of the file
    for (const rec of held) {
      const email = rec.record.email!;
      const others = keysOfEmail.get(email)!.filter((k) => k !== rec.key);
      if (others.length === 0) yield rec;
      else yield { line: rec.line, key: rec.key, reject: `client ${rec.key} : e-mail ${email} aussi porté par le client ${others.join(', ')} du même fichier ; un e-mail ne désigne qu'un client de la boutique, aucun des deux n'est publié` };
    }
    for (const [why, codes] of skipped) ctx.warn(`${codes.length} client(s) ${why}, non publié(s) : ${codes.slice(0, 20).join(', ')}${codes.length > 20 ? '…' : ''}`);
  },

  entity: CUSTOMER_ENTITY,
  desired: ({ record }, ctx) => {
    const c = ctx.config.customers;
    const { remarks: _remarks, ...rest } = record;
    return {
      ...rest,
      groupName: configured(c.groupNames, record.priceCategory) ?? null,
      groupId: configured(c.groupIds, record.priceCategory) ?? null,
      accountingGroup: configured(c.accountingGroups, record.accountingCategory) ?? null,
    };
  },
  identity: {
    find: findCustomers,
    remembered: (id, data) => ({
      id,
      ...(data.fields ? { fields: data.fields as CustomerFields } : {}),
      ...(Array.isArray(data.addresses) ? { addresses: data.addresses as string[] } : {}),
    }),
  } satisfies IdentityResolver<CustomerTarget>,

  load: (rec, ctx, step) => writeCustomer(rec, ctx, step),
};

/** The profile's customer export; a profile without one refuses the file, not the run. */
function customersFileFlow(ctx: FileContext): CustomersFlowProfile {
  const flow = ctx.profile.flows.customers;
  if (flow !== undefined) return flow;
  const sage = ctx.profile.name === 'sage100';
  throw new FileFatalError(`le profil ${ctx.profile.name} ne décrit pas de fichier de clients à part : ${sage ? 'Sage 100 les exporte dans son fichier « Format Sage » (#FLG), reconnu où qu\'il soit déposé' : 'ajoutez erp.flows.customers à la configuration'}`);
}

/** A config map by an ERP code, compared case-insensitively (« export » is the code EXPORT). */
function configured<T>(map: Readonly<Record<string, T>>, key: string | null): T | undefined {
  if (key === null) return undefined;
  if (map[key] !== undefined) return map[key];
  const k = Object.keys(map).find((m) => m.trim().toUpperCase() === key.toUpperCase());
  return k === undefined ? undefined : map[k];
}

/** This file's e-mail of each key (find() is given keys only). */
const emailsPerFile = new WeakMap<object, Map<string, string>>();
function emailsOf(ctx: FileContext): Map<string, string> {
  let m = emailsPerFile.get(ctx.file);
  if (!m) {
    m = new Map();
    emailsPerFile.set(ctx.file, m);
  }
  return m;
}

/** The shop customer with the account's e-mail (guests aside: PrestaShop lets a guest share it). */
async function findCustomers(keys: string[], ctx: FileContext): Promise<Map<string, Found<CustomerTarget>>> {
  const out = new Map<string, Found<CustomerTarget>>();
  const emailOf = emailsOf(ctx);
  const wanted = keys.map((k) => emailOf.get(k)).filter((e): e is string => e !== undefined && isFilterable(e));
  const found = await findByField(ctx.shop, 'customers', 'email', wanted, ['email', 'is_guest']);
  for (const k of keys) {
    const email = emailOf.get(k);
    if (email === undefined) continue;
    const p = pickOne(email, 'email', (found.get(email) ?? []).filter((c) => String(c.is_guest ?? '0') !== '1'), 'clients');
    if (p === undefined) continue;
    if ('reject' in p) out.set(k, { reject: `client ${k} : ${p.reject}` });
    else out.set(k, { target: { id: String(p.record.id) }, shopId: String(p.record.id) });
  }
  return out;
}

async function wantedFields(r: CustomerLine, ctx: FileContext): Promise<CustomerFields> {
  const c = ctx.config.customers;
  let defaultGroup = CUSTOMER_GROUP;
  if (r.priceCategory !== null && r.groupKey !== null) {
    const fixed = configured(c.groupIds, r.priceCategory);
    defaultGroup = await groupIdOf(ctx, {
      key: r.groupKey,
      name: groupName(configured(c.groupNames, r.priceCategory) ?? r.priceCategoryLabel ?? `Catégorie tarifaire ${r.priceCategory}`),
      taxExcluded: r.priceCategoryTaxExcluded,
      ...(fixed !== undefined ? { fixedId: fixed } : {}),
    });
  }
  const groups = [defaultGroup];
  const accounting = configured(c.accountingGroups, r.accountingCategory);
  if (accounting !== undefined) groups.push(await groupIdOf(ctx, { key: groupKeyOfAccountingCategory(r.accountingCategory!), name: groupName(accounting), taxExcluded: true }));
  return {
    firstname: r.firstname, lastname: r.lastname, email: r.email!, company: r.company, siret: r.siret, active: r.active ? '1' : '0',
    id_default_group: defaultGroup, groups: sortedGroups(groups),
  };
}

async function writeCustomer({ record }: Keyed<CustomerLine>, ctx: FileContext, step: LoadStep<CustomerTarget>): Promise<LoadResult> {
  const want = await wantedFields(record, ctx);
  await checkCountries(ctx, record.code, record.addresses);
  const target = step.target;
  if (!target) {
    const passwd = randomBytes(24).toString('base64url');
    const created = await ctx.shop.create('customers', newCustomer(want, passwd, ctx.config.customers.newsletter), { lookup: { filter: { email: filterEq(record.email!) } } });
    const id = String(created.id);
    const addresses = await syncAddresses(ctx, record.code, id, record.addresses, [], false);
    return { outcome: 'created', identity: { shopId: id, data: { fields: want, addresses: addresses.keys } } };
  }
  // The shop itself on first sight (adopted) and after a crash; else what the connector last wrote.
  const fromShop = step.fresh || step.afterCrash || !target.fields;
  const current = fromShop ? customerFieldsOf(await readCustomer(ctx, target.id)) : target.fields!;
  const changes = changedCustomerFields(want, current);
  if (Object.keys(changes).length > 0) {
    try {
      await ctx.shop.update('customers', target.id, customerChange(changes));
    } catch (err) {
      if (err instanceof ShopRejected && err.status === 404) throw new ShopObjectGone('customers', target.id);
      throw err;
    }
  }
  const addresses = await syncAddresses(ctx, record.code, target.id, record.addresses, target.addresses ?? [], fromShop);
  const outcome = Object.keys(changes).length > 0 || addresses.writes > 0 ? 'updated' : 'unchanged';
  return { outcome, identity: { shopId: target.id, data: { fields: want, addresses: addresses.keys } } };
}

async function readCustomer(ctx: FileContext, id: string) {
  const c = await ctx.shop.get('customers', id);
  if (!c) throw new ShopObjectGone('customers', id);
  return c;
}
