import { ComingOfAge, localDateOf } from '../../population/seed/birthdays.js';
import { exampleCitizen } from '../../population/seed/example.js';
import { Random, spreadShare } from '../../../seed/random.js';
import { agencies } from '../../reference/seed/agencies.js';
import { wards } from '../../reference/seed/units.js';
import type { Scale } from '../../../seed/scales.js';
import { Calendar, DAY, HOUR, MINUTE, SECOND } from './calendar.js';
import type { ProcedureSeed } from './procedures.js';

/** Dossiers processed fully online, from the source article. */
export const ONLINE_SHARE = 0.65;
/** About two years of dossiers before the seed's reference day. */
const WINDOW_DAYS = 730;
/**
 * Every citizen applicant is an adult on the day of submission. Children's matters (birth
 * registration, a pupil's school transfer) are filed by a parent or guardian, who is the applicant.
 */
export const MIN_APPLICANT_AGE = 18;
/** Completed dossiers the example citizen has besides the open case dossier. */
const EXAMPLE_CLOSED_DOSSIERS = 2;

type Channel = 'ONLINE' | 'COUNTER' | 'POST';
type Status = 'RECEIVED' | 'PROCESSING' | 'ADDITIONAL_INFO_REQUIRED' | 'COMPLETED' | 'REJECTED' | 'WITHDRAWN';
type EventKind =
  | 'SUBMITTED' | 'ACCEPTED' | 'ASSIGNED' | 'ADDITIONAL_INFO_REQUESTED' | 'RESUBMITTED' | 'APPROVED' | 'REJECTED' | 'RESULT_RETURNED' | 'WITHDRAWN';

export interface DossierPlan {
  id: number;
  code: string;
  procedure: ProcedureSeed;
  applicantKind: 'CITIZEN' | 'BUSINESS';
  applicantId: number;
  channel: Channel;
  status: Status;
  submittedAt: number;
  dueAt: number;
  completedAt: number | null;
  wardId: number;
  /** The events that happened by the reference day, in order (2 to 5). */
  events: Array<{ kind: EventKind; at: number; agencyId: number; note: string }>;
}

const SUBMITTED_NOTES: Record<Channel, string> = {
  ONLINE: 'Nộp hồ sơ trực tuyến trên Cổng dịch vụ công',
  COUNTER: 'Nộp hồ sơ trực tiếp tại Bộ phận tiếp nhận và trả kết quả',
  POST: 'Nộp hồ sơ qua dịch vụ bưu chính công ích',
};
const RETURNED_NOTES: Record<Channel, string> = {
  ONLINE: 'Trả kết quả điện tử trên Cổng dịch vụ công',
  COUNTER: 'Trả kết quả tại Bộ phận tiếp nhận và trả kết quả',
  POST: 'Trả kết quả qua dịch vụ bưu chính công ích',
};
const NOTES = {
  ASSIGNED: 'Chuyển phòng chuyên môn thẩm định, xử lý',
  ADDITIONAL_INFO_REQUESTED: 'Yêu cầu bổ sung, hoàn thiện hồ sơ',
  RESUBMITTED: 'Đã bổ sung hồ sơ theo yêu cầu',
  APPROVED: 'Lãnh đạo ký duyệt kết quả giải quyết',
  REJECTED: 'Từ chối giải quyết: hồ sơ không đủ điều kiện theo quy định',
  REJECTED_UNANSWERED: 'Từ chối giải quyết: không bổ sung hồ sơ trong thời hạn',
  WITHDRAWN: 'Người nộp đề nghị rút hồ sơ',
} as const;

/** Cumulative weights for picking by weight with a binary search. */
class WeightedIndex {
  private readonly cumulative: Float64Array;

  constructor(weights: readonly number[]) {
    this.cumulative = new Float64Array(weights.length);
    let sum = 0;
    weights.forEach((w, i) => (this.cumulative[i] = sum += w));
  }

  pick(rng: Random): number {
    const x = rng.next() * this.cumulative[this.cumulative.length - 1]!;
    let lo = 0;
    let hi = this.cumulative.length - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.cumulative[mid]! > x) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
}

/**
 * Makes dossier `id` from the seed value alone (its own random stream), so the events pass can
 * regenerate each dossier instead of keeping a million of them in memory. Where a dossier stands
 * (open or closed, which events happened) follows from its planned timeline and the reference day.
 */
export class DossierGenerator {
  private readonly calendar: Calendar;
  private readonly wardIds: number[];
  private readonly pickWard: WeightedIndex;
  private readonly pickTemplate: WeightedIndex;
  /** [template][ward index] → the procedure that ward's dossier of that template goes to. */
  private readonly procedureFor: ProcedureSeed[][];
  private readonly businesses: number;
  /** The one-stop centre receives and returns city departments' dossiers. */
  private readonly frontOffice: number;
  private readonly adulthood: ComingOfAge;
  /** The example citizen's id, when the scale has that citizen. */
  private readonly exampleApplicant: number | null;
  /**
   * The dossiers filed by the example citizen (src/seed/examples.ts): first the case dossier (open,
   * the lowest id of a citizens' procedure), then the lowest completed ones.
   */
  readonly exampleDossierIds: readonly number[];

  constructor(
    private readonly seed: number,
    private readonly scale: Scale,
    catalogue: readonly ProcedureSeed[],
    today: Date,
  ) {
    this.calendar = new Calendar(Math.floor(today.getTime() / SECOND) * SECOND, WINDOW_DAYS);
    const wardRows = wards();
    this.wardIds = wardRows.map((w) => w.id);
    this.pickWard = new WeightedIndex(wardRows.map((w) => w.population));
    const templates = [...new Set(catalogue.map((p) => p.templateIndex))].sort((a, b) => a - b);
    this.pickTemplate = new WeightedIndex(templates.map((t) => catalogue.find((p) => p.templateIndex === t)!.weight));
    this.procedureFor = templates.map((t) =>
      wardRows.map((ward) => catalogue.find((p) => p.templateIndex === t && (p.districtUnitId === null || p.districtUnitId === ward.parentId))!),
    );
    this.businesses = scale.enterprises + scale.householdBusinesses;
    this.frontOffice = agencies().find((a) => a.code === 'TTPVHCC')!.id;
    this.adulthood = new ComingOfAge(seed, scale.citizens, MIN_APPLICANT_AGE);
    const example = exampleCitizen(seed, localDateOf(today.getTime()));
    this.exampleApplicant = example.id <= scale.citizens ? example.id : null;
    this.exampleDossierIds = this.exampleApplicant === null ? [] : this.findExampleDossiers();
  }

  /** The dossier as filed: the drawn one, with a citizen applicant who is an adult on that day. */
  plan(id: number): DossierPlan {
    const dossier = this.draft(id);
    if (dossier.applicantKind !== 'CITIZEN') return dossier;
    if (this.exampleApplicant !== null && this.exampleDossierIds.includes(id)) dossier.applicantId = this.exampleApplicant;
    else if (!this.adulthood.reachedAt(dossier.applicantId, dossier.submittedAt)) {
      // A stream of its own: redrawing here leaves every other draw of the dossier as it was.
      const rng = Random.for(this.seed, 'services.adult-applicant', id);
      do dossier.applicantId = rng.int(1, this.scale.citizens);
      while (!this.adulthood.reachedAt(dossier.applicantId, dossier.submittedAt));
    }
    return dossier;
  }

  /** Draft dossiers depend on the id and seed alone (not the scale), so the lowest ids suit every scale. */
  private findExampleDossiers(): number[] {
    let open: number | null = null;
    const closed: number[] = [];
    for (let id = 1; id <= this.scale.dossiers && (open === null || closed.length < EXAMPLE_CLOSED_DOSSIERS); id += 1) {
      const draft = this.draft(id);
      if (draft.procedure.applicant !== 'CITIZEN') continue;
      if (open === null && draft.completedAt === null) open = id;
      else if (closed.length < EXAMPLE_CLOSED_DOSSIERS && draft.status === 'COMPLETED') closed.push(id);
    }
    // No open dossier, no case: the example citizen then files nothing in particular.
    return open === null ? [] : [open, ...closed];
  }

  /** The dossier as drawn from its own stream; `plan` settles its applicant. */
  private draft(id: number): DossierPlan {
    const rng = Random.for(this.seed, 'services.dossiers', id);
    const cal = this.calendar;
    const wardIndex = this.pickWard.pick(rng);
    const procedure = this.procedureFor[this.pickTemplate.pick(rng)]![wardIndex]!;

    // The channel mix is exact (spreadShare over the id), not left to chance.
    const channel: Channel = spreadShare(id, ONLINE_SHARE) ? 'ONLINE' : rng.chance(0.15) ? 'POST' : 'COUNTER';
    const business = this.businesses > 0 && rng.chance(procedure.applicant === 'BUSINESS' ? 0.9 : procedure.applicant === 'EITHER' ? 0.35 : 0);
    const applicantId = business ? rng.int(1, this.businesses) : rng.int(1, this.scale.citizens);

    const submittedAt = this.submissionTime(rng, channel);
    const dueAt = cal.addWorkingDays(submittedAt, procedure.processingDays);
    const allotted = dueAt - submittedAt;

    // Outcome and timing: about 90% of resolved dossiers are on time, 10% late.
    const r = rng.next();
    const outcome: Status = r < 0.025 ? 'WITHDRAWN' : r < 0.07 ? 'REJECTED' : 'COMPLETED';
    const t = rng.next();
    const u = rng.next();
    const late = outcome !== 'WITHDRAWN' && t >= 0.9;
    let end: number;
    if (outcome === 'WITHDRAWN') end = submittedAt + allotted * (0.05 + 0.6 * u);
    else if (t < 0.62) end = submittedAt + allotted * (0.25 + 0.7 * u);
    else if (!late) end = submittedAt + allotted * (0.95 + 0.05 * u);
    else end = dueAt + u * u * 15 * DAY;
    // Officers close dossiers in office hours; the due time still bounds the ones on time.
    end = cal.officeTime(end, rng);
    if (late && end <= dueAt) end = cal.officeTime(dueAt + DAY, rng);
    if (!late) end = Math.max(Math.min(end, dueAt), submittedAt + 30 * MINUTE);
    const span = end - submittedAt;

    const infoRequested = rng.chance(0.1);
    // Procedures of a day or two are settled at the desk: no hand-over, no separate sign-off.
    const quick = procedure.processingDays <= 2;
    const assigned = !quick && rng.chance(0.3);
    const acceptDelay = channel === 'COUNTER' ? rng.int(2, 20) * MINUTE : channel === 'POST' ? rng.int(60, 360) * MINUTE : rng.int(30, 960) * MINUTE;
    // Open dossiers must show their acceptance: keep it before the reference day.
    const acceptAt = step(submittedAt, Math.min(acceptDelay, 0.1 * span, (cal.today - submittedAt) / 2));

    const handler = procedure.agencyId;
    const front = procedure.districtUnitId === null ? this.frontOffice : handler;
    const events: DossierPlan['events'] = [{ kind: 'SUBMITTED', at: submittedAt, agencyId: front, note: SUBMITTED_NOTES[channel] }];
    const accepted = { kind: 'ACCEPTED', at: acceptAt, agencyId: front, note: `Tiếp nhận hồ sơ, hẹn trả kết quả ngày ${cal.dmyOf(dueAt)}` } as const;
    const infoRequest = { kind: 'ADDITIONAL_INFO_REQUESTED', at: acceptAt, agencyId: front, note: NOTES.ADDITIONAL_INFO_REQUESTED } as const;
    const final = (kind: EventKind, note: string, agencyId: number) => ({ kind, at: end, agencyId, note });

    if (outcome === 'COMPLETED') {
      if (infoRequested) {
        events.push(infoRequest, { kind: 'RESUBMITTED', at: step(submittedAt, 0.3 * span), agencyId: front, note: NOTES.RESUBMITTED });
      } else {
        events.push(accepted);
        if (assigned) events.push({ kind: 'ASSIGNED', at: step(acceptAt, 0.1 * span), agencyId: handler, note: NOTES.ASSIGNED });
      }
      if (!quick) {
        const approvedAt = end - Math.max(SECOND, Math.floor(Math.min(4 * HOUR, 0.1 * span) / SECOND) * SECOND);
        events.push({ kind: 'APPROVED', at: approvedAt, agencyId: handler, note: NOTES.APPROVED });
      }
      events.push(final('RESULT_RETURNED', RETURNED_NOTES[channel], front));
    } else if (outcome === 'REJECTED') {
      if (infoRequested) events.push(infoRequest, final('REJECTED', NOTES.REJECTED_UNANSWERED, handler));
      else {
        events.push(accepted);
        if (assigned) events.push({ kind: 'ASSIGNED', at: step(acceptAt, 0.1 * span), agencyId: handler, note: NOTES.ASSIGNED });
        events.push(final('REJECTED', NOTES.REJECTED, handler));
      }
    } else {
      events.push(infoRequested ? infoRequest : accepted, final('WITHDRAWN', NOTES.WITHDRAWN, front));
    }

    let status: Status = outcome;
    let completedAt: number | null = end;
    if (end > cal.today) {
      // Still open on the reference day: only what has happened so far, and the status it implies.
      let next = events.pop()!;
      while (events[events.length - 1]!.at > cal.today) next = events.pop()!;
      const last = events[events.length - 1]!;
      // Received: waiting to be handed over, or accepted within the last day; else in processing.
      const waiting = last.kind === 'ACCEPTED' && (next.kind === 'ASSIGNED' || cal.today - last.at < DAY);
      status = waiting ? 'RECEIVED' : last.kind === 'ADDITIONAL_INFO_REQUESTED' ? 'ADDITIONAL_INFO_REQUIRED' : 'PROCESSING';
      completedAt = null;
    }

    const agencyNo = handler < 10 ? `0${handler}` : String(handler);
    return {
      id, code: `H17.${agencyNo}-${cal.yymmddOf(submittedAt)}-${String(id).padStart(7, '0')}`, procedure,
      applicantKind: business ? 'BUSINESS' : 'CITIZEN', applicantId, channel, status, submittedAt, dueAt, completedAt,
      wardId: this.wardIds[wardIndex]!, events,
    };
  }

  /** Counter and post: office hours on weekdays. Online: any day, mostly daytime, fewer at weekends. */
  private submissionTime(rng: Random, channel: Channel): number {
    const cal = this.calendar;
    for (;;) {
      let time: number;
      if (channel === 'ONLINE') {
        let day = Math.floor(rng.next() * cal.days);
        while (cal.isWeekend(day) && rng.chance(0.55)) day = Math.floor(rng.next() * cal.days);
        const seconds = rng.chance(0.85) ? rng.int(7 * 3600, 22 * 3600 - 1) : rng.int(0, 86_399);
        time = cal.dayStart(day) + seconds * SECOND;
      } else {
        const seconds = rng.chance(0.6) ? rng.int(7.5 * 3600, 11.5 * 3600 - 1) : rng.int(13.5 * 3600, 17 * 3600 - 1);
        time = cal.dayStart(cal.officeDay(rng)) + seconds * SECOND;
      }
      // An hour's margin leaves room for the acceptance before the reference moment.
      if (time < cal.today - HOUR) return time;
    }
  }

  format(time: number): string {
    return this.calendar.format(time);
  }
}

/** `from` moved by `by` milliseconds, in whole seconds and at least one second later. */
function step(from: number, by: number): number {
  return from + Math.max(SECOND, Math.floor(by / SECOND) * SECOND);
}
