import { Pool } from 'undici';

/** One request of an open load: its headers and body (POSTed to the load's URL). */
export interface OpenRequest {
  headers: Record<string, string>;
  body: string;
}

export interface OpenLoadOptions<Sent extends OpenRequest = OpenRequest> {
  url: string;
  /** Arrivals per second, evenly spaced: the n-th is due n / rate seconds after the start. */
  rate: number;
  /** Seconds of arrivals; the answers still due after them are waited for. */
  duration: number;
  /** Connections to the server at most; a request due while all are busy waits for one, and its wait counts. */
  connections: number;
  /** The n-th request (n from 0); its answer comes with it (OpenAnswer.sent). */
  request: (n: number) => Sent;
  /** A request unanswered this long (headers, then body) is given up and counted as timed out. */
  timeoutMs?: number;
}

export interface OpenAnswer<Sent extends OpenRequest = OpenRequest> {
  n: number;
  /** The request as `request` made it. */
  sent: Sent;
  status: number;
  body: string;
  /** From the moment the request was due and handed to the pool to its whole answer, in milliseconds. */
  latencyMs: number;
}

export interface OpenLoadResult {
  sent: number;
  /** Requests that failed without an answer (refused, reset), and those given up after timeoutMs. */
  errors: number;
  timeouts: number;
}

const TIMEOUT_CODES = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

/**
 * Load at a fixed arrival rate (an open model): requests arrive on a clock, whether or not the earlier
 * ones were answered, as travellers reach a border post. A closed loop (each connection sends its next
 * request when its answer comes) slows down with the server and hides its queue; so does autocannon's
 * rate, which lets each connection send its share of a second back to back at the second's start,
 * a burst of as many requests as connections every second. Here each arrival is sent when due (a late
 * timer sends the overdue ones at once) over a pool of `connections`; when they are all busy it waits
 * in the pool's queue, and that wait is part of its latency.
 */
export async function openLoad<Sent extends OpenRequest>(options: OpenLoadOptions<Sent>, onAnswer: (answer: OpenAnswer<Sent>) => void): Promise<OpenLoadResult> {
  if (!(options.rate > 0) || !(options.duration > 0)) throw new Error('an open load needs a rate and a duration above 0');
  const target = new URL(options.url);
  const path = `${target.pathname}${target.search}`;
  const timeout = options.timeoutMs ?? 120_000;
  const pool = new Pool(target.origin, { connections: options.connections, headersTimeout: timeout, bodyTimeout: timeout });
  const total = Math.max(1, Math.round(options.rate * options.duration));
  const result: OpenLoadResult = { sent: 0, errors: 0, timeouts: 0 };
  const answers: Promise<void>[] = [];

  const answer = async (n: number, sent: Sent, due: number, answered: ReturnType<Pool['request']>) => {
    try {
      const response = await answered;
      const body = await response.body.text();
      onAnswer({ n, sent, status: response.statusCode, body, latencyMs: performance.now() - due });
    } catch (error) {
      const code = (error as { code?: string } | null)?.code;
      if (code && TIMEOUT_CODES.has(code)) result.timeouts += 1;
      else result.errors += 1;
    }
  };
  const send = (n: number) => {
    const sent = options.request(n);
    result.sent += 1;
    answers.push(answer(n, sent, performance.now(), pool.request({ path, method: 'POST', headers: sent.headers, body: sent.body })));
  };

  try {
    const start = performance.now();
    let next = 0;
    await new Promise<void>((resolve) => {
      const tick = () => {
        // Every arrival due by now: the n-th at start + n / rate.
        const due = Math.min(total, Math.floor(((performance.now() - start) * options.rate) / 1000) + 1);
        while (next < due) send(next++);
        if (next >= total) {
          resolve();
          return;
        }
        setTimeout(tick, Math.max(0, start + (next * 1000) / options.rate - performance.now()));
      };
      tick();
    });
    await Promise.all(answers);
  } finally {
    await pool.close();
  }
  return result;
}
