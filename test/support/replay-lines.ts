/** Replay input lines for tests: one person sending from a desktop browser, overridable per line. */
const DESKTOP = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36';

export const sendLine = (id: string, ts: string, over: Record<string, unknown> = {}) => ({
  type: 'send',
  id,
  ts,
  tenant: 'shop',
  phone: '+44 7400 123456',
  scenario: 'login',
  ip: '81.2.69.142',
  userAgent: DESKTOP,
  device: 'd-1',
  ...over,
});
