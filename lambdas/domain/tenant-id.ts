import * as z from 'zod';

/** A tenant id: 2–63 lowercase letters, digits or dashes, starting with a letter or digit (it names keys and metric dimensions). */
export const tenantIdSchema = z.string().regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'must be 2–63 lowercase letters, digits or dashes');
