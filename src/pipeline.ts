// The pipeline contract. A pipeline says what it does (source → parse → transform → load, its schedule,
// the shop resources it touches); the runner owns claims, retries, checkpoints, locking and the report.
import type { Config } from './config/schema.ts';
import type { ErpProfile } from './erp/profile.ts';
import type { Logger } from './log.ts';
import type { ShopClient } from './prestashop/client.ts';
import type { StateStore } from './state/store.ts';
import type { DocumentContext } from './document.ts';

export type ScheduleName = 'masterData' | 'hourly';

/** One record as the pipeline will load it, keyed by its ERP key, with the file line it came from. */
export interface Keyed<R> { line: number; key: string; record: R }
/** A record that cannot be applied: reported with its line, key and reason (in French). */
export interface Rejected { line: number; key?: string; reject: string }
export type Transformed<R> = Keyed<R> | Rejected;

export function isRejected<R>(t: Transformed<R>): t is Rejected {
  return (t as Rejected).reject !== undefined;
}

export type LoadOutcome = 'created' | 'updated' | 'unchanged';

export interface RunContext {
  config: Config;
  profile: ErpProfile;
  shop: ShopClient;
  state: StateStore;
  log: Logger;
  dryRun: boolean;
  /** A remark for the report that is not a reject (e.g. "3 lignes d'entrepôts non suivis ignorées"). */
  warn(message: string): void;
}

export interface FileContext extends RunContext {
  /** `folder`: the drop/<folder>/ it was dropped in (absent: drop/ itself); the products flow looks for
   *  the articles' images beside it. */
  file: { name: string; path: string; sha256: string; folder?: string };
  /** Set when the file is a multi-flow document (a Sage « Format Sage » export): its format and the
   *  reference tables it and the earlier documents of that format carried (tax codes, price categories…). */
  document?: DocumentContext;
}

/** What parse() and combine() may yield: one item, or an array of them. Arrays are much faster — an async
 *  step costs about a microsecond, more than the work on a row — so readers yield their rows in batches. */
export type Many<T> = T | readonly T[];

/**
 * How a pipeline finds the shop object of an ERP key (issue #8: one mechanism for every flow). The engine
 * asks the identity map first, then `find` for the keys it does not know, at most 50 keys per call and one
 * window ahead of the loads, so a first run costs ⌈n / 50⌉ look-ups per resource. It remembers what is found,
 * rejects two ERP keys that resolve to one shop object (naming each other), and after `ShopObjectGone` from a
 * load (the object was deleted in the back office) forgets the key and finds it again, once.
 */
export interface IdentityResolver<Target> {
  /** Shop objects for keys the identity map does not know. A key left out of the answer has no shop
   *  object yet: the load creates it (or rejects the record). */
  find(keys: string[], ctx: FileContext): Promise<Map<string, Found<Target>>>;
  /** The target rebuilt from what the identity map remembered (`shopId`, `data`). */
  remembered(shopId: string, data: Record<string, unknown>): Target;
}

export type Found<Target> =
  | { target: Target; shopId: string; data?: Record<string, unknown> }
  | { reject: string };

/** What the engine hands a load besides the record. */
export interface LoadStep<Target> {
  /** The shop object (from the identity map, or just found); undefined when there is none yet. */
  target?: Target;
  /** True when this target was just looked up in the shop (its fields are fresh), false from the identity map. */
  fresh: boolean;
  /** An earlier write of this same desired state may have happened (kill -9 after the write, before its
   *  fingerprint was committed): re-read the shop and write only if it differs. */
  afterCrash: boolean;
}

export interface LoadResult {
  outcome: LoadOutcome;
  /** A shop object the load created: remembered under the record's key, before the fingerprint. */
  identity?: { shopId: string; data?: Record<string, unknown> };
}

/** A flow that starts from an ERP file dropped in drop/<name>/ or routed there by the ERP profile. */
export interface FilePipeline<Row = unknown, Line = unknown, Rec = Line, Target = unknown> {
  kind: 'file';
  name: string;
  /** French title for reports and the CLI. */
  title: string;
  schedule: ScheduleName;
  /** Shop resources read: documentation, and what `prestasync check` asks the key for (GET). */
  resources: readonly string[];
  /** Shop resources written (PATCH on PrestaShop ≥ 8, PUT on 1.7). */
  writes: readonly string[];
  /** Pipelines whose records must be loaded before this one when one file feeds several. */
  dependsOn: readonly string[];
  parse(path: string, ctx: FileContext): AsyncIterable<Many<Row>>;
  /** Pure: one parsed row → one canonical record or a rejection. */
  transform(row: Row, ctx: FileContext): Transformed<Line>;
  /** Optional stage that needs every line first (e.g. summing a reference's warehouses); gets the lines in
   *  batches, yields records one by one or in arrays. */
  combine?(lines: AsyncIterable<ReadonlyArray<Keyed<Line>>>, ctx: FileContext): AsyncIterable<Many<Transformed<Rec>>>;
  /** Namespace of this flow's fingerprints and identities (`stock`, `products`…). With `desired`, the engine
   *  decides "unchanged" itself — no call, no load — and loads only what changed, once, crash-safe. */
  entity?: string;
  /** The state the shop must hold for this record: the same value as last written = nothing to do. */
  desired?(record: Keyed<Rec>, ctx: FileContext): unknown;
  /** Optional: `JSON.stringify(desired(record))` built directly (a state that is one number needs no object
   *  and no JSON.stringify per record, issue #6). Must give exactly that string: it is the stored fingerprint. */
  desiredJson?(record: Keyed<Rec>, ctx: FileContext): string;
  /** combine() yields each key at most once (it groups the lines by key and rejects what contradicts
   *  itself): the record loop keeps no per-key map of its own to find repeated keys. */
  combineYieldsKeysOnce?: boolean;
  identity?: IdentityResolver<Target>;
  /** Records of multi-flow documents (`src/document.ts`) this pipeline takes, by document format: the
   *  transform of one document row; parse is the document's, combine / desired / identity / load are the
   *  pipeline's own. */
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- each format has its own row type
  documents?: Readonly<Record<string, (row: any, ctx: FileContext) => Transformed<Line>>>;
  /** Applies one record to the shop. With `desired`, it is called only for records that changed. */
  load(record: Keyed<Rec>, ctx: FileContext, step: LoadStep<Target>): Promise<LoadOutcome | LoadResult>;
}

/** A flow that starts from the shop (orders → ERP files), run on its schedule or on demand. */
export interface ShopPipeline {
  kind: 'shop';
  name: string;
  title: string;
  schedule: ScheduleName;
  resources: readonly string[];
  writes: readonly string[];
  dependsOn: readonly string[];
  /** Why this flow does not apply to an installation (e.g. an ERP profile that cannot take orders), or
   *  undefined when it does: schedules skip it; running it by hand gives the reason as a config error. */
  notApplicable?(config: Config): string | undefined;
  run(ctx: RunContext): Promise<ShopRunReport>;
}

export interface ShopRunReport {
  status: 'done' | 'partial' | 'failed';
  counts: Record<string, number>;
  items: Array<{ key: string; outcome: string; reason?: string; file?: string }>;
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- a registry holds pipelines of any row type
export type AnyFilePipeline = FilePipeline<any, any, any, any>;
export type Pipeline = AnyFilePipeline | ShopPipeline;
