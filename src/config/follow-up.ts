// The `orderStatus:` and `invoices:` config sections (issue #10: the ERP tells the shop how each web
// order goes on, and where its invoice is). Schema = validation = documentation (STYLE.md §3): the README's
// key table is generated from these descriptions.
import { z } from 'zod';

const stateId = z.number().int().positive();

function stage(label: string, state: number, email: boolean) {
  return z.object({
    state: z.number().int().min(0).default(state).describe(
      `État PrestaShop (id) où passe la commande au stade « ${label} » de l'ERP ; 0 = pas de changement d'état.`),
    email: z.boolean().default(email).describe(`Au stade « ${label} » : e-mail de l'état envoyé au client (order_histories?sendemail=1).`),
  }).prefault({});
}

export const orderStatusConfigSchema = z.object({
  map: z.object({
    BC: stage('bon de commande', 3, false),
    PL: stage('préparation de livraison', 3, false),
    BL: stage('bon de livraison', 4, true),
    FA: stage('facture', 0, false),
    ANNULE: stage('annulation', 6, true),
  }).prefault({}).describe('Stade ERP → état PrestaShop. Défauts : BC et PL → 3 « en cours de préparation », BL → 4 « expédiée » avec e-mail, FA → aucun changement (le flux des factures prévient le client), annulation → 6 « annulée » avec e-mail.'),
  finalStates: z.array(stateId).default([5, 7]).describe(
    'États que l\'export de l\'ERP ne fait jamais quitter (5 livrée, 7 remboursée) : une commande dans l\'un d\'eux n\'est plus modifiée, l\'écart est signalé.'),
  trackingEmail: z.boolean().default(false).describe(
    'true : le numéro de suivi est enregistré avec sendemail=1 (e-mail « en cours de livraison » de PrestaShop). Par défaut non : l\'e-mail de l\'état « expédiée » suffit.'),
  unseenWarningDays: z.number().int().min(1).default(30).describe(
    'Une commande exportée depuis plus de orders.ackDelayHours mais depuis moins de ce nombre de jours, jamais vue dans l\'export de l\'ERP, est signalée à chaque passage.'),
}).describe('Suivi des commandes depuis l\'ERP (flux order-status).');

const sftpTarget = z.object({
  host: z.string().min(1).describe('Serveur SFTP de l\'hébergement de la boutique.'),
  port: z.number().int().min(1).max(65535).default(22).describe('Port SSH.'),
  username: z.string().min(1).describe('Compte SFTP.'),
  privateKey: z.string().min(1).describe('Chemin de la clé privée (sans phrase de passe : compte dédié au dépôt des factures).'),
  hostKeySha256: z.string().regex(/^SHA256:[A-Za-z0-9+/]{43}=?$/, 'empreinte attendue au format "SHA256:…" (ssh-keygen -lf)')
    .describe('Empreinte de la clé du serveur ; une autre est refusée.'),
  folder: z.string().min(1).describe('Dossier distant servi par le serveur web à l\'adresse baseUrl.'),
}).describe('Dépôt des factures par SFTP (invoices.publish: sftp).');

const httpUrl = z.url({ protocol: /^https?$/, error: 'URL http(s) attendue, ex. https://boutique.example.com/factures/' });

export const invoicesConfigSchema = z.object({
  publish: z.enum(['folder', 'sftp', 'serve']).default('folder').describe(
    'Où publier les factures : folder = un dossier local servi par un serveur web ; sftp = un dossier de l\'hébergement de la boutique ; serve = prestasync les sert lui-même (tableau de bord).'),
  folder: z.string().min(1).default('./public/invoices').describe(
    'Dossier local des factures publiées (folder et serve). Chaque facture y est rangée sous un nom imprévisible (jeton aléatoire de 128 bits).'),
  baseUrl: httpUrl.optional().describe('Adresse publique du dossier des factures, ex. https://boutique.example.com/factures/ ; requise pour publier.'),
  sftp: sftpTarget.optional(),
  fileNamePattern: z.string().min(1).default('{invoice}_{reference}.pdf').refine((p) => p.includes('{invoice}') && p.includes('{reference}'), 'le modèle doit contenir {invoice} et {reference}').describe(
    'Nom des PDF déposés par l\'ERP : {invoice} = numéro de facture, {reference} = référence de la commande (ou WEB000042). Un autre nom doit figurer dans l\'index des factures.'),
  notifyState: z.number().int().min(0).default(0).describe(
    'État (id) où passe la commande quand sa facture est publiée, avec l\'e-mail de cet état ; 0 = aucun changement.'),
  message: z.string().min(1).default('Votre facture {invoice} est disponible : {url}').describe(
    'Message visible par le client sur sa commande ({invoice}, {reference}, {url}).'),
  correctedMessage: z.string().min(1).default('Votre facture {invoice} a été corrigée ; la version à jour est disponible : {url}').describe(
    'Message posté quand une facture déjà publiée est remplacée par une version corrigée.'),
  employeeId: z.number().int().min(0).default(1).describe('Employé (id) affiché comme auteur du message ; 0 = aucun.'),
  shopName: z.string().min(1).optional().describe('Auteur inscrit dans les PDF ; absent = nom de la boutique (PS_SHOP_NAME).'),
  seller: z.object({
    name: z.string().min(1).optional().describe('Raison sociale du vendeur ; absent = nom de la boutique.'),
    address: z.array(z.string()).default([]).describe('Adresse du vendeur, une ligne par élément.'),
    siret: z.string().default('').describe('SIRET du vendeur.'),
    vatNumber: z.string().default('').describe('N° de TVA intracommunautaire du vendeur.'),
    footer: z.array(z.string()).default([]).describe('Mentions de bas de page (conditions de paiement, pénalités, capital…).'),
  }).prefault({}).describe('Vendeur imprimé sur les factures que prestasync met en page (export de données de facture).'),
}).describe('Factures de l\'ERP publiées pour le client (flux invoices).');

export type OrderStatusConfig = z.output<typeof orderStatusConfigSchema>;
export type InvoicesConfig = z.output<typeof invoicesConfigSchema>;
