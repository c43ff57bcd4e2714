/** The range the user picks: applications submitted and payments made are counted over it. */
export interface Range {
  from: string;
  to: string;
  bucket: 'WEEK' | 'MONTH';
}

/** A date as YYYY-MM-DD, in the zone of the clock that gave it (the browser's). */
function isoDay(date: Date): string {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

/** The range of a page opened without one in its address: the last 12 weeks (today and the 83 days before), by week. */
export function defaultRange(now: Date): Range {
  const from = new Date(now);
  from.setDate(from.getDate() - 83);
  return { from: isoDay(from), to: isoDay(now), bucket: 'WEEK' };
}
