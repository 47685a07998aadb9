// A failure of the file system about one file, told in French with what to do: these reasons reach the
// report, the console and the dashboard, where « EACCES: permission denied » helps nobody.
import { errorMessage } from '../errors.ts';

const BY_CODE: Record<string, string> = {
  EACCES: "accès refusé : le compte sous lequel prestasync tourne ne peut pas lire ou déplacer ce fichier ; donnez-lui les droits de lecture (et d'écriture sur le dossier), puis redéposez le fichier",
  EPERM: "opération refusée par le système : vérifiez les droits du fichier et du dossier pour le compte de prestasync",
  ENAMETOOLONG: 'nom de fichier trop long pour le système de fichiers : raccourcissez-le',
  ENOSPC: "disque plein : libérez de la place (dossiers archive/ et logs/ notamment)",
  EDQUOT: 'quota disque dépassé pour le compte de prestasync',
  EIO: "erreur d'entrée/sortie du disque en lisant le fichier",
  EISDIR: "c'est un dossier, pas un fichier",
  ENOENT: 'fichier disparu pendant son traitement (déplacé ou supprimé par un autre programme)',
  EMFILE: 'trop de fichiers ouverts à la fois',
  EBUSY: 'fichier verrouillé par un autre programme',
  ELOOP: 'lien symbolique en boucle',
};

export function fsErrorCode(err: unknown): string | undefined {
  const code = (err as NodeJS.ErrnoException | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

/** A French sentence for a failure about one file; a defect of ours is named as such. */
export function describeFileFailure(err: unknown): string {
  const code = fsErrorCode(err);
  if (code && BY_CODE[code]) return `${BY_CODE[code]} (${code})`;
  if (code) return `erreur du système de fichiers (${code})`;
  return `erreur interne de prestasync : ${errorMessage(err).slice(0, 300)} (le détail est dans le journal logs/)`;
}
