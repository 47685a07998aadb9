// The dashboard's words, French first (the ADV staff read it), English for an integrator who asks.
// Reasons inside reports stay as the engine wrote them (French).
export type Lang = 'fr' | 'en';

const FR = {
  title: 'prestasync — tableau de bord',
  navPipelines: 'Flux', navRuns: 'Exécutions', navFiles: 'Fichiers', navQuarantine: 'Quarantaine', navOrders: 'Commandes', navReconcile: 'Réconciliation',
  logout: 'Se déconnecter', login: 'Connexion', user: 'Utilisateur', password: 'Mot de passe', signIn: 'Se connecter',
  badLogin: 'Utilisateur ou mot de passe incorrect.',
  pipeline: 'Flux', lastRun: 'Dernier passage', nextRun: 'Prochain passage planifié', counts: 'Comptes', state: 'État',
  read: 'lus', created: 'créés', updated: 'mis à jour', unchanged: 'inchangés', rejected: 'rejetés', writes: 'écritures',
  syncNow: 'Synchroniser maintenant', syncAsked: 'Synchronisation demandée', inProgress: 'En cours ou en attente',
  stateOk: 'ok', statePartial: 'partiel', stateFailing: 'en échec', stateNever: 'jamais exécuté',
  never: 'jamais', none: 'aucun',
  runs: 'Historique des exécutions', run: 'Exécution', started: 'Début', finished: 'Fin', trigger: 'Déclencheur', status: 'Statut', files: 'Fichiers',
  noRuns: 'Aucune exécution enregistrée.',
  file: 'Fichier', report: 'Rapport', reason: 'Motif', line: 'Ligne', key: 'Clé', rejects: 'Lignes rejetées', noRejects: 'Aucune ligne rejetée.',
  warnings: 'Remarques', download: 'Télécharger le fichier archivé', downloadRejects: 'Télécharger les rejets (CSV)',
  replay: 'Rejouer', replayAsked: 'Rejeu demandé', replayOf: 'Rejeu de', replays: 'Rejeux de ce fichier', noReport: 'Rapport introuvable dans l’archive.',
  quarantine: 'Quarantaine', quarantineHelp: 'Fichiers mis de côté, avec la raison. Corrigez la cause puis « Rejouer ».', noQuarantine: 'Aucun fichier en quarantaine.',
  filesTitle: 'Fichiers traités', noFiles: 'Aucun fichier traité.',
  orders: 'Commandes', order: 'Commande', erpFile: 'Fichier ERP', relaunch: 'Relancer', relaunchHelp: 'Les commandes retenues sont réexaminées au prochain passage du flux des commandes.',
  waiting: 'En attente', exported: 'Exportées', held: 'Retenues', cancelledAfterExport: 'Annulées après export', acknowledged: 'Prises en compte par l’ERP', cancelledBeforeExport: 'Annulées avant export',
  noOrders: 'Aucune commande.', date: 'Date',
  reconcile: 'Réconciliation', noReconcile: 'Aucune réconciliation', reconcileHelp: 'Ce que la boutique contient comparé à ce que l’ERP a dit en dernier.',
  checked: 'vérifiés', drifted: 'écarts', entity: 'Objet', field: 'Champ', erp: 'ERP', shop: 'Boutique', kind: 'Écart', noDrift: 'Aucun écart.',
  downloadCsv: 'Télécharger le CSV', fix: 'Corriger (réécrire la valeur de l’ERP)', fixAsked: 'Correction demandée',
  st_done: 'traité', st_partial: 'traité partiellement', st_duplicate: 'doublon', st_quarantined: 'quarantaine', st_processing: 'en cours', st_deferred: 'reporté',
  st_running: 'en cours', st_failed: 'en échec', st_error: 'erreur', st_skipped: 'laissé en place', st_blocked: 'bloqué',
  language: 'English',
};

export type Words = typeof FR;

const EN: Words = {
  title: 'prestasync — dashboard',
  navPipelines: 'Flows', navRuns: 'Runs', navFiles: 'Files', navQuarantine: 'Quarantine', navOrders: 'Orders', navReconcile: 'Reconciliation',
  logout: 'Log out', login: 'Log in', user: 'User', password: 'Password', signIn: 'Log in',
  badLogin: 'Wrong user or password.',
  pipeline: 'Flow', lastRun: 'Last run', nextRun: 'Next scheduled run', counts: 'Counts', state: 'State',
  read: 'read', created: 'created', updated: 'updated', unchanged: 'unchanged', rejected: 'rejected', writes: 'writes',
  syncNow: 'Synchronise now', syncAsked: 'Synchronisation requested', inProgress: 'Running or waiting',
  stateOk: 'ok', statePartial: 'partial', stateFailing: 'failing', stateNever: 'never run',
  never: 'never', none: 'none',
  runs: 'Run history', run: 'Run', started: 'Started', finished: 'Finished', trigger: 'Trigger', status: 'Status', files: 'Files',
  noRuns: 'No run recorded.',
  file: 'File', report: 'Report', reason: 'Reason', line: 'Line', key: 'Key', rejects: 'Rejected lines', noRejects: 'No rejected line.',
  warnings: 'Remarks', download: 'Download the archived file', downloadRejects: 'Download the rejects (CSV)',
  replay: 'Replay', replayAsked: 'Replay requested', replayOf: 'Replay of', replays: 'Replays of this file', noReport: 'Report not found in the archive.',
  quarantine: 'Quarantine', quarantineHelp: 'Files set aside, with the reason. Fix the cause, then « Replay ».', noQuarantine: 'No file in quarantine.',
  filesTitle: 'Processed files', noFiles: 'No file processed.',
  orders: 'Orders', order: 'Order', erpFile: 'ERP file', relaunch: 'Retry', relaunchHelp: 'Held orders are examined again at the next run of the orders flow.',
  waiting: 'Waiting', exported: 'Exported', held: 'Held', cancelledAfterExport: 'Cancelled after export', acknowledged: 'Acknowledged by the ERP', cancelledBeforeExport: 'Cancelled before export',
  noOrders: 'No order.', date: 'Date',
  reconcile: 'Reconciliation', noReconcile: 'No reconciliation', reconcileHelp: 'What the shop holds compared with what the ERP last said.',
  checked: 'checked', drifted: 'drifts', entity: 'Object', field: 'Field', erp: 'ERP', shop: 'Shop', kind: 'Drift', noDrift: 'No drift.',
  downloadCsv: 'Download the CSV', fix: 'Fix (write the ERP value back)', fixAsked: 'Fix requested',
  st_done: 'done', st_partial: 'partial', st_duplicate: 'duplicate', st_quarantined: 'quarantined', st_processing: 'processing', st_deferred: 'deferred',
  st_running: 'running', st_failed: 'failed', st_error: 'error', st_skipped: 'left in place', st_blocked: 'blocked',
  language: 'Français',
};

export function words(lang: Lang): Words {
  return lang === 'en' ? EN : FR;
}

export function statusWord(w: Words, status: string): string {
  return (w as Record<string, string>)[`st_${status}`] ?? status;
}

export function formatDate(lang: Lang, timezone: string, iso: string | null | undefined): string {
  if (!iso) return '—';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleString(lang === 'en' ? 'en-GB' : 'fr-FR', { dateStyle: 'short', timeStyle: 'medium', timeZone: timezone });
}
