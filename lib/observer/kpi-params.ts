import { InputError } from "../errors";

/**
 * The KPI window as the dashboard takes it (DESIGN §6: runs completed within the last
 * `window_days`, default 7). The API accepts any whole number of days up to 90; the view offers
 * the common choices.
 */
export const DEFAULT_WINDOW_DAYS = 7;
export const MAX_WINDOW_DAYS = 90;
export const WINDOW_CHOICES = [1, 3, 7, 14, 30] as const;

/**
 * `window_days` of GET /api/kpis: absent → the default; anything but an integer from 1 to 90 is
 * refused with a message naming the parameter.
 */
export function parseWindowDays(value: string | null | undefined, name = "window_days"): number {
  if (value === null || value === undefined || value === "") return DEFAULT_WINDOW_DAYS;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > MAX_WINDOW_DAYS) {
    throw new InputError(
      `${name}: expected an integer from 1 to ${MAX_WINDOW_DAYS} (days), got '${value.slice(0, 40)}'`,
    );
  }
  return n;
}

/**
 * The page's `window` search parameter: shared links may carry anything, so a bad value falls
 * back to the default rather than failing the page (the view says which window it shows).
 */
export function windowFromSearchParam(value: string | string[] | undefined): number {
  const raw = Array.isArray(value) ? value[0] : value;
  try {
    return parseWindowDays(raw, "window");
  } catch {
    return DEFAULT_WINDOW_DAYS;
  }
}
