// The pipeline contract. A pipeline says what it does (source → parse → transform → load, its schedule,
// the shop resources it touches); the runner owns claims, retries, checkpoints, locking and the report.
import type { Config } from './config/schema.ts';
import type { ErpProfile } from './erp/profile.ts';
import type { Logger } from './log.ts';
import type { ShopClient } from './prestashop/client.ts';
import type { StateStore } from './state/store.ts';

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
  file: { name: string; path: string; sha256: string };
}

/** A flow that starts from an ERP file dropped in drop/<name>/ or routed there by the ERP profile. */
export interface FilePipeline<Row = unknown, Line = unknown, Rec = Line> {
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
  parse(path: string, ctx: FileContext): AsyncIterable<Row>;
  /** Pure: one parsed row → one canonical record or a rejection. */
  transform(row: Row, ctx: FileContext): Transformed<Line>;
  /** Optional stage that needs every line first (e.g. summing a reference's warehouses). */
  combine?(lines: AsyncIterable<Keyed<Line>>, ctx: FileContext): AsyncIterable<Transformed<Rec>>;
  /** Applies one record to the shop; idempotent: a replay returns 'unchanged' and writes nothing. */
  load(record: Keyed<Rec>, ctx: FileContext): Promise<LoadOutcome>;
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
export type AnyFilePipeline = FilePipeline<any, any, any>;
export type Pipeline = AnyFilePipeline | ShopPipeline;
