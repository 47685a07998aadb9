// Parcel numbers on the order's order_carriers row (WEBSERVICE.md §7.3, transcripts 110-114): read,
// merged with what is there (several parcels kept, each once), written only when something is new.
// The client PATCHes on PrestaShop 8 (114: id + tracking_number, the rest kept) and does GET-merge-PUT
// on 1.7 (111: the full record). The tracking number does not move orders.date_upd (112).
import { RecordRejected } from '../errors.ts';
import { filterEq, type ShopClient } from '../prestashop/client.ts';
import { mergeTracking, TRACKING_MAX_LENGTH } from '../../transforms/order-status/tracking.ts';

export type TrackingOutcome = { written: false } | { written: true; added: string[] };

export async function addTracking(shop: ShopClient, idOrder: number, numbers: readonly string[], sendEmail: boolean): Promise<TrackingOutcome> {
  if (numbers.length === 0) return { written: false };
  const rows = await shop.list('order_carriers', { display: ['id', 'id_order', 'tracking_number'], filter: { id_order: filterEq(idOrder) }, sort: ['id_ASC'] });
  // One row per order in the core; a split shipment module may add more: the first one holds the parcels.
  const row = rows[0];
  if (!row) throw new RecordRejected(`commande ${idOrder} sans transporteur (order_carriers) : numéro de suivi ${numbers.join(', ')} non enregistré`);
  const merged = mergeTracking(String(row.tracking_number ?? ''), numbers);
  if ('tooLong' in merged) {
    throw new RecordRejected(`numéros de suivi de la commande ${idOrder} trop longs pour PrestaShop (${merged.value.length} caractères, ${TRACKING_MAX_LENGTH} au plus) : « ${merged.value} »`);
  }
  if (!merged.changed) return { written: false };
  await shop.update('order_carriers', String(row.id), { tracking_number: merged.value }, { sendEmail });
  return { written: true, added: merged.added };
}
