// An order cancelled in the shop AFTER its export: the ERP document is never touched by us (issue 3); sales
// administration gets a notice file beside the order files, in the ERP's encoding, saying what to cancel there.
import type { OrdersConfig } from '../../src/erp/orders-config.ts';
import { dateDMY, documentNumber, timeOf, type ErpFile, type ErpKind } from './common.ts';
import { encode, fitToEncoding, singleLine, type ErpEncoding } from './text.ts';

export interface CancellationNotice {
  idOrder: number;
  /** The order's shop: its document number may carry the shop's prefix (orders.shops). */
  shopId?: number;
  reference: string;
  /** When the shop cancelled it, shop time zone ("2026-11-29 10:15:00"). */
  cancelledAt: string;
  /** Name of the file the order was exported in (`CMD-12-UUBOXOBGX.txt` or a batch file). */
  exportedFileName: string;
}

function encodingFor(erp: ErpKind, cfg: OrdersConfig): { encoding: ErpEncoding; bom: boolean } {
  if (erp === 'sage') return { encoding: 'cp850', bom: false };
  if (erp === 'ebp') return cfg.ebp.encoding === 'utf-8-bom' ? { encoding: 'utf-8', bom: true } : { encoding: 'windows-1252', bom: false };
  return { encoding: 'utf-8', bom: true }; // Divalto: the BOM makes Windows tools read it right
}

function fileSafe(text: string): string {
  return text.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 40) || 'SANSREF';
}

/** `ANNUL-<id_order>-<reference>.txt`. */
export function writeCancellationNotice(n: CancellationNotice, erp: ErpKind, cfg: OrdersConfig): ErpFile {
  const { encoding, bom } = encodingFor(erp, cfg);
  const key = String(n.idOrder);
  const safe = (value: string): string => fitToEncoding(singleLine(value), encoding, 'l\'avis d\'annulation', key);
  const docNumber = documentNumber(n, cfg);
  const kind = cfg.documentType === 'quote' ? 'devis' : 'commande';
  const lines = [
    'AVIS D\'ANNULATION DE COMMANDE WEB',
    `Commande boutique : ${safe(n.reference)} (id ${n.idOrder})`,
    `Annulée dans la boutique le ${dateDMY(n.cancelledAt)} à ${timeOf(n.cancelledAt)}, après son export vers l'ERP.`,
    `Exportée dans le fichier : ${safe(n.exportedFileName)}`,
    `Pièce ERP (${kind}) : ${docNumber}`,
    'La pièce de l\'ERP n\'a pas été modifiée : l\'annuler ou la solder dans l\'ERP.',
  ];
  return {
    fileName: `ANNUL-${n.idOrder}-${fileSafe(n.reference)}.txt`,
    bytes: encode(`${lines.join('\r\n')}\r\n`, encoding, bom),
  };
}
