// `prestasync sandbox`: the test shop on 127.0.0.1, for an integrator to try a configuration without a
// real PrestaShop. It answers like a PrestaShop 8.2 webservice (see src/sandbox/).
import { startSandbox } from '../sandbox/index.ts';
import { DEMO_PRODUCTS } from './demo.ts';

export async function sandboxCommand(o: { port: string; key?: string; empty?: boolean }): Promise<void> {
  const port = Number(o.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`--port ${o.port} : numéro de port invalide`);
  // The demo catalogue by default: the sample ERP files of config/samples/ then find their articles.
  const shop = await startSandbox({ port, ...(o.key ? { key: o.key } : {}), ...(o.empty ? {} : { seed: { products: DEMO_PRODUCTS } }) });
  process.stdout.write(`Boutique bac à sable PrestaShop 8.2 : ${shop.url}  (webservice : ${shop.url}/api)\n`);
  // The sandbox key is a throw-away test key: printing it is the point of this command.
  process.stdout.write(`Clé du webservice : ${shop.key}\n`);
  process.stdout.write('Ctrl+C pour arrêter.\n');
  await new Promise<void>((resolve) => {
    const stop = () => { void shop.close().then(resolve); };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
