import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../lambdas/ports/clock';
import { createTenant, issueAdminKey } from '../../lambdas/service/tenant-admin';
import { invoke } from '../support/api-event';
import { T0 } from '../support/engine';
import { memoryShield } from '../support/shield';

async function world() {
  const clock = new ManualClock(T0);
  const {
    app,
    stores: { tenants },
  } = memoryShield(clock);
  const { apiKey } = await createTenant(tenants, { id: 'shop' }, T0);
  const adminKey = await issueAdminKey(tenants, T0);
  return { app, tenants, apiKey, adminKey };
}

/** Phone numbers as people paste them into a note. */
const PHONE_NUMBERS = [
  '+44 7400 123456',
  'call 07400123456 after 5',
  'victim 07400 123 456',
  '(0740) 012-3456',
  '447400123456',
  '+1 (202) 555-0100',
  'number 0740.012.3456',
  '+44-7400-123456',
  '06 12 34 56 78',
  '0 7 4 0 0 1 2 3 4 5 6',
  'tel:+447400123456',
  'local 5550100',
  'fullwidth ０７４００１２３４５６',
  'arabic-indic ٠٧٤٠٠١٢٣٤٥٦',
  '+44 7400 12/34/56',
];
/** Ordinary notes with short numbers, addresses and dates. */
const ORDINARY = [
  'QA phone 2',
  'ticket 4711',
  'tickets 4711, 4712 and 4713',
  'abuse report',
  'range +44 7400',
  'batch 123456',
  'abuse from 203.0.113.5',
  'seen from 198.51.100.0/24',
  'until 2025-06-30 per ticket 88',
  'AS16509 (Amazon)',
  'Café Zoë: 3 of 5 tries 🚀',
];
const CONTROL = [
  'line\nbreak',
  'tab\there',
  'nul\u0000',
  'bell\u0007',
  'del\u007f',
  'bidi \u202Eevil',
  'zero\u200Bwidth',
  'sep\u2028arator',
  'lone \ud800 surrogate',
  'c1 \u0085',
];

describe('free-text fields: list reason', () => {
  it('refuses a reason holding a phone number, with 400 naming reason', async () => {
    const { app, apiKey, adminKey } = await world();
    for (const reason of PHONE_NUMBERS) {
      const res = await invoke(app.handler, 'POST', '/v1/lists', { key: apiKey, body: { kind: 'ip', value: '192.0.2.1', action: 'block', reason } });
      expect(res.status, reason).toBe(400);
      expect(Object.keys(res.body.error.details.fields), reason).toEqual(['reason']);
      expect(res.body.error.details.fields.reason, reason).toMatch(/phone number/);
    }
    const admin = await invoke(app.handler, 'POST', '/v1/admin/lists', {
      key: adminKey,
      body: { scope: 'global', kind: 'ip', value: '192.0.2.1', action: 'block', reason: 'victim +44 7400 123456' },
    });
    expect(admin.status).toBe(400);
    expect(Object.keys(admin.body.error.details.fields)).toEqual(['reason']);
  });

  it('refuses control, format and separator characters, and more than 200 characters', async () => {
    const { app, apiKey } = await world();
    for (const reason of [...CONTROL, 'x'.repeat(201), '   ']) {
      const res = await invoke(app.handler, 'POST', '/v1/lists', { key: apiKey, body: { kind: 'ip', value: '192.0.2.1', action: 'block', reason } });
      expect(res.status, JSON.stringify(reason)).toBe(400);
      expect(Object.keys(res.body.error.details.fields), JSON.stringify(reason)).toEqual(['reason']);
    }
  });

  it('keeps ordinary text with short numbers, trimmed', async () => {
    const { app, apiKey } = await world();
    for (const [i, reason] of ORDINARY.entries()) {
      const res = await invoke(app.handler, 'POST', '/v1/lists', {
        key: apiKey,
        body: { kind: 'ip', value: `192.0.2.${i + 1}`, action: 'block', reason: `  ${reason} ` },
      });
      expect(res.status, reason).toBe(201);
      expect(res.body.reason).toBe(reason);
    }
    expect(
      (await invoke(app.handler, 'POST', '/v1/lists', { key: apiKey, body: { kind: 'ip', value: '192.0.2.99', action: 'block', reason: 'x'.repeat(200) } }))
        .status,
    ).toBe(201);
  });
});

describe('free-text fields: tenant name', () => {
  it('refuses a name holding a phone number or control characters, with 400 naming name', async () => {
    const { app, adminKey } = await world();
    for (const [i, name] of [...PHONE_NUMBERS, ...CONTROL, 'n'.repeat(101), ' '].entries()) {
      const res = await invoke(app.handler, 'POST', '/v1/admin/tenants', { key: adminKey, body: { id: `t-${i}`, name } });
      expect(res.status, JSON.stringify(name)).toBe(400);
      expect(Object.keys(res.body.error.details.fields), JSON.stringify(name)).toEqual(['name']);
    }
  });

  it('keeps ordinary names, trimmed', async () => {
    const { app, adminKey } = await world();
    for (const [i, name] of ['Shop 2', 'Acme Ltd', 'Zoë & Co. (EU)', 'Unit 4711'].entries()) {
      const res = await invoke(app.handler, 'POST', '/v1/admin/tenants', { key: adminKey, body: { id: `ok-${i}`, name: ` ${name}  ` } });
      expect(res.status, name).toBe(201);
      expect(res.body.tenant.name).toBe(name);
    }
  });

  it('applies the same rules to tenants created in code (local mode, CLI setup)', async () => {
    const { tenants } = await world();
    await expect(createTenant(tenants, { id: 'coded', name: 'Support +44 7400 123456' }, T0)).rejects.toThrow(/phone number/);
    await expect(createTenant(tenants, { id: 'coded', name: 'bad\nname' }, T0)).rejects.toThrow(/printable/);
    expect(await tenants.getTenant('coded')).toBeUndefined();
    expect((await createTenant(tenants, { id: 'coded', name: ' Coded ' }, T0)).tenant.name).toBe('Coded');
  });
});
