// End-to-end tests start real processes and wait for real email: minutes, not seconds.
jest.setTimeout(180_000);
