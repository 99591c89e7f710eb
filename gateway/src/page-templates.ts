import path from 'node:path';

/** The gateway's own pages (dev mailbox, the queue dashboard's sign-in): gateway/templates/pages, from src/ or dist/. */
export const GATEWAY_PAGE_TEMPLATES = path.resolve(__dirname, '..', 'templates', 'pages');
