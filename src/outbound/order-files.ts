// Moves outbox rows forward: pending → written → delivered, and cancellation notices likewise. The bytes
// are regenerated from the stored canonical order (the writers are pure and deterministic), so a step
// redone after a crash writes the same file under the same name.
import path from 'node:path';
import { FileFatalError } from '../errors.ts';
import type { OrdersConfig } from '../erp/orders-config.ts';
import type { RunContext } from '../pipeline.ts';
import type { Outbox, OutboxRow } from '../state/outbox.ts';
import type { ErpKind } from '../../transforms/orders/common.ts';
import type { ErpOrder } from '../../transforms/orders/index.ts';
import { writeOrdersFor } from '../../transforms/orders/write.ts';
import { writeCancellationNotice } from '../../transforms/orders/cancellation.ts';
import { crashPoint } from '../testing/crash-points.ts';
import { writeOutboxFile, type Deliverer } from './deliver.ts';
import { cancellationReason, CANCELLED_AFTER_EXPORT, EXPORTED } from './order-report.ts';

export type Counter = (what: string, key: string, reason?: string, file?: string) => void;

export async function writeAndDeliver(outbox: Outbox, erp: ErpKind, cfg: OrdersConfig, ctx: RunContext, deliverer: Deliverer, count: Counter): Promise<void> {
  const dir = ctx.config.paths.outbox;

  // pending → written
  const byFile = new Map<string, OutboxRow[]>();
  for (const r of outbox.withStatus('pending')) byFile.set(r.file_name!, [...(byFile.get(r.file_name!) ?? []), r]);
  for (const [fileName, rows] of byFile) {
    const orders = rows.map((r) => JSON.parse(r.payload!) as ErpOrder);
    const files = await writeOrdersFor(erp, orders, cfg);
    const file = files.find((f) => f.fileName === fileName);
    if (!file) throw new Error(`internal: the writer no longer names ${fileName} (got ${files.map((f) => f.fileName).join(', ')})`);
    await writeOutboxFile(dir, fileName, file.bytes);
    crashPoint('orders.file-written');
    outbox.markWritten(fileName);
    for (const r of rows) count(EXPORTED, String(r.id_order), undefined, fileName);
    crashPoint('orders.file-marked');
  }

  // written → delivered
  const tried = new Set<string>();
  for (const r of outbox.withStatus('written')) {
    const fileName = r.file_name!;
    if (tried.has(fileName)) continue;
    tried.add(fileName);
    if (await deliverOne(deliverer, path.join(dir, fileName), fileName, String(r.id_order), count)) {
      crashPoint('orders.delivered');
      outbox.markDelivered(fileName);
    }
  }

  // cancellation notices: pending → written → delivered
  for (const r of outbox.cancellationsToFinish()) {
    const fileName = r.cancel_file!;
    if (r.cancel_status === 'pending') {
      const notice = writeCancellationNotice({ idOrder: r.id_order, reference: r.reference, cancelledAt: r.cancelled_at ?? '', exportedFileName: r.file_name ?? '' }, erp, cfg);
      await writeOutboxFile(dir, fileName, notice.bytes);
      outbox.setCancellation(r.id_order, 'written');
      count(CANCELLED_AFTER_EXPORT, String(r.id_order), cancellationReason(r, fileName), fileName);
    }
    if (await deliverOne(deliverer, path.join(dir, fileName), fileName, String(r.id_order), count)) outbox.setCancellation(r.id_order, 'delivered');
  }
}

/** A file the ERP side refuses (same name, other content already there) stays 'written' and is reported
 *  at every run until someone looks; the other files go on. Retriable failures stop the run. */
async function deliverOne(deliverer: Deliverer, localPath: string, fileName: string, key: string, count: Counter): Promise<boolean> {
  try {
    await deliverer.deliver(localPath, fileName);
    return true;
  } catch (err) {
    if (!(err instanceof FileFatalError)) throw err;
    count('non livrée', key, `${fileName} non déposé sur ${deliverer.target} : ${err.message}`, fileName);
    return false;
  }
}
