import type { EntityManager } from 'typeorm';
import { isUuid } from '@sendco/database';
import { notFound } from '@sendco/errors';
import { FundingRound } from './round.entity';

/**
 * The round's row lock (SELECT … FOR UPDATE), like training's event lock. Every change to a round,
 * its applications' decisions and its publication takes it first, so concurrent approvals are
 * counted one after another and never exceed the funded number. NOT_FOUND for an unknown round.
 */
export async function lockRound(manager: EntityManager, id: string): Promise<FundingRound> {
  const round = isUuid(id) ? await manager.getRepository(FundingRound).findOne({ where: { id }, lock: { mode: 'pessimistic_write' } }) : null;
  if (!round) throw notFound('Funding round');
  return round;
}
