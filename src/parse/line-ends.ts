// Line ends and line lengths, at the byte level, before decoding (issue #7): CR, LF and CRLF are each a line
// end (a file edited on a Mac or patched by hand mixes them), and a line longer than the flow allows stops
// the file with its number and length instead of being buffered whole (a 50 MB file with no line break).
// Bytes 0x0D and 0x0A are never part of a multi-byte character in the encodings we read.
import { FileFatalError } from '../errors.ts';
import { frNumber } from '../../transforms/common/format.ts';

const CR = 13;
const LF = 10;

export class LineEnds {
  private afterCr = false;
  /** Bytes of the current, unfinished line. */
  private current = 0;
  /** The current line is over the limit: its bytes are only counted until it ends. */
  overlong = false;
  private overlongLine = 0;

  constructor(private readonly maxLineBytes: number) {}

  /** Every CR becomes LF and the LF of a CRLF is dropped, across chunk boundaries too. */
  normalise(chunk: Buffer): Buffer {
    const skipFirst = this.afterCr && chunk[0] === LF;
    let cr = chunk.indexOf(CR);
    if (cr === -1 && !skipFirst) {
      this.afterCr = false;
      return chunk;
    }
    const out = Buffer.allocUnsafe(chunk.length);
    let r = skipFirst ? 1 : 0;
    let w = 0;
    while (cr !== -1) {
      w += chunk.copy(out, w, r, cr);
      out[w++] = LF;
      r = cr + 1;
      if (chunk[r] === LF) r++;
      cr = chunk.indexOf(CR, r);
    }
    w += chunk.copy(out, w, r);
    this.afterCr = chunk[chunk.length - 1] === CR;
    return out.subarray(0, w);
  }

  /** Line ends in a normalised chunk whose first byte is on line `line`; throws on a line over the limit. */
  count(chunk: Buffer, line: number): number {
    let n = 0;
    let prev = -1;
    let at = chunk.indexOf(LF);
    while (at !== -1) {
      const length = prev === -1 ? this.current + at : at - prev - 1;
      if (length > this.maxLineBytes) this.tooLong(this.overlong ? this.overlongLine : line + n, length);
      n++;
      prev = at;
      at = chunk.indexOf(LF, at + 1);
    }
    this.current = prev === -1 ? this.current + chunk.length : chunk.length - prev - 1;
    if (!this.overlong && this.current > this.maxLineBytes) {
      this.overlong = true;
      this.overlongLine = line + n;
    }
    return n;
  }

  /** End of the file: the last line, without a line end, may be the long one. */
  end(line: number): void {
    if (this.overlong) this.tooLong(this.overlongLine, this.current);
    if (this.current > this.maxLineBytes) this.tooLong(line, this.current);
  }

  private tooLong(line: number, length: number): never {
    throw new FileFatalError(
      `Ligne ${line} trop longue : ${frNumber(length)} octets (limite ${frNumber(this.maxLineBytes)} octets, ` +
        `option « maxLineBytes » du flux). Un export ERP n'a pas de ligne aussi longue : fichier sans fin de ligne, ` +
        'binaire ou endommagé ? Vérifiez l\'export ; si ces lignes sont voulues, augmentez « maxLineBytes » dans le profil du flux.',
    );
  }
}
