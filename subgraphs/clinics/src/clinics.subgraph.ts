import { AuditEntry } from '@sendco/database';
import { createGatewayClient, type SubgraphDefinition } from '@sendco/federation';
import { ClinicResolver } from './clinics/clinic.resolver';
import { ClinicService } from './clinics/clinic.service';
import { Clinic } from './clinics/clinic.entity';
import { seedDemoClinics } from './demo-data';
import { CreateClinics1764300000000 } from './migrations/1764300000000-CreateClinics';
import { OutreachReferral, OutreachReferralUpdate } from './outreach/referral.entity';
import { OutreachReferralResolver } from './outreach/referral.resolver';
import { OutreachReferralService } from './outreach/referral.service';
import { ClinicRequest } from './requests/clinic-request.entity';
import { ClinicRequestResolver, ClinicRequestsResolver } from './requests/request.resolver';
import { ClinicRequestService } from './requests/request.service';
import { School } from './schools/school';
import { SchoolClinicBookingsResolver } from './schools/school-clinic-bookings.resolver';
import { gatewaySchoolDirectory } from './schools/special-schools';
import { ClinicTheme } from './themes/theme.entity';
import { ThemeResolver } from './themes/theme.resolver';
import { ThemeService } from './themes/theme.service';

export const clinicsSubgraph: SubgraphDefinition = {
  name: 'clinics',
  dbSchema: 'clinics',
  entities: [ClinicTheme, Clinic, ClinicRequest, OutreachReferral, OutreachReferralUpdate, AuditEntry],
  migrations: [CreateClinics1764300000000],
  resolvers: [ThemeResolver, ClinicResolver, ClinicRequestResolver, ClinicRequestsResolver, SchoolClinicBookingsResolver, OutreachReferralResolver],
  orphanedTypes: [School],
  usesQueue: true,
  createResolvers: ({ dataSource, outbox, config }) => {
    // Schools' phases come from the directory through the gateway, never its tables.
    const schools = gatewaySchoolDirectory(createGatewayClient(config.gateway.url));
    const clinics = new ClinicService(dataSource, schools, outbox);
    const requests = new ClinicRequestService(dataSource, outbox);
    const referrals = new OutreachReferralService(dataSource, schools, outbox);
    return new Map<Function, object>([
      [ThemeResolver, new ThemeResolver(new ThemeService(dataSource))],
      [ClinicResolver, new ClinicResolver(clinics, dataSource)],
      [ClinicRequestResolver, new ClinicRequestResolver(requests, clinics, dataSource)],
      [ClinicRequestsResolver, new ClinicRequestsResolver(requests)],
      [SchoolClinicBookingsResolver, new SchoolClinicBookingsResolver(requests)],
      [OutreachReferralResolver, new OutreachReferralResolver(referrals, dataSource)],
    ]);
  },
  seedDemoData: ({ dataSource }) => seedDemoClinics(dataSource),
};
