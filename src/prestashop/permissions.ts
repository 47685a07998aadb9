// What the webservice key may do, as GET /api/ lists it: one element per resource with get/put/post/
// patch/delete/head attributes (transcript 001). `prestasync check` compares it with what the flows need.
export type Method = 'get' | 'put' | 'post' | 'patch' | 'delete' | 'head';
export type Permissions = Record<string, Partial<Record<Method, boolean>>>;

const RESOURCE = /<([a-z_]+) xlink:href="[^"]*\/api\/\1"([^>]*)>/g;
const ATTRIBUTE = /\b(get|put|post|patch|delete|head)="(true|false)"/g;

export function parsePermissions(apiRootXml: string): Permissions {
  const out: Permissions = {};
  for (const m of apiRootXml.matchAll(RESOURCE)) {
    const name = m[1]!;
    if (out[name]) continue; // the <description> child repeats the attributes
    const perms: Partial<Record<Method, boolean>> = {};
    for (const a of (m[2] ?? '').matchAll(ATTRIBUTE)) perms[a[1] as Method] = a[2] === 'true';
    out[name] = perms;
  }
  return out;
}

/** The methods missing for each need, in French, e.g. « stock_availables : PATCH refusé ». */
export function missingPermissions(perms: Permissions, needs: Array<{ resource: string; methods: Method[] }>): string[] {
  const missing: string[] = [];
  for (const n of needs) {
    const p = perms[n.resource];
    if (!p) {
      missing.push(`${n.resource} : ressource non accordée à cette clé`);
      continue;
    }
    const refused = n.methods.filter((m) => p[m] !== true);
    if (refused.length) missing.push(`${n.resource} : ${refused.map((m) => m.toUpperCase()).join(', ')} refusé${refused.length > 1 ? 's' : ''}`);
  }
  return missing;
}
