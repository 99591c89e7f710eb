import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The hash of the request an idempotency key was first used with (bookings/booking-request-hash.ts):
 * the same key with another request is refused instead of answered with the first booking.
 * Bookings made before this migration have none, and keep being answered as before.
 */
export class BookingRequestHash1764600000000 implements MigrationInterface {
  name = 'BookingRequestHash1764600000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "training"."booking" ADD COLUMN "request_hash" text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "training"."booking" DROP COLUMN "request_hash"`);
  }
}
