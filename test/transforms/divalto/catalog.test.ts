import { expect } from 'chai';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadProfile, matchFlow, type ProductsFlowProfile } from '../../../src/erp/profile.ts';
import { productsFlow, readFlowRows } from '../../../src/erp/read-flow.ts';
import type { Transformed } from '../../../src/pipeline.ts';
import type { ProductLine } from '../../../transforms/catalog/types.ts';
import { divaltoArticleToProduct, type DivaltoProductOptions } from '../../../transforms/divalto/catalog.ts';
import { HEADER, ROWS, writeArticles } from '../../fixtures/erp/divalto/make-articles.ts';
import { collect, fileFatal } from '../../support/failure.ts';

const FIXTURE = new URL('../../fixtures/erp/divalto/articles_fiche_art.xlsx', import.meta.url).pathname;
const OPTIONS: DivaltoProductOptions = { today: '2026-12-03' };
// the dossier's VAT codes, as the integrator lists them; the family column once categories exist
const profile = loadProfile('divalto', { products: { vatCodes: { '1': '20', '2': '5,5' }, columns: { family: 'ART.FAM_0001' } } });
const flow = productsFlow(profile);

async function products(file: string, f: ProductsFlowProfile = flow, o: DivaltoProductOptions = OPTIONS): Promise<Map<number, Transformed<ProductLine>>> {
  return new Map((await collect(readFlowRows(file, f))).map((r) => [r.line, divaltoArticleToProduct(r, f, o)]));
}

describe('Divalto catalogue transforms', () => {
  it('finds the header row under the title and maps an ART row field by field', async () => {
    const p = await products(FIXTURE);
    expect([...p.keys()]).to.deep.equal([4, 5, 6, 7, 8, 9, 10, 11, 12, 13]);
    expect(p.get(4)).to.deep.equal({
      line: 4, key: 'BAAR01',
      record: {
        reference: 'BAAR01', name: 'Bague argent Élégance', names: {}, priceTaxExcl: '155.000000', vatRate: '20.000',
        unity: 'U', unitPriceRatio: '1', weightKg: '0.012000', ean13: '3000000000028', categoryKeys: ['FAM:BIJ'], active: true,
      },
    });
  });

  it('reads a numeric EAN cell, a VAT code written with a comma, and an end of validity already past', async () => {
    const p = await products(FIXTURE);
    expect(p.get(6)).to.deep.include({ key: 'CHAIN45' });
    expect(p.get(6)).to.have.nested.property('record.ean13', '3000000000035');
    expect(p.get(6)).to.have.nested.property('record.vatRate', '5.500');
    expect(p.get(6)).to.have.nested.property('record.active', false); // HSDT 31/01/2020
    expect(p.get(7)).to.have.nested.property('record.active', true); // HSDT 31/12/2099
    expect(p.get(12)).to.have.nested.property('record.active', false); // HSDT typed « 31/12/2025 »
    expect(p.get(12)).to.not.have.nested.property('record.ean13'); // « 123 »
    expect(p.get(7)).to.have.nested.property('record.categoryKeys').that.deep.equals([]);
  });

  it('makes an article active until the day before its end of validity', async () => {
    const p = await products(FIXTURE, flow, { today: '2099-12-30' });
    expect(p.get(7)).to.have.nested.property('record.active', true);
    const q = await products(FIXTURE, flow, { today: '2099-12-31' });
    expect(q.get(7)).to.have.nested.property('record.active', false);
  });

  it('reports the other records and rejects what it cannot read for sure, on its row', async () => {
    const p = await products(FIXTURE);
    expect([5, 8, 9, 10, 11, 13].map((l) => p.get(l))).to.deep.equal([
      { line: 5, key: 'BAAR01', reject: 'fiche « LART » : pas un article (seules les fiches ART sont lues)' },
      { line: 8, key: 'MONT01', reject: 'article MONT01 : code TVA « 9 » de ART.TVAART absent de erp.flows.products.vatCodes (codes connus : 1, 2) : taux de TVA inconnu' },
      { line: 9, key: 'ETUI01', reject: 'article ETUI01 : prix de vente HT (TAR.PUB) : nombre invalide : « 12,50 » (séparateur décimal attendu « . »)' },
      { line: 10, key: 'BAAR01', reject: 'fiche « SART » : pas un article (seules les fiches ART sont lues)' },
      { line: 11, reject: 'article sans référence (REF vide)' },
      { line: 13, key: 'GRAV01', reject: 'article GRAV01 : poids net négatif (ART.POIN) : -1' },
    ]);
  });

  it('rejects every coded article of the shipped profile until its VAT codes are listed', async () => {
    const p = await products(FIXTURE, productsFlow(loadProfile('divalto')));
    expect(p.get(4)).to.have.property('reject').that.contains('absent de erp.flows.products.vatCodes (codes connus : aucun)');
  });

  it('rejects a rate the shop cannot apply, naming it and its code', async () => {
    const p = await products(FIXTURE, flow, { ...OPTIONS, rates: new Set(['20.000']) });
    expect(p.get(6)).to.deep.equal({ line: 6, key: 'CHAIN45', reject: 'article CHAIN45 : taux de TVA 5,500 % (code TVA « 2 » de ART.TVAART) : aucun groupe de taxes de la boutique pour ce taux' });
    expect(p.get(4)).to.have.property('record');
  });

  it('rejects an end of validity it cannot read, or a day that does not exist', () => {
    const values = Object.fromEntries(HEADER.map((h, i) => [h, String(ROWS[0]![i] ?? '')]));
    for (const bad of ['2025-31', '31/02/2026', '2026-13-01']) {
      expect(divaltoArticleToProduct({ line: 4, values: { ...values, 'ART.HSDT': bad } }, flow, OPTIONS))
        .to.deep.equal({ line: 4, key: 'BAAR01', reject: `article BAAR01 : date de fin de validité « ${bad} » (ART.HSDT) : date attendue (aaaa-mm-jj ou jj/mm/aaaa)` });
    }
    expect(divaltoArticleToProduct({ line: 4, values: { ...values, 'ART.HSDT': '2026-12-04 00:00:00' } }, flow, OPTIONS)).to.have.nested.property('record.active', true);
  });

  it('routes the workbook by name, and quarantines one without the declared columns', async () => {
    expect(matchFlow(profile, 'export_articles_2026.xlsx')).to.equal('products');
    const dir = mkdtempSync(join(tmpdir(), 'divalto-'));
    try {
      const noPrice = { ...flow, columns: { ...flow.columns, priceTaxExcl: 'ART.PRIX' } };
      const err = await fileFatal(collect(readFlowRows(FIXTURE, noPrice)));
      expect(err.message).to.contain('ART.PRIX');
      // the script writes the same rows again: the checked-in workbook is what it writes
      await writeArticles(join(dir, 'again.xlsx'));
      const again = await products(join(dir, 'again.xlsx'));
      expect([...again.values()]).to.deep.equal([...(await products(FIXTURE)).values()]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
