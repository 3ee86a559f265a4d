/**
 * Automation markers the browser SDK can report, in a fixed order: device tokens carry them
 * as a bit mask, so the order is part of the token format (append only, never reorder).
 */
export const DEVICE_MARKERS = [
  /** `navigator.webdriver` is true: WebDriver, Puppeteer, Playwright, Selenium. */
  'webdriver',
  /** The user agent names a headless browser (`HeadlessChrome`, PhantomJS). */
  'headless-ua',
  /** Globals that automation frameworks leave behind (`callPhantom`, `__nightmare`, `$cdc_…`, `Cypress`). */
  'automation-globals',
  /** `navigator.languages` is empty: real browsers always have one. */
  'no-languages',
  /** The platform the user agent claims differs from `navigator.platform` (spoofed user agent). */
  'platform-mismatch',
  /** A zero-sized screen or window, typical of old headless modes. */
  'zero-screen',
] as const;

export type DeviceMarker = (typeof DEVICE_MARKERS)[number];

/** Markers that alone show automation; the others are hints that real, unusual browsers can show. */
export const STRONG_DEVICE_MARKERS: ReadonlySet<string> = new Set<DeviceMarker>(['webdriver', 'headless-ua', 'automation-globals']);

/**
 * Markers the shield itself signs into a token when it issues one — never taken from what the
 * client reports — so a verdict sees them later without a store read. Kept apart from the
 * client's automation markers (`DeviceSignals.serverMarkers`, not `markers`): they say how the
 * token was obtained, not what the browser is. Append only, like `DEVICE_MARKERS`.
 */
export const SERVER_DEVICE_MARKERS = [
  /** Issued while its address or network (/24, /64) was minting new device identities in a burst. */
  'mint-burst',
] as const;

export type ServerDeviceMarker = (typeof SERVER_DEVICE_MARKERS)[number];

/**
 * Bit of the token's marker mask where `SERVER_DEVICE_MARKERS` start: the bits below belong to
 * `DEVICE_MARKERS`, so client markers can still be appended without moving server ones.
 */
export const SERVER_MARKER_BIT = 16;
