/**
 * Reading a subgraph request's headers, which every read does several times (its cache key, its
 * batch's key, the headers it is sent with). The gateway's requests carry node-fetch's `Headers`,
 * whose iterator sorts the names and builds a new pair for each header at every pass; its `raw()`
 * map (name → values, in the order they were first set) is read in place instead. Names come out in
 * lower case and several values of one name joined by ", ", as the iterator gives them; the order is
 * the order they were set, so two requests' headers read alike only when they are alike (a key made
 * of them may differ for the same headers set in another order, which costs a shared fetch or a hit,
 * never a wrong one). Any other `Headers` is iterated.
 */
export type SubgraphHeaders = Iterable<[string, string]>;

/** node-fetch's extension: the headers' own map, names as first set. */
interface RawHeaders {
  raw(): Record<string, string[]>;
}

function hasRaw(headers: SubgraphHeaders): headers is SubgraphHeaders & RawHeaders {
  return typeof (headers as Partial<RawHeaders>).raw === 'function';
}

/** Each header's lower-case name and value, in the order they were set. */
export function forEachHeader(headers: SubgraphHeaders, visit: (name: string, value: string) => void): void {
  if (!hasRaw(headers)) {
    for (const [name, value] of headers) visit(name, value);
    return;
  }
  const raw = headers.raw();
  for (const name in raw) {
    const values = raw[name];
    visit(name.toLowerCase(), values.length === 1 ? values[0] : values.join(', '));
  }
}

/** The headers as a plain object of lower-case names, as sent. */
export function plainHeaders(headers: SubgraphHeaders): Record<string, string> {
  const plain: Record<string, string> = {};
  forEachHeader(headers, (name, value) => {
    plain[name] = value;
  });
  return plain;
}
