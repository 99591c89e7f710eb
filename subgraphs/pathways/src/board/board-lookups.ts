import type { EntityManager } from 'typeorm';
import { BoardConflict, BoardMember, BoardScore } from './board.entities';

/** The subjects (token `sub`) on a round's board. */
export async function boardMemberSubs(manager: EntityManager, roundId: string): Promise<Set<string>> {
  const rows = await manager.getRepository(BoardMember).find({ where: { roundId }, select: { memberSub: true } });
  return new Set(rows.map((r) => r.memberSub));
}

export function scoresOfRound(manager: EntityManager, roundId: string): Promise<BoardScore[]> {
  return manager.getRepository(BoardScore).find({ where: { roundId }, order: { scoredAt: 'ASC', id: 'ASC' } });
}

export function conflictsOfRound(manager: EntityManager, roundId: string): Promise<BoardConflict[]> {
  return manager.getRepository(BoardConflict).find({ where: { roundId } });
}
