#!/usr/bin/env node
// `npx sms-shield …`: the CLI as `npm run build` compiled it (dist/cli, every dependency inlined),
// with the GeoIP data the build put beside it. In a source checkout that was never built it
// falls back to the TypeScript sources through tsx.
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const compiled = new URL('../dist/cli/sms-shield.mjs', import.meta.url);
const geoDir = fileURLToPath(new URL('../dist/geo-layer/geo', import.meta.url));

if (existsSync(compiled)) {
  if (!process.env.SMS_SHIELD_GEO_DIR && existsSync(geoDir)) process.env.SMS_SHIELD_GEO_DIR = geoDir;
  await import(compiled.href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../lambdas/cli/main.ts');
}
