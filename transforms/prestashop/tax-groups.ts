// A VAT rate → the shop's tax rule group, pure (WEBSERVICE.md §6.2: group ids depend on the install, so
// map by rate through tax_rules of the country → taxes). A default install has, besides one group per
// French rate, « EU VAT For Virtual Products », whose French rule is 20 % too but whose other countries
// have their own rates: a group of one rate wins over a group of several. Any tie left is a reject that
// says which config key settles it, never a guess.
import type { PsRecord } from '../../src/prestashop/xml.ts';

export interface TaxTables {
  groups: PsRecord[];
  rules: PsRecord[];
  taxes: PsRecord[];
  /** The shop's id of `catalog.taxCountry`. */
  countryId: string;
}

/** '20', '5.5', '20.000' → '20.000': rates compared at the shop's 3 decimals. */
export function rateKey(rate: string | number): string {
  return Number(rate).toFixed(3);
}

/** Rate → candidate group ids for the country, the best first. */
export function groupsByRate(t: TaxTables): Map<string, string[][]> {
  const rateOf = new Map<string, string>();
  for (const x of t.taxes) if (String(x.active ?? '1') === '1' && String(x.deleted ?? '0') !== '1') rateOf.set(String(x.id), rateKey(String(x.rate ?? '0')));
  const usable = new Set(t.groups.filter((g) => String(g.active ?? '1') === '1' && String(g.deleted ?? '0') !== '1').map((g) => String(g.id)));
  const ratesOfGroup = new Map<string, Set<string>>();
  const countryRates = new Map<string, Set<string>>();
  for (const r of t.rules) {
    const group = String(r.id_tax_rules_group ?? '');
    const rate = rateOf.get(String(r.id_tax ?? ''));
    if (!usable.has(group) || rate === undefined) continue;
    (ratesOfGroup.get(group) ?? ratesOfGroup.set(group, new Set()).get(group)!).add(rate);
    // The whole country: a rule per state or postcode range is not the country's rate.
    if (String(r.id_country) === t.countryId && String(r.id_state ?? '0') === '0' && ['', '0'].includes(String(r.zipcode_from ?? '0'))) {
      (countryRates.get(group) ?? countryRates.set(group, new Set()).get(group)!).add(rate);
    }
  }
  const byRate = new Map<string, { single: string[]; mixed: string[] }>();
  for (const [group, rates] of countryRates) {
    if (rates.size !== 1) continue;
    const rate = [...rates][0]!;
    const entry = byRate.get(rate) ?? byRate.set(rate, { single: [], mixed: [] }).get(rate)!;
    (ratesOfGroup.get(group)!.size === 1 ? entry.single : entry.mixed).push(group);
  }
  const num = (a: string, b: string) => Number(a) - Number(b);
  return new Map([...byRate].map(([rate, e]) => [rate, [e.single.sort(num), e.mixed.sort(num)].filter((l) => l.length > 0)]));
}

/** The group for a rate: the config's override, else the one best candidate; a French reject otherwise. */
export function pickTaxGroup(rate: string, byRate: ReadonlyMap<string, string[][]>, country: string): { id: string } | { reject: string } {
  const best = byRate.get(rateKey(rate))?.[0] ?? [];
  if (best.length === 1) return { id: best[0]! };
  // only for the reason: Intl formatting costs more than the whole look-up
  const shown = `${Number(rate).toLocaleString('fr-FR', { maximumFractionDigits: 3 })} %`;
  if (best.length === 0) return { reject: `taux de TVA ${shown} inconnu de la boutique : aucun groupe de règles de taxes actif n'applique ce taux en ${country} ; créez-le dans la boutique ou indiquez son id dans catalog.taxRuleGroups` };
  return { reject: `taux de TVA ${shown} : ${best.length} groupes de règles de taxes de la boutique l'appliquent en ${country} (id ${best.join(', ')}) ; indiquez lequel dans catalog.taxRuleGroups` };
}

/** `catalog.taxRuleGroups` keys are '20' or '5.5': the override for a rate, if any. */
export function overrideFor(rate: string, overrides: Readonly<Record<string, number>>): number | undefined {
  const key = rateKey(rate);
  for (const [r, id] of Object.entries(overrides)) if (rateKey(r) === key) return id;
  return undefined;
}
