// The two orders the demo places in the sandbox shop, and how the demo shows the ERP files they become.
import iconv from 'iconv-lite';
import type { PlaceOrderInput } from '../sandbox/index.ts';

export const DEMO_ORDERS: PlaceOrderInput[] = [
  {
    customer: { email: 'helene.dupre@exemple.fr', firstname: 'Hélène', lastname: 'Dupré' },
    invoiceAddress: { address1: '12 rue de la Forêt', postcode: '69003', city: 'Lyon', phone: '04 78 00 00 00' },
    lines: [
      { reference: 'VIS-BOIS-4X40', name: 'Vis à bois 4×40 tête fraisée (boîte de 200)', quantity: 3, unitPriceTaxExcl: 8.25, taxRate: 20, reductionPercent: 10 },
      { reference: 'CHEVILLE-NYL-8', name: 'Cheville nylon Ø8 (sachet de 100)', quantity: 2, unitPriceTaxExcl: 4.9, taxRate: 20 },
    ],
    shippingTaxExcl: 6.9,
    payment: 'Carte bancaire',
    state: 2,
  },
  {
    customer: { email: 'achats@menuiserie-leclerc.fr', firstname: 'Benoît', lastname: 'Leclerc', company: 'Menuiserie Leclerc SARL', note: 'ERP:CLEC001' },
    invoiceAddress: { company: 'Menuiserie Leclerc SARL', address1: 'ZA des Œillets, 4 allée des Artisans', postcode: '44300', city: 'Nantes', vatNumber: 'FR12345678901' },
    deliveryAddress: { company: 'Menuiserie Leclerc SARL', address1: 'Chantier « Les Tilleuls », 8 rue Pasteur', postcode: '44000', city: 'Nantes' },
    lines: [
      { reference: 'PERCEUSE-18V', name: 'Perceuse-visseuse sans fil 18 V', quantity: 2, unitPriceTaxExcl: 89, taxRate: 20 },
      { reference: 'MECHE-BETON-6', name: 'Mèche béton Ø6 × 110', quantity: 10, unitPriceTaxExcl: 2.4, taxRate: 20 },
    ],
    cartRules: [{ name: 'Remise professionnelle', valueTaxExcl: 10, valueTaxIncl: 12 }],
    shippingTaxExcl: 0,
    payment: 'Virement bancaire',
    state: 11,
  },
];

/** The first lines of a text file in its ERP encoding, or the shape of a workbook. */
export function preview(name: string, bytes: Buffer): string {
  if (name.endsWith('.xlsx')) return '   (classeur Excel « Import de pièces par tableur » : en-têtes ligne 3, lignes IPAR / ENT / MOUV)';
  const encoding = bytes[0] === 0xef && bytes[1] === 0xbb ? 'utf-8' : name.startsWith('CMD-') && bytes.subarray(0, 4).toString('latin1') === '#FLG' ? 'cp850' : 'windows-1252';
  const lines = iconv.decode(bytes, encoding).replace(/^\uFEFF/, '').split(/\r?\n/);
  const shown = lines.slice(0, 14).map((l) => `   │ ${l}`);
  return [...shown, `   │ … (${lines.length} lignes, encodage ${encoding})`].join('\n');
}
