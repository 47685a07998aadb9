// `prestasync check` in multistore (issue 11): the shops, whether they share stock, what shop.shops selects.
import { expect } from 'chai';
import { runChecks, formatChecks } from '../../src/cli/check.ts';
import { silentLogger } from '../../src/log.ts';
import { PIPELINES } from '../../pipelines/registry.ts';
import { makeWorkspace, type Workspace } from '../support/workspace.ts';

const SHOPS = [{ id: 2, name: 'Boutique Belgique', group: 2 }, { id: 3, name: 'Boutique Suisse', group: 2 }];
const GROUPS = [{ id: 2, name: 'Europe', shareStock: true }];

async function shopsLine(ws: Workspace): Promise<string | undefined> {
  return formatChecks(await runChecks(ws.loaded, PIPELINES, silentLogger())).split('\n').find((l) => l.includes(' boutiques : '));
}

describe('prestasync check: the shops of a multistore install', function () {
  this.timeout(30000);
  let ws: Workspace;
  afterEach(async () => { await ws.close(); });

  it('lists the shops with their group and stock sharing, and where the stock flow writes', async () => {
    ws = await makeWorkspace({ shops: SHOPS, shopGroups: GROUPS, shopConfig: { shops: 'all' } });
    expect(await shopsLine(ws)).to.equal('✓ boutiques : 1 « PrestaSync Sandbox » — groupe 1 « Default », stock propre ; '
      + '2 « Boutique Belgique » — groupe 2 « Europe », stock partagé ; 3 « Boutique Suisse » — groupe 2 « Europe », stock partagé. '
      + 'shop.shops : 1, 2, 3 — commandes lues boutique par boutique ; stock écrit pour : 1 « PrestaSync Sandbox » (stock propre) ; '
      + '2 « Boutique Belgique », 3 « Boutique Suisse » (stock partagé du groupe 2)');
  });

  it('warns that without shop.shops only the default shop is handled, and refuses a shop PrestaShop lacks', async () => {
    ws = await makeWorkspace({ shops: SHOPS, shopGroups: GROUPS });
    expect(await shopsLine(ws)).to.match(/^✓ boutiques : .*shop\.shops absent : seules les commandes et le stock de la boutique par défaut sont traités/);
    ws.loaded.config.shop.shops = [1, 9];
    expect(await shopsLine(ws)).to.equal('✗ boutiques : shop.shops: boutique(s) 9 inconnue(s) de PrestaShop (boutiques : 1 « PrestaSync Sandbox », 2 « Boutique Belgique », 3 « Boutique Suisse »)');
  });

  it('a single-shop install shows its one shop, without a warning', async () => {
    ws = await makeWorkspace({});
    expect(await shopsLine(ws)).to.equal('✓ boutiques : 1 « PrestaSync Sandbox » — groupe 1 « Default », stock propre');
  });
});
