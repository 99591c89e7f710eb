import { Kind, parse, type FragmentDefinitionNode, type OperationDefinitionNode } from 'graphql';
import { RateLimiterRes } from 'rate-limiter-flexible';
import { countMutationFields, createAnonymousMutationLimiter } from './anonymous-mutation-limit';

function count(source: string): number {
  const document = parse(source);
  const operation = document.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION)!;
  const fragments = Object.fromEntries(document.definitions.filter((d): d is FragmentDefinitionNode => d.kind === Kind.FRAGMENT_DEFINITION).map((d) => [d.name.value, d]));
  return countMutationFields(operation.selectionSet, fragments);
}

describe('counting anonymous mutation fields', () => {
  it('counts each field, aliases included, and not __typename', () => {
    expect(count('mutation { subscribe(input: {email: "a@example.org"}) { ok } }')).toBe(1);
    expect(count('mutation { a: subscribe(input: {email: "a@example.org"}) { ok } b: subscribe(input: {email: "b@example.org"}) { ok } __typename }')).toBe(2);
  });

  it('follows inline fragments and named fragments', () => {
    expect(count('mutation { ... on Mutation { a: unsubscribe(token: "x") { status } b: unsubscribe(token: "y") { status } } ...More } fragment More on Mutation { c: unsubscribe(token: "z") { status } }')).toBe(3);
  });
});

describe('the limiter on the embedded default (memory)', () => {
  it('refuses points beyond the window for that address only, and is off at 0', async () => {
    const config = { queue: { backend: 'postgres' as const, databaseUrl: 'postgres://x@127.0.0.1/x', prefix: 'sendco' }, gateway: { anonymousMutations: { points: 30, windowSeconds: 60 } } };
    const limiter = createAnonymousMutationLimiter(config)!;
    await limiter.consume('203.0.113.1', 30);
    await expect(limiter.consume('203.0.113.1', 1)).rejects.toBeInstanceOf(RateLimiterRes);
    await expect(limiter.consume('203.0.113.2', 30)).resolves.toBeDefined();
    await limiter.close();
    expect(createAnonymousMutationLimiter({ ...config, gateway: { anonymousMutations: { points: 0, windowSeconds: 60 } } })).toBeUndefined();
  });
});
