import { matchesTopics, unknownTopicIndices } from './topic-matching';

describe('matchesTopics', () => {
  it('sends a bulletin without topics to everyone', () => expect(matchesTopics(['send-live'], [])).toBe(true));
  it('sends everything to a subscriber without topics', () => expect(matchesTopics([], ['send-live'])).toBe(true));
  it('sends when they share a topic, not otherwise', () => {
    expect(matchesTopics(['send-live', 'training'], ['enhanced-pathways', 'training'])).toBe(true);
    expect(matchesTopics(['send-live'], ['enhanced-pathways'])).toBe(false);
  });
});

it('names unknown topics by index', () => expect(unknownTopicIndices(['a', 'x', 'b', 'y'], new Set(['a', 'b']))).toEqual([1, 3]));
