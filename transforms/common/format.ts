// Numbers as French reports print them: `2 147 483 647` (a plain space, so that a message can be searched
// and copied as typed; Intl's fr-FR uses a narrow no-break space).
const INT = new Intl.NumberFormat('fr-FR', { maximumFractionDigits: 6 });

export function frNumber(n: number): string {
  return INT.format(n).replace(/[\u202F\u00A0]/g, ' ');
}
