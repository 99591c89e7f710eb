/** The managed list of clinic themes: ADMIN adds and retires them; everyone reads the active ones. */
import type { DataSource, EntityManager } from 'typeorm';
import { requireRole, type Principal } from '@sendco/auth';
import { audit } from '@sendco/database';
import { badUserInput, notFound } from '@sendco/errors';
import { ClinicTheme } from './theme.entity';

export class ThemeService {
  constructor(private readonly dataSource: DataSource) {}

  /** Active themes in the council's order (retired ones too when asked). */
  list(includeRetired = false): Promise<ClinicTheme[]> {
    return this.dataSource.getRepository(ClinicTheme).find({ where: includeRetired ? {} : { active: true }, order: { position: 'ASC', name: 'ASC' } });
  }

  /** ADMIN. Adds a theme, or brings a retired one back (names compare without case). */
  async addTheme(principal: Principal, name: string, description?: string | null): Promise<ClinicTheme> {
    requireRole(principal, 'ADMIN');
    const trimmed = name.trim();
    if (!trimmed) throw badUserInput([{ field: 'name', message: 'must not be blank' }]);
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ClinicTheme);
      const existing = await findTheme(manager, trimmed);
      const position = existing?.position ?? ((await repo.maximum('position')) ?? 0) + 1;
      const theme = repo.create({ id: existing?.id, name: existing?.name ?? trimmed, description: description?.trim() || existing?.description || null, active: true, position });
      await repo.save(theme);
      await audit(manager, [{ subjectType: 'clinic_theme', subjectId: theme.id, action: existing ? 'theme.restored' : 'theme.added', actor: principal.sub }]);
      return theme;
    });
  }

  /** ADMIN. Retires a theme: clinics that have it keep it. */
  async retireTheme(principal: Principal, name: string): Promise<ClinicTheme> {
    requireRole(principal, 'ADMIN');
    return this.dataSource.transaction(async (manager) => {
      const theme = await findTheme(manager, name.trim());
      if (!theme) throw notFound(`Theme "${name}"`);
      if (theme.active) {
        theme.active = false;
        await manager.getRepository(ClinicTheme).update({ id: theme.id }, { active: false });
        await audit(manager, [{ subjectType: 'clinic_theme', subjectId: theme.id, action: 'theme.retired', actor: principal.sub }]);
      }
      return theme;
    });
  }
}

/** A theme by name, whatever its case. */
export function findTheme(manager: EntityManager, name: string): Promise<ClinicTheme | null> {
  return manager.getRepository(ClinicTheme).createQueryBuilder('t').where('lower(t.name) = lower(:name)', { name }).getOne();
}
