import { expect } from 'chai';
import type { z } from 'zod';
import { ConfigError } from '../../../src/errors.ts';
import { ordersConfigSchema, parseOrdersConfig } from '../../../src/erp/orders-config.ts';

function undescribed(shape: Record<string, z.ZodType>, path: string): string[] {
  const missing: string[] = [];
  for (const [key, schema] of Object.entries(shape)) {
    if (!schema.description) missing.push(`${path}.${key}`);
  }
  return missing;
}

describe('orders: config section', () => {
  it('has the documented defaults', () => {
    const cfg = parseOrdersConfig(undefined);
    expect(cfg).to.include({ documentType: 'order', batch: false, newCustomer: 'generic', genericCustomerCode: 'CLIWEB', ackDelayHours: 24 });
    expect(cfg.exportStates).to.deep.equal([2, 3, 11]);
    expect(cfg.cancelledStates).to.deep.equal([6]);
    expect(cfg.articles).to.deep.equal({ shipping: 'PORT', discount: 'REMISE' });
    expect(cfg.sage).to.include({ version: 33, souche: 1, priceDecimals: 4, collectiveAccount: '4110000' });
    expect(cfg.ebp.encoding).to.equal('windows-1252');
    expect(cfg.divalto.columns[0]?.header).to.equal('FICHE');
  });

  it('keeps defaults for the keys not given in a partial section', () => {
    const cfg = parseOrdersConfig({ sage: { depot: 'Dépôt principal' }, articles: { shipping: 'ZPORT' } });
    expect(cfg.sage).to.include({ depot: 'Dépôt principal', version: 33 });
    expect(cfg.articles).to.deep.equal({ shipping: 'ZPORT', discount: 'REMISE' });
  });

  it('describes every key (the README is generated from the descriptions)', () => {
    const shape = ordersConfigSchema.shape;
    const missing = [
      ...undescribed(shape, 'orders'),
      ...undescribed(shape.articles.unwrap().shape, 'orders.articles'),
      ...undescribed(shape.sage.unwrap().shape, 'orders.sage'),
      ...undescribed(shape.ebp.unwrap().shape, 'orders.ebp'),
      ...undescribed(shape.divalto.unwrap().shape, 'orders.divalto'),
    ];
    expect(missing).to.deep.equal([]);
  });

  it('reports every problem at once as a ConfigError', () => {
    let error: unknown;
    try {
      parseOrdersConfig({ documentType: 'facture', exportStates: [], ebp: { encoding: 'latin9' } });
    } catch (err) { error = err; }
    expect(error).to.be.instanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    expect(problems).to.match(/orders\.documentType/);
    expect(problems).to.match(/orders\.exportStates/);
    expect(problems).to.match(/orders\.ebp\.encoding/);
  });
});
