import { BulletinStatus } from '../bulletins/bulletin.enums';
import { DeliveryState } from './delivery.entity';
import { CLAIM_LEASE_MS, checkCancel, checkClaim, checkSchedule, deliveryFigures, deliveryLimiter, isPermanentFailure, sendJobDecision } from './sending-rules';

const now = new Date('2026-11-26T09:00:00Z');
const ago = (ms: number) => new Date(now.getTime() - ms);

describe('scheduling and cancelling', () => {
  it('schedules drafts and reschedules scheduled bulletins, not ones already sending or sent', () => {
    expect(checkSchedule(BulletinStatus.DRAFT, null, now)).toEqual({ ok: true });
    expect(checkSchedule(BulletinStatus.SCHEDULED, new Date(now.getTime() + 3600_000), now)).toEqual({ ok: true });
    expect(checkSchedule(BulletinStatus.SENDING, null, now)).toEqual({ ok: false, reason: 'already-sending' });
    expect(checkSchedule(BulletinStatus.SENT, null, now)).toEqual({ ok: false, reason: 'already-sending' });
  });

  it('takes a send time a few seconds ago as now, but refuses one clearly in the past', () => {
    expect(checkSchedule(BulletinStatus.DRAFT, ago(30_000), now)).toEqual({ ok: true });
    expect(checkSchedule(BulletinStatus.DRAFT, ago(120_000), now)).toEqual({ ok: false, reason: 'send-at-in-past' });
  });

  it('cancels only until sending starts', () => {
    expect(checkCancel(BulletinStatus.SCHEDULED)).toBe('cancel');
    expect(checkCancel(BulletinStatus.DRAFT)).toBe('not-scheduled');
    expect(checkCancel(BulletinStatus.SENDING)).toBe('already-sending');
    expect(checkCancel(BulletinStatus.SENT)).toBe('already-sending');
  });
});

describe('a due send job', () => {
  const bulletin = (status: BulletinStatus, scheduleVersion = 2, fanoutDone = false) => ({ status, scheduleVersion, fanoutDone });
  it('starts a bulletin still scheduled by it', () => expect(sendJobDecision(bulletin(BulletinStatus.SCHEDULED), 2)).toBe('start'));
  it('does nothing after a reschedule or a cancel (the version moved on)', () => {
    expect(sendJobDecision(bulletin(BulletinStatus.SCHEDULED, 3), 2)).toBe('stale');
    expect(sendJobDecision(bulletin(BulletinStatus.DRAFT, 3), 2)).toBe('stale');
  });
  it('resumes a fan-out that a crash interrupted, and never repeats a finished one', () => {
    expect(sendJobDecision(bulletin(BulletinStatus.SENDING), 2)).toBe('resume');
    expect(sendJobDecision(bulletin(BulletinStatus.SENDING, 2, true), 2)).toBe('stale');
    expect(sendJobDecision(bulletin(BulletinStatus.SENT, 2, true), 2)).toBe('stale');
  });
  it('does nothing for a deleted bulletin', () => expect(sendJobDecision(null, 1)).toBe('stale'));
});

describe('claiming a delivery (exactly one email per bulletin and subscriber)', () => {
  it('claims a pending delivery', () => expect(checkClaim({ state: DeliveryState.PENDING, claimedAt: null }, now)).toBe('claim'));
  it('leaves a delivery another attempt is sending', () => expect(checkClaim({ state: DeliveryState.SENDING, claimedAt: ago(CLAIM_LEASE_MS - 1) }, now)).toBe('held'));
  it('takes over a claim whose attempt died (lease run out)', () => expect(checkClaim({ state: DeliveryState.SENDING, claimedAt: ago(CLAIM_LEASE_MS) }, now)).toBe('claim'));
  it.each([DeliveryState.SENT, DeliveryState.FAILED, DeliveryState.SUPPRESSED])('never sends a %s delivery again', (state) => {
    expect(checkClaim({ state, claimedAt: ago(10 * CLAIM_LEASE_MS) }, now)).toBe('done');
  });
});

describe('mail server answers', () => {
  it('treats 5xx as permanent and everything else as worth a retry', () => {
    expect(isPermanentFailure({ responseCode: 550 })).toBe(true);
    expect(isPermanentFailure({ responseCode: 554 })).toBe(true);
    expect(isPermanentFailure({ responseCode: 451 })).toBe(false);
    expect(isPermanentFailure(Object.assign(new Error('connect ECONNREFUSED'), { code: 'ESOCKET' }))).toBe(false);
    expect(isPermanentFailure(undefined)).toBe(false);
  });
});

describe('delivery figures', () => {
  it('counts SENDING as pending and suppressed among the recipients', () => {
    expect(deliveryFigures({ PENDING: 3, SENDING: 2, SENT: 10, FAILED: 1, SUPPRESSED: 4 })).toEqual({ recipients: 20, sent: 10, failed: 1, pending: 5, suppressed: 4 });
    expect(deliveryFigures({})).toEqual({ recipients: 0, sent: 0, failed: 0, pending: 0, suppressed: 0 });
  });
});

describe('send rate', () => {
  it('limits to the configured emails a second, or not at all', () => {
    expect(deliveryLimiter(50)).toEqual({ max: 50, duration: 1000 });
    expect(deliveryLimiter(0)).toBeUndefined();
  });
});
