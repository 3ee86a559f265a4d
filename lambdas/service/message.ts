/** The GSM 03.38 basic character set plus its extension table; anything else forces UCS-2. */
const GSM_BASIC = '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '^{}\\[~]|€\f';
const GSM = new Set([...GSM_BASIC]);
const GSM_EXT = new Set([...GSM_EXTENDED]);

export interface SmsShape {
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  readonly units: number;
  readonly segments: number;
}

/** Encoding and number of billed segments, as carriers count them. */
export function smsShape(text: string): SmsShape {
  let septets = 0;
  let gsm = true;
  for (const ch of text) {
    if (GSM.has(ch)) septets += 1;
    else if (GSM_EXT.has(ch)) septets += 2;
    else {
      gsm = false;
      break;
    }
  }
  if (gsm) return { encoding: 'GSM-7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
  const units = text.length;
  return { encoding: 'UCS-2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
}

/** Control characters other than line breaks have no place in an SMS body. */
export function hasForbiddenControlChars(text: string): boolean {
  return /[\u0000-\u0009\u000b\u000c\u000e-\u001f\u007f]/.test(text);
}
