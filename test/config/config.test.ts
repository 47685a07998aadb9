import { expect } from 'chai';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadConfigFile, validateConfig } from '../../src/config/load.ts';
import { ConfigError } from '../../src/errors.ts';
import { createLogger, makeRedactor } from '../../src/log.ts';

const KEY = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345';

function problemsOf(fn: () => unknown): string[] {
  let problems: string[] | undefined;
  try {
    fn();
  } catch (err) {
    expect(err).to.be.instanceOf(ConfigError);
    problems = (err as ConfigError).problems;
  }
  if (!problems) expect.fail('expected a ConfigError');
  return problems;
}

describe('configuration', () => {
  it('reports every problem at once, each with its path', () => {
    const problems = problemsOf(() => validateConfig({
      erp: { profile: 'odoo' },
      shop: { key: 'short' },
      schedules: { hourly: 'every hour' },
      stock: { quantity: 'virtual' },
    }, {}));
    expect(problems).to.include('shop.url: requis');
    expect(problems.some((p) => p.startsWith('erp.profile:'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('shop.key:') && p.includes('32'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('schedules.hourly:') && p.includes('cron'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('stock.quantity:'))).to.equal(true);
  });

  it('replaces ${VAR} from the environment and says which variable is missing', () => {
    const raw = { erp: { profile: 'sage100' }, shop: { url: 'http://127.0.0.1:8080', key: '${PRESTASHOP_KEY}' } };
    const { config, secrets } = validateConfig(raw, { PRESTASHOP_KEY: KEY });
    expect(config.shop.key).to.equal(KEY);
    expect(secrets).to.include(KEY);
    expect(config.schedules).to.deep.equal({ masterData: '0 2 * * *', hourly: '0 * * * *' });
    expect(config.stock).to.deep.equal({ quantity: 'available', warehouses: [] });
    expect(path.isAbsolute(config.paths.drop)).to.equal(true);
    const problems = problemsOf(() => validateConfig(raw, {}));
    expect(problems[0]).to.equal("shop.key: variable d'environnement PRESTASHOP_KEY absente ou vide");
  });

  it('checks the SFTP section: pinned host key format, a key or a password', () => {
    const problems = problemsOf(() => validateConfig({
      erp: { profile: 'ebp' },
      shop: { url: 'http://127.0.0.1:8080', key: KEY },
      sftp: { host: 'sftp.example.com', username: 'erp', hostKeySha256: 'aa:bb', inbound: '/exports', outbound: '/imports' },
    }, {}));
    expect(problems.some((p) => p.startsWith('sftp.hostKeySha256:'))).to.equal(true);
    expect(problems.some((p) => p.startsWith('sftp.privateKey:'))).to.equal(true);
  });

  it('names the missing file and a YAML syntax error', () => {
    expect(problemsOf(() => loadConfigFile('/nonexistent/prestasync.yaml', {}))[0]).to.match(/introuvable/);
    const dir = mkdtempSync(path.join(os.tmpdir(), 'prestasync-cfg-'));
    const file = path.join(dir, 'bad.yaml');
    writeFileSync(file, 'shop:\n  url: [unclosed\n');
    expect(problemsOf(() => loadConfigFile(file, {}))[0]).to.match(/YAML invalide/);
  });
});

describe('secrets in logs', () => {
  it('masks the shop key, its Basic-auth form and passwords in messages and metadata', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'prestasync-log-'));
    const log = createLogger({ dir, secrets: [KEY, 'hunter2-secret'], console: false });
    const basic = Buffer.from(`${KEY}:`).toString('base64');
    log.error(`request failed with key ${KEY}`, { headers: { authorization: `Basic ${basic}` }, nested: { password: 'hunter2-secret' } });
    await new Promise((r) => setTimeout(r, 200));
    log.close();
    await new Promise((r) => setTimeout(r, 100));
    const { readdirSync, readFileSync } = await import('node:fs');
    const files = readdirSync(dir).filter((f) => f.endsWith('.log'));
    expect(files).to.have.length(1);
    const text = readFileSync(path.join(dir, files[0]!), 'utf8');
    expect(text).to.contain('request failed with key ***');
    expect(text).not.to.contain(KEY);
    expect(text).not.to.contain(basic);
    expect(text).not.to.contain('hunter2-secret');
  });

  it('redactor leaves text without secrets untouched', () => {
    expect(makeRedactor([KEY])('stock VIS-4X40 = 12')).to.equal('stock VIS-4X40 = 12');
  });
});
