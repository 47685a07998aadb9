// SpreadsheetML read with saxes, by local name: some producers write every element with a prefix (« x:row »).
import { SaxesParser } from 'saxes';

export interface XmlHandlers {
  open?(name: string, attrs: Record<string, string>): void;
  close?(name: string): void;
  text?(text: string): void;
}

export function localName(qname: string): string {
  const i = qname.indexOf(':');
  return i < 0 ? qname : qname.slice(i + 1);
}

/** The value of the attribute whose local name is `name` and which has a prefix (r:id, whatever the prefix). */
export function prefixedAttr(attrs: Record<string, string>, name: string): string | undefined {
  for (const [k, v] of Object.entries(attrs)) if (k.includes(':') && localName(k) === name) return v;
  return undefined;
}

export class XmlReader {
  private readonly parser = new SaxesParser();

  constructor(handlers: XmlHandlers) {
    const { open, close, text } = handlers;
    if (open !== undefined) this.parser.on('opentag', (node) => open(localName(node.name), node.attributes as Record<string, string>));
    if (close !== undefined) this.parser.on('closetag', (node) => close(localName(node.name)));
    if (text !== undefined) {
      this.parser.on('text', text);
      this.parser.on('cdata', text);
    }
  }

  write(piece: string): void {
    this.parser.write(piece);
  }

  end(): void {
    this.parser.close();
  }
}

export async function readXml(source: string | AsyncIterable<string>, handlers: XmlHandlers): Promise<void> {
  const reader = new XmlReader(handlers);
  if (typeof source === 'string') reader.write(source);
  else for await (const piece of source) reader.write(piece);
  reader.end();
}
