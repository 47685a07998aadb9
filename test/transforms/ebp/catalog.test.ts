import { expect } from 'chai';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { matchFlow, loadProfile } from '../../../src/erp/profile.ts';
import { categoriesFileFlow, categoriesFlow, productsFlow, readFlowRows, stockFlow } from '../../../src/erp/read-flow.ts';
import type { Transformed } from '../../../src/pipeline.ts';
import { orderTree } from '../../../transforms/catalog/tree.ts';
import type { CategoryLine, ProductLine } from '../../../transforms/catalog/types.ts';
import { ebpArticleToProduct, ebpCategoryRow, type EbpProductOptions } from '../../../transforms/ebp/catalog.ts';
import { collect, fileFatal } from '../../support/failure.ts';

const FIXTURES = new URL('../../fixtures/erp/ebp/', import.meta.url).pathname;

/** The real samples stay in the shared reference (licence unclear: not copied into the repository), found
 *  beside the checkout (`../shared/` from /work/main, `../../shared/` from a worktree). */
function samplesDir(): string | undefined {
  for (let dir = new URL('.', import.meta.url).pathname; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'shared/reference/erp/samples/ebp/');
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
const SAMPLES = samplesDir() ?? '';
const profile = loadProfile('ebp');
const RATES = new Set(['20.000', '10.000', '5.500', '2.100']);

async function categories(path: string): Promise<Array<Transformed<CategoryLine>>> {
  const flow = await categoriesFileFlow(path, categoriesFlow(profile));
  return (await collect(readFlowRows(path, flow))).map((r) => ebpCategoryRow(r, flow));
}

async function products(path: string, o: EbpProductOptions = {}): Promise<Map<number, Transformed<ProductLine>>> {
  const flow = productsFlow(profile);
  return new Map((await collect(readFlowRows(path, flow))).map((r) => [r.line, ebpArticleToProduct(r, flow, o)]));
}

describe('EBP catalogue transforms', () => {
  it('makes each family a category under the root, and rejects one without label', async () => {
    expect(await categories(`${FIXTURES}familles_utf8bom.txt`)).to.deep.equal([
      { line: 2, key: 'FAM:FAR00001', record: { key: 'FAM:FAR00001', name: 'VÊTEMENTS BALL TRAP', parentKey: null, active: true } },
      { line: 3, key: 'FAM:FAR00002', record: { key: 'FAM:FAR00002', name: 'ACCESSOIRES BALL TRAP', parentKey: null, active: true } },
      { line: 4, key: 'FAM:FAR00003', reject: 'famille FAR00003 sans libellé (Famille Articles vide)' },
    ]);
  });

  it('reads the sub-families file (no BOM) with its own layout: each under its family', async () => {
    expect(await categories(`${FIXTURES}sous-familles_utf8.txt`)).to.deep.equal([
      { line: 2, key: 'SFAM:SFAR00001', record: { key: 'SFAM:SFAR00001', name: 'DOUDOUNE', parentKey: 'FAM:FAR00001', active: true } },
      { line: 3, key: 'SFAM:SFAR00004', record: { key: 'SFAM:SFAR00004', name: 'GANT', parentKey: 'FAM:FAR00002', active: true } },
      { line: 4, key: 'SFAM:SFAR00099', reject: 'sous-famille SFAR00099 sans famille (Code Famille Articles vide) : elle ne peut pas être placée dans l\'arbre' },
    ]);
  });

  it('routes both files to the categories flow by name, and the article export to stock first', () => {
    expect(matchFlow(profile, 'familles.txt')).to.equal('categories');
    expect(matchFlow(profile, 'sous-famille.txt')).to.equal('categories');
    expect(matchFlow(profile, 'export_ItemFamilies.txt')).to.equal('categories');
    expect(matchFlow(profile, 'articles.txt')).to.equal('stock');
    expect(matchFlow(profile, 'produits_2026-12-03.txt')).to.equal('products');
  });

  it('maps an article field by field: price HT 6 decimals, VAT, family → sub-family path, EAN13', async () => {
    const p = await products(`${FIXTURES}produits_articles_utf8bom.txt`, { defaultLanguage: 'fr' });
    expect(p.get(2)).to.deep.equal({
      line: 2, key: 'AR00001',
      record: {
        reference: 'AR00001', name: 'DOUDOUNE CASTELLANI HOMME', names: { fr: 'DOUDOUNE CASTELLANI HOMME' },
        priceTaxExcl: '125.000000', vatRate: '20.000', categoryKeys: ['FAM:FAR00001', 'SFAM:SFAR00001'], ean13: '3000000000011', active: true,
      },
    });
    expect(p.get(3)).to.deep.equal({
      line: 3, key: 'AR00002',
      record: { reference: 'AR00002', name: 'GANTS DE TIR « PRO »', names: { fr: 'GANTS DE TIR « PRO »' }, priceTaxExcl: '18.957346', vatRate: '5.500', categoryKeys: ['FAM:FAR00002'], active: true },
    });
  });

  it('makes each variant of a range its own product, reads a comma inside a quoted label, no VAT = null', async () => {
    const p = await products(`${FIXTURES}produits_articles_utf8bom.txt`);
    expect(p.get(4)).to.have.nested.property('record.name', 'LYCRA LONG CASTELLANI BLEU CLAIR, XS');
    expect(p.get(5)).to.have.nested.property('record.reference', 'AR00140');
    expect(p.get(4)).to.have.nested.property('record.vatRate', '8.500');
    expect(p.get(6)).to.deep.include({ key: 'AR00174' });
    expect(p.get(6)).to.have.nested.property('record.vatRate', null);
    expect(p.get(6)).to.have.nested.property('record.categoryKeys').that.deep.equals([]);
    expect(p.get(6)).to.have.nested.property('record.names').that.deep.equals({});
    expect(p.get(13)).to.deep.include({ key: 'AR00300' });
  });

  it('rejects what it cannot read for sure, naming the column, on its line', async () => {
    const p = await products(`${FIXTURES}produits_articles_utf8bom.txt`);
    expect([7, 8, 9, 10, 11, 12].map((l) => p.get(l))).to.deep.equal([
      { line: 7, key: 'AR00200', reject: 'article AR00200 : prix de vente HT (PV HT) : nombre invalide : « 12.50 » (séparateur décimal attendu « , »)' },
      { line: 8, key: 'AR00201', reject: 'article AR00201 : prix de vente HT vide (PV HT)' },
      { line: 9, key: 'AR00202', reject: 'article AR00202 : désignation vide (Libellé)' },
      { line: 10, key: 'AR00203', reject: 'article AR00203 : sous-famille « SFAR00004 » (Code sous-famille article) sans famille (Code Famille Articles) : chemin de catégories incomplet' },
      { line: 11, key: 'AR00204', reject: 'article AR00204 : prix de vente HT négatif (PV HT) : -1,00000000' },
      { line: 12, reject: 'article sans référence (Code article vide)' },
    ]);
  });

  it('rejects an article whose VAT rate the shop cannot apply, naming the rate', async () => {
    const p = await products(`${FIXTURES}produits_articles_utf8bom.txt`, { rates: RATES });
    expect(p.get(4)).to.deep.equal({ line: 4, key: 'AR00139', reject: 'article AR00139 : taux de TVA 8,500 % (Taux de TVA) : aucun groupe de taxes de la boutique pour ce taux' });
    expect(p.get(2)).to.have.property('record');
  });

  it('reads the item state when the model exports it (ActiveState), a malformed row as its reject', () => {
    const flow = { ...productsFlow(profile), columns: { ...productsFlow(profile).columns, state: 'État' } };
    const values = { 'Code article': 'A1', Libellé: 'X', 'PV HT': '1,00', 'Taux de TVA': '20,00', 'Code Famille Articles': '', 'Code sous-famille article': '', 'Code barre': '' };
    expect(ebpArticleToProduct({ line: 2, values: { ...values, État: '1' } }, flow)).to.have.nested.property('record.active', false);
    expect(ebpArticleToProduct({ line: 2, values: { ...values, État: '0' } }, flow)).to.have.nested.property('record.active', true);
    expect(ebpArticleToProduct({ line: 2, values: { ...values, État: 'X' } }, flow)).to.deep.equal({ line: 2, key: 'A1', reject: 'article A1 : état « X » (État) : 0 (actif), 1 (en sommeil), 2 (bloqué) ou 3 (partiellement bloqué) attendu' });
    expect(ebpArticleToProduct({ line: 3, values, error: '5 champs au lieu de 7' }, flow)).to.deep.equal({ line: 3, key: 'A1', reject: '5 champs au lieu de 7' });
  });

  it('quarantines a file whose header lacks a declared column', async () => {
    const err = await fileFatal(collect(readFlowRows(`${FIXTURES}familles_utf8bom.txt`, productsFlow(profile))));
    expect(err.message).to.contain('Code article');
  });

  describe('on the real EBP samples (Sync-app, EBP Point de vente 21.1)', function () {
    before(function () {
      if (SAMPLES === '') this.skip();
    });

    it('reads the families and the sub-families into one tree, parents first', async () => {
      const fams = await categories(`${SAMPLES}ebp_syncapp__export_ItemFamilies_familles.txt`);
      const subs = await categories(`${SAMPLES}ebp_syncapp__export_ItemSubFamilies_sous-famille.txt`);
      expect(fams.map((f) => ('record' in f ? f.record.name : f.reject))).to.deep.equal(['ACCESSOIRES BALL TRAP', 'VÊTEMENTS BALL TRAP']);
      expect(subs).to.have.length(22);
      expect(subs.every((s) => 'record' in s && s.record.parentKey !== null && /^FAM:FAR0000[12]$/.test(s.record.parentKey))).to.equal(true);
      const tree = orderTree([...subs, ...fams]);
      expect(tree.slice(0, 2).map((t) => t.key)).to.deep.equal(['FAM:FAR00002', 'FAM:FAR00001']);
      expect(subs.find((s) => s.key === 'SFAM:SFAR00005')).to.deep.include({ record: { key: 'SFAM:SFAR00005', name: 'CASQUE', parentKey: 'FAM:FAR00002', active: true } });
    });

    it('reads every article of the sample export into a product', async () => {
      const p = [...(await products(`${SAMPLES}ebp_syncapp__export_Items_articles_utf8bom.txt`)).values()];
      expect(p).to.have.length(32);
      expect(p.filter((x) => 'reject' in x)).to.deep.equal([]);
      expect(p[0]).to.deep.equal({
        line: 2, key: 'AR00139',
        record: { reference: 'AR00139', name: 'LYCRA LONG CASTELLANI BLEU CLAIR, XS', names: {}, priceTaxExcl: '64.520000', vatRate: '8.500', categoryKeys: ['FAM:FAR00001'], active: true },
      });
      expect(p.at(-1)).to.deep.include({ key: 'AR00177' });
      expect(p.at(-1)).to.have.nested.property('record.categoryKeys').that.deep.equals([]);
      expect(p.at(-1)).to.have.nested.property('record.priceTaxExcl', '73.730000');
    });

    it('reads the same article export for stock and for products', async () => {
      const rows = await collect(readFlowRows(`${SAMPLES}ebp_syncapp__export_Items_articles_utf8bom.txt`, stockFlow(profile)));
      expect(rows).to.have.length(32);
    });
  });
});
