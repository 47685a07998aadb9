// Commander in French (issue #6: the ADV staff and most integrators read French): its titles, its help
// option and command, the extra information of an option, and its error messages. Applied to the program
// before its commands are declared, so that every command inherits it.
import { Help, type Command } from 'commander';

const TITLES: Record<string, string> = {
  'Usage:': 'Utilisation :',
  'Options:': 'Options :',
  'Commands:': 'Commandes :',
  'Arguments:': 'Arguments :',
  'Global Options:': 'Options générales :',
};

/** Commander's messages (lib/command.js, lib/suggestSimilar.js), most specific first. */
const ERRORS: Array<[RegExp, string]> = [
  [/^error: unknown option '(.*)'/, "erreur : option inconnue '$1'"],
  [/^error: unknown command '(.*)'/, "erreur : commande inconnue '$1'"],
  [/^error: option '(.*)' argument missing/, "erreur : l’option '$1' attend une valeur"],
  [/^error: option '(.*)' argument '(.*)' is invalid\./, "erreur : valeur '$2' invalide pour l’option '$1'."],
  [/^error: missing required argument '(.*)'/, "erreur : argument obligatoire manquant '$1'"],
  [/^error: required option '(.*)' not specified/, "erreur : option obligatoire '$1' absente"],
  [/^error: too many arguments for '(.*)'\. Expected (\d+) arguments? but got (\d+)\./, "erreur : trop d’arguments pour '$1' : $2 attendu(s), $3 reçu(s)."],
  [/^error: too many arguments\. Expected (\d+) arguments? but got (\d+)\./, 'erreur : trop d’arguments : $1 attendu(s), $2 reçu(s).'],
  [/^error: (.*) cannot be used with (.*)/, 'erreur : $1 ne peut pas être utilisé avec $2'],
  [/\(Did you mean one of (.*)\?\)/, '(Vouliez-vous dire l’un de : $1 ?)'],
  [/\(Did you mean (.*)\?\)/, '(Vouliez-vous dire $1 ?)'],
  [/^error: /, 'erreur : '],
];

export function translateError(message: string): string {
  return message.split('\n').map((line) => {
    for (const [english, french] of ERRORS) {
      if (english.test(line)) return line.replace(english, french);
    }
    return line;
  }).join('\n');
}

export function inFrench(program: Command): Command {
  return program
    .configureHelp({
      styleTitle: (title: string) => TITLES[title] ?? title,
      optionDescription(option) {
        return Help.prototype.optionDescription.call(this, option)
          .replace(/\bdefault: /, 'par défaut : ').replace(/\bchoices: /, 'choix : ')
          .replace(/\bpreset: /, 'valeur implicite : ').replace(/\benv: /, 'variable d’environnement : ');
      },
    })
    .configureOutput({ outputError: (text, write) => write(translateError(text)) })
    .helpOption('-h, --help', 'afficher l’aide de la commande')
    .helpCommand('help [commande]', 'afficher l’aide d’une commande')
    .usage('[options] [commande]');
}
