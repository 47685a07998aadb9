import { expect } from 'chai';
import { mkdtempSync, promises as fs } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listDrop } from '../../src/intake/drop-folder.ts';

describe('drop/images/', () => {
  it('is the products flow’s image folder: its files are neither flow files nor ignored entries', async () => {
    const drop = mkdtempSync(path.join(os.tmpdir(), 'prestasync-drop-'));
    try {
      await fs.mkdir(path.join(drop, 'images'));
      await fs.writeFile(path.join(drop, 'images', 'VIS-4X40.jpg'), 'x');
      await fs.mkdir(path.join(drop, 'stock'));
      await fs.writeFile(path.join(drop, 'stock', 'stock.csv'), 'x');
      const listing = await listDrop(drop);
      expect(listing.candidates.map((c) => c.name)).to.deep.equal(['stock.csv']);
      expect(listing.ignored).to.deep.equal([]);
    } finally {
      await fs.rm(drop, { recursive: true, force: true });
    }
  });
});
