import { randomBytes } from 'node:crypto';
import { chmod, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { TenantStore } from '../ports/tenant-store';
import { hashApiKey } from '../service/api-keys';
import { createTenant, issueAdminKey, issueApiKey } from '../service/tenant-admin';
import { ADMIN_TENANT_ID } from '../service/tenant-directory';

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
  /** A fresh admin key, the one asked for, or (with `adminKeyFile`) the saved one while it is live. */
  readonly adminApiKey: string;
  /** The demo backend's own key for the demo tenant, never shown to the browser. */
  readonly demoBackendKey: string;
}

/**
 * The keys local mode starts with: the demo tenant (created if absent, its key printed once),
 * the demo key asked for (`SMS_SHIELD_DEMO_KEY`), an admin key and the demo backend's key.
 * With `adminKeyFile` (data kept on disk) the admin key is the one saved there while its record
 * is live, so restarts add no admin key; a key asked for (`SMS_SHIELD_ADMIN_KEY`) still wins.
 */
export async function bootstrapKeys(
  tenants: TenantStore,
  asked: { demoApiKey?: string; adminApiKey?: string },
  options: { adminKeyFile?: string } = {},
): Promise<LocalKeys> {
  let demoApiKey: string | undefined;
  if (!(await tenants.getTenant(DEMO_TENANT))) {
    const created = await createTenant(tenants, { id: DEMO_TENANT, name: 'Demo tenant' }, Date.now());
    demoApiKey = created.apiKey;
  }
  if (asked.demoApiKey) demoApiKey = await issueApiKey(tenants, DEMO_TENANT, Date.now(), asked.demoApiKey);
  const adminApiKey = asked.adminApiKey
    ? await issueAdminKey(tenants, Date.now(), asked.adminApiKey)
    : options.adminKeyFile
      ? await savedAdminKey(tenants, options.adminKeyFile)
      : await issueAdminKey(tenants, Date.now());
  const demoBackendKey = demoApiKey ?? (await issueApiKey(tenants, DEMO_TENANT, Date.now()));
  return { demoApiKey, adminApiKey, demoBackendKey };
}

/**
 * The admin key saved in `file` while the store holds it as a live admin key; otherwise (no
 * file, revoked, or data started over) a new one, issued and saved in its place (mode 600).
 */
async function savedAdminKey(tenants: TenantStore, file: string): Promise<string> {
  const saved = await readSecretFile(file);
  if (saved) {
    const record = await tenants.getApiKey(hashApiKey(saved));
    if (record?.tenantId === ADMIN_TENANT_ID && record.revokedAt === undefined) return saved;
  }
  const apiKey = await issueAdminKey(tenants, Date.now());
  await writeSecretFile(file, apiKey);
  return apiKey;
}

async function loadOrCreateSecret(file: string): Promise<string> {
  const existing = await readSecretFile(file);
  if (existing && existing.length >= 32) return existing;
  const secret = randomBytes(32).toString('base64url');
  await writeSecretFile(file, secret);
  return secret;
}

/** The file's trimmed content; undefined when there is no such file. */
async function readSecretFile(file: string): Promise<string | undefined> {
  try {
    return (await readFile(file, 'utf8')).trim();
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    return undefined;
  }
}

/** Write a secret readable by its owner only (the mode is set again: `writeFile` applies it only to a new file). */
async function writeSecretFile(file: string, secret: string): Promise<void> {
  await writeFile(file, `${secret}\n`, { mode: 0o600 });
  await chmod(file, 0o600);
}
