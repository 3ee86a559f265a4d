/**
 * Builds the browser SDK into one file with esbuild: the solver worker is bundled first and
 * inlined as a string, then the SDK (with FingerprintJS) as an IIFE exposing `SmsShield`.
 * Local mode serves the result at `/v1/sdk.js`; `npx tsx sdk/build.ts [out.js]` writes it and
 * prints its size.
 */
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import type { BuildOptions } from 'esbuild';

export interface SdkBundle {
  readonly code: string;
  readonly bytes: number;
  readonly gzipBytes: number;
}

const dir = (file: string) => fileURLToPath(new URL(file, import.meta.url));

let cached: Promise<SdkBundle> | undefined;

/** The bundle, built once per process (≈ 50 ms). */
export function sdkBundle(): Promise<SdkBundle> {
  cached ??= buildSdk().catch((error: unknown) => {
    cached = undefined;
    throw error;
  });
  return cached;
}

export async function buildSdk(): Promise<SdkBundle> {
  // esbuild is a build tool: loaded only when a bundle is asked for.
  const { build } = await import('esbuild');
  const common: BuildOptions & { write: false } = { bundle: true, minify: true, write: false, platform: 'browser', target: 'es2020', logLevel: 'silent' };
  const worker = await build({ ...common, entryPoints: [dir('./worker.ts')], format: 'iife' });
  const workerCode = worker.outputFiles?.[0]?.text ?? '';
  // FingerprintJS is MIT: its notice travels with every copy.
  const fingerprintLicense = (
    await readFile(join(dirname(createRequire(import.meta.url).resolve('@fingerprintjs/fingerprintjs/package.json')), 'LICENSE'), 'utf8')
  ).trim();
  const main = await build({
    ...common,
    entryPoints: [dir('./index.ts')],
    format: 'iife',
    globalName: 'SmsShield',
    define: { __SMS_SHIELD_WORKER__: JSON.stringify(workerCode) },
    banner: { js: `/*! SMS Shield browser SDK (Apache-2.0). Includes FingerprintJS v5:\n${fingerprintLicense.replace(/\*\//g, '* /')}\n*/` },
  });
  const code = main.outputFiles?.[0]?.text ?? '';
  return { code, bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).byteLength };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const bundle = await buildSdk();
  const out = process.argv[2];
  if (out) await writeFile(out, bundle.code);
  console.log(`sdk.js: ${bundle.bytes} bytes, ${bundle.gzipBytes} bytes gzipped${out ? ` → ${out}` : ''}`);
}
