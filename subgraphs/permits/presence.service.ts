import type { AggregateDisclosure } from '../../platform/aggregates';
import { OVERSTAY_BANDS, type PresenceCountRow, type PresenceStore } from './presence.store';
import type { CitizenshipCount, PresenceStatistics } from './presence-statistics.type';

/** Before the presence status has first been filled: nothing recorded is known to be in. */
const NEVER = new Date(0);

/**
 * The presence statistics from the maintained status (presence.store.ts): a few statements whatever the
 * number of persons. Every count is withheld under the threshold, for every caller: they are counts
 * of persons, asked for by callers who may only count.
 */
export class PresenceService {
  constructor(
    private readonly store: PresenceStore,
    private readonly today: string,
    private readonly aggregates: AggregateDisclosure,
  ) {}

  async statistics(): Promise<PresenceStatistics> {
    const [rows, statusAsOf] = await Promise.all([this.store.counts(this.today), this.store.statusAsOf()]);
    const threshold = this.aggregates.minCount;
    const shown = (count: number) => (count >= threshold ? count : null);
    const all = rows.find((row) => row.group === 'all');
    const byCitizenship = (pick: (row: PresenceCountRow) => number): CitizenshipCount[] =>
      rows
        .filter((row) => row.group === 'citizenship' && pick(row) > 0)
        .sort((a, b) => pick(b) - pick(a) || (a.citizenship ?? '').localeCompare(b.citizenship ?? ''))
        .map((row) => ({ citizenship: row.citizenship, count: shown(pick(row)) }));
    return {
      asOf: this.today,
      present: shown(all?.present ?? 0),
      presentByCitizenship: byCitizenship((row) => row.present),
      overstaying: shown(all?.overstaying ?? 0),
      overstayingByCitizenship: byCitizenship((row) => row.overstaying),
      overstayingByLength: OVERSTAY_BANDS.map((band) => ({
        ...band,
        count: shown(rows.find((row) => row.group === 'band' && row.minDays === band.minDays)?.overstaying ?? 0),
      })),
      registrationOverdue: shown(all?.registrationOverdue ?? 0),
      statusAsOf: statusAsOf ?? NEVER,
      suppressedBelow: threshold,
    };
  }
}
