import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartDataset } from 'chart.js';

// Only the parts of Chart.js the page draws with, so the bundle stays small.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const COUNT = new Intl.NumberFormat('en-GB', { maximumFractionDigits: 0 });
const MONEY = new Intl.NumberFormat('en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** Okabe and Ito's colour-blind-safe colours, then Paul Tol's muted ones: a colour of its own for each of up to 15 series. */
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#F0E442', '#000000', '#999999', '#882255', '#44AA99', '#117733', '#332288', '#DDCC77', '#AA4499'];

/** A count as the page shows it: whole, or "fewer than N" where the graph withheld it (never 0). */
export function countText(value: number | null, suppressedBelow: number | null): string {
  if (value !== null) return COUNT.format(value);
  return suppressedBelow !== null ? `fewer than ${suppressedBelow}` : 'withheld';
}

export interface Money {
  amount: string;
  currency: string;
}

/**
 * The totals of `count` payments or debts as the page shows them: null (withheld) when their count is
 * withheld, and when every currency's total was left out (each over fewer than the threshold), which is
 * not "none": an empty list only for a count of 0.
 */
export function shownTotals(amounts: Money[] | null, count: number | null): Money[] | null {
  return amounts !== null && (amounts.length > 0 || count === 0) ? amounts : null;
}

/** Totals per currency (shownTotals): each on its own line; withheld (null); "none" when nothing is owed or paid. */
export function moneyTexts(amounts: Money[] | null): string[] {
  if (amounts === null) return ['withheld'];
  if (amounts.length === 0) return ['none'];
  return amounts.map((money) => `${MONEY.format(Number(money.amount))} ${money.currency}`);
}

/** RESIDENCE_PERMIT → "Residence permit". */
export function label(value: string | null | undefined): string {
  if (!value) return 'Unknown';
  const words = value.toLowerCase().replace(/_/g, ' ');
  return words.charAt(0).toUpperCase() + words.slice(1);
}

export function element<K extends keyof HTMLElementTagNameMap>(tag: K, attributes: Record<string, string> = {}, ...children: (Node | string)[]): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) node.setAttribute(name, value);
  node.append(...children);
  return node;
}

/** A number on the page, marked with the key of the answer it shows (the browser test reads them back). */
export function number(key: string, text: string, withheld = false): HTMLElement {
  return element('span', { class: withheld ? 'number withheld' : 'number', 'data-key': key }, text);
}

export interface Cell {
  text: string;
  key?: string;
  withheld?: boolean;
}

/** A cell of counts or amounts: one line each. */
export type CellContent = Cell | Cell[];

/** A table of the numbers behind a chart: a caption, column headings, a heading per row. */
export function table(caption: string, columns: string[], rows: { heading: string; cells: CellContent[] }[]): HTMLElement {
  const head = element('tr', {}, ...columns.map((column, index) => element('th', { scope: 'col', class: index === 0 ? '' : 'numeric' }, column)));
  const body = rows.map((row) =>
    element(
      'tr',
      {},
      element('th', { scope: 'row' }, row.heading),
      ...row.cells.map((content) => {
        const cells = Array.isArray(content) ? content : [content];
        const td = element('td', { class: 'numeric' });
        cells.forEach((cell, index) => {
          if (index > 0) td.append(element('br'));
          td.append(cell.key ? number(cell.key, cell.text, cell.withheld) : cell.text);
        });
        return td;
      }),
    ),
  );
  return element('div', { class: 'table-wrap', tabindex: '0', role: 'region', 'aria-label': caption }, element('table', {}, element('caption', {}, caption), element('thead', {}, head), element('tbody', {}, ...body)));
}

/** Key figures: a label and its number each. */
export function figures(items: { label: string; key: string; text: string; withheld?: boolean; note?: string }[]): HTMLElement {
  return element(
    'dl',
    { class: 'figures' },
    ...items.map((item) =>
      element('div', { class: 'figure' }, element('dt', {}, item.label), element('dd', {}, number(item.key, item.text, item.withheld), ...(item.note ? [element('span', { class: 'note' }, item.note)] : []))),
    ),
  );
}

export interface Series {
  label: string;
  /** null where the count was withheld: no bar is drawn, the table says why. */
  values: (number | null)[];
}

/** A horizontal chart's height: at least the `.chart.tall` box's, and a row for each category beside its axis and legend. */
const HORIZONTAL_MIN_HEIGHT = 300;
const ROW_HEIGHT = 22;
const HORIZONTAL_AXES_HEIGHT = 70;

/**
 * A bar chart (stacked when `stacked`), described for screen readers by its title; its numbers are in
 * the table beside it. Drawn without animation: the page is read, not watched.
 */
export function barChart(title: string, labels: string[], series: Series[], options: { stacked?: boolean; horizontal?: boolean } = {}): HTMLElement {
  const values = series.flatMap((one) => one.values);
  const withheld = values.filter((value) => value === null).length;
  // Every count withheld: an empty chart would read as nothing happening.
  if (withheld === values.length) return element('p', { class: 'chart-note' }, `No chart: all ${values.length} counts are withheld for being small.`);
  const canvas = element('canvas', { role: 'img', 'aria-label': `${title}. The numbers are in the table that follows.` });
  const box = element('div', { class: options.horizontal ? 'chart tall' : 'chart' }, canvas);
  // A bar per category down the page: room for every category's name (Chart.js would skip every other one).
  if (options.horizontal) box.style.height = `${Math.max(HORIZONTAL_MIN_HEIGHT, labels.length * ROW_HEIGHT + HORIZONTAL_AXES_HEIGHT)}px`;
  // A withheld count has no bar: said under the chart.
  const note = withheld > 0 ? [element('p', { class: 'chart-note' }, `${withheld} of ${values.length} counts withheld for being small: not drawn.`)] : [];
  const datasets: ChartDataset<'bar', (number | null)[]>[] = series.map((one, index) => ({
    label: one.label,
    data: one.values,
    backgroundColor: PALETTE[index % PALETTE.length],
    borderWidth: 0,
  }));
  // Drawn once the box is in the document and has a size.
  requestAnimationFrame(() => {
    new Chart(canvas, {
      type: 'bar',
      data: { labels, datasets },
      options: {
        animation: false,
        responsive: true,
        maintainAspectRatio: false,
        indexAxis: options.horizontal ? 'y' : 'x',
        plugins: { legend: { display: series.length > 1, position: 'bottom' } },
        scales: {
          x: { stacked: options.stacked, ...(options.horizontal ? { beginAtZero: true, ticks: { precision: 0 } } : {}) },
          y: { stacked: options.stacked, ...(options.horizontal ? { ticks: { autoSkip: false } } : { beginAtZero: true, ticks: { precision: 0 } }) },
        },
      },
    });
  });
  const figure = element('div', {}, box, ...note);
  return figure;
}
