import { GKE_FACTS } from "./upstream-facts";

/** A recurring window as GKE's `recurring_window` takes it. */
export interface RecurringWindow {
  readonly startTime: string;
  readonly endTime: string;
  readonly recurrence: string;
}

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const WEEK = 7 * DAY;
const WEEKDAYS = ["SU", "MO", "TU", "WE", "TH", "FR", "SA"] as const;
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

interface Interval {
  readonly start: number;
  readonly end: number;
}

/**
 * The fewest hours of maintenance availability a window leaves in any rolling 32 days, counting
 * only contiguous stretches of at least 4 hours, the way GKE judges it. Returns a reason string
 * when the window cannot be read. Understands `FREQ=DAILY` and `FREQ=WEEKLY[;BYDAY=..]`, the
 * forms whose availability repeats every week.
 */
export function minimumAvailabilityHours(window: RecurringWindow): number | string {
  const start = parseTime(window.startTime);
  const end = parseTime(window.endTime);
  if (start === undefined) return `startTime is not an RFC 3339 timestamp (received ${JSON.stringify(window.startTime)})`;
  if (end === undefined) return `endTime is not an RFC 3339 timestamp (received ${JSON.stringify(window.endTime)})`;
  if (end <= start) return "endTime is not after startTime";
  const startDays = recurrenceDays(window.recurrence, new Date(start).getUTCDay());
  if (typeof startDays === "string") return startDays;
  const rules = GKE_FACTS.maintenanceWindow;
  const span = rules.rollingWindowDays * DAY;
  const stretches = mergedOccurrences(start % DAY, end - start, startDays, span + 2 * WEEK).filter(
    (stretch) => stretch.end - stretch.start >= rules.minimumContiguousHours * HOUR,
  );
  // Availability in [t, t + span) is piecewise linear in t, so its minimum lies where t or t + span meets a stretch edge.
  const candidates = [0, ...stretches.flatMap((s) => [s.start, s.end, s.start - span, s.end - span])].filter((t) => t >= 0 && t < WEEK);
  const minimum = Math.min(...candidates.map((t) => overlap(stretches, t, t + span)));
  return minimum / HOUR;
}

function parseTime(text: string): number | undefined {
  if (!RFC3339.test(text)) return undefined;
  const time = Date.parse(text);
  return Number.isNaN(time) ? undefined : time;
}

/** The UTC weekdays (0 = Sunday) on which a window starts, or why the rule is not understood. */
function recurrenceDays(recurrence: string, startDay: number): number[] | string {
  const parts = new Map(
    recurrence
      .replace(/^RRULE:/, "")
      .split(";")
      .map((part) => part.split("=") as [string, string]),
  );
  const unsupported = [...parts.keys()].filter((key) => key !== "FREQ" && key !== "BYDAY");
  const freq = parts.get("FREQ");
  if (unsupported.length > 0 || (freq !== "DAILY" && freq !== "WEEKLY") || (freq === "DAILY" && parts.has("BYDAY"))) {
    return `recurrence ${JSON.stringify(recurrence)} is not one we can check; use FREQ=DAILY or FREQ=WEEKLY;BYDAY=<days>`;
  }
  if (freq === "DAILY") return [0, 1, 2, 3, 4, 5, 6];
  const byDay = parts.get("BYDAY");
  if (byDay === undefined) return [startDay];
  const days = byDay.split(",").map((day) => WEEKDAYS.indexOf(day as (typeof WEEKDAYS)[number]));
  if (days.some((day) => day < 0)) return `recurrence BYDAY ${JSON.stringify(byDay)} names a day other than ${WEEKDAYS.join(",")}`;
  return days;
}

/** Occurrences from one week before 0 (a Sunday, 00:00 UTC) up to `horizon`, merged where they touch. */
function mergedOccurrences(timeOfDay: number, duration: number, days: number[], horizon: number): Interval[] {
  const starts: number[] = [];
  for (let week = -WEEK; week < horizon; week += WEEK) {
    for (const day of days) starts.push(week + day * DAY + timeOfDay);
  }
  const sorted = starts.sort((a, b) => a - b).map((start) => ({ start, end: start + duration }));
  const merged: Interval[] = [];
  for (const next of sorted) {
    const last = merged.at(-1);
    if (last && next.start <= last.end) merged[merged.length - 1] = { start: last.start, end: Math.max(last.end, next.end) };
    else merged.push(next);
  }
  return merged;
}

function overlap(stretches: Interval[], from: number, to: number): number {
  return stretches.reduce((sum, s) => sum + Math.max(0, Math.min(s.end, to) - Math.max(s.start, from)), 0);
}
