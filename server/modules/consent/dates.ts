/** Calendar dates as "YYYY-MM-DD" strings (LocalDate), compared lexicographically. */

/** Today in the server's local time zone. */
export function today(now = new Date()): string {
  const p = (n: number) => String(n).padStart(2, "0");
  return `${now.getFullYear()}-${p(now.getMonth() + 1)}-${p(now.getDate())}`;
}

/** Age in whole years on `on` of someone born on `birthDate`. */
export function ageOn(birthDate: string, on: string): number {
  const [by, bm, bd] = birthDate.split("-").map(Number);
  const [oy, om, od] = on.split("-").map(Number);
  return oy - by - (om < bm || (om === bm && od < bd) ? 1 : 0);
}

/** Active: not withdrawn and not past its last valid day (same rule as the access layer's SQL). */
export function isActive(item: { withdrawnAt: Date | null; validUntil: string | null }, on = today()): boolean {
  return item.withdrawnAt === null && (item.validUntil === null || item.validUntil >= on);
}
