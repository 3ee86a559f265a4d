// Module customization hooks (`node --import`) that append every URL the ESM loader resolves to
// the file named by MODULE_GRAPH_LOG, one per line. Imported after tsx, so they see the URL tsx
// resolved each TypeScript import to. Used by test/infra/construct-imports.test.ts.
import { appendFileSync } from 'node:fs';
import { register } from 'node:module';
import { isMainThread } from 'node:worker_threads';

const log = process.env.MODULE_GRAPH_LOG;
if (!log) throw new Error('record-resolutions.mjs needs MODULE_GRAPH_LOG');

// This file is both the --import entry (main thread: registers itself) and the hooks module
// (the loader's hooks thread: provides resolve).
if (isMainThread) register(import.meta.url);

export async function resolve(specifier, context, nextResolve) {
  const result = await nextResolve(specifier, context);
  appendFileSync(log, `${result.url}\n`);
  return result;
}
