/**
 * Values kept under a subgraph operation's text and a short key of the rest (operation name,
 * headers, variables). A query plan's fetch holds its operation text as one string for as long as the
 * plan is cached, and V8 keeps a string's hash in the string: a map keyed by that text finds it
 * without reading its characters again. A key joining the text with the rest would be a new string
 * of a few kilobytes at every read, copied and hashed whole.
 */
export class ByOperationText<V> {
  private readonly byText = new Map<string, Map<string, V>>();
  private count = 0;

  /** Values kept. */
  get size(): number {
    return this.count;
  }

  get(text: string, rest: string): V | undefined {
    return this.byText.get(text)?.get(rest);
  }

  set(text: string, rest: string, value: V): void {
    let values = this.byText.get(text);
    if (!values) {
      values = new Map();
      this.byText.set(text, values);
    }
    if (!values.has(rest)) this.count += 1;
    values.set(rest, value);
  }

  delete(text: string, rest: string): void {
    const values = this.byText.get(text);
    if (!values?.delete(rest)) return;
    this.count -= 1;
    if (values.size === 0) this.byText.delete(text);
  }

  clear(): void {
    this.byText.clear();
    this.count = 0;
  }

  /** Every value, in the order their texts were first kept. */
  *values(): IterableIterator<V> {
    for (const values of this.byText.values()) yield* values.values();
  }
}
