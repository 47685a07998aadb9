import { FileFatalError } from '../../src/errors.ts';

/** The error a promise rejects with; fails the test when it resolves. */
export async function failure(p: Promise<unknown>): Promise<Error> {
  try {
    await p;
  } catch (err) {
    if (err instanceof Error) return err;
    throw new Error(`non-Error thrown: ${String(err)}`, { cause: err });
  }
  throw new Error('expected a failure');
}

/** The FileFatalError a promise rejects with (a file the engine must quarantine); fails the test otherwise. */
export async function fileFatal(p: Promise<unknown>): Promise<FileFatalError> {
  const err = await failure(p);
  if (!(err instanceof FileFatalError)) throw new Error(`expected a FileFatalError, got ${err.name}: ${err.message}`, { cause: err });
  return err;
}

/** Every item of an async iterable, in order. */
export async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const i of items) out.push(i);
  return out;
}
