/**
 * One JSON document written a piece at a time, laid out exactly as `jsonText` lays out the
 * whole value (two-space indent), so a long list never has to be held as one string.
 */

/**
 * Collects text and hands it to `write` in pieces of about 64 KiB; {@link settle} waits for
 * the reader after a piece went out (`drain`), so output never queues up in memory.
 */
export class TextOutput {
  private text = '';
  private wrote = false;
  private readonly write: (text: string) => void;
  private readonly drain: (() => Promise<void>) | undefined;

  constructor(write: (text: string) => void, drain?: () => Promise<void>) {
    this.write = write;
    this.drain = drain;
  }

  /** Adds text; passes it on once enough has gathered. */
  add(text: string): void {
    this.text += text;
    if (this.text.length >= 64 * 1024) this.flush();
  }

  /** Passes on whatever has gathered. */
  flush(): void {
    if (this.text === '') return;
    this.write(this.text);
    this.text = '';
    this.wrote = true;
  }

  /** True when a piece went out since the last {@link settle}. */
  get unsettled(): boolean {
    return this.wrote && this.drain !== undefined;
  }

  /** Waits until the reader has taken what was written. */
  async settle(): Promise<void> {
    this.wrote = false;
    await this.drain?.();
  }
}

/**
 * A top-level JSON object written field by field; a field can be an array written item by item.
 * @example
 * const doc = new JsonObjectWriter(out);
 * doc.openArray('records'); for (const r of records) doc.item(r); doc.closeArray();
 * doc.field('error', null); doc.end();
 */
export class JsonObjectWriter {
  private readonly out: TextOutput;
  private fields = 0;
  private items = -1;

  constructor(out: TextOutput) {
    this.out = out;
    out.add('{');
  }

  /** One field with its whole value. */
  field(key: string, value: unknown): void {
    this.key(key);
    this.out.add(indented(value, '  '));
  }

  /** Starts an array field; {@link item} adds to it, {@link closeArray} ends it. */
  openArray(key: string): void {
    this.key(key);
    this.out.add('[');
    this.items = 0;
  }

  /** One element of the open array. */
  item(value: unknown): void {
    if (this.items < 0) throw new Error('JsonObjectWriter: item() outside an array');
    this.out.add(`${this.items > 0 ? ',' : ''}\n    ${indented(value, '    ')}`);
    this.items++;
  }

  /** Ends the open array. */
  closeArray(): void {
    this.out.add(this.items > 0 ? '\n  ]' : ']');
    this.items = -1;
  }

  /** Ends the document (and a trailing newline, as jsonText). */
  end(): void {
    this.out.add(this.fields > 0 ? '\n}\n' : '}\n');
    this.out.flush();
  }

  private key(key: string): void {
    if (this.items >= 0) throw new Error('JsonObjectWriter: a field inside an open array');
    this.out.add(`${this.fields > 0 ? ',' : ''}\n  ${JSON.stringify(key)}: `);
    this.fields++;
  }
}

function indented(value: unknown, pad: string): string {
  return JSON.stringify(value, null, 2).replace(/\n/g, `\n${pad}`);
}
