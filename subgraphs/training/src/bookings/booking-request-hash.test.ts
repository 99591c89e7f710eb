import { bookingRequestHash } from './booking-request-hash';
import type { BookEventInput } from './booking.inputs';

const request = (overrides: Partial<BookEventInput> = {}): BookEventInput =>
  ({
    eventId: '0b6f3c0e-8f7a-4a44-9d6b-2f6f0c1d2e3f',
    schoolUrn: '900001',
    idempotencyKey: 'key-00000001',
    delegates: [
      { name: 'Sam Patel', email: 'sam.patel@example.org', jobTitle: 'SENDCO' },
      { name: 'Jo Smith', email: 'jo.smith@example.org' },
    ],
    ...overrides,
  }) as BookEventInput;

describe('bookingRequestHash', () => {
  it('is the same for the same request as the booking stores it (spacing, address case, blanks, the key itself)', () => {
    const again = request({
      idempotencyKey: 'another-key-1',
      purchaseOrder: '   ',
      delegates: [
        { name: '  Sam Patel ', email: 'Sam.Patel@Example.org', jobTitle: 'SENDCO ', accessRequirements: '' },
        { name: 'Jo Smith', email: 'jo.smith@example.org' },
      ],
    });
    expect(bookingRequestHash(again)).toBe(bookingRequestHash(request()));
    expect(bookingRequestHash(request())).toMatch(/^[0-9a-f]{64}$/);
  });

  it.each<[string, Partial<BookEventInput>]>([
    ['another delegate', { delegates: [{ name: 'Sam Patel', email: 'sam.patel@example.org', jobTitle: 'SENDCO' }, { name: 'Kit Lee', email: 'kit.lee@example.org' }] }],
    ['the delegates in another order', { delegates: [{ name: 'Jo Smith', email: 'jo.smith@example.org' }, { name: 'Sam Patel', email: 'sam.patel@example.org', jobTitle: 'SENDCO' }] }],
    ['another event', { eventId: '1b6f3c0e-8f7a-4a44-9d6b-2f6f0c1d2e3f' }],
    ['a purchase order', { purchaseOrder: 'PO-1' }],
    ['a SENDCO contact', { sendco: { name: 'Ana Gray', email: 'ana@example.org' } }],
    ['a workshop', { delegates: [{ name: 'Sam Patel', email: 'sam.patel@example.org', jobTitle: 'SENDCO', workshopId: '2b6f3c0e-8f7a-4a44-9d6b-2f6f0c1d2e3f' }, { name: 'Jo Smith', email: 'jo.smith@example.org' }] }],
  ])('differs for %s', (_, overrides) => {
    expect(bookingRequestHash(request(overrides))).not.toBe(bookingRequestHash(request()));
  });
});
