import { expect } from 'chai';
import { describeContent, imageIndex, imageKind, imagesOfArticle } from '../../../transforms/images/files.ts';

const JPEG = Buffer.from('ffd8ffe000104a464946', 'hex');
const PNG = Buffer.from('89504e470d0a1a0a0000000d', 'hex');

describe('article images by file name', () => {
  const index = imageIndex(['VIS-4X40.JPG', 'vis-4x40-2.png', 'VIS-4X40-10.webp', 'VIS-4X40-3.gif', 'notes.txt', 'CHEVILLE-6.jpg', 'CHEVILLE-6.png', 'VIS-4X40-1.jpg', 'CLOU-2.jpg']);

  it('takes REF.ext as the cover and REF-n in number order, case-insensitively, other names left out', () => {
    const { images, problems } = imagesOfArticle('VIS-4X40', index, () => false);
    expect(images).to.deep.equal([
      { position: 1, name: 'VIS-4X40.JPG' }, { position: 2, name: 'vis-4x40-2.png' }, { position: 3, name: 'VIS-4X40-3.gif' }, { position: 10, name: 'VIS-4X40-10.webp' },
    ]);
    expect(problems).to.have.length(1);
    expect(problems[0]).to.match(/^VIS-4X40-1\.jpg : numéro d'image 1/);
  });

  it('sends neither of two files for one position, and says so', () => {
    const { images, problems } = imagesOfArticle('CHEVILLE-6', index, () => false);
    expect(images).to.deep.equal([]);
    expect(problems).to.deep.equal(["plusieurs fichiers pour l'image 1 de CHEVILLE-6 (CHEVILLE-6.jpg, CHEVILLE-6.png) : aucun n'est envoyé"]);
  });

  it('gives CLOU-2.jpg to the article CLOU-2 when that reference exists, not as the second image of CLOU', () => {
    expect(imagesOfArticle('CLOU', index, (b) => b === 'clou-2').images).to.deep.equal([]);
    expect(imagesOfArticle('CLOU', index, () => false).images).to.deep.equal([{ position: 2, name: 'CLOU-2.jpg' }]);
    expect(imagesOfArticle('CLOU-2', index, () => false).images).to.deep.equal([{ position: 1, name: 'CLOU-2.jpg' }]);
  });

  it('knows an image by its bytes, whatever its name, and names what it is not', () => {
    expect(imageKind(JPEG)).to.deep.equal({ mime: 'image/jpeg', ext: 'jpg' });
    expect(imageKind(PNG)).to.deep.equal({ mime: 'image/png', ext: 'png' });
    expect(imageKind(Buffer.from('GIF89a....'))).to.deep.equal({ mime: 'image/gif', ext: 'gif' });
    expect(imageKind(Buffer.from('RIFF\x10\x00\x00\x00WEBPVP8 ', 'latin1'))).to.deep.equal({ mime: 'image/webp', ext: 'webp' });
    for (const bytes of [Buffer.from('AR_Ref;DE_No\r\n'), Buffer.from('%PDF-1.7'), Buffer.from('BM6\x00'), Buffer.alloc(0)]) expect(imageKind(bytes)).to.equal(undefined);
    expect(describeContent(Buffer.from('AR_Ref;DE_No\r\n'))).to.equal('du texte');
    expect(describeContent(Buffer.from('%PDF-1.7'))).to.equal('un PDF');
    expect(describeContent(Buffer.from('BM6\x00'))).to.equal('une image BMP, que la boutique ne prend pas');
    expect(describeContent(Buffer.alloc(0))).to.equal('fichier vide');
  });
});
