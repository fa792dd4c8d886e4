/** Calendar dates as "YYYY-MM-DD" strings (LocalDate). */

const pad = (n: number, width = 2) => String(n).padStart(width, "0");

/** `date` plus `months` calendar months; the day is clamped to the month's end (31 Jan + 1 → 28/29 Feb). */
export function addMonths(date: string, months: number): string {
  const [y, m, d] = date.split("-").map(Number);
  const total = y * 12 + (m - 1) + months;
  const year = Math.floor(total / 12);
  const month = (total % 12) + 1;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return `${pad(year, 4)}-${pad(month)}-${pad(Math.min(d, lastDay))}`;
}

/** Regional agreement the inspection used: Veilig Thuis checks 3 months after handover unless configured otherwise. */
export const DEFAULT_MONITORING_INTERVAL_MONTHS = 3;

/** The first monitoring check after a handover on `handedOverOn`, per the Veilig Thuis organisation's interval. */
export function firstMonitoringDueOn(handedOverOn: string, intervalMonths: number | null | undefined): string {
  return addMonths(handedOverOn, intervalMonths ?? DEFAULT_MONITORING_INTERVAL_MONTHS);
}
