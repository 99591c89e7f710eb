/** The Postgres schema the bulletin owns. */
export const BULLETIN_SCHEMA = 'bulletin';
