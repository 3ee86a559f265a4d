/**
 * Automation markers: what a real person's browser never shows. Names are the server's
 * `DEVICE_MARKERS`; each check is cheap, synchronous and cannot throw.
 */
import type { DeviceMarker } from '../lambdas/engine/device-markers';
import { platformMismatch } from './platform';

const AUTOMATION_GLOBALS = [
  'callPhantom',
  '_phantom',
  '__nightmare',
  'domAutomation',
  'domAutomationController',
  '_selenium',
  '_Selenium_IDE_Recorder',
  '__selenium_unwrapped',
  '__webdriver_evaluate',
  '__driver_evaluate',
  '__webdriver_script_fn',
  '__fxdriver_unwrapped',
  '__lastWatirAlert',
  'Cypress',
  '__playwright__binding__',
  '__pwInitScripts',
];

export function collectMarkers(): DeviceMarker[] {
  const markers: DeviceMarker[] = [];
  const check = (marker: DeviceMarker, test: () => boolean) => {
    try {
      if (test()) markers.push(marker);
    } catch {
      // A browser that throws on a property read is not evidence of anything.
    }
  };
  check('webdriver', () => navigator.webdriver === true);
  check('headless-ua', () => /HeadlessChrome|PhantomJS|SlimerJS/.test(navigator.userAgent));
  check('automation-globals', () => {
    const win = window as unknown as Record<string, unknown>;
    if (AUTOMATION_GLOBALS.some((name) => name in win)) return true;
    // ChromeDriver's document cache keys, and attributes some drivers set on <html>.
    if (Object.keys(document).some((key) => /^\$(?:cdc|wdc)_/.test(key))) return true;
    const root = document.documentElement;
    return ['webdriver', 'selenium', 'driver'].some((name) => root.hasAttribute(name));
  });
  check('no-languages', () => !navigator.languages || navigator.languages.length === 0);
  check('platform-mismatch', () => platformMismatch(navigator.userAgent, navigator.platform || ''));
  check('zero-screen', () => screen.width === 0 || screen.height === 0 || (window.outerWidth === 0 && window.outerHeight === 0));
  return markers;
}
