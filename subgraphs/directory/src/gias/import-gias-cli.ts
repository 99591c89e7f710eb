/**
 * `npm run import:gias -- FILE --la CODE [--dry-run]`: the register import from a shell, straight
 * into the directory's own schema (the same service as the ADMIN mutation `importSchoolRegister`).
 * It runs the directory's migrations first, so it works on a database no service has started on.
 * On the embedded default the product must be running (`npm start`), since its server is the
 * database.
 */
import 'reflect-metadata';
import fs from 'node:fs';
import { loadConfigOrExit } from '@sendco/config';
import { initializeDataSource } from '@sendco/database';
import { AppError } from '@sendco/errors';
import { subgraphDataSource } from '@sendco/federation';
import { directorySubgraph } from '../directory.subgraph';
import { RegisterImportService, type RegisterImportReport } from './gias-import.service';

const USAGE = 'usage: npm run import:gias -- FILE --la CODE [--dry-run]   (CODE: the 3-digit LA code, e.g. 931)';

function summary(report: RegisterImportReport): string {
  const lines = [
    `${report.dryRun ? 'Dry run: nothing changed. ' : ''}LA ${report.laCode}: ${report.rowsRead} rows read (${report.otherAuthorityRows} of other authorities passed over)`,
    `  created ${report.created.length}, updated ${report.updated.length}, closed ${report.closed.length}, unchanged ${report.unchanged}, skipped ${report.skipped.length}, not in this file ${report.notInFile.length}`,
  ];
  for (const school of report.created) lines.push(`  + ${school.urn} ${school.name}`);
  for (const school of [...report.updated, ...report.closed]) {
    lines.push(`  ~ ${school.urn} ${school.name}: ${school.changes.map((c) => `${c.field} ${c.from ?? '∅'} → ${c.to ?? '∅'}`).join('; ')}`);
  }
  for (const row of report.skipped) lines.push(`  - line ${row.line} ${row.urn}: ${row.reason}`);
  return lines.join('\n');
}

async function main(args: string[]): Promise<number> {
  const laIndex = args.indexOf('--la');
  const laCode = laIndex >= 0 ? args[laIndex + 1] : undefined;
  const file = args.find((a, i) => !a.startsWith('--') && i !== laIndex + 1);
  if (!file || !laCode) {
    process.stderr.write(`${USAGE}\n`);
    return 64;
  }
  const config = loadConfigOrExit();
  const dataSource = subgraphDataSource(directorySubgraph, config);
  try {
    await initializeDataSource(dataSource);
  } catch (error) {
    const hint = config.database.embedded ? ' (on the embedded default, start the product first with `npm start`, or set DATABASE_URL)' : '';
    process.stderr.write(`cannot reach the database: ${(error as Error).message}${hint}\n`);
    return 69;
  }
  try {
    const report = await new RegisterImportService(dataSource).importFile({ sub: 'cli:import-gias', roles: ['ADMIN'] }, fs.readFileSync(file), laCode, {
      dryRun: args.includes('--dry-run'),
    });
    process.stdout.write(`${summary(report)}\n`);
    return 0;
  } catch (error) {
    if (error instanceof AppError) {
      const fields = (error.details as { fields?: { message: string }[] }).fields ?? [];
      process.stderr.write(`${error.message}\n${fields.map((f) => `  ${f.message}`).join('\n')}\n`);
      return 65;
    }
    throw error;
  } finally {
    await dataSource.destroy();
  }
}

void main(process.argv.slice(2)).then((code) => process.exit(code));
