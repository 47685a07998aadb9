// Shop groups of the customers flow (issue 9). Identity entity `group` (contract with the prices flow):
// `tarif:<n>` for Sage price category n (no leading zeros), `famille:<CODE>` for an EBP customer family,
// `tarif:<CODE>` for a Divalto tariff code; `compta:<n>` for a Sage accounting category mapped in
// customers.accountingGroups. A group is found in the identity map, else a configured id
// (customers.groupIds), else adopted by its name (one shop group of that name in any language), else
// created; a renamed ERP label (or customers.groupNames) renames it. `price_display_method` is set at
// creation only: tax excluded (1) for a category whose ERP prices are HT and for an accounting group.
import { ConfigError, RecordRejected } from '../../src/errors.ts';
import type { FileContext } from '../../src/pipeline.ts';
import { looseKey } from '../../src/runner/find-by-field.ts';
import type { PsRecord } from '../../src/prestashop/xml.ts';

export const GROUP_ENTITY = 'group';

export { groupKeyOfAccountingCategory, groupKeyOfCustomerFamily, groupKeyOfPriceCategory } from '../../transforms/customers/keys.ts';

export interface WantedGroup {
  key: string;
  name: string;
  taxExcluded: boolean;
  /** A configured shop group: used as is, never renamed. */
  fixedId?: number;
}

/** Group names hold 32 characters and no < > = { } (isGenericName). */
export function groupName(label: string): string {
  return label.normalize('NFC').replace(/[<>={}]/gu, ' ').replace(/\s+/gu, ' ').trim().slice(0, 32).trim();
}

interface FileGroups { shop: Promise<PsRecord[]> | undefined; ids: Map<string, Promise<string>> }
const perFile = new WeakMap<object, FileGroups>();

/** The shop id of a group, created or renamed at most once per file whatever the number of customers. */
export function groupIdOf(ctx: FileContext, want: WantedGroup): Promise<string> {
  let f = perFile.get(ctx.file);
  if (!f) {
    f = { shop: undefined, ids: new Map() };
    perFile.set(ctx.file, f);
  }
  let id = f.ids.get(want.key);
  if (!id) {
    id = resolve(ctx, f, want);
    f.ids.set(want.key, id);
  }
  return id;
}

function shopGroups(ctx: FileContext, f: FileGroups): Promise<PsRecord[]> {
  f.shop ??= (async () => {
    const out: PsRecord[] = [];
    for await (const g of ctx.shop.listAll('groups', { display: ['id', 'name'] })) out.push(g);
    return out;
  })();
  return f.shop;
}

const namesOf = (g: PsRecord): string[] => {
  const n = g.name;
  return n !== null && typeof n === 'object' ? Object.values(n as Record<string, string>).map(String) : [String(n ?? '')];
};

async function resolve(ctx: FileContext, f: FileGroups, want: WantedGroup): Promise<string> {
  const remember = (id: string) => {
    if (!ctx.dryRun) ctx.state.remember(GROUP_ENTITY, want.key, id, { name: want.name });
    return id;
  };
  const groups = await shopGroups(ctx, f);
  if (want.fixedId !== undefined) {
    const id = String(want.fixedId);
    if (!groups.some((g) => String(g.id) === id)) throw new ConfigError([`customers.groupIds : le groupe ${id} (${want.key}) n'existe pas dans la boutique`]);
    return remember(id);
  }
  const known = ctx.state.lookup(GROUP_ENTITY, want.key);
  const knownGroup = known ? groups.find((g) => String(g.id) === known.shopId) : undefined;
  if (known && knownGroup) {
    if (known.data.name !== want.name && !namesOf(knownGroup).every((n) => n === want.name)) {
      await ctx.shop.update('groups', known.shopId, { name: ctx.shop.lang(want.name) });
      ctx.warn(`groupe ${known.shopId} renommé « ${want.name} » (${want.key})`);
    }
    return remember(known.shopId);
  }
  // never the shop's own Visitor / Guest groups, whatever their name
  const named = groups.filter((g) => Number(g.id) > 2 && namesOf(g).some((n) => looseKey(n) === looseKey(want.name)));
  if (named.length > 1) throw new RecordRejected(`groupe « ${want.name} » (${want.key}) : ${named.length} groupes de ce nom dans la boutique (id ${named.map((g) => String(g.id)).join(', ')}) ; renommez l'un d'eux ou indiquez l'id dans customers.groupIds`);
  if (named.length === 1) return remember(String(named[0]!.id));
  const created = await ctx.shop.create('groups', {
    name: ctx.shop.lang(want.name), price_display_method: want.taxExcluded ? '1' : '0', reduction: '0', show_prices: '1',
  });
  groups.push({ id: String(created.id), name: want.name });
  return remember(String(created.id));
}
