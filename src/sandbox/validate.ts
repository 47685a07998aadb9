// Field validation the way ObjectModel does it for the webservice: validateFieldsLang (code 84)
// then validateFields (code 85). Rules come from src/prestashop/reference/validate.json (read at runtime).
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import type { FieldDef, ResourceDef } from './catalog.ts';
import type { LangValue } from './store.ts';
import { WsError } from './ws-error.ts';

interface RawValidator {
  kind: string; js_pattern?: string; js_pattern_flags?: string; empty_string_valid?: boolean;
  js_approximation_pattern?: string; approximation_pattern?: string; max?: number;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const validators = (JSON.parse(readFileSync(path.join(here, '../prestashop/reference/validate.json'), 'utf8')) as { validators: Record<string, RawValidator> }).validators;

const FLOAT = /^-?\d+(\.\d+)?$/;
const INT = /^(0|-?[1-9]\d*)$/;

/** Rules validate.json marks as PHP code, approximated here. */
const CODE_RULES: Record<string, (v: string) => boolean> = {
  isFloat: (v) => FLOAT.test(v),
  isOptFloat: (v) => v === '' || FLOAT.test(v),
  isUnsignedFloat: (v) => FLOAT.test(v) && Number(v) >= 0,
  isInt: (v) => INT.test(v),
  isUnsignedInt: (v) => /^(0|[1-9]\d*)$/.test(v),
  isUnsignedId: (v) => /^(0|[1-9]\d*)$/.test(v),
  isNullOrUnsignedId: (v) => v === '' || /^(0|[1-9]\d*)$/.test(v),
  isPercentage: (v) => FLOAT.test(v) && Number(v) >= 0 && Number(v) <= 100,
  isString: () => true,
  isBool: (v) => v === '0' || v === '1',
  isReductionType: (v) => v === 'amount' || v === 'percentage',
  isDate: (v) => /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/.test(v) && !v.startsWith('0000'),
  isDateOrNull: (v) => v === '' || /^\d{4}-\d{2}-\d{2}( \d{2}:\d{2}:\d{2})?$/.test(v),
  isBirthDate: (v) => v === '' || /^\d{4}-\d{2}-\d{2}$/.test(v),
  isHashedPassword: (v) => v.length === 32 || v.length === 60,
  isMpn: (v) => [...v].length <= 40,
  isCleanHtml: (v) => !/<\s*script|\bon\w+\s*=|script:/i.test(v),
  isCustomerName: (v) => v.trim() !== '' && !/[0-9!<>,;?=+()/\\@#"°*`{}_^$%:¤[\]|]/u.test(v),
};

const compiled = new Map<string, (v: string) => boolean>();

function ruleFor(name: string): ((v: string) => boolean) | undefined {
  const cached = compiled.get(name);
  if (cached) return cached;
  let fn = CODE_RULES[name];
  const raw = validators[name];
  if (!fn && raw) {
    const pattern = raw.js_pattern ?? raw.js_approximation_pattern ?? raw.approximation_pattern;
    if (pattern !== undefined) {
      const re = new RegExp(pattern, (raw.js_pattern_flags ?? 'u').replace('s', 's'));
      fn = raw.kind === 'regex_must_not_match' ? (v) => !re.test(v) : (v) => re.test(v);
    }
  }
  if (fn) compiled.set(name, fn);
  return fn;
}

const validationError = (code: number, message: string): WsError =>
  // The shop writes '->' as '-&gt;' inside these messages (INDEX.md, error body).
  new WsError(400, [{ code, message: `Validation error: "${message.replaceAll('>', '&gt;')}"` }]);

/** PHP's empty(): '' and '0' skip validation. */
const phpEmpty = (v: string): boolean => v === '' || v === '0';

function checkValue(def: ResourceDef, f: FieldDef, v: string, code: number): void {
  if (f.size !== undefined && [...v].length > f.size) {
    throw validationError(code, `The length of property ${def.className}->${f.name} is currently ${[...v].length} chars. It must be between 0 and ${f.size} chars.`);
  }
  // html fields without a rule in the 8.1.2 definitions are isCleanHtml in 8.2 (customer_messages.message, transcript 119).
  const ruleName = f.validate ?? (f.type === 'html' ? 'isCleanHtml' : undefined);
  if (phpEmpty(v) || !ruleName) return;
  const rule = ruleFor(ruleName);
  if (rule && !rule(v)) throw validationError(code, `Property ${def.className}->${f.name} is not valid`);
}

/** Validates the object about to be saved. `defaultLang` is the shop's default language id. */
export function validateObject(def: ResourceDef, values: Record<string, unknown>, defaultLang: string): void {
  for (const f of def.fields) {
    if (!f.lang || f.readOnly) continue;
    const lv = (values[f.name] ?? {}) as LangValue;
    if (f.required && (lv[defaultLang] ?? '') === '') throw validationError(84, `Property ${def.className}->${f.name} is empty.`);
    for (const v of Object.values(lv)) checkValue(def, f, v, 84);
  }
  for (const f of def.fields) {
    if (f.lang || f.readOnly || f.name === 'id') continue;
    const v = values[f.name];
    if (typeof v !== 'string') continue;
    if (f.required && v === '') throw validationError(85, `Property ${def.className}->${f.name} is empty.`);
    checkValue(def, f, v, 85);
  }
}
