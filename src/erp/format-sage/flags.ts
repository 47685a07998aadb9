// What a Format Sage reader must know about flags before it reads a value: which lines are flags (a
// whitelist, SAGE_MASTER_DATA.md §1 — a value such as `#PROMO` or a `#CDOS` number format « # ##0,00 » is
// data), which record a child belongs to, and the length of the records the shop flows read (#VER 33).
// Flag list: Melorio/format-sage references/catalogue-drapeaux-gc.md (116 GC flags of a full export + the
// ones documented only) and catalogue-drapeaux.md (Comptabilité, same #M… flags in both modules).

const GESCOM = [
  'CABO', 'CACL', 'CACO', 'CACP', 'CAEN', 'CAFR', 'CAGE', 'CAGL', 'CALI', 'CANA', 'CANO', 'CAOP', 'CAPE', 'CAPR',
  'CARG', 'CARR', 'CART', 'CARTRES', 'CAST', 'CASTGAM', 'CATG', 'CATQ', 'CBQT', 'CBTNACT', 'CCAF', 'CCATAL',
  'CCCL', 'CCCO', 'CCDL', 'CCLA', 'CCLI', 'CCOL', 'CCOM', 'CCON', 'CCPT', 'CDEC', 'CDEE', 'CDEP', 'CDEV', 'CDGA',
  'CDOS', 'CEAG', 'CECH', 'CEIN', 'CENA', 'CEXP', 'CFAC', 'CFAM', 'CFCL', 'CFFR', 'CFOU', 'CFRC', 'CGAG', 'CGAM',
  'CGEN', 'CGLO', 'CHEN', 'CHLI', 'CHRE', 'CINF', 'CIVA', 'CNIC', 'COLO', 'COLR', 'CORG', 'CORGINT', 'CPAI',
  'CPER', 'CPROJFAB', 'CPROJHISTO', 'CPROJLIG', 'CPROJPLAN', 'CRAB', 'CRABF', 'CRAC', 'CREF', 'CREG', 'CREP',
  'CRES', 'CRESART', 'CRESPROD', 'CRIS', 'CRLT', 'CSAV', 'CSBQ', 'CSOL', 'CSOLF', 'CSTA', 'CSTT', 'CSTV', 'CTAA',
  'CTAR', 'CTRE', 'CTTI', 'CUA1', 'CUAV',
  // documented, absent from the model export
  'CAFC', 'CAFF', 'CAMO', 'CATC', 'CBIL', 'CCAI', 'CDUS', 'CEXPGRI', 'CFMO', 'CFTQ', 'CHGRI', 'CINC', 'CIVL',
  'CLIA', 'CMOD', 'CREC', 'CRGA', 'CRGT', 'CTIA', 'CMOTIF',
];
const COMPTA = [
  'MANA', 'MBAP', 'MBQE', 'MBQT', 'MBUD', 'MCAC', 'MCAL', 'MCDL', 'MCIB', 'MCIC', 'MCJA', 'MCJR', 'MCLN', 'MCNB',
  'MCOL', 'MCTA', 'MCTB', 'MCTD', 'MCTT', 'MCVB', 'MDEV', 'MDOS', 'MECA', 'MECE', 'MECG', 'MEDN', 'MEIN', 'MENA',
  'MEXT', 'MFAR', 'MFIS', 'MFRT', 'MHIT', 'MINF', 'MIVA', 'MLET', 'MLIB', 'MMDA', 'MMDG', 'MMDR', 'MMEX', 'MMOL',
  'MMRE', 'MNAT', 'MNIC', 'MPAB', 'MPAY', 'MPCA', 'MPCR', 'MPCT', 'MPGA', 'MPGB', 'MPIA', 'MPIC', 'MPIE', 'MPLB',
  'MPLG', 'MPLJ', 'MRAN', 'MRAP', 'MRCO', 'MREG', 'MREJ', 'MRES', 'MRFC', 'MRGI', 'MRGL', 'MRGR', 'MRGT', 'MRIS',
  'MRJS', 'MRLT', 'MRSO', 'MSBQ', 'MSCT', 'MSTT', 'MSTV', 'MTAX', 'MTCO', 'MTTI',
];

/** Every record flag a Sage 100 export may hold (not the header #FLG / #VER / #DEV, nor #FIN). */
export const KNOWN_FLAGS: ReadonlySet<string> = new Set([...GESCOM, ...COMPTA].map((f) => `#${f}`));

/** The shape of a flag line; a line of that shape outside the list is a value, and worth a warning. */
export const FLAG_SHAPE = /^#[A-Z0-9]{3,12}$/;

/** Records that own the children following them (SAGE_MASTER_DATA.md §1 « Parent/child »). */
export const PARENTS: Readonly<Record<string, readonly string[]>> = {
  '#CFAC': ['#CFAM'], '#CFFR': ['#CFAM'], '#CFCL': ['#CFAM'], '#CFRC': ['#CFAM'], '#CFTQ': ['#CFFR', '#CFCL'],
  '#CACP': ['#CART'], '#CACL': ['#CART'], '#CAFR': ['#CART'], '#CAST': ['#CART'], '#CASTGAM': ['#CART'],
  '#CANO': ['#CART'], '#CACO': ['#CART'], '#CREF': ['#CART'], '#CAGL': ['#CART'], '#CAOP': ['#CART'],
  '#CATG': ['#CACL', '#CAFR'], '#CATQ': ['#CACL', '#CAFR'],
  '#CBQT': ['#CCLI', '#CFOU'], '#CRLT': ['#CCLI', '#CFOU'], '#CCDL': ['#CCLI'], '#MCTT': ['#CCLI', '#CFOU'],
  '#MCIC': ['#CCLI', '#CFOU'],
  '#CHLI': ['#CHEN'], '#CHRE': ['#CHEN'],
  '#CAEN': ['#CABO'], '#CALI': ['#CABO'], '#CAPE': ['#CABO'], '#CARG': ['#CABO'],
  // free information follows an article, a tiers, a document or a document line: the nearest of them
  '#CIVA': ['#CHLI', '#CART', '#CCLI', '#CFOU', '#CHEN'],
};

/** Records that start a new family of children: the previous parent's children end there. A flag that is
 *  neither a parent nor a child (a parameter table such as #MTAX) leaves the current parent open. */
export const PARENT_FLAGS: ReadonlySet<string> = new Set(Object.values(PARENTS).flat().filter((p) => PARENTS[p] === undefined));

/** Length of a record: `min` lines, plus any number of `step`-line groups (step 0: exactly `min`). */
export interface Layout { min: number; step: number }

/** The records the shop flows read, #VER 33 (SAGE_MASTER_DATA.md §13). A record of one of these flags with
 *  another length is refused: its values would be read shifted. Other flags are counted, never checked. */
export const LAYOUTS: Readonly<Record<string, Layout>> = {
  '#CFAM': { min: 42, step: 0 },
  '#CFAC': { min: 0, step: 14 },
  '#CCATAL': { min: 5, step: 0 },
  '#CART': { min: 76, step: 2 },
  '#CACP': { min: 0, step: 14 },
  '#CACL': { min: 16, step: 0 },
  '#CATG': { min: 0, step: 6 },
  '#CATQ': { min: 0, step: 4 },
  '#CCLI': { min: 120, step: 1 },
  '#CCDL': { min: 17, step: 0 },
  '#MCTT': { min: 13, step: 0 },
  '#MTAX': { min: 15, step: 1 },
  '#CCCL': { min: 64, step: 0 },
  '#CPAI': { min: 8, step: 0 },
};

/** Children without which their parent cannot be read right: an article whose accounting is unreadable
 *  would take its family's VAT; a tariff without its brackets would be a wrong price. A bad one refuses its
 *  parent; another bad child (a delivery place, a tariff) is refused alone. */
export const INTEGRAL: ReadonlySet<string> = new Set(['#CACP', '#CFAC', '#CATG', '#CATQ']);

/** « 76 lignes », « 14 × k lignes », « au moins 120 lignes », as a reason says it. */
export function describeLayout(l: Layout): string {
  if (l.step === 0) return `${l.min} lignes`;
  if (l.min === 0) return `un multiple de ${l.step} lignes`;
  if (l.step === 1) return `au moins ${l.min} lignes`;
  return `${l.min} lignes plus ${l.step} par valeur répétée`;
}

export function fitsLayout(l: Layout, length: number): boolean {
  if (length < l.min) return false;
  if (l.step === 0) return length === l.min;
  return (length - l.min) % l.step === 0;
}
