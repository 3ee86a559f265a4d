/**
 * Mobile number segments that belong to virtual operators (MVNOs) and are widely abused: cheap,
 * sold in bulk with weak identity checks, and the usual stock of SIM farms and number resellers.
 * Only segments whose status is public fact are listed (a regulator's allocation, not a guess),
 * as E.164 prefixes.
 *
 * China (+86): MIIT gave the 170 and 171 segments to virtual operators in 2013–2014 and added
 * 162 (China Telecom's MVNOs), 165 (China Mobile's) and 167 (China Unicom's) in 2017. They were
 * the subject of MIIT's real-name registration campaigns against telecom fraud, and Chinese
 * platforms commonly refuse or restrict them at sign-up.
 *
 * Tenants add their own ranges with `prefix` list entries (watch or block) and tune this rule's
 * weight or action per scenario like any other.
 */
export const VIRTUAL_OPERATOR_PREFIXES: readonly string[] = ['+86162', '+86165', '+86167', '+86170', '+86171'];

/** The listed virtual-operator prefix `e164` starts with, if any. */
export function virtualOperatorPrefix(e164: string): string | undefined {
  return VIRTUAL_OPERATOR_PREFIXES.find((prefix) => e164.startsWith(prefix));
}
