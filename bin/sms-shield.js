#!/usr/bin/env node
// `npx sms-shield …`: runs the TypeScript CLI through tsx, so no build step is needed.
import { register } from 'tsx/esm/api';

register();
await import('../lambdas/cli/main.ts');
