// A catalogue file (families, articles) for a profile that reads its master data elsewhere: Sage 100 gives
// them in its « Format Sage » export (recognised by content wherever dropped), so a plain file in
// drop/categories/ or drop/products/ is refused for that file alone — not a configuration error that would
// stop every flow.
import { ConfigError, FileFatalError } from '../errors.ts';
import type { FileContext } from '../pipeline.ts';
import type { ErpProfile } from './profile.ts';

/** No Divalto family export is documented (ERP_FORMATS.md §3.5: only the article sheet and the SQL tables,
 *  whose ART.FAM_0001–3 are bare codes): a file sent to the categories flow is refused, saying what works. */
const DIVALTO_FAMILIES = "Divalto n'a pas d'export de familles d'articles connu : ce fichier n'est pas lu. Exportez la table des familles "
  + '(code, libellé et, pour une sous-famille, le code de sa famille) en CSV ou en classeur, par « Import - Export tableur » ou une requête SQL, '
  + 'et décrivez ses colonnes dans erp.flows.categories (patterns, format, columns: code, name, parent) ; '
  + 'ajoutez alors family: ART.FAM_0001 aux colonnes des articles pour les y ranger';

export function catalogFlow<F>(ctx: FileContext, flow: 'categories' | 'products', get: (p: ErpProfile) => F): F {
  try {
    return get(ctx.profile);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const what = flow === 'categories' ? 'familles' : 'articles';
    if (ctx.profile.name === 'divalto' && flow === 'categories') throw new FileFatalError(DIVALTO_FAMILIES);
    throw new FileFatalError(`le profil ${ctx.profile.name} ne décrit pas de fichier de ${what} à part : ${ctx.profile.name === 'sage100' ? 'Sage 100 les exporte dans son fichier « Format Sage » (#FLG), reconnu où qu\'il soit déposé' : `ajoutez erp.flows.${flow} à la configuration`}`);
  }
}
