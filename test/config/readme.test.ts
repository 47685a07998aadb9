// The README is the integrator's reference: it must name every configuration key the schema accepts.
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { configKeys } from '../../src/config/keys.ts';

const README = readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'README.md'), 'utf8');

describe('README', () => {
  it('documents every configuration key (npm run config:keys prints the table)', () => {
    const keys = configKeys().map((k) => k.path);
    expect(keys).to.include.members(['shop.url', 'sftp.hostKeySha256', 'stock.warehouses', 'orders.exportStates', 'orders.divalto.columns']);
    const missing = keys.filter((k) => !README.includes(`\`${k}\``));
    expect(missing, 'keys absent from README.md').to.deep.equal([]);
  });

  it('gives the two commands a new user runs', () => {
    expect(README).to.contain('npm install && npm run demo');
    expect(README).to.contain('npm install && npm test');
  });
});
