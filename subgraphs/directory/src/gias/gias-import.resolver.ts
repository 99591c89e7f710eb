import { Arg, Authorized, Ctx, Mutation, Resolver } from 'type-graphql';
import type { RequestContext } from '@sendco/federation';
import { badUserInput } from '@sendco/errors';
import { RegisterImportService } from './gias-import.service';
import { ImportSchoolRegisterInput, SchoolRegisterImportReport } from './gias-import.types';

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

@Resolver()
export class RegisterImportResolver {
  constructor(private readonly imports: RegisterImportService) {}

  @Authorized('ADMIN')
  @Mutation(() => SchoolRegisterImportReport, {
    description: "ADMIN. Import the council's schools from a Get Information About Schools file (npm run import:gias does the same from a shell). Idempotent.",
  })
  importSchoolRegister(@Arg('input') input: ImportSchoolRegisterInput, @Ctx() ctx: RequestContext): Promise<SchoolRegisterImportReport> {
    const encoded = input.file.replace(/\s+/g, '');
    if (!BASE64.test(encoded) || encoded.length % 4 === 1) throw badUserInput([{ field: 'input.file', message: 'must be the file base64-encoded' }]);
    return this.imports.importFile(ctx.principal, Buffer.from(encoded, 'base64'), input.laCode, { dryRun: input.dryRun, field: 'input.file', laCodeField: 'input.laCode' });
  }
}
