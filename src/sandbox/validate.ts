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

/** PHP 8 numeric string (is_numeric): what `(string)(float)$v == (string)$v` accepts, since == compares two
 *  numeric strings as numbers ("0.250", "1e3", " 5" pass; "12,50" and "abc" fail, transcripts 039/040). */
const NUMERIC = /^\s*[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?\s*$/;
const INT = /^(0|-?[1-9]\d*)$/;
const UNSIGNED = /^(0|[1-9]\d*)$/;
/** isInt: `(string)(int)$v === (string)$v` on 64-bit PHP, so beyond PHP_INT_MAX the cast saturates and fails. */
const fitsPhpInt = (v: string): boolean => INT.test(v) && BigInt(v) <= 9223372036854775807n && BigInt(v) >= -9223372036854775808n;
/** isUnsignedInt / isUnsignedId: 0 <= v <= 4294967295. */
const isUnsignedInt = (v: string): boolean => UNSIGNED.test(v) && BigInt(v) <= 4294967295n;

/** Rules validate.json marks as PHP code, approximated here. */
const CODE_RULES: Record<string, (v: string) => boolean> = {
  isFloat: (v) => NUMERIC.test(v),
  isOptFloat: (v) => v === '' || NUMERIC.test(v),
  isUnsignedFloat: (v) => NUMERIC.test(v) && Number(v) >= 0,
  isInt: fitsPhpInt,
  isUnsignedInt,
  isUnsignedId: isUnsignedInt,
  isNullOrUnsignedId: (v) => v === '' || isUnsignedInt(v),
  isPositiveInt: (v) => isUnsignedInt(v) && Number(v) > 0,
  isPercentage: (v) => NUMERIC.test(v) && Number(v) >= 0 && Number(v) <= 100,
  isPriceDisplayMethod: (v) => NUMERIC.test(v) && (Number(v) === 0 || Number(v) === 1),
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

function ruleFor(rawName: string): ((v: string) => boolean) | undefined {
  // PHP method names are case-insensitive: 'IsGenericName' (available_later) is isGenericName.
  const name = rawName.charAt(0).toLowerCase() + rawName.slice(1);
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

// Order of ObjectModel::validateField: required, default substitution, values whitelist, size, range, rule
// (validate.json objectmodel_calling_rules).
function checkValue(def: ResourceDef, f: FieldDef, v: string, code: number): void {
  if (f.values && !f.values.includes(v)) {
    throw validationError(code, `Property ${def.className}->${f.name} has a bad value (allowed values are: ${f.values.join(', ')}).`);
  }
  if (f.size !== undefined && [...v].length > f.size) {
    throw validationError(code, `The length of property ${def.className}->${f.name} is currently ${[...v].length} chars. It must be between 0 and ${f.size} chars.`);
  }
  // StockAvailable.quantity: 3000000000 passes isInt on 64-bit PHP but not the range check, so the shop
  // refuses it (400/85) instead of letting MySQL clamp it to 2147483647.
  if (f.range && v !== '' && (Number(v) < f.range.min || Number(v) > f.range.max)) {
    throw validationError(code, `The range of property ${def.className}->${f.name} is currently ${v}. It must be between ${f.range.min} and ${f.range.max}.`);
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
    // `if (!$value && !empty($data['default']))`: '' and '0' take the default (condition 'new', visibility 'both').
    if (f.default !== undefined && phpEmpty(v)) {
      values[f.name] = f.default;
      checkValue(def, f, f.default, 85);
      continue;
    }
    checkValue(def, f, v, 85);
  }
}
