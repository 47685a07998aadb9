// The image step of the products flow: the article's images (REF.jpg the cover, REF-2.jpg, …, found by
// pipelines/steps/image-sources.ts) sent to its product once. Each image is remembered under
// « reference#position » with the sha256 of what was sent: unchanged bytes are never sent again (a new mtime alone costs one read, no request), changed bytes
// replace the image in place (same id, the cover stays), a file that is not an image is refused by its bytes.
// Images are never deleted from the shop: one removed from the folder stays, with a remark.
import { createHash } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { FileContext } from '../../src/pipeline.ts';
import { listProductImages, replaceProductImage, uploadProductImage } from '../../src/prestashop/images.ts';
import { normalizeKey } from '../../transforms/common/numbers.ts';
import { describeContent, imageIndex, imageKind, imagesOfArticle, type ImageIndex } from '../../transforms/images/files.ts';

const ENTITY = 'product-image';
/** PS_LIMIT_UPLOAD_IMAGE_VALUE of a default install (8 MB, counted as 8,000,000 bytes). */
export const MAX_BYTES = 8_000_000;

interface FileStat { name: string; size: number; mtimeMs: number }

/** One image of an article, wherever it comes from (pipelines/steps/image-sources.ts): `size` and `mtimeMs`
 *  when it is a local file (unchanged ones are then not even read), `read` throws `ImageUnavailable`. */
export interface ImageFile { position: number; name: string; size?: number; mtimeMs?: number; read(): Promise<Buffer> }
export interface ArticleImages { images: ImageFile[]; problems: string[] }

/** An image that cannot be had (a URL that does not answer, a path out of the drop folder): a remark. */
export class ImageUnavailable extends Error {}

/** The images folder as one file's loads see it: listed and stat'ed once. */
export class ImageFolder {
  private constructor(
    readonly dir: string,
    private readonly stats: Map<string, FileStat>,
    private readonly index: ImageIndex,
  ) {}

  static async open(dir: string): Promise<ImageFolder> {
    const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
    const stats = new Map<string, FileStat>();
    for (const e of entries) {
      if (!e.isFile() || e.name.startsWith('.')) continue; // links are not followed, as in the drop folder
      const st = await fs.lstat(path.join(dir, e.name)).catch(() => undefined);
      if (st?.isFile()) stats.set(e.name, { name: e.name, size: st.size, mtimeMs: st.mtimeMs });
    }
    return new ImageFolder(dir, stats, imageIndex([...stats.keys()]));
  }

  /** The article's images with what identifies their version without reading them (for the fingerprint). */
  of(reference: string, isReference: (base: string) => boolean = () => false): { images: Array<{ position: number; file: FileStat }>; problems: string[] } {
    const { images, problems } = imagesOfArticle(reference, this.index, isReference);
    return { images: images.map((i) => ({ position: i.position, file: this.stats.get(i.name)! })), problems };
  }

  /** The article's images, ready for the image step. */
  files(reference: string, isReference?: (base: string) => boolean): ArticleImages {
    const { images, problems } = this.of(reference, isReference);
    return {
      images: images.map(({ position, file }) => ({ position, name: file.name, size: file.size, mtimeMs: file.mtimeMs, read: () => fs.readFile(path.join(this.dir, file.name)) })),
      problems,
    };
  }

  /** A stamp per image for the product's desired state: a changed file changes the product's fingerprint. */
  stamps(reference: string, isReference?: (base: string) => boolean): string[] {
    return this.of(reference, isReference).images.map((i) => `${i.position}:${i.file.name}:${i.file.size}:${Math.trunc(i.file.mtimeMs)}`);
  }
}

export interface ImagesOutcome { sent: number; replaced: number; unchanged: number; problems: string[] }

interface Remembered { product?: string; sha256?: string; size?: number; mtimeMs?: number; pending?: boolean; before?: string[] }

/** Sends what changed among the article's images to product `idProduct`. Problems are remarks for the report. */
export async function syncProductImages(ctx: FileContext, source: ImageFolder | ArticleImages, reference: string, idProduct: string, isReference?: (base: string) => boolean): Promise<ImagesOutcome> {
  const out: ImagesOutcome = { sent: 0, replaced: 0, unchanged: 0, problems: [] };
  const { images, problems } = source instanceof ImageFolder ? source.files(reference, isReference) : source;
  out.problems.push(...problems);
  let before: string[] | undefined;
  const shopImages = async (): Promise<string[]> => (before ??= await listProductImages(ctx.shop, idProduct));
  const ref = normalizeKey(reference).toLowerCase();

  for (const file of images) {
    const position = file.position;
    const key = `${ref}#${position}`;
    const known = ctx.state.lookup(ENTITY, key);
    const data = (known?.data ?? {}) as Remembered;
    const sameProduct = known !== undefined && data.product === idProduct;
    if (sameProduct && data.pending !== true && file.size !== undefined && data.size === file.size && data.mtimeMs === file.mtimeMs) {
      out.unchanged++;
      continue;
    }
    let bytes: Buffer;
    try {
      bytes = await file.read();
    } catch (err) {
      if (!(err instanceof ImageUnavailable)) throw err;
      out.problems.push(`image ${file.name} non envoyée : ${err.message}`);
      continue;
    }
    const sha256 = createHash('sha256').update(bytes).digest('hex');
    const stamp = { product: idProduct, sha256, ...(file.size !== undefined ? { size: file.size, mtimeMs: file.mtimeMs } : {}) };
    if (sameProduct && data.pending !== true && data.sha256 === sha256) {
      ctx.state.remember(ENTITY, key, known.shopId, stamp);
      out.unchanged++;
      continue;
    }
    const kind = imageKind(bytes);
    if (kind === undefined) {
      out.problems.push(`image ${file.name} refusée : ce n'est pas une image JPEG, PNG, GIF ou WebP (contenu : ${describeContent(bytes)})`);
      continue;
    }
    if (bytes.length > MAX_BYTES) {
      out.problems.push(`image ${file.name} refusée : ${(bytes.length / 1e6).toFixed(1)} Mo, au-delà des 8 Mo que la boutique accepte`);
      continue;
    }
    const upload = { bytes, fileName: `image-${position}.${kind.ext}`, mime: kind.mime };
    if (sameProduct && data.pending !== true) {
      if ((await replaceProductImage(ctx.shop, idProduct, known.shopId, upload)) === 'replaced') {
        ctx.state.remember(ENTITY, key, known.shopId, stamp);
        out.replaced++;
        continue;
      }
    }
    if (ctx.dryRun) {
      await uploadProductImage(ctx.shop, idProduct, upload, []);
      out.sent++;
      continue;
    }
    const existing = await shopImages();
    // Killed after an upload and before it was remembered: the shop's image that no key of this product
    // claims is that upload; it is replaced with these bytes rather than sent a second time.
    const adopted = data.pending === true && data.product === idProduct ? unclaimed(ctx, ref, idProduct, existing, data.before ?? []) : undefined;
    if (adopted !== undefined && (await replaceProductImage(ctx.shop, idProduct, adopted, upload)) === 'replaced') {
      ctx.state.remember(ENTITY, key, adopted, stamp);
      out.replaced++;
      continue;
    }
    ctx.state.remember(ENTITY, key, known?.shopId ?? '0', { product: idProduct, pending: true, before: [...existing] });
    const id = await uploadProductImage(ctx.shop, idProduct, upload, existing);
    existing.push(id);
    ctx.state.remember(ENTITY, key, id, stamp);
    out.sent++;
  }
  return out;
}

/** The one image the product gained since the interrupted upload that none of its remembered positions names. */
function unclaimed(ctx: FileContext, ref: string, idProduct: string, existing: readonly string[], before: readonly string[]): string | undefined {
  const claimed = new Set(ctx.state.keysOf(ENTITY).filter((k) => k.startsWith(`${ref}#`))
    .map((k) => ctx.state.lookup(ENTITY, k)).filter((r) => r !== undefined && (r.data as Remembered).product === idProduct && (r.data as Remembered).pending !== true)
    .map((r) => r!.shopId));
  const free = existing.filter((id) => !claimed.has(id) && !before.includes(id));
  return free.length === 1 ? free[0] : undefined;
}
