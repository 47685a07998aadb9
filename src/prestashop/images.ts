// A product's images through /api/images/products/{id}[/{id_image}] (transcripts 057–067): upload as a
// multipart part named "image" (the first image of a product becomes its cover), replace in place with
// ps_method=PUT (same id, same position, the cover stays), list. An upload whose outcome is unknown (timeout,
// 5xx) is checked by listing the product's images before it is sent again: never a second copy.
import type { ShopClient } from './client.ts';

export interface ImageUpload { bytes: Uint8Array; fileName: string; mime: string }

/** The ids of a product's images, in the shop's order; [] for a product without any (or gone). */
export async function listProductImages(client: ShopClient, idProduct: string): Promise<string[]> {
  return client.imageRequest('GET', idProduct, undefined, undefined, {
    onSuccess: (text) => [...text.matchAll(/<declination\b[^>]*\bid="(\d+)"/g)].map((m) => m[1]!),
    onFailure: (status) => (status === 404 ? { value: [] } : undefined),
  });
}

function form(image: ImageUpload): FormData {
  const f = new FormData();
  f.append('image', new Blob([image.bytes], { type: image.mime }), image.fileName);
  return f;
}

/** Uploads one image; `before` is what the product had, so that an unknown outcome finds the new one. */
export async function uploadProductImage(client: ShopClient, idProduct: string, image: ImageUpload, before: readonly string[]): Promise<string> {
  if (client.isDryRun) {
    client.writes.add({ method: 'POST', resource: 'images', fields: ['image'], dryRun: true });
    return 'dry-run';
  }
  const id = await client.imageRequest('POST', idProduct, undefined, form(image), {
    onSuccess: (text) => {
      const m = /<image>\s*<id>(?:<!\[CDATA\[)?(\d+)/.exec(text);
      if (m === null) throw new Error("réponse de la boutique sans identifiant d'image");
      return m[1]!;
    },
    verify: async () => {
      const fresh = (await listProductImages(client, idProduct)).filter((i) => !before.includes(i));
      return fresh.length === 1 ? { value: fresh[0]! } : undefined;
    },
  });
  client.writes.add({ method: 'POST', resource: 'images', id, fields: ['image'], dryRun: false });
  return id;
}

/** Replaces an image's bytes in place; 'gone' when the shop no longer has that image (deleted by hand). */
export async function replaceProductImage(client: ShopClient, idProduct: string, idImage: string, image: ImageUpload): Promise<'replaced' | 'gone'> {
  if (client.isDryRun) {
    client.writes.add({ method: 'PUT', resource: 'images', id: idImage, fields: ['image'], dryRun: true });
    return 'replaced';
  }
  const outcome = await client.imageRequest('POST', idProduct, idImage, form(image), {
    replace: true,
    onSuccess: () => 'replaced' as const,
    onFailure: (status) => (status === 404 ? { value: 'gone' as const } : undefined),
  });
  if (outcome === 'replaced') client.writes.add({ method: 'PUT', resource: 'images', id: idImage, fields: ['image'], dryRun: false });
  return outcome;
}
