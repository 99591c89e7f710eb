// libmime (nodemailer's MIME helpers, a dependency of mailparser) ships no type declarations;
// this is the one method the test mailbox uses. The module is an instance: call its methods on it.
declare module 'libmime' {
  const libmime: {
    /** Decodes RFC 2047 encoded words (`=?UTF-8?Q?…?=`) in a header value. */
    decodeWords(value: string): string;
  };
  export = libmime;
}
