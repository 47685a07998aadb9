// Where the products flow takes an article's images from (issue 8): beside the articles file (REF.jpg,
// REF-2.jpg in the folder it was dropped in, before drop/images/), or an image column of a column export:
// a URL fetched with a time and size limit, a path read inside the drop folder only.
import { expect } from 'chai';
import { promises as fs } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { formatSage } from '../../src/erp/format-sage/format.ts';
import type { FileReport } from '../../src/report.ts';
import { categories } from '../../pipelines/categories.ts';
import { products } from '../../pipelines/products.ts';
import { catalogueRecords, encodeFormatSage } from '../fixtures/erp/sage/make-catalogue.ts';
import { makeWorkspace, reportOf, type Workspace } from '../support/workspace.ts';

const jpeg = (tag: string): Buffer => Buffer.concat([Buffer.from('ffd8ffe000104a464946', 'hex'), Buffer.from(tag)]);
const HEADER = 'Code article;Libellé;PV HT;Taux de TVA;Code Famille Articles;Code sous-famille article;Code barre;Photo';

describe('article images beside the file and from an image column', () => {
  let ws: Workspace;
  let server: http.Server | undefined;
  afterEach(async () => {
    if (server) {
      server.closeAllConnections();
      await new Promise((r) => server!.close(r));
      server = undefined;
    }
    await ws.close();
  });

  const imagesOf = (ref: string) => {
    const id = String(ws.shop.store.list('products').find((p) => p.reference === ref)?.id);
    return ws.shop.store.list('images').filter((i) => i.id_product === id);
  };
  const imageBytes = async (ref: string): Promise<string[]> => {
    const id = String(ws.shop.store.list('products').find((p) => p.reference === ref)?.id);
    const out: string[] = [];
    for (const i of imagesOf(ref)) {
      const res = await fetch(`${ws.shop.url}/api/images/products/${id}/${String(i.id)}`, { headers: { Authorization: `Basic ${Buffer.from(`${ws.shop.key}:`).toString('base64')}` } });
      out.push(Buffer.from(await res.arrayBuffer()).subarray(10).toString());
    }
    return out;
  };

  it('REF.jpg beside a Format Sage export wins over drop/images/, and is never taken as a file of its own', async () => {
    ws = await makeWorkspace();
    await fs.mkdir(path.join(ws.drop, 'images'));
    await fs.writeFile(path.join(ws.drop, 'images', 'ART001.jpg'), jpeg('from images/'));
    await fs.writeFile(path.join(ws.drop, 'images', 'ART002.jpg'), jpeg('ART002 from images/'));
    await fs.writeFile(path.join(ws.drop, 'ART001.jpg'), jpeg('beside'));
    await fs.writeFile(path.join(ws.drop, 'ART001-2.jpg'), jpeg('beside, second'));
    await fs.writeFile(path.join(ws.drop, 'catalogue.txt'), encodeFormatSage(catalogueRecords()));
    const run = await (await ws.engine({ pipelines: [categories, products], documents: [formatSage] })).runOnce();
    expect(run.files.map((f) => f.name)).to.deep.equal(['catalogue.txt']);
    expect(await imageBytes('ART001')).to.deep.equal(['beside', 'beside, second']);
    expect(await imageBytes('ART002'), 'nothing beside: drop/images/').to.deep.equal(['ART002 from images/']);
    expect((await fs.readdir(ws.drop)).sort()).to.include.members(['ART001.jpg', 'ART001-2.jpg']);
  });

  it('an image column: a URL fetched once, a path inside the drop folder; out of the folder, a link out, a slow or too big URL refused with a reason', async () => {
    const requests: string[] = [];
    server = http.createServer((req, res) => {
      requests.push(req.url ?? '');
      if (req.url === '/ok.jpg') res.end(jpeg('from the web'));
      else if (req.url === '/big.jpg') { res.writeHead(200, { 'content-length': '9000000' }); res.write(jpeg('x')); }
      else if (req.url === '/slow.jpg') { /* never answers */ }
      else { res.writeHead(404); res.end(); }
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    const base = `http://user:secret@127.0.0.1:${(server.address() as AddressInfo).port}`;
    ws = await makeWorkspace({ config: { erp: { profile: 'ebp', flows: { products: { encoding: 'utf-8', delimiter: ';', columns: { images: 'Photo' } } } }, catalog: { imageTimeoutMs: 300 } } });
    await fs.mkdir(path.join(ws.drop, 'photos'));
    await fs.writeFile(path.join(ws.drop, 'photos', 'AR2.jpg'), jpeg('from photos/'));
    const outside = await fs.mkdtemp(path.join(os.tmpdir(), 'prestasync-outside-'));
    await fs.writeFile(path.join(outside, 'secret.jpg'), jpeg('secret'));
    await fs.symlink(path.join(outside, 'secret.jpg'), path.join(ws.drop, 'photos', 'lien.jpg'));
    const rows = [
      `AR1;Article un;10,00;20,00;;;;${base}/ok.jpg`,
      'AR2;Article deux;10,00;20,00;;;;..\\photos\\AR2.jpg',
      'AR3;Article trois;10,00;20,00;;;;../../secret.jpg | ../photos/lien.jpg',
      `AR4;Article quatre;10,00;20,00;;;;${base}/slow.jpg | ${base}/big.jpg | ${base}/absent.jpg`,
    ];
    await fs.mkdir(path.join(ws.drop, 'products'));
    const drop = async (name: string, lines: string[]): Promise<FileReport> => {
      await fs.writeFile(path.join(ws.drop, 'products', name), [HEADER, ...lines].join('\r\n'));
      await (await ws.engine({ pipelines: [categories, products] })).runOnce();
      return reportOf(ws, name);
    };
    const report = await drop('produits1.csv', rows);
    expect(report.records, report.summary).to.deep.include({ created: 4, rejected: 0 });
    expect(await imageBytes('AR1')).to.deep.equal(['from the web']);
    expect(await imageBytes('AR2')).to.deep.equal(['from photos/']);
    expect(imagesOf('AR3')).to.deep.equal([]);
    expect(imagesOf('AR4')).to.deep.equal([]);
    const remarks = report.warnings.join('\n');
    expect(remarks).to.match(/AR3 : image 1 : chemin « \.\.\/\.\.\/secret\.jpg » hors du dossier de dépôt/);
    expect(remarks).to.match(/AR3 : image 2 : lien\.jpg est un lien qui sort du dossier de dépôt : refusé/);
    expect(remarks).to.match(/slow\.jpg n'a pas été reçue en 0,3 s/);
    expect(remarks).to.match(/big\.jpg dépasse les 8 Mo/);
    expect(remarks).to.match(/absent\.jpg répond HTTP 404/);
    expect(JSON.stringify(report), 'no password in a report').not.to.contain('secret@');

    // the same rows again (another file): nothing fetched, nothing written
    const fetched = requests.length;
    const writes = ws.shop.requests.filter((r) => r.method !== 'GET').length;
    const again = await drop('produits2.csv', [...rows, '']);
    expect(again.records).to.deep.include({ created: 0, updated: 0 });
    expect(requests.length).to.equal(fetched);
    expect(ws.shop.requests.filter((r) => r.method !== 'GET').length).to.equal(writes);
    await fs.rm(outside, { recursive: true, force: true });
  });
});
