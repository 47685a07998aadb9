// Which pipeline a dropped file belongs to: its drop/<pipeline>/ folder, else the ERP profile's file-name
// patterns, else its content where the format says what it is. Anything else is quarantined, with why.
import type { ErpProfile } from '../erp/profile.ts';
import { matchFlow } from '../erp/profile.ts';
import { sniffFlow } from '../erp/sniff.ts';
import type { AnyFilePipeline, Pipeline } from '../pipeline.ts';

export type Route = { pipeline: AnyFilePipeline; how: string } | { unroutable: string };

export function routeFile(
  file: { name: string; folder?: string; head: Buffer },
  pipelines: readonly Pipeline[],
  profile: ErpProfile,
): Route {
  const filePipelines = pipelines.filter((p): p is AnyFilePipeline => p.kind === 'file');
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
