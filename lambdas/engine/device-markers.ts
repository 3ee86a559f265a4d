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
