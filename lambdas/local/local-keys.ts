import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TenantStore } from '../ports/tenant-store';
import { createTenant, issueAdminKey, issueApiKey } from '../service/tenant-admin';

/** The tenant local mode creates on first start, for the printed `curl` and the demo page. */
export const DEMO_TENANT = 'demo';

/** Local mode's stand-ins for the two Secrets Manager secrets, one file each under the data folder. */
export interface LocalSecrets {
  /** Keys the identifier hashes (numbers, IPs, devices). */
  readonly hashing: string;
  /**
   * Its own secret, like the separate Secrets Manager secret in AWS: it can be replaced
   * (challenges and device tokens are re-issued) without touching the identifier hashes.
   */
  readonly challenge: string;
}

/** Read the secrets under `dataDir`, creating each one (mode 600) the first time. */
export async function loadLocalSecrets(dataDir: string): Promise<LocalSecrets> {
  const hashing = await loadOrCreateSecret(join(dataDir, 'secret'));
  const challenge = await loadOrCreateSecret(join(dataDir, 'challenge-secret'));
  return { hashing, challenge };
}

export interface LocalKeys {
  /** API key of the demo tenant; undefined when it existed already and none was asked for. */
  readonly demoApiKey: string | undefined;
  /** A fresh admin key (or the one asked for). */
  readonly adminApiKey: string;
  /** The demo backend's own key for the demo tenant, never shown to the browser. */
  readonly demoBackendKey: string;
}

/**
 * The keys local mode starts with: the demo tenant (created if absent, its key printed once),
 * the demo key asked for (`SMS_SHIELD_DEMO_KEY`), an admin key and the demo backend's key.
 */
export async function bootstrapKeys(tenants: TenantStore, asked: { demoApiKey?: string; adminApiKey?: string }): Promise<LocalKeys> {
  let demoApiKey: string | undefined;
  if (!(await tenants.getTenant(DEMO_TENANT))) {
    const created = await createTenant(tenants, { id: DEMO_TENANT, name: 'Demo tenant' }, Date.now());
    demoApiKey = created.apiKey;
  }
  if (asked.demoApiKey) demoApiKey = await issueApiKey(tenants, DEMO_TENANT, Date.now(), asked.demoApiKey);
  const adminApiKey = await issueAdminKey(tenants, Date.now(), asked.adminApiKey);
  const demoBackendKey = demoApiKey ?? (await issueApiKey(tenants, DEMO_TENANT, Date.now()));
  return { demoApiKey, adminApiKey, demoBackendKey };
}

async function loadOrCreateSecret(file: string): Promise<string> {
  try {
    const existing = (await readFile(file, 'utf8')).trim();
    if (existing.length >= 32) return existing;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
  }
  const secret = randomBytes(32).toString('base64url');
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
  return secret;
}
