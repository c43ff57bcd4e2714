import countries from 'i18n-iso-countries';
import english from 'i18n-iso-countries/langs/en.json';
import type { Range } from './range';
import { barChart, countText, element, figures, label, moneyTexts, shownTotals, table, type Cell, type Money } from './render';

// English country names only: the package's browser entry carries no language of its own.
countries.registerLocale(english);

export type { Range };

/** One panel of a view: a chart and the numbers behind it, from one root field of the view's operation. */
interface Panel<T> {
  title: string;
  /** A series over the range: the panel takes the view's whole width. */
  wide?: boolean;
  rootField: keyof T & string;
  render(data: T): Node[];
}

export interface View<T = any> {
  id: 'applications' | 'permits' | 'payments' | 'presence';
  title: string;
  /** The committed operation (test/operations/dashboard.graphql) sent by hash. */
  operation: 'DashboardApplications' | 'DashboardPermits' | 'DashboardPayments' | 'DashboardPresence';
  /** What the counts are about, under the view's title. */
  note: string;
  variables(range: Range): Record<string, unknown>;
  panels: Panel<T>[];
}

// The answers, as the committed operations ask for them.
interface Count {
  count: number | null;
}
interface ApplicationsAnswer {
  submittedApplications: { from: string; to: string; bucket: string; series: { periodStart: string; type: string; count: number | null }[]; suppressedBelow: number | null };
  applicationStatistics: {
    asOf: string;
    open: number | null;
    overdue: number | null;
    byStatus: { status: string; count: number | null }[];
    overdueByOffice: { office: string; count: number | null; oldestSubmittedOn: string | null }[];
    overdueByChannel: { channel: string; count: number | null; oldestSubmittedOn: string | null }[];
    suppressedBelow: number | null;
  };
}
interface PermitsAnswer {
  permitStatistics: {
    asOf: string;
    byKind: { kind: string; inForce: number | null }[];
    expiringWithin: { withinDays: number; kind: string; count: number | null }[];
    suppressedBelow: number | null;
  };
}
interface PaymentsAnswer {
  paymentStatistics: {
    asOf: string;
    outstandingFines: number | null;
    outstandingFineAmounts: Money[] | null;
    outstandingFinesByAge: { minDays: number; maxDays: number | null; count: number | null; amounts: Money[] | null }[];
    unpaidStateDuties: number | null;
    unpaidStateDutyAmounts: Money[] | null;
    suppressedBelow: number | null;
  };
  paymentsByChannel: { from: string; to: string; bucket: string; series: { periodStart: string; channel: string; count: number | null; amounts: Money[] | null }[]; suppressedBelow: number | null };
}
interface PresenceAnswer {
  presenceStatistics: {
    asOf: string;
    present: number | null;
    presentByCitizenship: { citizenship: string | null; count: number | null }[];
    overstaying: number | null;
    overstayingByCitizenship: { citizenship: string | null; count: number | null }[];
    overstayingByLength: { minDays: number; maxDays: number | null; count: number | null }[];
    registrationOverdue: number | null;
    statusAsOf: string;
    suppressedBelow: number;
  };
}

const unique = <T>(values: T[]): T[] => [...new Set(values)];
/** A moment as the Service reads it: Baku's date and time, whatever the browser's time zone. */
const bakuTime = (moment: string) =>
  `${new Date(moment).toLocaleString('en-GB', { timeZone: 'Asia/Baku', day: 'numeric', month: 'short', year: 'numeric', hour: '2-digit', minute: '2-digit' })} Baku time`;
const periodWord = (bucket: string) => (bucket === 'MONTH' ? 'month' : 'week');
const cell = (key: string, value: number | null, suppressedBelow: number | null): Cell => ({ key, text: countText(value, suppressedBelow), withheld: value === null });
/** The totals of `count` payments or debts as cells (shownTotals), each marked with its currency. */
const moneyCells = (key: string, amounts: Money[] | null, count: number | null): Cell[] => {
  const totals = shownTotals(amounts, count);
  const texts = moneyTexts(totals);
  if (totals === null) return [{ key: `${key}|*`, text: texts[0], withheld: true }];
  if (totals.length === 0) return [{ key: `${key}|-`, text: texts[0] }];
  return totals.map((money, index) => ({ key: `${key}|${money.currency}`, text: texts[index] }));
};
const ageLabel = (minDays: number, maxDays: number | null) => (maxDays === null ? `${minDays} days or more` : `${minDays}–${maxDays} days`);
const suppressionNote = (suppressedBelow: number | null) =>
  suppressedBelow === null ? 'Every count is whole.' : `A count under ${suppressedBelow} is withheld and shown as “fewer than ${suppressedBelow}”.`;
/** suppressionNote, and what it means for totals of money (the payments registry leaves such a currency out). */
const totalsNote = (suppressedBelow: number | null) =>
  suppressedBelow === null ? suppressionNote(null) : `${suppressionNote(suppressedBelow)} A total is given only for a currency with at least ${suppressedBelow} of them; where none has, it is withheld.`;

/** A series per value of `by`, one value per period, for a stacked chart and a period × category table. */
function periodSeries<R extends { periodStart: string; count: number | null }>(rows: R[], by: (row: R) => string) {
  const periods = unique(rows.map((row) => row.periodStart));
  const categories = unique(rows.map(by));
  const at = (period: string, category: string) => rows.find((row) => row.periodStart === period && by(row) === category);
  return { periods, categories, at };
}

export const applicationsView: View<ApplicationsAnswer> = {
  id: 'applications',
  title: 'Applications',
  operation: 'DashboardApplications',
  note: 'From the applications registry. Overdue: awaiting a decision past the due date (CAL-01).',
  variables: (range) => ({ from: range.from, to: range.to, bucket: range.bucket }),
  panels: [
    {
      title: 'Submitted by type',
      wide: true,
      rootField: 'submittedApplications',
      render: ({ submittedApplications: submitted }) => {
        const { periods, categories, at } = periodSeries(submitted.series, (row) => row.type);
        const word = periodWord(submitted.bucket);
        return [
          element('p', { class: 'panel-note' }, `Per ${word} from ${submitted.from} to ${submitted.to}, by the ${word}'s first day. ${suppressionNote(submitted.suppressedBelow)}`),
          barChart(`Applications submitted per ${word} by type`, periods, categories.map((type) => ({ label: label(type), values: periods.map((period) => at(period, type)?.count ?? null) })), { stacked: true }),
          table(
            `Applications submitted per ${word} by type`,
            [label(word), ...categories.map(label)],
            periods.map((period) => ({ heading: period, cells: categories.map((type) => cell(`submitted|${period}|${type}`, at(period, type)?.count ?? null, submitted.suppressedBelow)) })),
          ),
        ];
      },
    },
    {
      title: 'Open and overdue; every status',
      rootField: 'applicationStatistics',
      render: ({ applicationStatistics: stats }) => [
        element('p', { class: 'panel-note' }, `As of ${stats.asOf}. ${suppressionNote(stats.suppressedBelow)}`),
        figures([
          { label: 'Open (submitted or under review)', key: 'open', text: countText(stats.open, stats.suppressedBelow), withheld: stats.open === null },
          { label: 'Overdue (CAL-01)', key: 'overdue', text: countText(stats.overdue, stats.suppressedBelow), withheld: stats.overdue === null },
        ]),
        // Every application on record, decided ones included: the open ones are the figures above.
        barChart('Applications on record per status, decided ones included', stats.byStatus.map((row) => label(row.status)), [{ label: 'Applications', values: stats.byStatus.map((row) => row.count) }], { horizontal: true }),
        table('Applications on record per status', ['Status', 'Applications'], stats.byStatus.map((row) => ({ heading: label(row.status), cells: [cell(`status|${row.status}`, row.count, stats.suppressedBelow)] }))),
      ],
    },
    {
      title: 'Overdue (CAL-01), by office and channel',
      rootField: 'applicationStatistics',
      render: ({ applicationStatistics: stats }) => {
        const oldest = (key: string, day: string | null): Cell => ({ key, text: day ?? '—' });
        return [
          element('p', { class: 'panel-note' }, `As of ${stats.asOf}, with the day the oldest of them was submitted.`),
          barChart('Overdue applications per office', stats.overdueByOffice.map((row) => label(row.office)), [{ label: 'Overdue', values: stats.overdueByOffice.map((row) => row.count) }], { horizontal: true }),
          table(
            'Overdue applications per office',
            ['Office', 'Overdue', 'Oldest submitted'],
            stats.overdueByOffice.map((row) => ({ heading: label(row.office), cells: [cell(`overdueOffice|${row.office}`, row.count, stats.suppressedBelow), oldest(`overdueOfficeOldest|${row.office}`, row.oldestSubmittedOn)] })),
          ),
          table(
            'Overdue applications per channel',
            ['Channel', 'Overdue', 'Oldest submitted'],
            stats.overdueByChannel.map((row) => ({ heading: label(row.channel), cells: [cell(`overdueChannel|${row.channel}`, row.count, stats.suppressedBelow), oldest(`overdueChannelOldest|${row.channel}`, row.oldestSubmittedOn)] })),
          ),
        ];
      },
    },
  ],
};

export const permitsView: View<PermitsAnswer> = {
  id: 'permits',
  title: 'Permits',
  operation: 'DashboardPermits',
  note: 'From the permits registry: permits in force today, and those of them ending soon.',
  variables: () => ({ expiryWindows: [30, 60, 90] }),
  panels: [
    {
      title: 'In force, by kind',
      rootField: 'permitStatistics',
      render: ({ permitStatistics: stats }) => [
        element('p', { class: 'panel-note' }, `As of ${stats.asOf}. ${suppressionNote(stats.suppressedBelow)}`),
        barChart('Permits in force per kind', stats.byKind.map((row) => label(row.kind)), [{ label: 'In force', values: stats.byKind.map((row) => row.inForce) }]),
        table('Permits in force per kind', ['Kind', 'In force'], stats.byKind.map((row) => ({ heading: label(row.kind), cells: [cell(`inForce|${row.kind}`, row.inForce, stats.suppressedBelow)] }))),
      ],
    },
    {
      title: 'Expiring in the next 30, 60 and 90 days',
      rootField: 'permitStatistics',
      render: ({ permitStatistics: stats }) => {
        const windows = unique(stats.expiringWithin.map((row) => row.withinDays));
        const kinds = unique(stats.expiringWithin.map((row) => row.kind));
        const at = (days: number, kind: string) => stats.expiringWithin.find((row) => row.withinDays === days && row.kind === kind)?.count ?? null;
        return [
          element('p', { class: 'panel-note' }, `Permits in force on ${stats.asOf} whose last day falls within the window, that day included; a wider window includes the narrower.`),
          barChart('Permits expiring per kind and window', kinds.map(label), windows.map((days) => ({ label: `Within ${days} days`, values: kinds.map((kind) => at(days, kind)) }))),
          table(
            'Permits expiring per kind and window',
            ['Kind', ...windows.map((days) => `Within ${days} days`)],
            kinds.map((kind) => ({ heading: label(kind), cells: windows.map((days) => cell(`expiring|${days}|${kind}`, at(days, kind), stats.suppressedBelow)) })),
          ),
        ];
      },
    },
  ],
};

export const paymentsView: View<PaymentsAnswer> = {
  id: 'payments',
  title: 'Fines, duties and payments',
  operation: 'DashboardPayments',
  note: 'From the payments registry. Outstanding fines: not paid (FINE-02). Payments by the day paid, per channel (PAY-03).',
  variables: (range) => ({ from: range.from, to: range.to, bucket: range.bucket }),
  panels: [
    {
      title: 'Owed to the state',
      rootField: 'paymentStatistics',
      render: ({ paymentStatistics: stats }) => {
        const fines = moneyCells('fineTotal', stats.outstandingFineAmounts, stats.outstandingFines);
        const duties = moneyCells('dutyTotal', stats.unpaidStateDutyAmounts, stats.unpaidStateDuties);
        const totals = (cells: Cell[]) => cells.map((one) => one.text).join(', ');
        return [
          element('p', { class: 'panel-note' }, `As of ${stats.asOf}. ${totalsNote(stats.suppressedBelow)}`),
          figures([
            { label: 'Outstanding fines', key: 'fines', text: countText(stats.outstandingFines, stats.suppressedBelow), withheld: stats.outstandingFines === null },
            ...fines.map((one) => ({ label: 'Fines owed', key: one.key!, text: one.text, withheld: one.withheld })),
            { label: 'Unpaid state duties', key: 'duties', text: countText(stats.unpaidStateDuties, stats.suppressedBelow), withheld: stats.unpaidStateDuties === null },
            ...duties.map((one) => ({ label: 'Duties owed', key: one.key!, text: one.text, withheld: one.withheld })),
          ]),
          element('p', { class: 'visually-hidden' }, `Fines owed: ${totals(fines)}. Duties owed: ${totals(duties)}.`),
        ];
      },
    },
    {
      title: 'Outstanding fines by age',
      rootField: 'paymentStatistics',
      render: ({ paymentStatistics: stats }) => {
        const groups = stats.outstandingFinesByAge;
        return [
          element('p', { class: 'panel-note' }, `Days since the fine was imposed, to ${stats.asOf}. ${totalsNote(stats.suppressedBelow)}`),
          barChart('Outstanding fines per age', groups.map((group) => ageLabel(group.minDays, group.maxDays)), [{ label: 'Outstanding fines', values: groups.map((group) => group.count) }]),
          table(
            'Outstanding fines per age',
            ['Age', 'Fines', 'Owed'],
            groups.map((group) => ({
              heading: ageLabel(group.minDays, group.maxDays),
              cells: [cell(`finesAge|${group.minDays}`, group.count, stats.suppressedBelow), moneyCells(`finesAgeAmount|${group.minDays}`, group.amounts, group.count)],
            })),
          ),
        ];
      },
    },
    {
      title: 'Payments by channel',
      wide: true,
      rootField: 'paymentsByChannel',
      render: ({ paymentsByChannel: paid }) => {
        const { periods, categories, at } = periodSeries(paid.series, (row) => row.channel);
        const word = periodWord(paid.bucket);
        return [
          element('p', { class: 'panel-note' }, `Per ${word} from ${paid.from} to ${paid.to}, state duties and fines together. ${totalsNote(paid.suppressedBelow)}`),
          barChart(`Payments per ${word} by channel`, periods, categories.map((channel) => ({ label: label(channel), values: periods.map((period) => at(period, channel)?.count ?? null) })), { stacked: true }),
          table(
            `Payments per ${word} by channel: how many, and their total`,
            [label(word), ...categories.map(label)],
            periods.map((period) => ({
              heading: period,
              cells: categories.map((channel) => {
                const row = at(period, channel);
                return [cell(`paid|${period}|${channel}`, row?.count ?? null, paid.suppressedBelow), ...moneyCells(`paidAmount|${period}|${channel}`, row?.amounts ?? null, row?.count ?? null)];
              }),
            })),
          ),
        ];
      },
    },
  ],
};

export const presenceView: View<PresenceAnswer> = {
  id: 'presence',
  title: 'Persons present and overstaying',
  operation: 'DashboardPresence',
  note: 'From the permits registry: foreigners in the country today, those staying past their lawful stay (STAY-03), and those whose registration by place of stay is overdue (REG-02).',
  variables: () => ({}),
  panels: [
    {
      title: 'Today',
      wide: true,
      rootField: 'presenceStatistics',
      render: ({ presenceStatistics: stats }) => [
        element('p', { class: 'panel-note' }, `As of ${stats.asOf}; statuses as of ${bakuTime(stats.statusAsOf)}. ${suppressionNote(stats.suppressedBelow)}`),
        figures([
          { label: 'Present', key: 'present', text: countText(stats.present, stats.suppressedBelow), withheld: stats.present === null },
          { label: 'Overstaying (STAY-03)', key: 'overstaying', text: countText(stats.overstaying, stats.suppressedBelow), withheld: stats.overstaying === null },
          { label: 'Registration overdue (REG-02)', key: 'registrationOverdue', text: countText(stats.registrationOverdue, stats.suppressedBelow), withheld: stats.registrationOverdue === null },
        ]),
      ],
    },
    {
      title: 'By citizenship',
      rootField: 'presenceStatistics',
      render: ({ presenceStatistics: stats }) => {
        const citizenships = unique([...stats.presentByCitizenship, ...stats.overstayingByCitizenship].map((row) => row.citizenship ?? '-'));
        const present = (code: string) => stats.presentByCitizenship.find((row) => (row.citizenship ?? '-') === code);
        const overstaying = (code: string) => stats.overstayingByCitizenship.find((row) => (row.citizenship ?? '-') === code);
        const name = (code: string) => (code === '-' ? 'Other or unknown' : `${countries.getName(code, 'en') ?? code} (${code})`);
        const shown = (row: Count | undefined, key: string): Cell => (row ? cell(key, row.count, stats.suppressedBelow) : { text: '—' });
        return [
          barChart(
            'Persons present and overstaying per citizenship',
            citizenships.map(name),
            [
              { label: 'Present', values: citizenships.map((code) => present(code)?.count ?? null) },
              { label: 'Overstaying', values: citizenships.map((code) => overstaying(code)?.count ?? null) },
            ],
            { horizontal: true },
          ),
          table(
            'Persons present and overstaying per citizenship',
            ['Citizenship', 'Present', 'Overstaying'],
            citizenships.map((code) => ({ heading: name(code), cells: [shown(present(code), `presentBy|${code}`), shown(overstaying(code), `overstayingBy|${code}`)] })),
          ),
        ];
      },
    },
    {
      title: 'Overstaying, by length',
      rootField: 'presenceStatistics',
      render: ({ presenceStatistics: stats }) => {
        const groups = stats.overstayingByLength;
        return [
          element('p', { class: 'panel-note' }, 'Days past the last day of lawful stay.'),
          barChart('Persons overstaying per length of overstay', groups.map((group) => ageLabel(group.minDays, group.maxDays)), [{ label: 'Overstaying', values: groups.map((group) => group.count) }]),
          table('Persons overstaying per length of overstay', ['Overstay', 'Persons'], groups.map((group) => ({ heading: ageLabel(group.minDays, group.maxDays), cells: [cell(`overstayLength|${group.minDays}`, group.count, stats.suppressedBelow)] }))),
        ];
      },
    },
  ],
};

export const VIEWS: View[] = [applicationsView, permitsView, paymentsView, presenceView];
