// What the client needs to know about a resource, read from the vendored resources.json
// (PrestaShop 8.1.2 class definitions; see /work/shared/reference/README.md).
import { readFileSync } from 'node:fs';
import { singular } from './xml.ts';

interface ResourceJson {
  objectNodeName?: string;
  readOnly?: string[];
  associations?: Record<string, { resource?: string }> | unknown[];
  fields?: Record<string, { lang?: boolean }>;
}

export interface ResourceInfo {
  /** Element of one object: products → product. */
  nodeName: string;
  /** Nodes to strip before a PUT of a GET body (they give 400/93 or a PHP 500). */
  readOnly: ReadonlySet<string>;
  /** Element of one association item: categories → category. */
  associationItem(association: string): string;
  /** Multi-language fields (a PATCH must carry every language of them). */
  langFields: ReadonlySet<string>;
}

// Not in resources.json's readOnly lists but refused or harmful on PUT, seen live (INDEX.md "What POST/PUT/PATCH
// echo back"; transcripts 026-029, 018/019): position_in_category gives a PHP 500 when sent back as read.
const EXTRA_READ_ONLY: Record<string, string[]> = {
  products: ['manufacturer_name', 'quantity', 'position_in_category'],
  categories: ['level_depth', 'nb_products_recursive'],
};

let cache: Record<string, ResourceJson> | undefined;

function resources(): Record<string, ResourceJson> {
  if (!cache) {
    const raw = readFileSync(new URL('./reference/resources.json', import.meta.url), 'utf8');
    cache = (JSON.parse(raw) as { resources: Record<string, ResourceJson> }).resources;
  }
  return cache;
}

/** Resource metadata; unknown resources (module resources) get conventional names and no read-only list. */
export function resourceInfo(resource: string): ResourceInfo {
  const def = Object.hasOwn(resources(), resource) ? resources()[resource] : undefined;
  const assocs = def?.associations && !Array.isArray(def.associations) ? def.associations : {};
  const langFields = new Set(
    Object.entries(def?.fields ?? {})
      .filter(([, f]) => f.lang === true)
      .map(([name]) => name),
  );
  return {
    nodeName: def?.objectNodeName ?? singular(resource),
    readOnly: new Set([...(def?.readOnly ?? []), ...(EXTRA_READ_ONLY[resource] ?? [])]),
    associationItem: (association) => assocs[association]?.resource ?? singular(association),
    langFields,
  };
}
