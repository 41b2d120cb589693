import { BLOCK_SIZE, blockCount, residentBlock } from './residents.js';

const DAY_MS = 86_400_000;
/** Asia/Ho_Chi_Minh is UTC+7 all year: ages count in Đà Nẵng days. */
const LOCAL_OFFSET_MS = 7 * 3_600_000;

/** The Đà Nẵng calendar date ('YYYY-MM-DD') of a moment in epoch milliseconds. */
export function localDateOf(time: number): string {
  return new Date(time + LOCAL_OFFSET_MS).toISOString().slice(0, 10);
}

/**
 * The day each citizen comes of an age, by id, filled one block of residents at a time on first
 * use: the services seed checks random applicants' ages without reading the population source.
 * Each block is generated at most once; the check itself is one integer comparison, since it runs
 * for every dossier (a million at the city scale).
 */
export class ComingOfAge {
  /** Local day number (days since 1970-01-01) of the birthday at which the citizen turns `age`. */
  private readonly days: Int32Array;
  private readonly filled: Uint8Array;

  constructor(
    private readonly seed: number,
    private readonly citizens: number,
    private readonly age: number,
  ) {
    this.days = new Int32Array(citizens + 1);
    this.filled = new Uint8Array(blockCount(citizens));
  }

  /** Whether the citizen is at least `age` on the Đà Nẵng date of `time` (epoch milliseconds). */
  reachedAt(id: number, time: number): boolean {
    if (!Number.isInteger(id) || id < 1 || id > this.citizens) throw new Error(`No citizen with id ${id}`);
    const block = Math.floor((id - 1) / BLOCK_SIZE);
    if (this.filled[block] === 0) {
      for (const household of residentBlock(this.seed, block, this.citizens)) {
        for (const member of household.members) {
          const birth = new Date(member.birthDay * DAY_MS);
          // Born on 29 February: Date.UTC rolls a non-leap year's 29 February over to 1 March.
          this.days[member.id] = Date.UTC(birth.getUTCFullYear() + this.age, birth.getUTCMonth(), birth.getUTCDate()) / DAY_MS;
        }
      }
      this.filled[block] = 1;
    }
    return Math.floor((time + LOCAL_OFFSET_MS) / DAY_MS) >= this.days[id]!;
  }
}
