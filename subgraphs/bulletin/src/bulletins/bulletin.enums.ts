import { registerEnumType } from 'type-graphql';

/** DRAFT → SCHEDULED (cancel: back to DRAFT) → SENDING → SENT. */
export enum BulletinStatus {
  DRAFT = 'DRAFT',
  SCHEDULED = 'SCHEDULED',
  SENDING = 'SENDING',
  SENT = 'SENT',
}

/** An ISSUE is written by an editor; a DIGEST is put together each week from the issues sent since the last one. */
export enum BulletinKind {
  ISSUE = 'ISSUE',
  DIGEST = 'DIGEST',
}

registerEnumType(BulletinStatus, { name: 'BulletinStatus' });
registerEnumType(BulletinKind, { name: 'BulletinKind' });
