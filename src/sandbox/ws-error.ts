// Webservice answers that are not the happy path. A WsError is rendered as the shop's
// <errors> body (or JSON); a RawAnswer is sent as is (the shop's bare PHP die() pages and empty 500s).
export interface WsErrorItem { code: number; message: string }

export class WsError extends Error {
  override readonly name = 'WsError';
  constructor(readonly status: number, readonly errors: WsErrorItem[]) {
    super(errors.map((e) => `${e.code}: ${e.message}`).join('; '));
  }
}

export class RawAnswer extends Error {
  override readonly name = 'RawAnswer';
  constructor(readonly status: number, readonly body: string, readonly contentType = 'text/html; charset=utf-8', readonly withVersion = false) {
    super(`raw ${status}`);
  }
}

/** PHP warnings turned into webservice errors carry the server path; the sandbox mimics the prefix. */
export function phpWarning(message: string, file: string, line: number): WsErrorItem {
  return { code: 3, message: `[PHP Warning #2] ${message} (/var/www/prestashop/${file}, line ${line})` };
}

/** The four warnings the shop appends to every bad list query (WebserviceRequest.php 1333-1336). */
export function listQueryWarnings(): WsErrorItem[] {
  return [1333, 1334, 1335, 1336].map((line) => phpWarning('Trying to access array offset on value of type bool', 'classes/webservice/WebserviceRequest.php', line));
}

/** An uncaught PHP exception (PrestaShopException, a database error): 500, empty text/html body, no
 *  PSWS-Version (transcripts 085 duplicate specific price, 109 unknown order state). */
export function phpFatal(): RawAnswer {
  return new RawAnswer(500, '');
}
