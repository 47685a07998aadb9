// /api/images/products/{id}[/{id_image}]: upload (multipart part "image"), list, binary, replace, delete
// (transcripts 057-067; WebserviceSpecificManagementImages and Image at 8.1.2, commit 601f1327).
// Image rows live in the store's 'images' table; bytes in state.imageFiles.
import { XML_HEAD, XML_TAIL } from '../render-xml.ts';
import { parseMultipart, type UploadPart } from '../parse-request.ts';
import type { WsAnswer, WsRequest } from '../router.ts';
import type { ShopState } from '../state.ts';
import type { Row } from '../store.ts';
import { WsError } from '../ws-error.ts';

const cdata = (v: string): string => `<![CDATA[${v}]]>`;
const xml = (body: string): WsAnswer => ({ status: 200, body: XML_HEAD + body + XML_TAIL, contentType: 'text/xml;charset=utf-8' });
const imageError = (code: number, status: number, message: string): WsError => new WsError(status, [{ code, message }]);
const EMPTY_404: WsAnswer = { status: 404, body: '', contentType: '' };

const ACCEPTED_MIME = ['image/gif', 'image/jpg', 'image/jpeg', 'image/pjpeg', 'image/png', 'image/webp', 'image/x-png'];
const ACCEPTED_EXT = ['gif', 'jpg', 'jpeg', 'jpe', 'png', 'webp'];
/** PS_LIMIT_UPLOAD_IMAGE_VALUE of a default install: 8 MB, counted as 8 * 1000 * 1000 bytes. */
const MAX_UPLOAD_BYTES = 8 * 1000 * 1000;

/** What getimagesize()/GD would open: JPEG, PNG, GIF or WebP bytes. */
function isRealImage(data: Buffer): boolean {
  const hex = data.subarray(0, 12).toString('hex');
  return hex.startsWith('ffd8ff') || hex.startsWith('89504e47') || hex.startsWith('47494638')
    || (hex.startsWith('52494646') && data.subarray(8, 12).toString() === 'WEBP');
}

function imagesOf(state: ShopState, idProduct: number): Row[] {
  return (state.store.lookup('images', 'id_product', [String(idProduct)]) ?? []).sort((a, b) => Number(a.position) - Number(b.position));
}

/** The product's images association and id_default_image (getCoverWs: the image flagged cover, if any). */
function syncProduct(state: ShopState, idProduct: number): void {
  const product = state.store.get('products', idProduct);
  if (!product) return;
  const imgs = imagesOf(state, idProduct);
  (product.associations ??= {}).images = imgs.map((i) => ({ id: i.id }));
  product.id_default_image = imgs.find((i) => i.cover === '1')?.id ?? '';
  state.store.save('products', product);
}

function imageXml(state: ShopState, req: WsRequest, row: Row, data: Buffer): string {
  const legend = state.languages.map((l) => `<language id="${l}" xlink:href="${req.api}/languages/${l}">${cdata('')}</language>`).join('');
  return `<image>\n<id>${cdata(row.id)}</id>\n<id_product>${cdata(String(row.id_product))}</id_product>\n<position>${cdata(String(row.position))}</position>\n`
    + `<cover>${cdata(String(row.cover))}</cover>\n<legend>${legend}</legend>\n</image>\n<content encode="base64">${cdata(data.toString('base64'))}</content>\n`;
}

function uploadedPart(req: WsRequest): UploadPart {
  const part = parseMultipart(req.body, req.headers['content-type'] ?? '').find((p) => p.name === 'image');
  if (!part) throw imageError(76, 400, 'Please set an "image" parameter with image data for value');
  if (part.data.length > MAX_UPLOAD_BYTES) throw imageError(72, 400, `The image size is too large (maximum allowed is ${MAX_UPLOAD_BYTES / 1000} KB)`);
  return part;
}

/**
 * POST: ImageManager::validateUpload looks at the declared type and the file name's extension (060: a
 * text/plain .txt is refused), not at the bytes. Then the Image row is inserted (position max+1, cover when
 * the product has no cover) BEFORE the file is resized: bytes GD cannot read fail with "An error occurred
 * while copying image" and leave an orphan row (061/063/064).
 */
function upload(state: ShopState, req: WsRequest, idProduct: number): WsAnswer {
  const part = uploadedPart(req);
  const ext = /\.([^.]+)$/.exec(part.filename ?? '')?.[1]?.toLowerCase() ?? '';
  if (!ACCEPTED_MIME.includes((part.contentType ?? '').toLowerCase()) || !ACCEPTED_EXT.includes(ext)) {
    throw imageError(76, 400, 'Image upload error : Image format not recognized, allowed formats are: gif, jpg, jpeg, jpe, png, webp');
  }
  const existing = imagesOf(state, idProduct);
  const row = state.store.insert('images', {
    id_product: String(idProduct), position: String(existing.reduce((m, i) => Math.max(m, Number(i.position)), 0) + 1),
    cover: existing.some((i) => i.cover === '1') ? '' : '1', legend: Object.fromEntries(state.languages.map((l) => [l, ''])),
  });
  syncProduct(state, idProduct);
  if (!isRealImage(part.data)) throw imageError(76, 400, 'An error occurred while copying image');
  state.imageFiles.set(Number(row.id), part.data);
  return xml(imageXml(state, req, row, part.data));
}

/**
 * PUT (a multipart POST with ps_method=PUT: PHP fills $_FILES only for a real POST): the type is sniffed from
 * the bytes (finfo), so a non-image is refused with 73; the image must exist on disk (63). The answer is the
 * new image itself.
 */
function replace(state: ShopState, req: WsRequest, idImage: number): WsAnswer {
  if (!state.imageFiles.has(idImage)) throw imageError(63, 500, 'This image does not exist on disk');
  const part = uploadedPart(req);
  if (!isRealImage(part.data)) {
    throw imageError(73, 400, `This type of image format is not recognized, allowed formats are: ${ACCEPTED_MIME.join('", "')}`);
  }
  state.imageFiles.set(idImage, part.data);
  return { status: 200, body: part.data, contentType: 'image/jpeg' };
}

/** Image::delete: the row and file go, positions are renumbered, and NO other image becomes the cover: the
 *  product is left without id_default_image until the next upload. */
function remove(state: ShopState, idProduct: number, idImage: number): WsAnswer {
  state.store.delete('images', idImage);
  state.imageFiles.delete(idImage);
  imagesOf(state, idProduct).forEach((img, i) => state.store.save('images', { ...img, position: String(i + 1) }));
  syncProduct(state, idProduct);
  return { status: 200, body: '', contentType: '' };
}

export function handleImages(state: ShopState, req: WsRequest, method: string, segments: Array<string | undefined>): WsAnswer {
  const [kind, productPart, imagePart] = segments;
  if (kind !== 'products') throw new WsError(400, [{ code: 27, message: `Image type "${kind ?? ''}" is not supported by the sandbox` }]);
  const idProduct = Number(productPart);
  const product = Number.isInteger(idProduct) ? state.store.get('products', idProduct) : undefined;
  if (!product) {
    if (method === 'GET') return EMPTY_404;
    throw new WsError(404, [{ code: 87, message: `Id(s) not exists: ${productPart ?? ''}` }]);
  }
  if (imagePart === undefined || imagePart === '') {
    if (method === 'GET') {
      const decl = imagesOf(state, idProduct).map((i) => `<declination id="${i.id}" xlink:href="${req.api}/images/products/${idProduct}/${i.id}"/>\n`);
      return xml(`<image id="${idProduct}">\n${decl.join('')}</image>\n`);
    }
    if (method === 'POST') return upload(state, req, idProduct);
    throw imageError(77, 405, `Method ${method} is not allowed for an image resource`);
  }
  const idImage = Number(imagePart);
  const row = state.store.get('images', idImage);
  if (!row || row.id_product !== String(idProduct)) {
    if (method === 'GET') return EMPTY_404;
    throw new WsError(404, [{ code: 87, message: `Id(s) not exists: ${imagePart}` }]);
  }
  switch (method) {
    case 'GET': {
      const data = state.imageFiles.get(idImage);
      if (!data) throw imageError(61, 500, 'This image does not exist on disk');
      return { status: 200, body: data, contentType: 'image/jpeg' };
    }
    case 'PUT': return replace(state, req, idImage);
    case 'DELETE': return remove(state, idProduct, idImage);
    case 'POST': throw imageError(65, 400, 'This image already exists. To modify it, please use the PUT method');
    default: throw imageError(67, 405, 'This method is not allowed');
  }
}
