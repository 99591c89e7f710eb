import { allocatePlaces, placesLeft, selectPromotions, type CapacitySnapshot } from './capacity';

const snapshot = (eventCapacity: number, eventTaken: number, workshops: Record<string, [number, number]> = {}): CapacitySnapshot => ({
  eventCapacity,
  eventTaken,
  workshops: new Map(Object.entries(workshops).map(([id, [capacity, taken]]) => [id, { capacity, taken }])),
});

describe('allocatePlaces', () => {
  it('confirms while the event has room, then waitlists, in request order', () => {
    expect(allocatePlaces(snapshot(3, 1), [{}, {}, {}, {}])).toEqual(['CONFIRMED', 'CONFIRMED', 'WAITLISTED', 'WAITLISTED']);
  });

  it('waitlists everyone on a full or over-full event', () => {
    expect(allocatePlaces(snapshot(10, 10), [{}])).toEqual(['WAITLISTED']);
    expect(allocatePlaces(snapshot(5, 8), [{}])).toEqual(['WAITLISTED']);
  });

  it('waitlists everyone when capacity is zero', () => {
    expect(allocatePlaces(snapshot(0, 0), [{}, {}])).toEqual(['WAITLISTED', 'WAITLISTED']);
  });

  it('needs room in the workshop as well as the event', () => {
    const s = snapshot(40, 20, { primary: [20, 20], secondary: [20, 0] });
    expect(allocatePlaces(s, [{ workshopId: 'primary' }, { workshopId: 'secondary' }])).toEqual(['WAITLISTED', 'CONFIRMED']);
  });

  it('stops at the event capacity even when workshops have room', () => {
    const s = snapshot(2, 0, { a: [5, 0], b: [5, 0] });
    expect(allocatePlaces(s, [{ workshopId: 'a' }, { workshopId: 'b' }, { workshopId: 'a' }])).toEqual(['CONFIRMED', 'CONFIRMED', 'WAITLISTED']);
  });

  it('counts places given earlier in the same request', () => {
    const s = snapshot(10, 0, { a: [2, 1] });
    expect(allocatePlaces(s, [{ workshopId: 'a' }, { workshopId: 'a' }])).toEqual(['CONFIRMED', 'WAITLISTED']);
  });

  it('does not change the snapshot it is given', () => {
    const s = snapshot(1, 0, { a: [1, 0] });
    allocatePlaces(s, [{ workshopId: 'a' }]);
    expect(s.eventTaken).toBe(0);
    expect(s.workshops.get('a')!.taken).toBe(0);
  });

  it('refuses a workshop it does not know', () => {
    expect(() => allocatePlaces(snapshot(1, 0), [{ workshopId: 'nope' }])).toThrow(/unknown workshop/);
  });
});

describe('selectPromotions', () => {
  it('promotes the longest-waiting first, as many as there is room for', () => {
    expect(selectPromotions(snapshot(3, 1), [{ id: 'w1' }, { id: 'w2' }, { id: 'w3' }])).toEqual(['w1', 'w2']);
  });

  it('skips a waiting delegate whose workshop is still full for a later one whose workshop has room', () => {
    const s = snapshot(40, 39, { a: [20, 20], b: [20, 19] });
    expect(selectPromotions(s, [{ id: 'first', workshopId: 'a' }, { id: 'second', workshopId: 'b' }])).toEqual(['second']);
  });

  it('promotes nobody when there is no room', () => {
    expect(selectPromotions(snapshot(2, 2), [{ id: 'w1' }])).toEqual([]);
  });
});

describe('placesLeft', () => {
  it('never goes below zero', () => {
    expect(placesLeft(10, 4)).toBe(6);
    expect(placesLeft(10, 12)).toBe(0);
  });
});
