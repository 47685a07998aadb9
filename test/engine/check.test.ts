// `prestasync check`: what an integrator sees before the first sync.
import { expect } from 'chai';
import { promises as fs, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { runChecks, formatChecks } from '../../src/cli/check.ts';
import { silentLogger } from '../../src/log.ts';
import { missingPermissions, parsePermissions } from '../../src/prestashop/permissions.ts';
import { PIPELINES } from '../../pipelines/registry.ts';
import { startTestSshd } from '../support/sshd.ts';
import { makeWorkspace } from '../support/workspace.ts';

const ROOT_XML = (JSON.parse(readFileSync(path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'fixtures', 'prestashop', 'transcripts', '001-s01-get-api-root.json'), 'utf8')) as { response: { body: string } }).response.body;

describe('prestasync check', function () {
  this.timeout(30000);

  it('reads the key permissions of GET /api/ and names what a flow lacks', () => {
    const perms = parsePermissions(ROOT_XML);
    expect(perms.stock_availables).to.deep.equal({ get: true, put: true, post: true, patch: true, delete: true, head: true });
    const restricted = parsePermissions(ROOT_XML.replace(/(<stock_availables [^>]*)patch="true"/, '$1patch="false"'));
    expect(missingPermissions(restricted, [{ resource: 'stock_availables', methods: ['get', 'patch'] }, { resource: 'nonexistent', methods: ['get'] }]))
      .to.deep.equal(['stock_availables : PATCH refusé', 'nonexistent : ressource non accordée à cette clé']);
  });

  it('says everything is ready against the sandbox shop and a real sshd, and what is wrong otherwise', async () => {
    const sshd = await startTestSshd();
    const inbound = path.join(sshd.root, 'exports');
    await fs.mkdir(inbound);
    const ws = await makeWorkspace({
      config: { sftp: { host: sshd.host, port: sshd.port, username: sshd.username, privateKey: sshd.privateKeyPath, hostKeySha256: sshd.hostKeySha256, inbound, outbound: path.join(sshd.root, 'imports') } },
    });
    try {
      const lines = await runChecks(ws.loaded, PIPELINES, silentLogger());
      const text = formatChecks(lines);
      expect(text).to.contain('✓ boutique : PrestaShop 8.2.0 (mises à jour par PATCH), langues fr, en');
      expect(text).to.contain('✓ droits de la clé pour le flux stock');
      expect(text).to.contain('✓ SFTP dossier des exports (inbound)');
      expect(text).to.contain(`✗ SFTP dossier des imports (outbound) : ${path.join(sshd.root, 'imports')} introuvable`);
      expect(text).to.contain('1 point(s) à corriger.');
    } finally {
      await ws.close();
      await sshd.stop();
    }
  });
});
