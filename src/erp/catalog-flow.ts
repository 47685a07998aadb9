// A catalogue file (families, articles) for a profile that reads its master data elsewhere: Sage 100 gives
// them in its « Format Sage » export (recognised by content wherever dropped), so a plain file in
// drop/categories/ or drop/products/ is refused for that file alone — not a configuration error that would
// stop every flow.
import { ConfigError, FileFatalError } from '../errors.ts';
import type { FileContext } from '../pipeline.ts';
import type { ErpProfile } from './profile.ts';

export function catalogFlow<F>(ctx: FileContext, flow: 'categories' | 'products', get: (p: ErpProfile) => F): F {
  try {
    return get(ctx.profile);
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    const what = flow === 'categories' ? 'familles' : 'articles';
    throw new FileFatalError(`le profil ${ctx.profile.name} ne décrit pas de fichier de ${what} à part : ${ctx.profile.name === 'sage100' ? 'Sage 100 les exporte dans son fichier « Format Sage » (#FLG), reconnu où qu\'il soit déposé' : `ajoutez erp.flows.${flow} à la configuration`}`);
  }
}
