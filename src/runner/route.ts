// Which pipeline a dropped file belongs to: its drop/<pipeline>/ folder, else the ERP profile's file-name
// patterns, else its content where the format says what it is. A multi-flow document (a Sage « Format
// Sage » export) is recognised by its content first, wherever it is dropped: it feeds several pipelines.
// Anything else is quarantined, with why.
import type { DocumentFormat } from '../document.ts';
import type { ErpProfile } from '../erp/profile.ts';
import { matchFlow } from '../erp/profile.ts';
import { sniffFlow } from '../erp/sniff.ts';
import type { AnyFilePipeline, Pipeline } from '../pipeline.ts';

export type Route =
  | { pipeline: AnyFilePipeline; how: string }
  | { document: DocumentFormat; pipelines: AnyFilePipeline[]; how: string }
  | { unroutable: string };

export function routeFile(
  file: { name: string; folder?: string; head: Buffer },
  pipelines: readonly Pipeline[],
  profile: ErpProfile,
  documents: readonly DocumentFormat[] = [],
): Route {
  const filePipelines = pipelines.filter((p): p is AnyFilePipeline => p.kind === 'file');
  const doc = documents.find((d) => d.recognise(file.head));
  if (doc) return { document: doc, pipelines: filePipelines.filter((p) => p.documents?.[doc.name] !== undefined), how: `contenu du fichier (${doc.title})` };
  const known = filePipelines.map((p) => p.name).join(', ');
  const byName = (name: string) => filePipelines.find((p) => p.name === name);

  if (file.folder) {
    const p = byName(file.folder);
    if (p) return { pipeline: p, how: `dossier drop/${file.folder}/` };
    return { unroutable: `dossier drop/${file.folder}/ inconnu : les flux disponibles sont ${known}` };
  }
  const flow = matchFlow(profile, file.name);
  if (flow) {
    const p = byName(flow);
    if (p) return { pipeline: p, how: `nom de fichier (profil ${profile.name})` };
    return { unroutable: `le nom ${file.name} correspond au flux « ${flow} » du profil ${profile.name}, qui n'est pas encore disponible` };
  }
  const sniffed = sniffFlow(file.head, profile);
  if (sniffed.flow) {
    const p = byName(sniffed.flow);
    if (p) return { pipeline: p, how: 'contenu du fichier' };
  }
  if (sniffed.format === 'format-sage') {
    return { unroutable: 'export Sage « Format Sage » (#FLG) reconnu, mais les flux de données de base (catalogue, clients) ne sont pas encore disponibles' };
  }
  return {
    unroutable: `fichier non reconnu : déposez-le dans drop/<flux>/ (flux disponibles : ${known}) ou nommez-le selon le profil ${profile.name}`,
  };
}
