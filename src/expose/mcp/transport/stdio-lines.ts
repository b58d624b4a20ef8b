/**
 * @module expose/mcp/transport/stdio-lines — splits a byte stream into newline-delimited lines in linear time
 * with a cap on line length. Chunks are kept as they arrive and only the new chunk is searched for a newline
 * (a byte 0x0A never occurs inside a multi-byte UTF-8 sequence, so splitting bytes is safe); a line is decoded
 * once, when it is complete. A line over the cap is reported once, as soon as it passes the cap, and the rest of
 * it is skipped up to the next newline, where reading resynchronises.
 */

export interface LineSink {
  /** One complete line (without its `\n` or a trailing `\r`). */
  line(text: string): void;
  /** A line passed `maxBytes`; it is dropped and reading resumes after its newline. */
  tooLong(maxBytes: number): void;
}

const NL = 0x0a;

export class LineReader {
  private readonly parts: Buffer[] = [];
  private held = 0;
  /** Inside an over-long line: skip bytes until the next newline. */
  private skipping = false;

  constructor(
    private readonly maxBytes: number,
    private readonly sink: LineSink,
  ) {}

  push(chunk: Buffer | string): void {
    const buf = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
    let start = 0;
    for (let nl = buf.indexOf(NL); nl >= 0; nl = buf.indexOf(NL, start)) {
      if (this.skipping) this.skipping = false;
      else if (this.held + (nl - start) > this.maxBytes) this.sink.tooLong(this.maxBytes);
      else this.emit(buf.subarray(start, nl));
      this.reset();
      start = nl + 1;
    }
    if (start >= buf.length || this.skipping) return;
    const rest = buf.subarray(start);
    if (this.held + rest.length > this.maxBytes) {
      this.sink.tooLong(this.maxBytes);
      this.reset();
      this.skipping = true;
      return;
    }
    this.parts.push(rest);
    this.held += rest.length;
  }

  /** The input ended: a last line without a newline still counts. */
  end(): void {
    if (!this.skipping && this.held > 0) this.emit(Buffer.alloc(0));
    this.reset();
    this.skipping = false;
  }

  private emit(tail: Buffer): void {
    const bytes = this.parts.length ? Buffer.concat([...this.parts, tail], this.held + tail.length) : tail;
    let text = bytes.toString('utf8');
    if (text.endsWith('\r')) text = text.slice(0, -1);
    this.sink.line(text);
  }

  private reset(): void {
    this.parts.length = 0;
    this.held = 0;
  }
}
