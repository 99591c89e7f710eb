// A real local OpenID Connect provider for the identity tests (oauth2-mock-server), in a child
// process of its own because the package is ESM-only and Jest's module loader is CommonJS.
// tests/support/oidc.ts drives it over IPC: start issuers, issue tokens, publish a new key, go
// down and come back. Nothing here decides what a test expects.
import { OAuth2Server } from 'oauth2-mock-server';

const issuers = new Map();

async function handle(message) {
  const issuer = issuers.get(message.name);
  switch (message.op) {
    case 'start': {
      const server = new OAuth2Server();
      await server.issuer.keys.generate('RS256', { kid: message.kid });
      await server.start(0, '127.0.0.1');
      issuers.set(message.name, { server, port: server.address().port });
      return { issuer: server.issuer.url, port: server.address().port };
    }
    case 'token':
      return issuer.server.issuer.buildToken({
        kid: message.kid,
        expiresIn: message.expiresIn,
        scopesOrTransform: (_header, payload) => {
          Object.assign(payload, message.claims);
          for (const claim of message.remove ?? []) delete payload[claim];
        },
      });
    case 'publish-key':
      await issuer.server.issuer.keys.generate('RS256', { kid: message.kid });
      return issuer.server.issuer.keys.toJSON().map((key) => key.kid);
    case 'down':
      await issuer.server.stop();
      return null;
    case 'up':
      await issuer.server.start(issuer.port, '127.0.0.1');
      return null;
    case 'stop-all':
      for (const { server } of issuers.values()) if (server.listening) await server.stop();
      return null;
    default:
      throw new Error(`unknown op ${message.op}`);
  }
}

process.on('message', (message) => {
  handle(message).then(
    (result) => process.send({ id: message.id, result }),
    (error) => process.send({ id: message.id, error: String(error?.stack ?? error) }),
  );
});
process.send({ ready: true });
