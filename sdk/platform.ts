/** Pure user-agent checks of the SDK, kept free of DOM globals so Node tests can import them. */

/**
 * The operating system the user agent names against `navigator.platform`. Only clear
 * contradictions count (a "Windows" agent on a Linux platform): iPads asking for desktop
 * sites say Macintosh on MacIntel, which is consistent.
 */
export function platformMismatch(userAgent: string, platform: string): boolean {
  if (platform === '') return false;
  if (/Windows/.test(userAgent)) return !/^Win/.test(platform);
  if (/iPhone|iPad|iPod/.test(userAgent)) return !/^(?:iP|Mac)/.test(platform);
  if (/Macintosh/.test(userAgent)) return !/^(?:Mac|iP)/.test(platform);
  if (/Android|Linux|X11|CrOS/.test(userAgent)) return /^(?:Win|Mac|iP)/.test(platform);
  return false;
}
