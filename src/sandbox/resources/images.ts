// /api/images/products/{id}[/{id_image}]: upload (multipart part "image"), list, binary, delete
// (transcripts 057-067). Image rows live in the store's 'images' table; bytes in state.imageFiles.
import { XML_HEAD, XML_TAIL } from '../render-xml.ts';
import { parseMultipart } from '../parse-request.ts';
import type { WsAnswer, WsRequest } from '../router.ts';
import type { ShopState } from '../state.ts';
import type { Row } from '../store.ts';
import { WsError } from '../ws-error.ts';

const cdata = (v: string): string => `<![CDATA[${v}]]>`;
const xml = (body: string): WsAnswer => ({ status: 200, body: XML_HEAD + body + XML_TAIL, contentType: 'text/xml;charset=utf-8' });
const uploadError = (message: string): WsError => new WsError(400, [{ code: 76, message }]);

function isImage(data: Buffer): boolean {
  const hex = data.subarray(0, 12).toString('hex');
  return hex.startsWith('ffd8ff') || hex.startsWith('89504e47') || hex.startsWith('47494638')
    || (hex.startsWith('52494646') && data.subarray(8, 12).toString() === 'WEBP');
}

function imagesOf(state: ShopState, idProduct: number): Row[] {
  return (state.store.lookup('images', 'id_product', [String(idProduct)]) ?? []);
}

function syncProduct(state: ShopState, idProduct: number): void {
  const product = state.store.get('products', idProduct);
  if (!product) return;
  const imgs = imagesOf(state, idProduct);
  (product.associations ??= {}).images = imgs.map((i) => ({ id: i.id }));
  const cover = imgs.find((i) => i.cover === '1') ?? imgs[0];
  product.id_default_image = cover?.id ?? '';
}

export function handleImages(state: ShopState, req: WsRequest, segments: Array<string | undefined>): WsAnswer {
  const [kind, productPart, imagePart] = segments;
  if (kind !== 'products') throw new WsError(400, [{ code: 27, message: `Image type "${kind ?? ''}" is not supported by the sandbox` }]);
  const idProduct = Number(productPart);
  const product = Number.isInteger(idProduct) ? state.store.get('products', idProduct) : undefined;
  const method = req.method === 'HEAD' ? 'GET' : req.method;
  if (!product) {
    if (method === 'GET') return { status: 404, body: '', contentType: '' };
    throw new WsError(404, [{ code: 87, message: `Id(s) not exists: ${productPart ?? ''}` }]);
  }
  if (imagePart !== undefined && imagePart !== '') {
    const idImage = Number(imagePart);
    const row = state.store.get('images', idImage);
    if (!row || row.id_product !== String(idProduct)) {
      if (method === 'GET') return { status: 404, body: '', contentType: '' };
      throw new WsError(404, [{ code: 87, message: `Id(s) not exists: ${imagePart}` }]);
    }
    if (method === 'DELETE') {
      state.store.delete('images', idImage);
      state.imageFiles.delete(idImage);
      syncProduct(state, idProduct);
      return { status: 200, body: '', contentType: '' };
    }
    const data = state.imageFiles.get(idImage);
    if (!data) throw new WsError(500, [{ code: 61, message: 'This image does not exist on disk' }]);
    return { status: 200, body: data, contentType: 'image/jpeg' };
  }
  if (method === 'GET') {
    const decl = imagesOf(state, idProduct).map((i) => `<declination id="${i.id}" xlink:href="${req.api}/images/products/${idProduct}/${i.id}"/>\n`);
    return xml(`<image id="${idProduct}">\n${decl.join('')}</image>\n`);
  }
  if (method !== 'POST') throw new WsError(405, [{ code: 23, message: `Method ${method} is not valid` }]);
  const part = parseMultipart(req.body, req.headers['content-type'] ?? '').find((p) => p.name === 'image');
  if (!part) throw uploadError('Please set an "image" parameter with image data for value');
  if (!/^image\//.test(part.contentType ?? '')) {
    throw uploadError('Image upload error : Image format not recognized, allowed formats are: gif, jpg, jpeg, jpe, png, webp');
  }
  const existing = imagesOf(state, idProduct);
  const row = state.store.insert('images', {
    id_product: String(idProduct), position: String(existing.length + 1), cover: existing.length === 0 ? '1' : '0',
    legend: Object.fromEntries(state.languages.map((l) => [l, ''])),
  });
  if (!isImage(part.data)) {
    // The shop inserts the row before copying the file: a bad file leaves an orphan row (061/063).
    syncProduct(state, idProduct);
    throw uploadError('An error occurred while copying image');
  }
  state.imageFiles.set(Number(row.id), part.data);
  syncProduct(state, idProduct);
  const legend = state.languages.map((l) => `<language id="${l}" xlink:href="${req.api}/languages/${l}">${cdata('')}</language>`).join('');
  return xml(`<image>\n<id>${cdata(row.id)}</id>\n<id_product>${cdata(String(idProduct))}</id_product>\n<position>${cdata(String(row.position))}</position>\n`
    + `<cover>${cdata(String(row.cover))}</cover>\n<legend>${legend}</legend>\n</image>\n<content encode="base64">${cdata(part.data.toString('base64'))}</content>\n`);
}
