import { AppError } from '@sendco/errors';
import { assertCanDo, canDo, ReturnStatus, statusAfterQa, type ReturnAction } from './return-status';

const { DRAFT, SUBMITTED, RETURNED, APPROVED } = ReturnStatus;

describe('which status allows which action', () => {
  it.each<[ReturnAction, ReturnStatus[]]>([
    ['updateCounts', [DRAFT, RETURNED]],
    ['editPupils', [DRAFT, RETURNED]],
    ['submit', [DRAFT, RETURNED]],
    ['qualityAssure', [SUBMITTED]],
  ])('%s is allowed only while %j', (action, allowed) => {
    for (const status of Object.values(ReturnStatus)) expect([status, canDo(status, action)]).toEqual([status, allowed.includes(status)]);
  });

  it('an approved return allows nothing at all', () => {
    for (const action of ['updateCounts', 'editPupils', 'submit', 'qualityAssure'] as const) expect(canDo(APPROVED, action)).toBe(false);
  });

  it('refuses with CONFLICT, a reason and the status', () => {
    try {
      assertCanDo(SUBMITTED, 'editPupils');
      throw new Error('should have refused');
    } catch (error) {
      expect(error).toBeInstanceOf(AppError);
      expect(error).toMatchObject({ code: 'CONFLICT', details: { status: 'SUBMITTED' } });
      expect((error as Error).message).toMatch(/submitted/);
    }
    expect(() => assertCanDo(RETURNED, 'submit')).not.toThrow();
  });

  it('walks DRAFT → SUBMITTED → RETURNED → SUBMITTED → APPROVED', () => {
    let status = DRAFT;
    const step = (action: ReturnAction, next: ReturnStatus) => {
      assertCanDo(status, action);
      status = next;
    };
    step('submit', SUBMITTED);
    step('qualityAssure', statusAfterQa('RETURNED'));
    expect(status).toBe(RETURNED);
    step('editPupils', RETURNED);
    step('submit', SUBMITTED);
    step('qualityAssure', statusAfterQa('APPROVED'));
    expect(status).toBe(APPROVED);
    expect(() => assertCanDo(status, 'qualityAssure')).toThrow(/already been approved/);
  });
});
